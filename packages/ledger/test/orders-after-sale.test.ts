/**
 * Orders after checkout on every store: deliveries (order.delivered, follow-up.due once, points pending from
 * delivery), cancellations before delivery (a full return's clawback, redemptions released), redemption
 * cancellations (points back into their own lots, expired ones expired) and the return window (refused, then taken
 * with an override). Every number is worked by hand from a program of 1 point per Rp1.
 */
import { expect } from 'chai';
import { Conflict, IdempotencyMismatch, ReturnRefused } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { errorOf } from './support/error-of.js';
import { simpleProgram, tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 'shop';
/** Jakarta (UTC+7, no daylight saving): 10:00 local is 03:00Z. */
const aftercare = {
  ...simpleProgram,
  id: 'aftercare',
  timezone: 'Asia/Jakarta',
  points: { ...simpleProgram.points, pendingDays: 14, pendingFrom: 'delivery' },
  moments: { followUp: { daysAfterDelivery: 7 } },
  returns: { windowDays: 30, from: 'delivery' },
};
const line = (sku: string, unitPrice: string, quantity = 1) => ({ sku, category: 'misc', quantity, unitPrice });

forEachStore('orders after the sale', (open) => {
  let ledger: Ledger;
  afterEach(async () => {
    await ledger.close();
  });
  const start = async (program: object): Promise<void> => {
    ledger = new Ledger(await open());
    await ledger.publishProgram(T, program);
  };
  const moments = async (customerId: string, type: string) => (await ledger.listMoments(T, { customerId, type, limit: 500 })).items;

  it('a delivery starts the pending days, and its follow-up is emitted once, 7 local days later', async () => {
    await start(aftercare);
    const order = await ledger.recordOrder(T, { id: 'o-1', customerId: 'ayu', currency: 'IDR', lines: [line('TV', '1000')] }, { at: '2026-02-01T10:00:00+07:00' });
    // Pending until delivered: no date yet.
    expect(order.availableAt).to.equal('9999-12-31T23:59:59.999Z');
    expect((await ledger.getCustomer(T, 'ayu', { at: '2026-06-01T00:00:00Z' })).points).to.include({ available: 0, pending: 1000 });
    const [awarded] = await moments('ayu', 'points.awarded');
    expect(awarded?.data).to.include({ points: 1000, availableAt: null });

    const delivered = await ledger.deliverOrder(T, 'o-1', { id: 'd-1' }, { at: '2026-02-06T10:00:00+07:00' });
    // 6 Feb 10:00 + 7 days = 13 Feb 10:00 Jakarta; + 14 days = 20 Feb 10:00; expiry 12 months after that.
    expect(delivered).to.deep.equal({ deliveryId: 'd-1', orderId: 'o-1', followUpAt: '2026-02-13T03:00:00.000Z', pointsAvailableAt: '2026-02-20T03:00:00.000Z', replayed: false });
    expect((await ledger.getCustomer(T, 'ayu', { at: '2026-02-20T02:59:59Z' })).points).to.include({ available: 0, pending: 1000 });
    const then = await ledger.getCustomer(T, 'ayu', { at: '2026-02-20T03:00:00Z' });
    expect(then.points).to.include({ available: 1000, pending: 0 });
    expect(then.expiring).to.deep.equal([{ points: 1000, at: '2027-02-20T03:00:00.000Z' }]);
    const [moment] = await moments('ayu', 'order.delivered');
    expect(moment?.data).to.include({ orderId: 'o-1', deliveryId: 'd-1', deliveredAt: '2026-02-06T03:00:00.000Z', followUpAt: '2026-02-13T03:00:00.000Z', pointsAvailableAt: '2026-02-20T03:00:00.000Z', points: 1000 });

    // The same delivery again answers the first answer; a second delivery does not move the points again.
    expect((await ledger.deliverOrder(T, 'o-1', { id: 'd-1' }, { at: '2026-02-07T10:00:00+07:00' })).replayed).to.equal(true);
    const second = await ledger.deliverOrder(T, 'o-1', { id: 'd-2' }, { at: '2026-02-08T10:00:00+07:00' });
    expect(second).to.deep.equal({ deliveryId: 'd-2', orderId: 'o-1', followUpAt: '2026-02-15T03:00:00.000Z', replayed: false });

    await ledger.runMomentsJob(T, { at: '2026-02-13T02:59:00Z' });
    expect(await moments('ayu', 'follow-up.due')).to.deep.equal([]);
    await ledger.runMomentsJob(T, { at: '2026-02-16T00:00:00Z' });
    await ledger.runMomentsJob(T, { at: '2026-02-17T00:00:00Z' });
    const due = await moments('ayu', 'follow-up.due');
    expect(due.map((m) => [m.occurredAt, m.data.deliveryId])).to.deep.equal([
      ['2026-02-13T03:00:00.000Z', 'd-1'],
      ['2026-02-15T03:00:00.000Z', 'd-2'],
    ]);
    // points.available follows the lot to its new date.
    await ledger.runMomentsJob(T, { at: '2026-02-21T00:00:00Z' });
    expect((await moments('ayu', 'points.available')).map((m) => m.occurredAt)).to.deep.equal(['2026-02-20T03:00:00.000Z']);
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('cancels an order before delivery: a full return of it, and its redemption released', async () => {
    await start(simpleProgram);
    await ledger.recordOrder(T, { id: 'o-1', customerId: 'ayu', currency: 'IDR', lines: [line('A', '1000')] }, { at: '2026-01-05T00:00:00Z' });
    await ledger.recordOrder(T, { id: 'o-2', customerId: 'ayu', currency: 'IDR', lines: [line('B', '250', 2)] }, { at: '2026-02-01T00:00:00Z' });
    // 300 points off o-2, from o-1's lot (it expires first: 5 Jan 2027 before 1 Feb 2027).
    await ledger.redeem(T, { id: 'rd-1', customerId: 'ayu', orderId: 'o-2', orderTotal: '500', points: 300 }, { at: '2026-02-01T01:00:00Z' });
    expect((await ledger.getCustomer(T, 'ayu', { at: '2026-02-01T02:00:00Z' })).points).to.include({ available: 1200, redeemed: 300 });

    const cancelled = await ledger.cancelOrder(T, 'o-2', { id: 'c-1', reason: 'out-of-stock' }, { at: '2026-02-02T00:00:00Z' });
    // o-2 earned 2 x 250 = 500, all taken back; the 300 redeemed come back: 1000 + 500 - 300 - 500 + 300 = 1000.
    expect(cancelled).to.deep.equal({ cancellationId: 'c-1', orderId: 'o-2', clawedBack: 500, redemptionsReleased: [{ redemptionId: 'rd-1', restored: 300, expired: 0 }], balance: 1000, replayed: false });
    const view = await ledger.getCustomer(T, 'ayu', { at: '2026-02-03T00:00:00Z' });
    expect(view.points).to.include({ available: 1000, redeemed: 0, balance: 1000 });
    // Back in o-1's lot, with its expiry.
    expect(view.expiring).to.deep.equal([{ points: 1000, at: '2027-01-05T00:00:00.000Z' }]);
    const [moment] = await moments('ayu', 'order.cancelled');
    expect(moment?.data).to.deep.include({ orderId: 'o-2', cancellationId: 'c-1', reason: 'out-of-stock', clawedBack: 500, redemptionsReleased: [{ redemptionId: 'rd-1', restored: 300, expired: 0 }] });
    expect((await moments('ayu', 'redemption.cancelled'))[0]?.data).to.include({ redemptionId: 'rd-1', orderId: 'o-2', restored: 300, expired: 0, cancellationId: 'c-1' });
    expect(await moments('ayu', 'return.recorded')).to.deep.equal([]);

    // Replays; other content under the same id; the redemption's own cancellation answers the release.
    expect((await ledger.cancelOrder(T, 'o-2', { id: 'c-1', reason: 'out-of-stock' }, { at: '2026-02-05T00:00:00Z' })).replayed).to.equal(true);
    await rejection(ledger.cancelOrder(T, 'o-2', { id: 'c-1', reason: 'customer asked' }), IdempotencyMismatch);
    expect(await ledger.cancelRedemption(T, 'rd-1', { reason: 'payment-failed' }, { at: '2026-02-05T00:00:00Z' })).to.deep.include({ redemptionId: 'rd-1', restored: 300, expired: 0, cancellationId: 'c-1', balance: 1000, replayed: true });
    expect((await ledger.getCustomer(T, 'ayu', { at: '2026-02-06T00:00:00Z' })).points.balance).to.equal(1000);
    // A cancelled order is neither delivered nor cancelled again; a delivered one is returned, not cancelled.
    await rejection(ledger.deliverOrder(T, 'o-2', { id: 'd-2' }), Conflict);
    await rejection(ledger.cancelOrder(T, 'o-2', { id: 'c-2', reason: 'again' }), Conflict);
    await ledger.deliverOrder(T, 'o-1', { id: 'd-1' }, { at: '2026-01-07T00:00:00Z' });
    const refused = await rejection(ledger.cancelOrder(T, 'o-1', { id: 'c-3', reason: 'late' }, { at: '2026-01-08T00:00:00Z' }), Conflict);
    expect(refused.message).to.match(/delivered .* record a return/);
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it("a cancellation takes the order's warranty contracts with it, as its full return would", async () => {
    await start(tokoProgram as object);
    const bought = '2026-12-10T10:00:00+07:00';
    await ledger.recordOrder(T, { id: 'o-tv', customerId: 'ayu', placedAt: bought, currency: 'IDR', lines: [{ sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '8000000' }] }, { at: bought });
    const tv = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } };
    await ledger.warrantyContracts.register(T, { id: 'wc-1', customerId: 'ayu', planId: 'care-2y', product: tv, orderId: 'o-tv' }, { at: '2026-12-10T11:00:00+07:00' });
    const cancelled = await ledger.cancelOrder(T, 'o-tv', { id: 'c-tv', reason: 'out-of-stock' }, { at: '2026-12-11T10:00:00+07:00' });
    // Toko Rewards: Rp8.000.000 at 1 point per Rp10.000, doubled on TVs in December = 1600, plus the big-basket 200
    // (an order of Rp5.000.000 or more), at bronze's x1: 1800, all taken back. care-2y is 8% of Rp8.000.000 =
    // Rp640.000 (silver after the order: no perks), refunded whole: none of its cover was used.
    expect(cancelled).to.include({ clawedBack: 1800 });
    expect(cancelled.warrantyContractsCancelled).to.deep.equal([{ contractId: 'wc-1', sku: 'TV-55', refundPolicy: 'pro-rata', refund: '640000', currency: 'IDR' }]);
    expect((await ledger.warrantyContracts.get(T, 'wc-1', { at: '2026-12-12T00:00:00Z' })).status).to.equal('cancelled');
  });

  it('a cancelled redemption puts points back into their lots; those of an expired lot come back expired', async () => {
    await start(simpleProgram);
    await ledger.recordOrder(T, { id: 'o-1', customerId: 'budi', currency: 'IDR', lines: [line('A', '100')] }, { at: '2025-01-10T00:00:00Z' });
    await ledger.recordOrder(T, { id: 'o-2', customerId: 'budi', currency: 'IDR', lines: [line('B', '400')] }, { at: '2025-06-01T00:00:00Z' });
    // Soonest-expiring first: 100 from o-1 (expires 10 Jan 2026), 200 from o-2 (expires 1 Jun 2026).
    await ledger.redeem(T, { id: 'rd-1', customerId: 'budi', orderId: 'o-9', orderTotal: '300', points: 300 }, { at: '2025-07-01T00:00:00Z' });
    await ledger.runExpirySweep(T, { at: '2026-01-15T00:00:00Z' });
    const undo = await ledger.cancelRedemption(T, 'rd-1', { reason: 'payment-failed' }, { at: '2026-02-01T00:00:00Z' });
    // 200 back into o-2's lot (400 again); 100 back into o-1's lot, expired since 10 Jan: expired at once.
    expect(undo).to.deep.equal({ redemptionId: 'rd-1', orderId: 'o-9', restored: 200, expired: 100, balance: 400, replayed: false });
    const view = await ledger.getCustomer(T, 'budi', { at: '2026-02-01T00:00:00Z' });
    expect(view.points).to.include({ available: 400, expired: 100, redeemed: 0, balance: 400 });
    expect(view.expiring).to.deep.equal([{ points: 400, at: '2026-06-01T00:00:00.000Z' }]);
    expect((await moments('budi', 'redemption.cancelled'))[0]?.data).to.include({ redemptionId: 'rd-1', reason: 'payment-failed', points: 300, restored: 200, expired: 100 });
    expect(await ledger.cancelRedemption(T, 'rd-1', { reason: 'payment-failed' }, { at: '2026-03-01T00:00:00Z' })).to.deep.include({ restored: 200, expired: 100, replayed: true });
    await rejection(ledger.cancelRedemption(T, 'rd-1', { reason: 'other' }), IdempotencyMismatch);
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('refuses a return after its window with return-window-ended, and takes it with an override', async () => {
    await start(aftercare);
    await ledger.recordOrder(T, { id: 'o-1', customerId: 'cici', currency: 'IDR', lines: [line('A', '1000')] }, { at: '2026-02-01T10:00:00+07:00' });
    await ledger.recordOrder(T, { id: 'o-2', customerId: 'cici', currency: 'IDR', lines: [line('B', '500')] }, { at: '2026-02-01T10:00:00+07:00' });
    await ledger.deliverOrder(T, 'o-1', { id: 'd-1' }, { at: '2026-02-06T10:00:00+07:00' });
    // o-1: 30 days after its delivery, 8 Mar 10:00 Jakarta; o-2 (never delivered): 30 days after purchase, 3 Mar.
    expect((await ledger.returnOrder(T, 'o-1', { id: 'r-0', lines: [{ sku: 'A', quantity: 1 }] }, { at: '2026-03-08T10:00:00+07:00' })).clawedBack).to.equal(1000);
    await ledger.recordOrder(T, { id: 'o-3', customerId: 'cici', currency: 'IDR', lines: [line('C', '700')] }, { at: '2026-02-01T10:00:00+07:00' });
    await ledger.deliverOrder(T, 'o-3', { id: 'd-3' }, { at: '2026-02-06T10:00:00+07:00' });
    const late = await rejection(ledger.returnOrder(T, 'o-3', { id: 'r-1', lines: [{ sku: 'C', quantity: 1 }] }, { at: '2026-03-08T10:00:01+07:00' }), ReturnRefused);
    expect(late.reasons.map((r) => r.code)).to.deep.equal(['return-window-ended']);
    const purchase = await rejection(ledger.returnOrder(T, 'o-2', { id: 'r-2', lines: [{ sku: 'B', quantity: 1 }] }, { at: '2026-03-03T10:00:01+07:00' }), ReturnRefused);
    expect(purchase.reasons[0]?.message).to.include('2026-03-03T03:00:00.000Z');
    // The same return id, now with an admin's override: taken, and the reason recorded.
    const taken = await ledger.returnOrder(T, 'o-3', { id: 'r-1', lines: [{ sku: 'C', quantity: 1 }], override: { reason: 'courier lost the parcel' } }, { at: '2026-03-09T10:00:00+07:00' });
    expect(taken).to.include({ returnId: 'r-1', clawedBack: 700, replayed: false });
    const recorded = (await moments('cici', 'return.recorded')).map((m) => m.data);
    expect(recorded[1]).to.deep.include({ returnId: 'r-1', override: { reason: 'courier lost the parcel' } });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });
});

/** What `promise` rejected with, checked to be a `type`. */
async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  const error = await errorOf(promise);
  expect(error).to.be.instanceOf(type);
  return error as E;
}
