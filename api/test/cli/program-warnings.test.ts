import { expect } from 'chai';
import { parseProgram, type Program } from '@purna/rules';
import { DateTime } from 'luxon';
import { defaultBounds, programWarnings } from '../../src/cli/program/program-warnings.js';

const AT = DateTime.fromISO('2026-06-01T00:00:00Z', { zone: 'UTC' });
const base = { id: 'base', name: 'Base', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } };
const tiers = (levels: Array<Record<string, unknown>>, basis = 'spend') => ({ basis, window: { type: 'rolling', months: 12 }, levels });

function program(extra: Record<string, unknown>): Program {
  return parseProgram({ id: 'shop', name: 'Shop', currency: 'IDR', timezone: 'Asia/Jakarta', points: { redemption: { pointValue: '100' } }, earning: [base], ...extra });
}
function codes(p: Program): string[] {
  return programWarnings(p, defaultBounds(AT)).map((w) => `${w.code} ${w.pointer}`);
}

describe('cli: program warnings', () => {
  // Each row: a program change, and the warnings (code and pointer) it must give, worked out from the rule text.
  const cases: Array<[title: string, extra: Record<string, unknown>, expected: string[]]> = [
    // 1 point per Rp10.000 at Rp100 a point is 1% back, no multiplier: nothing to say.
    ['a plain program', {}, []],
    ['a rule that ended before --at', { earning: [base, { id: 'old', name: 'Old', scope: 'order', award: { points: 5 }, valid: { until: '2026-01-01T00:00:00+07:00' } }] }, ['rule-ended /earning/1/valid/until']],
    ['a line multiplier with no line rule to multiply', { earning: [{ id: 'x2', name: 'x2', scope: 'line', award: { multiplier: '2' } }] }, ['multiplier-without-base /earning/0/award/multiplier']],
    [
      'a multiplier on lines every base rule excludes',
      { earning: [{ ...base, exclude: { category: ['tv'] } }, { id: 'tv', name: 'TV', scope: 'line', appliesTo: { category: ['tv'] }, award: { multiplier: '2' } }] },
      ['multiplier-without-base /earning/1/appliesTo'],
    ],
    [
      'an open exclusive rule above another of the same scope and kind',
      { earning: [base, { id: 'flat', name: 'Flat', scope: 'line', award: { points: 1 }, priority: 10, stacking: 'exclusive' }] },
      ['shadowed-rule /earning/0'],
    ],
    ['a lowest tier above zero', { tiers: tiers([{ id: 'silver', name: 'Silver', threshold: '100' }]) }, ['no-entry-tier /tiers/levels/0/threshold']],
    [
      'a higher tier with a smaller multiplier',
      { tiers: tiers([{ id: 'a', name: 'A', threshold: '0', multiplier: '1.5' }, { id: 'b', name: 'B', threshold: '100', multiplier: '1.2' }]) },
      ['tier-multiplier-decreases /tiers/levels/1/multiplier'],
    ],
    ['points tiers with no rule giving points', { earning: [], tiers: tiers([{ id: 'a', name: 'A', threshold: '0' }, { id: 'b', name: 'B', threshold: '100' }], 'points') }, ['unreachable-tier /tiers/levels/1/threshold']],
    // x2 rule x2 rule x1 tier = x4 > x3; the rate 1/10000 x 4 x 100 = 4%, under 10%.
    ['multipliers stacking to x4', { earning: [base, { id: 'a', name: 'A', scope: 'line', award: { multiplier: '2' } }, { id: 'b', name: 'B', scope: 'line', award: { multiplier: '2' } }] }, ['multiplier-stack /earning/1/award/multiplier']],
    // Multipliers valid at different times never stack: x2 in September, x2 from October (both after --at).
    [
      'multipliers in separate windows',
      {
        earning: [
          base,
          { id: 'sep', name: 'Sep', scope: 'line', award: { multiplier: '2' }, valid: { from: '2026-09-01T00:00:00+07:00', until: '2026-10-01T00:00:00+07:00' } },
          { id: 'oct', name: 'Oct', scope: 'line', award: { multiplier: '2' }, valid: { from: '2026-10-01T00:00:00+07:00' } },
        ],
      },
      [],
    ],
    // 1 point per Rp1.000 at Rp100 a point: 10% back... and the x1.5 tier makes it 15%, above 10%.
    [
      'a reward rate above 10% with the top tier',
      { earning: [{ ...base, award: { pointsPer: { amount: '1000', points: 1 } } }], tiers: tiers([{ id: 'a', name: 'A', threshold: '0' }, { id: 'g', name: 'G', threshold: '100', multiplier: '1.5' }]) },
      ['reward-rate /earning/0/award/pointsPer'],
    ],
  ];
  for (const [title, extra, expected] of cases) {
    it(title, () => {
      expect(codes(program(extra))).to.have.members(expected);
    });
  }

  it('says how much spend comes back, and which rules and tier make it', () => {
    const p = program({ earning: [{ ...base, award: { pointsPer: { amount: '1000', points: 1 } } }], tiers: tiers([{ id: 'a', name: 'A', threshold: '0' }, { id: 'g', name: 'G', threshold: '100', multiplier: '1.5' }]) });
    const [warning] = programWarnings(p, defaultBounds(AT));
    expect(warning?.message).to.match(/^up to 15% of spend comes back as points value \(rules "base", tier "g"\); the bound is 10%/, warning?.message);
  });
});
