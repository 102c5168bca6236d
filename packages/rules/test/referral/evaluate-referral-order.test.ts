import { expect } from 'chai';
import { InputError } from '../../src/errors.js';
import { evaluateReferralOrder, type ReferralOrderInput } from '../../src/index.js';
import type { CustomerInput } from '../../src/input/customer-input.js';
import type { OrderInput } from '../../src/input/order-input.js';
import { scenarioOrder, tokoCompiled, tokoVariant } from '../warranty/toko-program.js';

// Program: referrer 500, referee 250, minOrderTotal 1000000, withinDays 60, at most 10 per referrer per calendar year.
const toko = tokoCompiled();
const ayu: CustomerInput = { id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00', emailHash: 'sha256:ayu', referralCode: 'AYU-2026' };
const budi: CustomerInput = { id: 'budi', enrolledAt: '2026-03-15T09:00:00+07:00', referredBy: { code: 'AYU-2026' }, emailHash: 'sha256:budi' };
const o2001 = scenarioOrder('o-2001');
const base: ReferralOrderInput = { referee: budi, referrer: ayu, order: o2001, isFirstOrder: true, history: { usage: {} } };

function at(order: OrderInput): string {
  return order.placedAt ?? '';
}

describe('evaluateReferralOrder', () => {
  it('toko-basic o-2001: Budi\u2019s first order of 3,000,000, 5 days after enrolment, gives 500 and 250', () => {
    const d = evaluateReferralOrder(toko, base, { at: at(o2001) });
    expect(d).to.deep.include({ qualifies: true, referrerId: 'ayu', referrerPoints: 500, refereePoints: 250, reasons: [] });
    expect(d.usage).to.deep.equal([{ key: 'referral:2026', count: 1 }]);
    // Pending like order points: placed 2026-03-20 10:00 + 14 days, then 12 months of life.
    expect([d.availableAt, d.expiresAt]).to.deep.equal(['2026-04-03T10:00:00.000+07:00', '2027-04-03T10:00:00.000+07:00']);
  });

  const order = (change: Partial<OrderInput>): OrderInput => ({ ...o2001, ...change });
  const cases: Array<{ name: string; input: ReferralOrderInput; qualifies: boolean; reasons?: string[] }> = [
    { name: 'not the first order', input: { ...base, isFirstOrder: false }, qualifies: false, reasons: ['not-first-order'] },
    // 999,999.99 < 1,000,000; a line discount counts: 1,100,000 - 100,000.01 = 999,999.99.
    { name: 'just under the minimum total after a discount', input: { ...base, order: order({ lines: [{ sku: 'PH-3', quantity: 1, unitPrice: '1100000', discount: '100000.01' }] }) }, qualifies: false, reasons: ['below-minimum-total'] },
    { name: 'exactly the minimum total', input: { ...base, order: order({ lines: [{ sku: 'A', quantity: 2, unitPrice: '500000' }] }) }, qualifies: true },
    // Enrolled 2026-03-15: day 60 is 2026-05-14 (16 days left in March, 30 in April, 14 in May).
    { name: 'on day 60 after enrolment', input: { ...base, order: order({ placedAt: '2026-05-14T23:59:00+07:00' }) }, qualifies: true },
    { name: 'on day 61 after enrolment', input: { ...base, order: order({ placedAt: '2026-05-15T00:00:00+07:00' }) }, qualifies: false, reasons: ['enrolment-window-ended'] },
    { name: 'before enrolment', input: { ...base, order: order({ placedAt: '2026-03-15T08:59:00+07:00' }) }, qualifies: false, reasons: ['order-before-enrolment'] },
    { name: 'the referrer reached 10 this year', input: { ...base, history: { usage: { 'referral:2026': 10 } } }, qualifies: false, reasons: ['referrer-limit-reached'] },
    { name: 'last year\u2019s referrals do not count', input: { ...base, history: { usage: { 'referral:2025': 10, 'referral:2026': 9 } } }, qualifies: true },
    { name: 'self-referral caught again at the order', input: { ...base, referee: { ...budi, emailHash: 'sha256:ayu' } }, qualifies: false, reasons: ['self-referral'] },
    { name: 'no referrer', input: { ...base, referrer: undefined }, qualifies: false, reasons: ['unknown-code'] },
    {
      name: 'every reason at once',
      input: { ...base, isFirstOrder: false, order: order({ placedAt: '2026-06-01T10:00:00+07:00', lines: [{ sku: 'X', quantity: 1, unitPrice: '10' }] }), history: { usage: { 'referral:2026': 10 } } },
      qualifies: false,
      reasons: ['not-first-order', 'below-minimum-total', 'enrolment-window-ended', 'referrer-limit-reached'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateReferralOrder(toko, c.input, { at: at(c.input.order) });
      expect(d.qualifies).to.equal(c.qualifies);
      expect(d.reasons.map((r) => r.code)).to.deep.equal(c.reasons ?? []);
      if (!c.qualifies) expect([d.reason, d.referrerPoints, d.refereePoints, d.usage.length]).to.deep.equal([c.reasons?.[0], 0, 0, 0]);
      else expect(d.reason).to.equal(undefined);
    });
  }

  it('keys the limit by the calendar period in the program zone', () => {
    // 2026-12-31T18:00Z is 2027-01-01 01:00 in Jakarta: the 2027 counter.
    const lateOrder = order({ placedAt: '2026-12-31T18:00:00Z' });
    const program = tokoVariant((p) => {
      if (p.referral) p.referral.qualifying = { minOrderTotal: '1000000' };
    });
    expect(evaluateReferralOrder(program, { ...base, order: lateOrder }, { at: '2026-12-31T18:00:00Z' }).usage).to.deep.equal([{ key: 'referral:2027', count: 1 }]);
    const quarterly = tokoVariant((p) => {
      if (p.referral) p.referral.limit = { perReferrer: { count: 2, period: { months: 3 } } };
    });
    // The engine's period keys: quarters are numbered blocks of 3 months, (2026 x 12 + 2) / 3 = 8104 for March 2026.
    expect(evaluateReferralOrder(quarterly, base, { at: at(o2001) }).usage).to.deep.equal([{ key: 'referral:m3:8104', count: 1 }]);
  });

  it('refuses an order in another currency, through the engine\u2019s order pricing', () => {
    let problems: Array<{ pointer: string; code: string }> = [];
    try {
      evaluateReferralOrder(toko, { ...base, order: order({ currency: 'USD' }) }, { at: at(o2001) });
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems = e.errors.map(({ pointer, code }) => ({ pointer, code }));
    }
    expect(problems).to.deep.equal([{ pointer: '/order/currency', code: 'currency-mismatch' }]);
  });
});
