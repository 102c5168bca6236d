/**
 * decideImport: a customer brought over from another program. Lots keep their own dates (or take the program's
 * expiry), a debt is owed first and repaid by the lots available, a tier comes as a hold by hand (its date may have
 * passed: the grace is left), no moments, and every problem of a line is reported with its pointer. Program by hand:
 * 12 months of expiry, tiers bronze / silver / gold, one month of grace, Asia/Jakarta.
 */
import { expect } from 'chai';
import { applyActions, decideImport, emptyAccountState, heldTier, InputError, viewPoints } from '../../src/index.js';
import { programWith } from '../support/program-builder.js';

const compiled = programWith([{ id: 'base', name: 'Base', scope: 'line', award: { pointsPer: { amount: '100', points: 1 } } }], {
  points: { expiry: { months: 12 } },
  tiers: {
    basis: 'spend',
    window: { type: 'rolling', months: 12 },
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: '0' },
      { id: 'silver', name: 'Silver', threshold: '1000' },
      { id: 'gold', name: 'Gold', threshold: '5000', multiplier: '2' },
    ],
    downgrade: { graceMonths: 1 },
  },
});
const AT = '2026-12-10T03:00:00.000Z'; // 10 December, 10:00 in Jakarta
const actor = 'import:imp_test';

function imported(input: Parameters<typeof decideImport>[2]) {
  const actions = decideImport(compiled, emptyAccountState(), input, { at: AT });
  return { actions, applied: applyActions(emptyAccountState(), actions, { at: AT, id: 'import:ayu', compiled }) };
}

function problems(input: Parameters<typeof decideImport>[2]): Array<[string, string]> {
  try {
    decideImport(compiled, emptyAccountState(), input, { at: AT });
  } catch (error) {
    if (error instanceof InputError) return error.errors.map((p) => [p.pointer, p.code]);
    throw error;
  }
  return [];
}

describe('decideImport', () => {
  it('keeps each lot\'s dates; a lot without them is available at once and expires 12 months later', () => {
    const { applied } = imported({ lots: [{ points: 1200, availableAt: '2026-06-01T00:00:00+07:00', expiresAt: '2027-06-01T00:00:00+07:00' }, { points: 300, availableAt: '2026-12-20T00:00:00+07:00' }, { points: 40 }], actor });
    expect(applied.state.points.lots.map((l) => [l.amount, l.availableAt, l.expiresAt, l.source])).to.deep.equal([
      [1200, '2026-05-31T17:00:00.000Z', '2027-05-31T17:00:00.000Z', 'adjustment'],
      // available 20 December 00:00 Jakarta, expiring 12 months after that.
      [300, '2026-12-19T17:00:00.000Z', '2027-12-19T17:00:00.000Z', 'adjustment'],
      [40, '2026-12-10T03:00:00.000Z', '2027-12-10T03:00:00.000Z', 'adjustment'],
    ]);
    expect(viewPoints(applied.state.points, AT)).to.deep.include({ available: 1240, pending: 300, balance: 1540 });
    expect(applied.entries.map((e) => [e.type, e.points, e.actor])).to.deep.equal([['adjustment', 1200, actor], ['adjustment', 300, actor], ['adjustment', 40, actor]]);
    expect(applied.moments, 'a migration emits no moments').to.deep.equal([]);
  });

  it('keeps a lot source the export wrote as its reason (an order lot stays an order lot)', () => {
    const { applied } = imported({ lots: [{ points: 10, reason: 'order' }, { points: 5, reason: 'migrated balance' }], actor });
    expect(applied.state.points.lots.map((l) => l.source)).to.deep.equal(['order', 'adjustment']);
  });

  it('owes a debt, repaid by the lots available: 100 owed, 250 available, 150 left', () => {
    const { applied } = imported({ debt: 100, lots: [{ points: 250 }], actor });
    expect(viewPoints(applied.state.points, AT)).to.deep.include({ available: 150, debt: 0, balance: 150 });
  });

  it('holds a tier by hand, even one whose date has passed while its grace is left', () => {
    const past = imported({ tier: { id: 'gold', until: '2026-12-01T00:00:00+07:00' }, actor });
    expect(past.actions.some((a) => a.type === 'moment')).to.equal(false);
    // Until 1 December, then a month of grace: gold to 1 January 2027, bronze after.
    expect(heldTier(compiled, past.applied.state, AT)).to.deep.include({ tierId: 'gold', inGrace: true, until: '2027-01-01T00:00:00.000+07:00' });
    expect(heldTier(compiled, past.applied.state, '2026-12-31T17:00:00.000Z')?.tierId).to.equal('bronze');
    expect(past.applied.state.tierHold).to.deep.include({ tierId: 'gold', reason: actor });
  });

  const bad: Array<[string, Parameters<typeof decideImport>[2], Array<[string, string]>]> = [
    ['a lot that expires before it is available', { lots: [{ points: 5, availableAt: '2027-01-01T00:00:00+07:00', expiresAt: '2026-12-31T00:00:00+07:00' }], actor }, [['/lots/0/expiresAt', 'expires-before-available']]],
    ['a lot expired already', { lots: [{ points: 5 }, { points: 5, expiresAt: '2026-12-01T00:00:00+07:00' }], actor }, [['/lots/1/expiresAt', 'expired']]],
    ['a date that does not parse', { lots: [{ points: 5, availableAt: 'yesterday' }], actor }, [['/lots/0/availableAt', 'invalid-instant']]],
    ['a tier the program does not have', { tier: { id: 'platinum', until: '2027-12-31T00:00:00+07:00' }, actor }, [['/tier/id', 'unknown-tier']]],
    ['every problem at once', { lots: [{ points: 5, expiresAt: '2026-01-01T00:00:00+07:00' }], tier: { id: 'platinum', until: '2027-12-31T00:00:00+07:00' }, actor }, [['/lots/0/expiresAt', 'expired'], ['/tier/id', 'unknown-tier']]],
  ];
  for (const [what, input, expected] of bad) {
    it(`refuses ${what}, with its pointer`, () => {
      expect(problems(input)).to.deep.equal(expected);
    });
  }
});
