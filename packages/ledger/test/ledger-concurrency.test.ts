import { expect } from 'chai';
import { RedemptionRefused } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { FaultyStore } from '../src/store/faulty-store.js';
import type { Store } from '../src/store/store.js';
import { crashBeforeEachWrite } from './support/crash-steps.js';
import { simpleProgram, tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 'shop';
const AT = '2026-03-01T10:00:00+07:00';

forEachStore('Ledger under concurrency and crashes', (open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('200 concurrent redemptions of 60 points against a balance of 100: exactly one succeeds', async function () {
    this.timeout(180_000);
    const ledger = new Ledger(store);
    await ledger.publishProgram(T, simpleProgram);
    await ledger.upsertCustomer(T, { id: 'ayu', enrolledAt: '2026-01-01T00:00:00Z' }, { at: AT });
    await ledger.adjust(T, { id: 'adj-1', customerId: 'ayu', points: 100, reason: 'goodwill', actor: 'agent-7' }, { at: AT });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) => ledger.redeem(T, { id: `rd-${i}`, customerId: 'ayu', orderId: `o-${i}`, orderTotal: '1000', points: 60 }, { at: AT })),
    );
    const accepted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(accepted).to.have.length(1);
    expect(refused).to.have.length(199);
    for (const r of refused) {
      expect(r.reason, String((r.reason as Error).message)).to.be.instanceOf(RedemptionRefused);
      expect((r.reason as RedemptionRefused).reasons.map((x) => x.code)).to.include('insufficient-points');
    }
    const customer = await ledger.getCustomer(T, 'ayu', { at: AT });
    // 100 granted - 60 redeemed once.
    expect(customer.points).to.include({ available: 40, balance: 40, redeemed: 60 });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('100 concurrent copies of the same order: exactly one award', async function () {
    this.timeout(180_000);
    const ledger = new Ledger(store);
    await ledger.publishProgram(T, simpleProgram);
    const order = { id: 'o-1', customerId: 'ayu', placedAt: AT, currency: 'IDR', lines: [{ sku: 'S', quantity: 3, unitPrice: '70' }] };
    const answers = await Promise.all(Array.from({ length: 100 }, () => ledger.recordOrder(T, order, { at: AT })));
    // 3 x 70 IDR at 1 point per IDR.
    for (const a of answers) expect(a.awarded).to.equal(210);
    expect(answers.filter((a) => !a.replayed)).to.have.length(1);
    const customer = await ledger.getCustomer(T, 'ayu', { at: AT });
    expect(customer.points.balance).to.equal(210);
    const { items } = await ledger.listTransactions(T, 'ayu', { at: AT });
    expect(items.map((e) => [e.type, e.points])).to.deep.equal([['earn', 210]]);
  });

  it('an order that qualifies a referral, crashed after each of its write steps and retried, grants each side once', async function () {
    this.timeout(300_000);
    const faulty = new FaultyStore(store);
    const ledger = new Ledger(faulty);
    await ledger.publishProgram(T, tokoProgram);
    const pair = async (n: number): Promise<void> => {
      await ledger.upsertCustomer(T, { id: `ayu-${n}`, enrolledAt: '2026-01-05T09:00:00+07:00', emailHash: `a${n}`, referralCode: `AYU-${n}` }, { at: '2026-01-05T09:00:00+07:00' });
      await ledger.upsertCustomer(T, { id: `budi-${n}`, enrolledAt: '2026-03-15T09:00:00+07:00', emailHash: `b${n}`, referredBy: { code: `AYU-${n}` } }, { at: '2026-03-15T09:00:00+07:00' });
    };
    const order = (n: number) => ({
      id: `o-${n}`,
      customerId: `budi-${n}`,
      placedAt: '2026-03-20T10:00:00+07:00',
      currency: 'IDR',
      lines: [{ sku: 'PH-3', category: 'phone', quantity: 1, unitPrice: '3000000' }],
    });
    const at = { at: '2026-03-20T10:00:00+07:00' };
    await crashBeforeEachWrite(faulty, {
      prepare: pair,
      run: (n) => ledger.recordOrder(T, order(n), at),
      check: async (n, retry) => {
        // SEMANTICS 2: 3.000.000 / 10.000 = 300 points, bronze x1; SEMANTICS 8: referrer 500, referee 250.
        expect(retry).to.include({ awarded: 300 });
        expect(retry.referral).to.deep.equal({ referrer: 500, referee: 250 });
        const budi = await ledger.getCustomer(T, `budi-${n}`, { at: '2026-03-21T00:00:00+07:00' });
        const ayu = await ledger.getCustomer(T, `ayu-${n}`, { at: '2026-03-21T00:00:00+07:00' });
        expect(budi.points, `referee after crash at ${n}`).to.include({ pending: 550, balance: 550 });
        expect(ayu.points, `referrer after crash at ${n}`).to.include({ pending: 500, balance: 500 });
      },
    });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('a full return that reverses a referral, crashed after each of its write steps and retried, takes back each side once', async function () {
    this.timeout(300_000);
    const faulty = new FaultyStore(store);
    const ledger = new Ledger(faulty);
    await ledger.publishProgram(T, tokoProgram);
    const setUp = async (n: number): Promise<void> => {
      await ledger.upsertCustomer(T, { id: `citra-${n}`, enrolledAt: '2026-04-01T09:00:00+07:00', emailHash: `c${n}`, referralCode: `CITRA-${n}` }, { at: '2026-04-01T09:00:00+07:00' });
      await ledger.upsertCustomer(T, { id: `dewi-${n}`, enrolledAt: '2026-05-01T09:00:00+07:00', emailHash: `d${n}`, referredBy: { code: `CITRA-${n}` } }, { at: '2026-05-01T09:00:00+07:00' });
      await ledger.recordOrder(
        T,
        { id: `o-${n}`, customerId: `dewi-${n}`, placedAt: '2026-05-02T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'PH-2', category: 'phone', quantity: 1, unitPrice: '2000000' }] },
        { at: '2026-05-02T10:00:00+07:00' },
      );
    };
    const back = (n: number) => ledger.returnOrder(T, `o-${n}`, { id: `r-${n}`, lines: [{ sku: 'PH-2', quantity: 1 }] }, { at: '2026-05-05T10:00:00+07:00' });
    await crashBeforeEachWrite(faulty, {
      prepare: setUp,
      run: back,
      check: async (n, retry) => {
        // 2.000.000 / 10.000 = 200 points, all returned before they became available (SEMANTICS 6).
        expect(retry.clawedBack).to.equal(200);
        const dewi = await ledger.getCustomer(T, `dewi-${n}`, { at: '2026-05-06T10:00:00+07:00' });
        const citra = await ledger.getCustomer(T, `citra-${n}`, { at: '2026-05-06T10:00:00+07:00' });
        // The order's 200 and the referee's 250 on one side, the referrer's 500 on the other, all taken back.
        expect(dewi.points, `referee after crash at ${n}`).to.include({ pending: 0, balance: 0 });
        expect(citra.points, `referrer after crash at ${n}`).to.include({ pending: 0, balance: 0 });
      },
    });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });
});
