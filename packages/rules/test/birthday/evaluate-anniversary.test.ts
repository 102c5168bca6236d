import { expect } from 'chai';
import { evaluateAnniversary } from '../../src/index.js';
import type { CustomerInput } from '../../src/input/customer-input.js';
import { tokoCompiled, tokoVariant } from '../warranty/toko-program.js';

// A variant of the example program with a purchase anniversary: 200 points (gold 500) in the anniversary's week.
const compiled = tokoVariant((p) => {
  p.anniversary = { award: { points: 200, byTier: { gold: 500 } }, window: 'week', leapDay: 'mar1', minMembershipDays: 30 };
});
const ayu: CustomerInput = { id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00', timezone: 'Asia/Jakarta' };
// Ayu's first order o-1001 was placed on Sunday 2026-02-01 in Jakarta.
const firstPurchaseAt = '2026-02-01T10:00:00+07:00';

describe('evaluateAnniversary', () => {
  const cases: Array<{ name: string; at: string; first?: string; tier?: string; granted?: number[]; due: boolean; year?: number; points?: number; reasons?: string[] }> = [
    // 2027-02-01 is a Monday: its ISO week is 2027-02-01 to 2027-02-07.
    { name: 'the first anniversary, gold', at: '2027-02-03T09:00:00+07:00', first: firstPurchaseAt, tier: 'gold', due: true, year: 2027, points: 500 },
    { name: 'the first anniversary, no tier pays the default', at: '2027-02-07T23:00:00+07:00', first: firstPurchaseAt, due: true, year: 2027, points: 200 },
    { name: 'the Sunday before the anniversary week', at: '2027-01-31T23:00:00+07:00', first: firstPurchaseAt, due: false, reasons: ['outside-window'] },
    // 2026-02-01 is a Sunday: the week 2026-01-26 to 2026-02-01 is the purchase itself, not an anniversary.
    { name: 'never in the purchase year itself', at: '2026-02-01T12:00:00+07:00', first: firstPurchaseAt, due: false, reasons: ['outside-window'] },
    { name: 'once per year', at: '2027-02-04T09:00:00+07:00', first: firstPurchaseAt, granted: [2027], due: false, year: 2027, reasons: ['already-granted'] },
    { name: 'no purchase yet', at: '2027-02-03T09:00:00+07:00', due: false, reasons: ['no-date'] },
    // A purchase on 29 February 2028 with leapDay mar1: 1 March 2029 (a Thursday, week 2029-02-26 to 2029-03-04).
    { name: '29 February purchase, mar1 rule', at: '2029-03-04T12:00:00+07:00', first: '2028-02-29T12:00:00+07:00', due: true, year: 2029 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateAnniversary(compiled, ayu, { at: c.at, firstPurchaseAt: c.first, tier: c.tier, alreadyGranted: c.granted ?? [] });
      expect(d.due).to.equal(c.due);
      if (c.year !== undefined) expect(d.year).to.equal(c.year);
      if (c.points !== undefined) expect(d.points).to.equal(c.points);
      if (c.due) expect(d.key).to.equal(`anniversary:${c.year ?? ''}`);
      expect(d.reasons.map((r) => r.code)).to.deep.equal(c.reasons ?? []);
    });
  }

  it('is not due when the program has no anniversary section', () => {
    const d = evaluateAnniversary(tokoCompiled(), ayu, { at: '2027-02-03T09:00:00+07:00', firstPurchaseAt });
    expect(d.reasons.map((r) => r.code)).to.deep.equal(['program-has-no-reward']);
  });
});
