/**
 * The after-sale decisions of an order, as tables: a delivery (its follow-up, and the life it gives points pending
 * from delivery), the return window (from delivery or purchase), a cancellation (a full return of what is left,
 * refused once delivered) and a redemption's cancellation (each point back into its own lot; expired lots' points
 * expired at once). Numbers worked by hand from the program below (Jakarta, UTC+7 without daylight saving;
 * 1 point per Rp1.000; 14 pending days counted from delivery; 12 months of expiry).
 */
import { expect } from 'chai';
import {
  applyActions,
  cancellationActions,
  checkReturnWindow,
  compileProgram,
  decideDelivery,
  decideDueMoments,
  decideOrder,
  decideOrderCancellation,
  decideRedemption,
  decideRedemptionCancellation,
  deliveryActions,
  emptyAccountState,
  NEVER,
  nextMomentDue,
  parseProgram,
  viewPoints,
  type AccountState,
  type RecordedDelivery,
  type RecordedOrder,
} from '../../src/index.js';

const program = {
  id: 'care',
  name: 'Care',
  currency: 'IDR',
  timezone: 'Asia/Jakarta',
  points: { rounding: 'floor', pendingDays: 14, pendingFrom: 'delivery', expiry: { months: 12 }, redemption: { pointValue: '1', minPoints: 1, maxShareOfOrder: '1' } },
  earning: [{ id: 'base', name: '1 point per Rp1.000', scope: 'line', award: { pointsPer: { amount: '1000', points: 1 } } }],
  moments: { followUp: { daysAfterDelivery: 7 } },
  returns: { windowDays: 30, from: 'delivery' },
};
const compiled = compileProgram(parseProgram(program), { version: 1 });
const byPurchase = compileProgram(parseProgram({ ...program, points: { ...program.points, pendingFrom: 'purchase' }, returns: { windowDays: 30, from: 'purchase' } }), { version: 1 });
const PLACED = '2026-02-01T03:00:00.000Z'; // 1 Feb 10:00 Jakarta
const DELIVERED = '2026-02-06T03:00:00.000Z'; // 6 Feb 10:00 Jakarta

/** Ayu's order of Rp1.200.000 (1200 points) recorded on `state`, and its order record. */
function ordered(c = compiled, state: AccountState = emptyAccountState()): { state: AccountState; order: RecordedOrder } {
  const input = { id: 'o-1', customerId: 'ayu', currency: 'IDR', placedAt: PLACED, lines: [{ sku: 'TV', category: 'tv', quantity: 2, unitPrice: '600000' }] };
  const decision = decideOrder(c, state, { customer: { id: 'ayu' }, order: input });
  const applied = applyActions(state, decision.actions, { at: PLACED, id: 'order:o-1' });
  const order: RecordedOrder = {
    orderId: 'o-1', customerId: 'ayu', placedAt: PLACED, order: input, programId: 'care', programVersion: 1, snapshot: decision.quote.snapshot,
    awarded: decision.awarded, lotId: applied.lots.order ?? '', availableAt: decision.availableAt, tierSpend: decision.quote.tierSpend, returns: [], deliveries: [],
  };
  return { state: applied.state, order };
}

describe('decideDelivery', () => {
  const cases: Array<{ why: string; c: typeof compiled; deliveries: RecordedDelivery[]; expected: { followUpAt: string | null; schedule?: { availableAt: string; expiresAt: string } } }> = [
    {
      why: 'the first delivery: follow-up 7 local days later; the 14 pending days start now, and 12 months of life after them',
      c: compiled,
      deliveries: [],
      expected: { followUpAt: '2026-02-13T03:00:00.000Z', schedule: { availableAt: '2026-02-20T03:00:00.000Z', expiresAt: '2027-02-20T03:00:00.000Z' } },
    },
    {
      why: 'a second delivery only has its follow-up: the points have their date already',
      c: compiled,
      deliveries: [{ deliveryId: 'd-0', at: '2026-02-03T03:00:00.000Z', followUpAt: null }],
      expected: { followUpAt: '2026-02-13T03:00:00.000Z' },
    },
    {
      why: 'points pending from purchase are not moved by a delivery',
      c: byPurchase,
      deliveries: [],
      expected: { followUpAt: '2026-02-13T03:00:00.000Z' },
    },
  ];
  for (const { why, c, deliveries, expected } of cases) {
    it(why, () => {
      const { order } = ordered(c);
      const decision = decideDelivery({ current: c, order: c }, { ...order, deliveries }, { deliveryId: 'd-1', at: DELIVERED });
      expect(decision).to.deep.equal({ accepted: true, record: { deliveryId: 'd-1', at: DELIVERED, ...expected } });
    });
  }

  it('without moments.followUp there is no follow-up; a cancelled order is refused', () => {
    const { moments: _moments, ...withoutMoments } = program;
    const quiet = compileProgram(parseProgram(withoutMoments), { version: 1 });
    const { order } = ordered(quiet);
    const decision = decideDelivery({ current: quiet, order: quiet }, order, { deliveryId: 'd-1', at: DELIVERED });
    expect(decision.accepted && decision.record.followUpAt).to.equal(null);
    const refused = decideDelivery({ current: quiet, order: quiet }, { ...order, cancellation: { cancellationId: 'c-1', at: DELIVERED, reason: 'x' } }, { deliveryId: 'd-1', at: DELIVERED });
    expect(refused.accepted ? undefined : refused.reason.code).to.equal('order-cancelled');
  });

  it('moves the pending lot, writes order.delivered, and emits follow-up.due exactly once', () => {
    const { state, order } = ordered();
    expect(state.points.lots[0]).to.include({ availableAt: NEVER, expiresAt: NEVER, remaining: 1200 });
    const decision = decideDelivery({ current: compiled, order: compiled }, order, { deliveryId: 'd-1', at: DELIVERED });
    if (!decision.accepted) throw new Error('refused');
    const applied = applyActions(state, deliveryActions(state, order, decision.record), { at: DELIVERED, id: 'delivery:d-1' });
    expect(applied.entries.map((e) => [e.type, e.points, e.schedule])).to.deep.equal([['schedule', 0, { lotId: 'order:o-1#0', availableAt: '2026-02-20T03:00:00.000Z', expiresAt: '2027-02-20T03:00:00.000Z' }]]);
    expect(applied.moments.map((m) => m.type)).to.deep.equal(['order.delivered']);
    expect(viewPoints(applied.state.points, '2026-02-20T03:00:00.000Z')).to.include({ available: 1200, pending: 0 });
    // The due index finds the follow-up first (13 Feb), a run emits it, and the next run does not again.
    expect(nextMomentDue(compiled, applied.state, undefined, DELIVERED)).to.equal('2026-02-13T03:00:00.000Z');
    const run = decideDueMoments(compiled, applied.state, '2026-02-14T00:00:00.000Z');
    expect(run.filter((a) => a.type === 'moment').map((a) => a.type === 'moment' && [a.moment, a.occurredAt, a.key])).to.deep.equal([['follow-up.due', '2026-02-13T03:00:00.000Z', 'follow-up.due:o-1:d-1']]);
    const after = applyActions(applied.state, run, { at: '2026-02-14T00:00:00.000Z', id: 'moments:1' }).state;
    expect(after.followUps).to.equal(undefined);
    expect(decideDueMoments(compiled, after, '2026-02-15T00:00:00.000Z').filter((a) => a.type === 'moment')).to.deep.equal([]);
    // points.available follows the lot to its new date.
    const later = decideDueMoments(compiled, after, '2026-02-21T00:00:00.000Z').filter((a) => a.type === 'moment');
    expect(later.map((a) => a.type === 'moment' && [a.moment, a.occurredAt])).to.deep.equal([['points.available', '2026-02-20T03:00:00.000Z']]);
  });
});

describe('checkReturnWindow', () => {
  const delivered: RecordedDelivery[] = [{ deliveryId: 'd-1', at: DELIVERED, followUpAt: null }];
  const cases: Array<{ why: string; c: typeof compiled; deliveries: RecordedDelivery[]; at: string; refused: boolean }> = [
    { why: '30 days after the delivery is the last instant of the window', c: compiled, deliveries: delivered, at: '2026-03-08T03:00:00.000Z', refused: false },
    { why: 'a second later it has ended', c: compiled, deliveries: delivered, at: '2026-03-08T03:00:01.000Z', refused: true },
    { why: 'counted from delivery, an order never delivered counts from its purchase', c: compiled, deliveries: [], at: '2026-03-03T03:00:01.000Z', refused: true },
    { why: 'counted from purchase, the delivery does not matter', c: byPurchase, deliveries: delivered, at: '2026-03-04T00:00:00.000Z', refused: true },
  ];
  for (const { why, c, deliveries, at, refused } of cases) {
    it(why, () => {
      const reasons = checkReturnWindow(c, { placedAt: PLACED, deliveries }, at);
      expect(reasons.map((r) => r.code)).to.deep.equal(refused ? ['return-window-ended'] : []);
    });
  }
  it('a program without a returns section has no window', () => {
    const { returns: _returns, ...withoutReturns } = program;
    const open = compileProgram(parseProgram(withoutReturns), { version: 1 });
    expect(checkReturnWindow(open, { placedAt: PLACED }, '2030-01-01T00:00:00.000Z')).to.deep.equal([]);
  });
});

describe('decideOrderCancellation', () => {
  it('is a full return of what is left: the same clawback, with the order.cancelled moment and no return.recorded', () => {
    const { state, order } = ordered();
    const decision = decideOrderCancellation(compiled, order, { cancellationId: 'c-1', at: DELIVERED, reason: 'out-of-stock' });
    if (!decision.accepted) throw new Error('refused');
    expect(decision.record.return).to.include({ returnId: 'cancellation:c-1', clawedBack: 1200, fullyReturned: true });
    expect(decision.record.return?.lines).to.deep.equal([{ sku: 'TV', quantity: 2 }]);
    const applied = applyActions(state, cancellationActions(order, decision.record, []), { at: DELIVERED, id: 'cancellation:c-1' });
    expect(applied.entries.map((e) => [e.type, e.points, e.reason])).to.deep.equal([['return', -1200, 'order-cancelled']]);
    expect(applied.moments.map((m) => m.type)).to.deep.equal(['order.cancelled']);
    expect(viewPoints(applied.state.points, DELIVERED).balance).to.equal(0);
  });

  it('takes back only what earlier returns left', () => {
    const { order } = ordered();
    const returned = { ...order, returns: [{ returnId: 'r-1', at: DELIVERED, lines: [{ sku: 'TV', quantity: 1 }], clawedBack: 600, tierSpendDelta: '-600000', usage: [], campaignUsage: [], ruleIds: [], reverseReferral: false }] };
    const decision = decideOrderCancellation(compiled, returned, { cancellationId: 'c-1', at: DELIVERED, reason: 'x' });
    expect(decision.accepted && decision.record.return?.clawedBack).to.equal(600);
  });

  it('is refused once the order was delivered, and once it was cancelled', () => {
    const { order } = ordered();
    const delivered = decideOrderCancellation(compiled, { ...order, deliveries: [{ deliveryId: 'd-1', at: DELIVERED, followUpAt: null }] }, { cancellationId: 'c-1', at: DELIVERED, reason: 'x' });
    expect(delivered.accepted ? undefined : delivered.reason.code).to.equal('order-delivered');
    const cancelled = decideOrderCancellation(compiled, { ...order, cancellation: { cancellationId: 'c-0', at: DELIVERED, reason: 'x' } }, { cancellationId: 'c-1', at: DELIVERED, reason: 'x' });
    expect(cancelled.accepted ? undefined : cancelled.reason.code).to.equal('order-cancelled');
  });
});

describe('decideRedemptionCancellation', () => {
  const plain = compileProgram(parseProgram({ ...program, timezone: 'UTC', points: { ...program.points, pendingDays: 0, pendingFrom: 'purchase' } }), { version: 1 });
  /** Two lots: 100 points expiring 10 Jan 2027, 400 expiring 1 Jun 2027; 300 redeemed on 1 Jul 2026. */
  function redeemed(): { state: AccountState; record: NonNullable<ReturnType<typeof decideRedemption>['record']> } {
    let state = emptyAccountState();
    const award = (id: string, points: number, at: string, expiresAt: string) => {
      state = applyActions(state, [{ type: 'award', entry: { type: 'adjustment', ruleIds: [] }, source: 'adjustment', points, availableAt: at, expiresAt }], { at, id }).state;
    };
    award('a', 100, '2026-01-10T00:00:00.000Z', '2027-01-10T00:00:00.000Z');
    award('b', 400, '2026-06-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z');
    const at = '2026-07-01T00:00:00.000Z';
    const outcome = decideRedemption(plain, state, { redemptionId: 'rd-1', orderId: 'o-9', orderTotal: '300', points: 300 }, { at });
    if (!outcome.record) throw new Error('refused');
    state = applyActions(state, outcome.actions, { at, id: 'redemption:rd-1' }).state;
    return { state, record: outcome.record };
  }

  it('records which lots a redemption took from, soonest-expiring first, each lot as it was created', () => {
    const { record } = redeemed();
    expect(record.debits.map((d) => [d.lot.id, d.points, d.lot.expiresAt])).to.deep.equal([
      ['a#0', 100, '2027-01-10T00:00:00.000Z'],
      ['b#0', 200, '2027-06-01T00:00:00.000Z'],
    ]);
  });

  const cases = [
    { why: 'before any lot expired, every point goes back into its own lot', at: '2026-12-01T00:00:00.000Z', restored: 300, expired: 0, available: 500, lots: [['a#0', 100], ['b#0', 400]] },
    { why: 'after lot a expired, its 100 points come back expired at once; lot b gets its 200', at: '2027-02-01T00:00:00.000Z', restored: 200, expired: 100, available: 400, lots: [['b#0', 400]] },
  ];
  for (const { why, at, restored, expired, available, lots } of cases) {
    it(why, () => {
      const { state, record } = redeemed();
      const undo = decideRedemptionCancellation(plain, record, { at, reason: 'payment-failed' });
      expect([undo.restored, undo.expired]).to.deep.equal([restored, expired]);
      const applied = applyActions(state, undo.actions, { at, id: 'redemption-cancellation:rd-1' });
      const view = viewPoints(applied.state.points, at);
      expect(view).to.include({ available, redeemed: 0, expired });
      // A lot emptied by the redemption comes back (at the end of the list), with its own id and expiry.
      expect(applied.state.points.lots.filter((l) => l.expiresAt > at).map((l) => [l.id, l.remaining]).sort()).to.deep.equal(lots);
      expect(applied.moments.map((m) => [m.type, m.data.restored, m.data.expired])).to.deep.equal([['redemption.cancelled', restored, expired]]);
    });
  }
});
