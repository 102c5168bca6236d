/**
 * Goodwill gestures through the ledger, on every store: grants, replays, refusals with every reason, the admin
 * override, the per-customer limit and the tenant's budget in calendar months of Asia/Jakarta, concurrent grants
 * against one budget, and crashes between the budget reservation and the account commit. The program is the toko
 * example with the after-sales example's goodwill reasons (cancelled-by-shop at most 1000 points, late-delivery 500,
 * defect 2000; 2 grants per customer a month) and a budget each test sets.
 */
import { expect } from 'chai';
import { GoodwillRefused, IdempotencyMismatch, InputError, NotFound } from '../src/errors.js';
import { goodwillBudgetKey, RESERVATION_LEASE_MS, type GoodwillBudgetDoc } from '../src/ledger/goodwill-budget.js';
import { Ledger } from '../src/ledger/ledger.js';
import { FaultyStore, SimulatedCrash } from '../src/store/faulty-store.js';
import type { Store } from '../src/store/store.js';
import { crashBeforeEachWrite } from './support/crash-steps.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 'shop';
/** 10 December 2026, 10:00 in Jakarta. */
const AT = '2026-12-10T10:00:00+07:00';

function program(budget: number): unknown {
  return {
    ...(tokoProgram as Record<string, unknown>),
    goodwill: {
      reasons: [
        { id: 'late-delivery', name: 'Late delivery', maxPoints: 500 },
        { id: 'defect', name: 'Defective product', maxPoints: 2000 },
        { id: 'cancelled-by-shop', name: 'Order cancelled by the shop', maxPoints: 1000 },
      ],
      limit: { perCustomer: { count: 2, period: { months: 1 } } },
      budget: { points: budget, period: { months: 1 } },
    },
  };
}

async function refusal(promise: Promise<unknown>): Promise<GoodwillRefused> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof GoodwillRefused) return error;
    throw error;
  }
  throw new Error('expected a GoodwillRefused');
}

/** The error `promise` rejects with (chai has no promise assertions here). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

async function budgetOf(store: Store, period: string): Promise<GoodwillBudgetDoc | undefined> {
  return (await store.get<GoodwillBudgetDoc>('counters', T, goodwillBudgetKey(period)))?.doc;
}

forEachStore('Goodwill', (open, kind) => {
  let store: Store;
  let ledger: Ledger;
  beforeEach(async () => {
    store = await open();
    ledger = new Ledger(store);
  });
  afterEach(async () => {
    await store.close();
  });

  async function customers(...ids: string[]): Promise<void> {
    for (const id of ids) await ledger.upsertCustomer(T, { id, enrolledAt: '2026-01-01T00:00:00+07:00' }, { at: '2026-01-01T00:00:00+07:00' });
  }

  it('grants points available at once, tied to the case, with goodwill.granted in the feed; the same id replays, other content is a conflict', async () => {
    await ledger.publishProgram(T, program(100_000));
    await customers('ayu', 'budi');
    await ledger.cases.open(T, { id: 'case-7', customerId: 'ayu', channel: 'phone', receivedAt: AT, receivedBy: 'agent-7', department: 'logistics', summary: 'order cancelled by the shop' });
    // A case that does not exist, or is another customer's, is no case to settle: nothing is granted.
    expect(await rejection(ledger.grantGoodwill(T, { id: 'gw-0', customerId: 'ayu', caseId: 'case-0', reason: 'cancelled-by-shop', points: 500, actor: 'agent-7' }, { at: AT }))).to.be.instanceOf(NotFound);
    const theirs = await rejection(ledger.grantGoodwill(T, { id: 'gw-0', customerId: 'budi', caseId: 'case-7', reason: 'cancelled-by-shop', points: 500, actor: 'agent-7' }, { at: AT }));
    expect(theirs).to.be.instanceOf(InputError);
    expect((theirs as InputError).errors[0]).to.include({ pointer: '/caseId', code: 'case-of-another-customer' });
    const request = { id: 'gw-1', customerId: 'ayu', caseId: 'case-7', reason: 'cancelled-by-shop', points: 500, actor: 'agent-7' };
    const first = await ledger.grantGoodwill(T, request, { at: AT });
    expect(first).to.deep.equal({ goodwillId: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', granted: 500, caseId: 'case-7', availableAt: '2026-12-10T03:00:00.000Z', balance: 500, replayed: false });
    expect(await ledger.grantGoodwill(T, request, { at: AT })).to.deep.equal({ ...first, replayed: true });
    expect(await rejection(ledger.grantGoodwill(T, { ...request, points: 600 }, { at: AT }))).to.be.instanceOf(IdempotencyMismatch);

    expect((await ledger.getCustomer(T, 'ayu', { at: AT })).points).to.include({ available: 500, pending: 0, balance: 500 });
    const { items } = await ledger.listTransactions(T, 'ayu', { at: AT });
    expect(items.map((e) => [e.type, e.points, e.reason])).to.deep.equal([['adjustment', 500, 'goodwill:cancelled-by-shop']]);
    const moments = (await ledger.listMoments(T, { customerId: 'ayu', limit: 50 })).items.filter((m) => m.type === 'goodwill.granted');
    expect(moments).to.have.length(1);
    expect(moments[0]?.data).to.deep.include({ goodwillId: 'gw-1', reason: 'cancelled-by-shop', points: 500, caseId: 'case-7', actor: 'agent-7' });
    // The grant is counted in December's budget and holds no reservation any more.
    expect(await budgetOf(store, '2026-12')).to.deep.equal({ period: '2026-12', used: 500, reservations: [] });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('refuses with every reason, counts no refusal toward the limit, and replays a refusal', async () => {
    await ledger.publishProgram(T, program(100_000));
    await customers('ayu');
    const bad = await refusal(ledger.grantGoodwill(T, { id: 'gw-x', customerId: 'ayu', reason: 'cancelled-by-shop', points: 1500, override: { reason: 'vip' }, actor: 'agent-7' }, { at: AT }));
    expect(bad.reasons.map((r) => r.code)).to.deep.equal(['override-not-allowed', 'over-reason-maximum']);
    expect(bad.replayed).to.equal(false);
    const again = await refusal(ledger.grantGoodwill(T, { id: 'gw-x', customerId: 'ayu', reason: 'cancelled-by-shop', points: 1500, override: { reason: 'vip' }, actor: 'agent-7' }, { at: AT }));
    expect(again.replayed).to.equal(true);
    const reward = await refusal(ledger.grantGoodwill(T, { id: 'gw-r', customerId: 'ayu', reason: 'defect', rewardId: 'voucher-50k', actor: 'agent-7' }, { at: AT }));
    expect(reward.reasons.map((r) => r.code)).to.deep.equal(['unknown-reward']);
    // Two refusals, then the two grants the month allows, then the limit.
    await ledger.grantGoodwill(T, { id: 'gw-1', customerId: 'ayu', reason: 'late-delivery', points: 200, actor: 'agent-7' }, { at: AT });
    await ledger.grantGoodwill(T, { id: 'gw-2', customerId: 'ayu', reason: 'defect', points: 2000, actor: 'agent-7' }, { at: AT });
    const third = await refusal(ledger.grantGoodwill(T, { id: 'gw-3', customerId: 'ayu', reason: 'late-delivery', points: 100, actor: 'agent-7' }, { at: AT }));
    expect(third.reasons.map((r) => r.code)).to.deep.equal(['customer-limit-reached']);
    // 200 + 2000; refusals hold nothing on the budget.
    expect((await ledger.getCustomer(T, 'ayu', { at: AT })).points.balance).to.equal(2200);
    expect(await budgetOf(store, '2026-12')).to.deep.equal({ period: '2026-12', used: 2200, reservations: [] });
    // January 2027 starts at 00:00 in Jakarta (17:00Z on 31 December): a new month, a new count.
    const january = await ledger.grantGoodwill(T, { id: 'gw-4', customerId: 'ayu', reason: 'late-delivery', points: 100, actor: 'agent-7' }, { at: '2026-12-31T17:00:00Z' });
    expect(january.granted).to.equal(100);
    expect(await budgetOf(store, '2027-01')).to.deep.equal({ period: '2027-01', used: 100, reservations: [] });
  });

  it('lets an admin override go past the maximum, and records it', async () => {
    await ledger.publishProgram(T, program(100_000));
    await customers('ayu');
    const answer = await ledger.grantGoodwill(T, { id: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', points: 1500, override: { reason: 'cancelled twice' }, actor: 'admin-1' }, { at: AT, mayOverride: true });
    expect(answer).to.deep.include({ granted: 1500, override: { reason: 'cancelled twice', actor: 'admin-1', maxPoints: 1000 } });
    const moment = (await ledger.listMoments(T, { customerId: 'ayu', type: 'goodwill.granted', limit: 50 })).items[0];
    expect(moment?.data.override).to.deep.equal({ reason: 'cancelled twice', maxPoints: 1000 });
  });

  it('refuses a grant over what is left of the budget, and grants exactly up to it', async () => {
    await ledger.publishProgram(T, program(1000));
    await customers('ayu', 'budi', 'citra');
    await ledger.grantGoodwill(T, { id: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', points: 700, actor: 'agent-7' }, { at: AT });
    const over = await refusal(ledger.grantGoodwill(T, { id: 'gw-2', customerId: 'budi', reason: 'cancelled-by-shop', points: 301, actor: 'agent-7' }, { at: AT }));
    expect(over.reasons.map((r) => r.code)).to.deep.equal(['budget-exhausted']);
    // 700 + 300 = 1000, the whole budget.
    expect((await ledger.grantGoodwill(T, { id: 'gw-3', customerId: 'citra', reason: 'cancelled-by-shop', points: 300, actor: 'agent-7' }, { at: AT })).granted).to.equal(300);
    expect(await budgetOf(store, '2026-12')).to.deep.equal({ period: '2026-12', used: 1000, reservations: [] });
  });

  const scale = kind === 'memory' ? 60 : 24;

  it(`${scale} concurrent grants of 300 points for different customers against a budget of 1000: exactly 3 granted`, async function () {
    this.timeout(300_000);
    await ledger.publishProgram(T, program(1000));
    const ids = Array.from({ length: scale }, (_, i) => `c-${i}`);
    await customers(...ids);
    const outcomes = await Promise.allSettled(ids.map((id, i) => ledger.grantGoodwill(T, { id: `gw-${i}`, customerId: id, reason: 'cancelled-by-shop', points: 300, actor: 'agent-7' }, { at: AT })));
    const granted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    // 3 × 300 = 900 fits in 1000; a fourth would make 1200.
    expect(granted).to.have.length(3);
    for (const r of refused) expect((r.reason as GoodwillRefused).reasons.map((x) => x.code), String(r.reason)).to.deep.equal(['budget-exhausted']);
    let total = 0;
    for (const id of ids) total += (await ledger.getCustomer(T, id, { at: AT })).points.balance;
    expect(total).to.equal(900);
    expect(await budgetOf(store, '2026-12')).to.deep.equal({ period: '2026-12', used: 900, reservations: [] });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('concurrent grants for one customer: the limit of 2 holds, and grants refused after reserving give their points back', async function () {
    this.timeout(300_000);
    await ledger.publishProgram(T, program(100_000));
    await customers('ayu');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) => ledger.grantGoodwill(T, { id: `gw-${i}`, customerId: 'ayu', reason: 'late-delivery', points: 100, actor: 'agent-7' }, { at: AT })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(2);
    for (const r of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect((r.reason as GoodwillRefused).reasons.map((x) => x.code), String(r.reason)).to.deep.equal(['customer-limit-reached']);
    }
    expect((await ledger.getCustomer(T, 'ayu', { at: AT })).points.balance).to.equal(200);
    expect(await budgetOf(store, '2026-12')).to.deep.equal({ period: '2026-12', used: 200, reservations: [] });
  });

  it('a grant crashed before each of its writes and retried: granted once, counted once on the budget', async function () {
    this.timeout(300_000);
    const faulty = new FaultyStore(store);
    const crashing = new Ledger(faulty);
    await crashing.publishProgram(T, program(100_000));
    // A first grant creates December's budget document, so every round below makes the same writes.
    await crashing.upsertCustomer(T, { id: 'warm', enrolledAt: '2026-01-01T00:00:00+07:00' }, { at: '2026-01-01T00:00:00+07:00' });
    await crashing.grantGoodwill(T, { id: 'gw-warm', customerId: 'warm', reason: 'defect', points: 100, actor: 'agent-7' }, { at: AT });
    let rounds = 0;
    await crashBeforeEachWrite(faulty, {
      prepare: async (n) => {
        await crashing.upsertCustomer(T, { id: `ayu-${n}`, enrolledAt: '2026-01-01T00:00:00+07:00' }, { at: '2026-01-01T00:00:00+07:00' });
      },
      run: (n) => crashing.grantGoodwill(T, { id: `gw-${n}`, customerId: `ayu-${n}`, reason: 'defect', points: 400, actor: 'agent-7' }, { at: AT }),
      check: async (n, answer) => {
        rounds = n;
        expect(answer.granted).to.equal(400);
        expect((await crashing.getCustomer(T, `ayu-${n}`, { at: AT })).points.balance, `after a crash before write ${n}`).to.equal(400);
        // The first 100, then rounds 0..n each granted 400 once.
        expect(await budgetOf(store, '2026-12'), `after a crash before write ${n}`).to.deep.equal({ period: '2026-12', used: 100 + (400 * (n + 1)), reservations: [] });
      },
    });
    expect(rounds).to.be.greaterThan(3);
    expect((await crashing.reconcile(T)).differences).to.deep.equal([]);
  });

  it('a grant that crashed after reserving and was never retried is completed by a later grant once its lease is over', async function () {
    this.timeout(60_000);
    let wall = Date.parse('2031-01-01T00:00:00Z');
    const faulty = new FaultyStore(store);
    const crashing = new Ledger(faulty, { wallClock: () => wall });
    await crashing.publishProgram(T, program(1000));
    await crashing.upsertCustomer(T, { id: 'ayu', enrolledAt: '2026-01-01T00:00:00+07:00' }, { at: '2026-01-01T00:00:00+07:00' });
    await crashing.upsertCustomer(T, { id: 'budi', enrolledAt: '2026-01-01T00:00:00+07:00' }, { at: '2026-01-01T00:00:00+07:00' });
    // Crash just before the account commit, right after the reservation.
    faulty.reset();
    faulty.hook = (step) => {
      if (step.collection === 'accounts') throw new SimulatedCrash(step);
    };
    expect(await rejection(crashing.grantGoodwill(T, { id: 'gw-lost', customerId: 'ayu', reason: 'cancelled-by-shop', points: 800, actor: 'agent-7' }, { at: AT }))).to.be.instanceOf(SimulatedCrash);
    faulty.reset();
    expect((await budgetOf(store, '2026-12'))?.used).to.equal(800);
    // Within the lease the held points count: 800 + 300 > 1000.
    const held = await refusal(crashing.grantGoodwill(T, { id: 'gw-b1', customerId: 'budi', reason: 'cancelled-by-shop', points: 300, actor: 'agent-7' }, { at: AT }));
    expect(held.reasons.map((r) => r.code)).to.deep.equal(['budget-exhausted']);
    // After the lease, the next grant completes the lost one (granted to ayu), then decides its own: 800 + 200 = 1000.
    wall += RESERVATION_LEASE_MS;
    expect((await crashing.grantGoodwill(T, { id: 'gw-b2', customerId: 'budi', reason: 'cancelled-by-shop', points: 200, actor: 'agent-7' }, { at: AT })).granted).to.equal(200);
    expect((await crashing.getCustomer(T, 'ayu', { at: AT })).points.balance).to.equal(800);
    expect(await budgetOf(store, '2026-12')).to.deep.equal({ period: '2026-12', used: 1000, reservations: [] });
    // The lost grant's own retry, however late, replays what was granted.
    expect(await crashing.grantGoodwill(T, { id: 'gw-lost', customerId: 'ayu', reason: 'cancelled-by-shop', points: 800, actor: 'agent-7' }, { at: AT })).to.deep.include({ granted: 800, replayed: true });
  });
});
