/**
 * The decisions, as a table: each record kind, on a given account at a given instant, answers these actions. The
 * expected actions are worked by hand from the program below (times in UTC; 14 pending days, 12 months of expiry).
 */
import { expect } from 'chai';
import {
  applyActions,
  decideAdjustment,
  decideBirthday,
  decideEvent,
  decideExpiry,
  decideOrder,
  decideRedemption,
  decideReturn,
  decideTierReview,
  emptyAccountState,
  returnActions,
  type AccountAction,
  type AccountState,
  type RecordedOrder,
} from '../../src/index.js';
import { compileProgram, parseProgram } from '../../src/index.js';

const compiled = compileProgram(
  parseProgram({
    id: 'shop',
    name: 'Shop',
    currency: 'IDR',
    timezone: 'UTC',
    points: { rounding: 'floor', pendingDays: 14, expiry: { months: 12 }, redemption: { pointValue: '100', minPoints: 10, maxShareOfOrder: '0.5' } },
    tiers: {
      basis: 'spend',
      window: { type: 'rolling', months: 12 },
      levels: [
        { id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' },
        { id: 'silver', name: 'Silver', threshold: '2000000', multiplier: '1' },
      ],
      downgrade: { graceMonths: 1 },
    },
    earning: [
      { id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } },
      { id: 'first', name: '500 once ever on Rp2.000.000', scope: 'order', when: { fact: 'order.total', op: 'gte', value: '2000000' }, award: { points: 500 }, cap: { perCustomer: { count: 1 } } },
    ],
    events: [{ id: 'review', name: 'Review', event: 'review.published', award: { points: 50 }, limit: { perCustomer: { count: 1, period: { days: 1 } } } }],
    birthday: { award: { points: 300, byTier: { silver: 600 } }, window: 'day' },
  }),
);
const PROGRAM = { programId: 'shop' };
const AT = '2026-03-10T10:00:00.000Z';
const ayu = { id: 'ayu', enrolledAt: '2026-01-01T00:00:00Z', birthDate: '1990-03-20' };

function tv(id: string, placedAt: string, quantity = 1) {
  return { id, customerId: 'ayu', placedAt, currency: 'IDR', lines: [{ sku: 'TV', category: 'tv', quantity, unitPrice: '2500000' }] };
}

/** The account after `o-1` (one TV, 750 points) was recorded at AT. */
function afterFirstOrder(): { state: AccountState; order: RecordedOrder } {
  const decision = decideOrder(compiled, emptyAccountState(), { customer: ayu, order: tv('o-1', AT) });
  const applied = applyActions(emptyAccountState(), decision.actions, { at: AT, id: 'order:o-1', compiled });
  const order: RecordedOrder = {
    orderId: 'o-1',
    customerId: 'ayu',
    placedAt: AT,
    order: tv('o-1', AT),
    programId: 'shop',
    programVersion: 1,
    snapshot: decision.quote.snapshot,
    awarded: decision.awarded,
    lotId: applied.lots.order!,
    availableAt: decision.availableAt,
    tierSpend: decision.quote.tierSpend,
    returns: [],
  };
  return { state: applied.state, order };
}

describe('decisions answer actions', () => {
  const cases: Array<{ what: string; why: string; actions: () => readonly AccountAction[]; expected: AccountAction[] }> = [
    {
      what: 'a first order of Rp2.500.000',
      why: '250 base + 500 once ever; pending 14 days then 12 months; the order enters the tier window and lifts bronze to silver',
      actions: () => decideOrder(compiled, emptyAccountState(), { customer: ayu, order: tv('o-1', AT) }).actions,
      expected: [
        {
          type: 'award',
          entry: { type: 'earn', ...PROGRAM, ruleIds: ['base', 'first'], orderId: 'o-1', lines: [{ sku: 'TV', quantity: 1 }] },
          source: 'order',
          points: 750,
          availableAt: '2026-03-24T10:00:00.000Z',
          expiresAt: '2027-03-24T10:00:00.000Z',
          orderId: 'o-1',
          role: 'order',
        },
        { type: 'moment', moment: 'points.awarded', data: { points: 750, source: 'order', orderId: 'o-1', availableAt: '2026-03-24T10:00:00.000Z', expiresAt: '2027-03-24T10:00:00.000Z' } },
        { type: 'counters', deltas: [{ key: 'earn:first:ever', count: 1 }] },
        { type: 'order', order: { id: 'o-1', placedAt: AT, tierSpend: '2500000', points: 750 } },
        { type: 'tier', from: 'bronze', to: 'silver', at: AT },
        { type: 'moment', moment: 'tier.changed', data: { from: 'bronze', to: 'silver', cause: 'order', orderId: 'o-1' } },
      ],
    },
    {
      what: 'a second order three years later',
      why: 'the once-ever counter still holds: 250 base only; the first order has left the window, so the tier the account recorded (silver) first falls back to bronze, then this order lifts it again',
      actions: () => decideOrder(compiled, afterFirstOrder().state, { customer: ayu, order: tv('o-2', '2029-03-10T10:00:00.000Z') }).actions,
      expected: [
        {
          type: 'award',
          entry: { type: 'earn', ...PROGRAM, ruleIds: ['base'], orderId: 'o-2', lines: [{ sku: 'TV', quantity: 1 }] },
          source: 'order',
          points: 250,
          availableAt: '2029-03-24T10:00:00.000Z',
          expiresAt: '2030-03-24T10:00:00.000Z',
          orderId: 'o-2',
          role: 'order',
        },
        { type: 'moment', moment: 'points.awarded', data: { points: 250, source: 'order', orderId: 'o-2', availableAt: '2029-03-24T10:00:00.000Z', expiresAt: '2030-03-24T10:00:00.000Z' } },
        { type: 'order', order: { id: 'o-2', placedAt: '2029-03-10T10:00:00.000Z', tierSpend: '2500000', points: 250 } },
        { type: 'tier', from: 'silver', to: 'bronze', at: '2029-03-10T10:00:00.000Z' },
        { type: 'moment', moment: 'tier.changed', data: { from: 'silver', to: 'bronze', cause: 'grace-ended' } },
        { type: 'tier', from: 'bronze', to: 'silver', at: '2029-03-10T10:00:00.000Z' },
        { type: 'moment', moment: 'tier.changed', data: { from: 'bronze', to: 'silver', cause: 'order', orderId: 'o-2' } },
      ],
    },
    {
      what: 'a full return of o-1 the next day',
      why: 'everything comes back: 750 from the order lot first, the once-ever application is undone, the tier spend leaves the window',
      actions: () => {
        const { order } = afterFirstOrder();
        return returnActions(order, decideReturn(compiled, order, { returnId: 'r-1', lines: [{ sku: 'TV', quantity: 1 }] }, { at: '2026-03-11T10:00:00.000Z' }));
      },
      expected: [
        {
          type: 'clawback',
          entry: { type: 'return', programId: 'shop', programVersion: 1, ruleIds: [], orderId: 'o-1', returnId: 'r-1', lines: [{ sku: 'TV', quantity: 1 }] },
          points: 750,
          firstLotIds: ['order:o-1#0'],
        },
        { type: 'counters', deltas: [{ key: 'earn:first:ever', count: -1 }] },
        { type: 'order-returned', orderId: 'o-1', tierSpendDelta: '-2500000', pointsDelta: -750 },
        { type: 'moment', moment: 'return.recorded', data: { orderId: 'o-1', returnId: 'r-1', lines: [{ sku: 'TV', quantity: 1 }], clawedBack: 750, fullyReturned: true } },
      ],
    },
    {
      what: 'a second review on the same day',
      why: 'over the limit of one a day: recorded with 0 points and the reason, no counter',
      actions: () => {
        const first = decideEvent(compiled, emptyAccountState(), { customer: ayu, event: { id: 'ev-1', type: 'review.published' } }, { at: AT });
        const state = applyActions(emptyAccountState(), first.actions, { at: AT, id: 'event:ev-1', compiled }).state;
        return decideEvent(compiled, state, { customer: ayu, event: { id: 'ev-2', type: 'review.published' } }, { at: '2026-03-10T11:00:00.000Z' }).actions;
      },
      expected: [
        {
          type: 'award',
          entry: { type: 'event', ...PROGRAM, ruleIds: [], eventId: 'ev-2', reason: 'limit-reached' },
          source: 'event',
          points: 0,
          availableAt: '2026-03-10T11:00:00.000Z',
          expiresAt: '2027-03-10T11:00:00.000Z',
        },
      ],
    },
    {
      what: 'a redemption of 300 points once o-1 is available',
      why: 'a debit of the named lot: 300 of the 750 of order:o-1#0',
      actions: () => decideRedemption(compiled, afterFirstOrder().state, { redemptionId: 'rd-1', orderId: 'o-9', orderTotal: '100000', points: 300 }, { at: '2026-04-01T00:00:00.000Z' }).actions,
      expected: [
        { type: 'debit', entry: { type: 'redeem', ...PROGRAM, ruleIds: [], orderId: 'o-9', redemptionId: 'rd-1' }, debits: [{ lotId: 'order:o-1#0', points: 300 }] },
        { type: 'moment', moment: 'redemption.created', data: { redemptionId: 'rd-1', orderId: 'o-9', points: 300, discount: '30000' } },
      ],
    },
    {
      what: 'a redemption on an account last written before its lots became available and repaid a debt',
      why: "the 40-point debt of an adjustment made while o-1 (750) and o-2 (250) were pending is repaid from o-1's lot on 24 March: 750 are taken as 710 of o-1 and 40 of o-2",
      actions: () => {
        const { state } = afterFirstOrder();
        const second = decideOrder(compiled, state, { customer: ayu, order: tv('o-2', '2026-03-11T10:00:00.000Z') });
        const both = applyActions(state, second.actions, { at: '2026-03-11T10:00:00.000Z', id: 'order:o-2', compiled }).state;
        const inDebt = applyActions(both, decideAdjustment(compiled, { points: -40, reason: 'correction', actor: 'agent-7' }, { at: '2026-03-12T00:00:00.000Z' }), { at: '2026-03-12T00:00:00.000Z', id: 'adjustment:a-1', compiled }).state;
        return decideRedemption(compiled, inDebt, { redemptionId: 'rd-1', orderId: 'o-9', orderTotal: '200000', points: 750 }, { at: '2026-04-01T00:00:00.000Z' }).actions;
      },
      expected: [
        {
          type: 'debit',
          entry: { type: 'redeem', ...PROGRAM, ruleIds: [], orderId: 'o-9', redemptionId: 'rd-1' },
          debits: [
            { lotId: 'order:o-1#0', points: 710 },
            { lotId: 'order:o-2#0', points: 40 },
          ],
        },
        { type: 'moment', moment: 'redemption.created', data: { redemptionId: 'rd-1', orderId: 'o-9', points: 750, discount: '75000' } },
      ],
    },
    {
      what: 'a redemption while the points are still pending',
      why: 'refused (nothing available): no action at all',
      actions: () => decideRedemption(compiled, afterFirstOrder().state, { redemptionId: 'rd-1', orderId: 'o-9', orderTotal: '100000', points: 300 }, { at: '2026-03-12T00:00:00.000Z' }).actions,
      expected: [],
    },
    {
      what: 'a negative adjustment',
      why: 'taken back like a clawback, from no lot in particular',
      actions: () => decideAdjustment(compiled, { points: -40, reason: 'correction', actor: 'agent-7' }, { at: AT }),
      expected: [{ type: 'clawback', entry: { type: 'adjustment', ...PROGRAM, ruleIds: [], reason: 'correction', actor: 'agent-7' }, points: 40, firstLotIds: [] }],
    },
    {
      what: 'the birthday of a silver customer on the day',
      why: "silver's award (600), available at once, and the year recorded",
      actions: () => decideBirthday(compiled, afterFirstOrder().state, ayu, { at: '2026-03-20T01:00:00.000Z' }).actions,
      expected: [
        {
          type: 'award',
          entry: { type: 'birthday', ...PROGRAM, ruleIds: ['birthday'], reason: 'birthday:2026' },
          source: 'birthday',
          points: 600,
          availableAt: '2026-03-20T01:00:00.000Z',
          expiresAt: '2027-03-20T01:00:00.000Z',
        },
        { type: 'yearly', kind: 'birthday', year: 2026 },
        { type: 'moment', moment: 'birthday.granted', data: { year: 2026, points: 600, availableAt: '2026-03-20T01:00:00.000Z', expiresAt: '2027-03-20T01:00:00.000Z' } },
      ],
    },
    {
      what: 'the same birthday again',
      why: 'the year is on the account: nothing',
      actions: () => {
        const { state } = afterFirstOrder();
        const granted = applyActions(state, decideBirthday(compiled, state, ayu, { at: '2026-03-20T01:00:00.000Z' }).actions, { at: '2026-03-20T01:00:00.000Z', id: 'birthday:ayu:2026', compiled }).state;
        return decideBirthday(compiled, granted, ayu, { at: '2026-03-20T05:00:00.000Z' }).actions;
      },
      expected: [],
    },
    {
      what: 'expiry a year after o-1 became available',
      why: 'one debit of what is left of the lot, naming it',
      actions: () => decideExpiry(afterFirstOrder().state, '2027-03-24T10:00:00.000Z'),
      expected: [
        { type: 'debit', entry: { type: 'expire', ruleIds: [], reason: 'expired', orderId: 'o-1' }, debits: [{ lotId: 'order:o-1#0', points: 750 }], expiredLotId: 'order:o-1#0' },
        {
          type: 'moment',
          moment: 'points.expired',
          data: { points: 750, source: 'order', orderId: 'o-1', lotId: 'order:o-1#0', expiredAt: '2027-03-24T10:00:00.000Z' },
          occurredAt: '2027-03-24T10:00:00.000Z',
          key: 'points.expired:order:o-1#0',
        },
      ],
    },
    {
      what: 'a tier review after the grace ended',
      why: 'o-1 left the 12-month window on 2027-03-10 and the month of grace ended on 2027-04-10: silver to bronze, stamped with the month',
      actions: () => decideTierReview(compiled, afterFirstOrder().state, '2027-04-15T00:00:00.000Z').actions,
      expected: [
        { type: 'tier', from: 'silver', to: 'bronze', at: '2027-04-15T00:00:00.000Z', review: '2027-04' },
        { type: 'moment', moment: 'tier.changed', data: { from: 'silver', to: 'bronze', cause: 'review' } },
      ],
    },
  ];

  for (const { what, why, actions, expected } of cases) {
    it(`${what}: ${why}`, () => {
      expect(actions()).to.deep.equal(expected);
    });
  }
});
