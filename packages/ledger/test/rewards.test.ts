/**
 * Rewards and vouchers through the ledger, on every store: the catalog with every reason, a redemption that debits
 * the soonest-expiring lots and issues a voucher, the per-customer limit of the period, tiers, stock taken by
 * concurrent redemptions without oversell, a voucher used exactly once (also under concurrency), released by its
 * order's cancellation, and expired by the moments run (points back only for a reward that says so). The program is
 * the toko example (IDR, Asia/Jakarta) with a catalog like the after-sales example's.
 */
import { expect } from 'chai';
import { GoodwillRefused, RewardRefused, VoucherRefused } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { rewardStockKey } from '../src/ledger/rewards.js';
import { FaultyStore } from '../src/store/faulty-store.js';
import type { Store } from '../src/store/store.js';
import { crashBeforeEachWrite } from './support/crash-steps.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 'shop';
/** 10 December 2026, 10:00 in Jakarta (03:00 UTC). */
const AT = '2026-12-10T10:00:00+07:00';
const CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;

function program(stock = 100): unknown {
  return {
    ...(tokoProgram as Record<string, unknown>),
    goodwill: { reasons: [{ id: 'defect', name: 'Defective product', maxPoints: 2000 }], budget: { points: 1000, period: { months: 1 } } },
    rewards: [
      { id: 'voucher-50k', name: 'Rp50.000 voucher', cost: 500, kind: 'voucher', value: '50000', voucherDays: 30, limit: { perCustomer: { count: 2, period: { months: 1 } } } },
      { id: 'free-shipping', name: 'Free shipping on one order', cost: 150, kind: 'free-shipping', voucherDays: 14, refundOnExpiry: true },
      { id: 'powerbank', name: 'Power bank', cost: 2000, kind: 'gift', sku: 'PB-10K', stock: 100, tiers: ['gold'] },
      { id: 'tote', name: 'Tote bag', cost: 100, kind: 'gift', sku: 'TOTE', stock },
      { id: 'new-year', name: 'New year 10%', cost: 300, kind: 'voucher', percent: '10', valid: { from: '2027-01-01T00:00:00+07:00' } },
    ],
  };
}

async function refused<E extends Error>(kind: new (...args: never[]) => E, promise: Promise<unknown>): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error(`expected a ${kind.name}`);
}

forEachStore('Rewards and vouchers', (open, kind) => {
  let store: Store;
  let ledger: Ledger;
  beforeEach(async () => {
    store = await open();
    ledger = new Ledger(store);
  });
  afterEach(async () => {
    await store.close();
  });

  /** Customers enrolled on 1 January with `points` available at once (an adjustment: a lot expiring in 12 months). */
  async function customers(points: number, ...ids: string[]): Promise<void> {
    for (const id of ids) {
      await ledger.upsertCustomer(T, { id, enrolledAt: '2026-01-01T00:00:00+07:00' }, { at: '2026-01-01T00:00:00+07:00' });
      if (points > 0) await ledger.adjust(T, { id: `seed-${id}`, customerId: id, points, reason: 'seed', actor: 'test' }, { at: '2026-12-01T10:00:00+07:00' });
    }
  }

  it('answers the catalog with every reason, for anyone and for a customer', async () => {
    await ledger.publishProgram(T, program());
    await customers(400, 'ayu');
    const anyone = await ledger.rewardCatalog(T, {}, { at: AT });
    expect(anyone.items.map((r) => [r.rewardId, r.available, r.reasons.map((x) => x.code)])).to.deep.equal([
      ['voucher-50k', true, []],
      ['free-shipping', true, []],
      ['powerbank', true, []],
      ['tote', true, []],
      ['new-year', false, ['not-yet-valid']],
    ]);
    expect(anyone.items[3]).to.include({ stockLeft: 100, voucherDays: 30 });
    const ayu = await ledger.rewardCatalog(T, { customerId: 'ayu' }, { at: AT });
    // 400 points: the Rp50.000 voucher (500) and the power bank (2000, gold only; ayu is bronze) are out of reach.
    expect(ayu.items.map((r) => [r.rewardId, r.available, r.reasons.map((x) => x.code)])).to.deep.equal([
      ['voucher-50k', false, ['insufficient-points']],
      ['free-shipping', true, []],
      ['powerbank', false, ['tier-not-allowed', 'insufficient-points']],
      ['tote', true, []],
      ['new-year', false, ['not-yet-valid']],
    ]);
  });

  it('redeems a reward for its points, issues a voucher, replays by id, and counts the limit of the month', async () => {
    await ledger.publishProgram(T, program());
    await customers(2000, 'ayu');
    const request = { id: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu' };
    const first = await ledger.redeemReward(T, request, { at: AT });
    // 2000 - 500 = 1500; the voucher lasts 30 days: 9 January 2027, 10:00 in Jakarta.
    expect(first).to.deep.include({ redemptionId: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu', points: 500, balance: 1500, replayed: false });
    expect(first.voucher).to.deep.include({ kind: 'voucher', value: '50000', expiresAt: '2027-01-09T03:00:00.000Z' });
    expect(first.voucher.code).to.match(CODE);
    expect(await ledger.redeemReward(T, request, { at: AT })).to.deep.equal({ ...first, replayed: true });
    expect((await ledger.getCustomer(T, 'ayu', { at: AT })).points).to.include({ available: 1500, redeemed: 500 });
    const second = await ledger.redeemReward(T, { id: 'rr-2', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: AT });
    expect(second.voucher.code).to.not.equal(first.voucher.code);
    const third = await refused(RewardRefused, ledger.redeemReward(T, { id: 'rr-3', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: AT }));
    expect(third.reasons.map((r) => r.code)).to.deep.equal(['limit-reached']);
    // A new month in Jakarta (1 January 2027 00:00 +07:00) starts a new count.
    const january = await ledger.redeemReward(T, { id: 'rr-4', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: '2027-01-01T00:00:00+07:00' });
    expect(january.balance).to.equal(2000 - 1500);
    const unknown = await refused(RewardRefused, ledger.redeemReward(T, { id: 'rr-5', rewardId: 'yacht', customerId: 'ayu' }, { at: AT }));
    expect(unknown.reasons.map((r) => r.code)).to.deep.equal(['unknown-reward']);
    const moments = (await ledger.listMoments(T, { customerId: 'ayu', type: 'reward.redeemed', limit: 50 })).items;
    expect(moments.map((m) => m.data.redemptionId)).to.deep.equal(['rr-1', 'rr-2', 'rr-4']);
    expect(moments[0]?.data).to.deep.include({ rewardId: 'voucher-50k', rewardName: 'Rp50.000 voucher', points: 500 });
    expect((moments[0]?.data as { voucher: { code: string } }).voucher.code).to.equal(first.voucher.code);
    const { items } = await ledger.listTransactions(T, 'ayu', { at: AT });
    expect(items.filter((e) => e.type === 'redeem').map((e) => e.points)).to.deep.equal([-500, -500]);
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('uses a voucher once, for its customer only; the same order again is a replay', async () => {
    await ledger.publishProgram(T, program());
    await customers(1000, 'ayu', 'budi');
    const { voucher } = await ledger.redeemReward(T, { id: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: AT });
    const typed = voucher.code.toLowerCase().replace(/-/g, ' ');
    const used = await ledger.useVoucher(T, typed, { orderId: 'o-1', customerId: 'ayu' }, { at: AT });
    expect(used).to.deep.equal({ code: voucher.code, used: true, orderId: 'o-1', customerId: 'ayu', rewardId: 'voucher-50k', kind: 'voucher', value: '50000', replayed: false });
    expect(await ledger.useVoucher(T, voucher.code, { orderId: 'o-1', customerId: 'ayu' }, { at: AT })).to.deep.equal({ ...used, replayed: true });
    const again = await refused(VoucherRefused, ledger.useVoucher(T, voucher.code, { orderId: 'o-2', customerId: 'ayu' }, { at: AT }));
    expect(again.reasons.map((r) => r.code)).to.deep.equal(['voucher-used']);
    const { voucher: other } = await ledger.redeemReward(T, { id: 'rr-2', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: AT });
    const theirs = await refused(VoucherRefused, ledger.useVoucher(T, other.code, { orderId: 'o-3', customerId: 'budi' }, { at: AT }));
    expect(theirs.reasons.map((r) => r.code)).to.deep.equal(['voucher-other-customer']);
    const unknown = await refused(VoucherRefused, ledger.useVoucher(T, 'ABCD-EFGH-JKLM-NPQR', { orderId: 'o-3', customerId: 'ayu' }, { at: AT }));
    expect(unknown.reasons.map((r) => r.code)).to.deep.equal(['voucher-unknown']);
    // Past its 30 days it is expired.
    const late = await refused(VoucherRefused, ledger.useVoucher(T, other.code, { orderId: 'o-4', customerId: 'ayu' }, { at: '2027-01-09T10:00:00+07:00' }));
    expect(late.reasons.map((r) => r.code)).to.deep.equal(['voucher-expired']);
    const list = await ledger.customerVouchers(T, 'ayu', { at: AT });
    expect(list.items.map((v) => [v.code, v.status, v.usedOn?.orderId])).to.deep.equal([
      [other.code, 'available', undefined],
      [voucher.code, 'used', 'o-1'],
    ]);
    const moments = (await ledger.listMoments(T, { customerId: 'ayu', type: 'voucher.used', limit: 50 })).items;
    expect(moments.map((m) => [m.data.code, m.data.orderId])).to.deep.equal([[voucher.code, 'o-1']]);
  });

  it('lets 1 of many concurrent uses of one voucher succeed, and never oversells a stock under concurrent redemptions', async () => {
    const n = kind === 'memory' ? 100 : 30;
    const stock = 10;
    await ledger.publishProgram(T, program(stock));
    const ids = Array.from({ length: kind === 'memory' ? 60 : 24 }, (_, i) => `c-${i}`);
    await customers(1000, 'ayu', ...ids);
    const { voucher } = await ledger.redeemReward(T, { id: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: AT });
    const uses = await Promise.allSettled(Array.from({ length: n }, (_, i) => ledger.useVoucher(T, voucher.code, { orderId: `o-${i}`, customerId: 'ayu' }, { at: AT })));
    expect(uses.filter((u) => u.status === 'fulfilled')).to.have.length(1);
    for (const u of uses) if (u.status === 'rejected') expect((u.reason as VoucherRefused).reasons.map((r) => r.code)).to.deep.equal(['voucher-used']);
    const redemptions = await Promise.allSettled(ids.map((id) => ledger.redeemReward(T, { id: `rr-${id}`, rewardId: 'tote', customerId: id }, { at: AT })));
    expect(redemptions.filter((r) => r.status === 'fulfilled')).to.have.length(stock);
    for (const r of redemptions) if (r.status === 'rejected') expect((r.reason as RewardRefused).reasons.map((x) => x.code)).to.deep.equal(['out-of-stock']);
    expect((await store.get('counters', T, rewardStockKey('tote')))?.doc).to.deep.equal({ period: 'tote', used: stock, reservations: [] });
    expect((await ledger.rewardCatalog(T, {}, { at: AT })).items.find((r) => r.rewardId === 'tote')).to.include({ stockLeft: 0, available: false });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it("makes a voucher usable again when its order is cancelled while it is still valid", async () => {
    await ledger.publishProgram(T, program());
    await customers(1000, 'ayu');
    const { voucher } = await ledger.redeemReward(T, { id: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: AT });
    await ledger.recordOrder(T, { id: 'o-9', customerId: 'ayu', placedAt: AT, currency: 'IDR', lines: [{ sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '1000000' }] }, { at: AT });
    await ledger.useVoucher(T, voucher.code, { orderId: 'o-9', customerId: 'ayu' }, { at: AT });
    const cancelled = await ledger.cancelOrder(T, 'o-9', { id: 'c-1', reason: 'out-of-stock' }, { at: '2026-12-11T10:00:00+07:00' });
    expect(cancelled.vouchersReleased).to.deep.equal([voucher.code]);
    const moment = (await ledger.listMoments(T, { customerId: 'ayu', type: 'order.cancelled', limit: 5 })).items[0];
    expect(moment?.data.vouchersReleased).to.deep.equal([voucher.code]);
    expect((await ledger.customerVouchers(T, 'ayu', { at: '2026-12-11T10:00:00+07:00' })).items[0]).to.include({ status: 'available' });
    expect(await ledger.useVoucher(T, voucher.code, { orderId: 'o-10', customerId: 'ayu' }, { at: '2026-12-12T10:00:00+07:00' })).to.include({ used: true, orderId: 'o-10' });
  });

  it('expires unused vouchers at the moments run, giving points back only for a reward that says so', async () => {
    await ledger.publishProgram(T, program());
    await customers(1000, 'ayu');
    const kept = await ledger.redeemReward(T, { id: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu' }, { at: AT });
    const back = await ledger.redeemReward(T, { id: 'rr-2', rewardId: 'free-shipping', customerId: 'ayu' }, { at: AT });
    // 1000 - 500 - 150 = 350; free shipping lasts 14 days (24 December), the voucher 30 (9 January).
    expect(back.balance).to.equal(350);
    expect(back.voucher.expiresAt).to.equal('2026-12-24T03:00:00.000Z');
    const run = await ledger.runMomentsJob(T, { at: '2027-01-10T00:00:00+07:00' });
    expect(run.emitted).to.be.greaterThanOrEqual(2);
    const expired = (await ledger.listMoments(T, { customerId: 'ayu', type: 'voucher.expired', limit: 5 })).items;
    expect(expired.map((m) => [m.data.code, m.data.refunded, m.occurredAt])).to.deep.equal([
      [back.voucher.code, 150, '2026-12-24T03:00:00.000Z'],
      [kept.voucher.code, 0, '2027-01-09T03:00:00.000Z'],
    ]);
    // The 150 points are back in the seed lot (it expires on 1 December 2027).
    expect((await ledger.getCustomer(T, 'ayu', { at: '2027-01-10T00:00:00+07:00' })).points).to.include({ available: 500, balance: 500 });
    const list = await ledger.customerVouchers(T, 'ayu', { at: '2027-01-10T00:00:00+07:00' });
    expect(list.items.map((v) => [v.rewardId, v.status, v.refunded])).to.deep.equal([
      ['free-shipping', 'expired', 150],
      ['voucher-50k', 'expired', undefined],
    ]);
    // A second run emits nothing new for them.
    await ledger.runMomentsJob(T, { at: '2027-01-11T00:00:00+07:00' });
    expect((await ledger.listMoments(T, { customerId: 'ayu', type: 'voucher.expired', limit: 5 })).items).to.have.length(2);
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('grants a reward through goodwill without points: its voucher, a unit of its stock, its cost on the budget', async () => {
    await ledger.publishProgram(T, program(1));
    await customers(0, 'ayu', 'budi');
    const granted = await ledger.grantGoodwill(T, { id: 'gw-1', customerId: 'ayu', reason: 'defect', rewardId: 'tote', actor: 'agent-7' }, { at: AT });
    expect(granted).to.deep.include({ goodwillId: 'gw-1', granted: 0, rewardId: 'tote', balance: 0 });
    expect(granted.voucher).to.deep.include({ kind: 'gift', sku: 'TOTE' });
    expect(granted.voucher?.code).to.match(CODE);
    // The tote's stock of 1 is gone; the budget holds its 100 points.
    const second = await refused(GoodwillRefused, ledger.grantGoodwill(T, { id: 'gw-2', customerId: 'budi', reason: 'defect', rewardId: 'tote', actor: 'agent-7' }, { at: AT }));
    expect(second.reasons.map((r) => r.code)).to.deep.equal(['out-of-stock']);
    expect((await store.get<{ used: number }>('counters', T, 'goodwill-budget:2026-12'))?.doc.used).to.equal(100);
    expect((await store.get('counters', T, rewardStockKey('tote')))?.doc).to.deep.equal({ period: 'tote', used: 1, reservations: [] });
    expect(await ledger.useVoucher(T, granted.voucher?.code ?? '', { orderId: 'o-1', customerId: 'ayu' }, { at: AT })).to.include({ used: true, kind: 'gift', sku: 'TOTE' });
    const moment = (await ledger.listMoments(T, { customerId: 'ayu', type: 'goodwill.granted', limit: 5 })).items[0];
    expect(moment?.data).to.deep.include({ points: 0, rewardId: 'tote', reason: 'defect' });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  if (kind === 'memory') {
    it('completes a redemption interrupted before any of its writes: one voucher, one unit of stock, one debit', async () => {
      const faulty = new FaultyStore(store);
      const crashing = new Ledger(faulty);
      await ledger.publishProgram(T, program(100));
      const plain = ledger;
      // The stock's counter exists from the first redemption on: every round then makes the same writes.
      await customers(1000, 'warm');
      await plain.redeemReward(T, { id: 'rr-warm', rewardId: 'tote', customerId: 'warm' }, { at: AT });
      ledger = crashing;
      const steps = await crashBeforeEachWrite(faulty, {
        prepare: async (n) => {
          await customers(1000, `k-${n}`);
        },
        run: (n) => crashing.redeemReward(T, { id: `rr-${n}`, rewardId: 'tote', customerId: `k-${n}` }, { at: AT }),
        check: async (n, answer) => {
          expect(answer.points).to.equal(100);
          const vouchers = await plain.customerVouchers(T, `k-${n}`, { at: AT });
          expect(vouchers.items.map((v) => v.code)).to.deep.equal([answer.voucher.code]);
          expect((await plain.getCustomer(T, `k-${n}`, { at: AT })).points).to.include({ balance: 900 });
          const counter = (await store.get<{ used: number; reservations: unknown[] }>('counters', T, rewardStockKey('tote')))?.doc;
          expect(counter?.reservations).to.deep.equal([]);
          // The warm-up's unit, round 0's, and one per round since.
          expect(counter?.used).to.equal(n + 2);
        },
      });
      ledger = plain;
      expect(steps).to.be.greaterThanOrEqual(4);
    });
  }
});
