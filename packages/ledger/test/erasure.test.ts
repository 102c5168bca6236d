/**
 * Erasing a customer on every store (docs/data.md, "What erasure removes and keeps"): afterwards a scan of every
 * stored byte (each store read raw: the memory store's collections, the LMDB file's keys and values, every MongoDB
 * row of every version) finds none of the customer's personal strings nor the old id; the tenant's balances, the
 * liability (the ledger's, and the simulation's of the stored orders) and reconcile are unchanged; the old id is 404
 * and can be enrolled again; erasure is idempotent and resumable; writes during it are refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileProgram, Decimal, parseProgram, ProgramSimulation, type SimulationReport } from '@purna/rules';
import { open as openLmdb } from 'lmdb';
import { MongoClient } from 'mongodb';
import { describeMongo } from '../../../test/support/mongo.js';
import { decodeAccount, type StoredAccount } from '../src/account/stored-account.js';
import { CustomerErased, InputError, NotFound } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { ERASED_TEXT } from '../src/ledger/erasure.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { MongoStore } from '../src/store/mongo-store.js';
import { COLLECTIONS, type Store } from '../src/store/store.js';
import { FEED_HORIZON_MS } from '../src/moments/moment-store.js';
import type { DeliveryEndpoint, DeliveryPass } from '../src/webhooks/webhook-deliveries.js';
import { FaultyStore, SimulatedCrash } from '../src/store/faulty-store.js';
import { errorOf } from './support/error-of.js';
import { tokoProgram } from './support/programs.js';
import { storedOrderRecords } from './support/stored-orders.js';

const T = 'shop';
/** The customer erased: an id no other string of the test contains. */
const OLD = 'ayu-erasable-7731';
/** Strings only the erased customer's personal data holds. */
const PERSONAL = [
  'sha256:EMAIL-OF-AYU-7731',
  'sha256:PHONE-OF-AYU-7731',
  '1987-07-31',
  'TAG-AYU-7731',
  'ATTR-AYU-7731',
  'AYUCODE7731',
  'SUMMARY-AYU-7731 the fridge arrived dented',
  'DETAILS-AYU-7731 she waited at home all Saturday',
  'ACTION-AYU-7731 called her back at 08123',
  'NOTE-AYU-7731 apology for the dented fridge',
  'TIER-AYU-7731 status match from her card at another shop',
];
const JAN = '2026-01-05T09:00:00+07:00';
/** The program every world of this file runs, compiled for the simulation. */
const TOKO = compileProgram(parseProgram(tokoProgram));

/** Every stored string of a store, read beneath the Store port. */
type RawScan = () => Promise<string>;

interface Target {
  title: string;
  open: () => Promise<{ store: Store; raw: RawScan }>;
}

function targets(): Target[] {
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  return [
    {
      title: 'memory',
      open: () => {
        const store = new MemoryStore();
        // The memory store keeps nothing but what its collections list.
        const raw = async (): Promise<string> => {
          const parts: string[] = [];
          for (const collection of COLLECTIONS) for (const tenant of [T, '_keys', '_registry']) parts.push(JSON.stringify(await store.list(collection, tenant, { limit: 1_000_000 })));
          return parts.join('\n');
        };
        return Promise.resolve({ store, raw });
      },
    },
    {
      title: 'lmdb',
      open: () => {
        const folder = mkdtempSync(join(tmpdir(), 'purna-erasure-'));
        folders.push(folder);
        const store = LmdbStore.open({ path: folder });
        // Every key and value of the environment as bytes, through a second handle on the same file.
        const raw = (): Promise<string> => {
          const env = openLmdb({ path: folder, encoding: 'binary', compression: false });
          const parts: string[] = [];
          for (const { key, value } of env.getRange({})) parts.push(JSON.stringify(key), Buffer.from(value as Uint8Array).toString('utf8'));
          return env.close().then(() => parts.join('\n'));
        };
        return Promise.resolve({ store, raw });
      },
    },
  ];
}

function declare(title: string, open: Target['open']): void {
  describe(`erasing a customer [${title}]`, () => {
    let store: Store;
    let raw: RawScan;
    let ledger: Ledger;
    /** The wall clock of the moments feed and of webhook deliveries (ms). */
    let wall: number;
    beforeEach(async () => {
      ({ store, raw } = await open());
      wall = Date.parse('2026-06-01T00:00:00Z');
      ledger = new Ledger(store, { wallClock: () => wall });
      await ledger.publishProgram(T, tokoProgram);
      await seed(ledger);
    });
    afterEach(async () => {
      await ledger.close();
    });

    it('leaves no personal string nor the old id in any stored byte, and moves nothing of the totals', async () => {
      const before = await totals(store);
      const stored = await raw();
      // The scan sees the strings before: it is not vacuous.
      for (const text of [...PERSONAL, OLD]) expect(stored, text).to.include(text);

      const erased = await ledger.eraseCustomer(T, OLD, { reason: 'erasure request 2026-114' }, { at: '2026-03-01T00:00:00Z' });
      expect(erased.erased).to.equal(true);
      expect(erased.pseudonym).to.match(/^erased-[A-Za-z0-9_-]{22}$/);

      const after = await totals(store);
      expect(after).to.deep.equal(before);
      expect(await ledger.reconcile(T)).to.deep.equal({ checked: before.accounts, differences: [] });

      const scanned = await raw();
      for (const text of [...PERSONAL, OLD]) expect(scanned.includes(text), `"${text}" is still stored`).to.equal(false);
      // What is kept is kept under the pseudonym, with the free text replaced.
      expect(scanned).to.include(erased.pseudonym);
      expect(scanned).to.include(ERASED_TEXT);
      // The other customer's record is untouched: its own profile and its case.
      expect(scanned).to.include('sha256:EMAIL-OF-BUDI');
      expect(scanned).to.include('budi asks about points');
    });

    it("leaves the simulation's liability of the stored orders unchanged, the erased customer's orders replayed under the pseudonym", async () => {
      // The same accumulator as POST /v1/program/simulate and purna simulate, over the orders as the store holds them.
      const simulate = async (): Promise<SimulationReport> => {
        const simulation = new ProgramSimulation(TOKO);
        for (const record of await storedOrderRecords(store, T)) simulation.add(record);
        return simulation.report();
      };
      const figures = (report: SimulationReport) => ({ liability: report.liability, held: report.flow.outstanding, issued: report.flow.issued, customers: report.customers });
      const before = await simulate();
      const ledgerBefore = await totals(store);
      // By hand, from seed() and toko-rewards: o-ayu-1 and o-budi-1 are one line of Rp3.000.000 each; base gives
      // 1 point per Rp10.000 = 300 points at bronze (x1); big-basket needs Rp5.000.000. The simulation has no
      // profiles, so no referral: 2 customers, 600 points issued and held (pending, not yet expired), worth
      // 600 x Rp100 (pointValue) = Rp60.000.
      expect(new Decimal(String(before.liability)).equals(60_000), `liability ${String(before.liability)}`).to.equal(true);
      expect([before.flow.outstanding, before.flow.issued, before.customers]).to.deep.equal([600, 600, 2]);
      // The ledger holds more: ayu 300 + 250 (adjustment) + 500 (referrer, budi's first order is over Rp1.000.000,
      // 6 days after enrolling), budi 300 + 250 (referee) = 1.600 points x Rp100 = Rp160.000.
      expect(new Decimal(ledgerBefore.liability).equals(160_000), `ledger liability ${ledgerBefore.liability}`).to.equal(true);

      const { pseudonym } = await ledger.eraseCustomer(T, OLD, { reason: 'erasure request 2026-114' }, { at: '2026-03-01T00:00:00Z' });

      // Ayu's order is still in the history, now the pseudonym's (placed first, on the 10th).
      expect((await storedOrderRecords(store, T)).map((o) => [o.id, o.customerId])).to.deep.equal([
        ['o-ayu-1', pseudonym],
        ['o-budi-1', 'budi'],
      ]);
      const after = await simulate();
      expect(figures(after)).to.deep.equal(figures(before));
      // Nothing else of the report moves either (it names no customer: its totals are per rule, tier and reason).
      expect(after).to.deep.equal(before);
      expect((await totals(store)).liability).to.equal(ledgerBefore.liability);
    });

    it('answers 404 for the old id afterwards, erasing it again too, and lets it be enrolled again afresh', async () => {
      const { pseudonym } = await ledger.eraseCustomer(T, OLD, { reason: 'request 1' });
      expect(await errorOf(ledger.getCustomer(T, OLD))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.listTransactions(T, OLD))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.exportCustomer(T, OLD))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.eraseCustomer(T, OLD, { reason: 'request 1' }))).to.be.instanceOf(NotFound);
      // The pseudonymous account is nobody's: 404 as well, to erasing too.
      expect(await errorOf(ledger.getCustomer(T, pseudonym))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.eraseCustomer(T, pseudonym, { reason: 'request 1' }))).to.be.instanceOf(NotFound);
      // No moment of the customer is listed any more.
      expect((await ledger.listMoments(T, { limit: 500 })).items.map((m) => m.customerId)).to.not.include(OLD);

      await ledger.upsertCustomer(T, { id: OLD, enrolledAt: '2026-03-02T09:00:00+07:00' });
      const fresh = await ledger.getCustomer(T, OLD, { at: '2026-03-02T03:00:00Z' });
      expect(fresh.points.balance).to.equal(0);
      expect((await ledger.listTransactions(T, OLD)).items).to.deep.equal([]);
      // Erased again later: another pseudonym (the record of the first erasure stays the first's).
      const again = await ledger.eraseCustomer(T, OLD, { reason: 'request 2' });
      expect(again.pseudonym).to.not.equal(pseudonym);
    });

    it("stops the customer's webhooks and moments: pending deliveries dropped, nothing due emitted", async () => {
      const endpoint: DeliveryEndpoint = { id: 'we_1', url: 'https://crm.example/hook', types: [], enabled: true, createdAt: new Date(wall).toISOString() };
      wall += 1;
      await ledger.recordOrder(T, { id: 'o-ayu-2', customerId: OLD, placedAt: '2026-02-10T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'FR-2', quantity: 1, unitPrice: '1000000' }] });
      await ledger.recordOrder(T, { id: 'o-budi-2', customerId: 'budi', placedAt: '2026-02-10T11:00:00+07:00', currency: 'IDR', lines: [{ sku: 'FR-2', quantity: 1, unitPrice: '1000000' }] });
      wall += FEED_HORIZON_MS + 1;
      const sent: string[] = [];
      let up = false;
      const pass: DeliveryPass = {
        owner: 'w1',
        now: () => wall,
        send: (_endpoint, moment) => {
          sent.push(moment.customerId);
          return Promise.resolve(up ? { ok: true, status: 204, durationMs: 1 } : { ok: false, status: 503, reason: 'unsuccessful-status', durationMs: 1 });
        },
        retry: (_attempts, first, now) => ({ giveUp: false, retryAt: Math.max(now, first) + 60_000 }),
        giveUp: () => Promise.reject(new Error('must not give up here')),
      };
      // The receiver is down: the first moment of each customer waits for its retry, the others behind it.
      await ledger.deliverWebhooks(T, endpoint, pass);
      expect([...new Set(sent)].sort()).to.deep.equal(['budi', OLD].sort());
      const { pseudonym } = await ledger.eraseCustomer(T, OLD, { reason: 'request' });
      const account = await store.get<StoredAccount>('accounts', T, pseudonym);
      const moments = account ? decodeAccount(account.doc).momentCount : undefined;

      sent.length = 0;
      up = true;
      wall += 120_000;
      await ledger.deliverWebhooks(T, endpoint, pass);
      await ledger.deliverWebhooks(T, endpoint, pass);
      // Budi's wait is over; nothing of the erased customer's goes out any more, under either id.
      expect(sent).to.include('budi');
      expect(sent.filter((id) => id !== 'budi')).to.deep.equal([]);
      const log = await ledger.listWebhookDeliveries(T, 'we_1', { limit: 500 });
      expect(log.items.filter((d) => d.status === 'pending').map((d) => d.customerId)).to.not.include(pseudonym);

      // A year on, lots have expired and birthdays and anniversaries come round: nothing for the erased account.
      await ledger.runMomentsJob(T, { at: '2027-08-01T00:00:00Z' });
      await ledger.runExpirySweep(T, { at: '2027-08-01T00:00:00Z' });
      const later = await store.get<StoredAccount>('accounts', T, pseudonym);
      expect(later ? decodeAccount(later.doc).momentCount : undefined).to.equal(moments);
      expect(later?.version).to.equal(account?.version);
      wall += FEED_HORIZON_MS + 1;
      const feed = await ledger.listMoments(T, { limit: 500 });
      expect(feed.items.map((m) => m.customerId)).to.include('budi');
      expect(feed.items.map((m) => m.customerId).filter((id) => id !== 'budi')).to.deep.equal([]);
    });

    it('refuses a bad request before anything changes', async () => {
      const error = await errorOf(ledger.eraseCustomer(T, OLD, { reason: '' }));
      expect(error).to.be.instanceOf(InputError);
      expect((error as InputError).errors.map((p) => p.pointer)).to.deep.equal(['/reason']);
      expect(await errorOf(ledger.eraseCustomer(T, OLD, { reason: 'x', customerId: 'budi' }))).to.be.instanceOf(InputError);
      expect((await ledger.getCustomer(T, OLD)).profile.emailHash).to.equal(PERSONAL[0]);
    });
  });
}

for (const target of targets()) declare(target.title, target.open);

describeMongo('erasing a customer', (ctx) => {
  let n = 0;
  declare('mongo', async () => {
    const dbName = `${ctx().dbName}_erasure_${++n}`;
    const store = await MongoStore.open({ uri: ctx().uri, dbName });
    // Every row of every collection of the database, every version of every document.
    const raw = async (): Promise<string> => {
      const client = await MongoClient.connect(ctx().uri);
      try {
        const db = client.db(dbName);
        const parts: string[] = [];
        for (const { name } of await db.listCollections().toArray()) parts.push(JSON.stringify(await db.collection(name).find({}).toArray()));
        return parts.join('\n');
      } finally {
        await client.close();
      }
    };
    return { store, raw };
  });
});

describe('erasing a customer, interrupted and raced [memory]', () => {
  it('finishes an erasure that crashed before any of its writes on the next call', async function () {
    this.timeout(60_000);
    // How many writes an erasure makes, on a world like the ones crashed below.
    const count = new FaultyStore(new MemoryStore());
    const counted = new Ledger(count);
    await counted.publishProgram(T, tokoProgram);
    await seed(counted);
    count.reset();
    await counted.eraseCustomer(T, OLD, { reason: 'crash test' });
    const writes = count.writes.length;
    expect(writes).to.be.greaterThan(20);
    await counted.close();
    for (const n of [1, 2, 3, Math.floor(writes / 4), Math.floor(writes / 2), Math.floor((3 * writes) / 4), writes - 1, writes]) {
      const inner = new MemoryStore();
      const store = new FaultyStore(inner);
      const ledger = new Ledger(store);
      await ledger.publishProgram(T, tokoProgram);
      await seed(ledger);
      const before = await totals(inner);
      store.crashAt(n);
      expect(await errorOf(ledger.eraseCustomer(T, OLD, { reason: 'crash test' })), `crash at write ${n}`).to.be.instanceOf(SimulatedCrash);
      store.reset();
      const { pseudonym } = await ledger.eraseCustomer(T, OLD, { reason: 'crash test' });
      expect(await totals(inner), `crash at write ${n}`).to.deep.equal(before);
      const everything = JSON.stringify(await Promise.all(COLLECTIONS.map((c) => inner.list(c, T, { limit: 1_000_000 }))));
      for (const text of [...PERSONAL, OLD]) expect(everything.includes(text), `crash at write ${n}: "${text}" is still stored`).to.equal(false);
      expect(everything).to.include(pseudonym);
      expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
      expect(await errorOf(ledger.eraseCustomer(T, OLD, { reason: 'crash test' }))).to.be.instanceOf(NotFound);
      await ledger.close();
    }
  });

  it('refuses a write that reaches the account while it is being erased', async () => {
    const store = new MemoryStore();
    const ledger = new Ledger(store);
    await ledger.publishProgram(T, tokoProgram);
    await seed(ledger);
    const erasing = ledger.eraseCustomer(T, OLD, { reason: 'race' });
    const writes = await Promise.allSettled([0, 1, 2, 3].map((i) => ledger.adjust(T, { id: `race-${i}`, customerId: OLD, points: 5, reason: 'race', actor: 'agent' })));
    const { pseudonym } = await erasing;
    for (const write of writes) {
      if (write.status === 'rejected') expect(write.reason, String(write.reason)).to.satisfy((e: unknown) => e instanceof CustomerErased || e instanceof NotFound);
    }
    // Whatever got in before the mark is in the pseudonymous record; nothing names the old id.
    const everything = JSON.stringify(await Promise.all(COLLECTIONS.map((c) => store.list(c, T, { limit: 1_000_000 }))));
    expect(everything.includes(OLD)).to.equal(false);
    expect(everything).to.include(pseudonym);
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
    await ledger.close();
  });
});

/** The erased customer with every kind of record, and budi, who was referred by them. */
async function seed(ledger: Ledger): Promise<void> {
  await ledger.upsertCustomer(T, {
    id: OLD,
    enrolledAt: JAN,
    birthDate: PERSONAL[2],
    timezone: 'Asia/Jakarta',
    emailHash: PERSONAL[0],
    phoneHash: PERSONAL[1],
    tags: [PERSONAL[3]],
    attributes: { note: PERSONAL[4] },
    referralCode: PERSONAL[5],
  });
  await ledger.upsertCustomer(T, { id: 'budi', enrolledAt: JAN, emailHash: 'sha256:EMAIL-OF-BUDI', referredBy: { code: PERSONAL[5] } });
  const lines = [{ sku: 'FR-1', quantity: 1, unitPrice: '3000000' }];
  await ledger.recordOrder(T, { id: 'o-ayu-1', customerId: OLD, placedAt: '2026-01-10T10:00:00+07:00', currency: 'IDR', lines });
  await ledger.recordOrder(T, { id: 'o-budi-1', customerId: 'budi', placedAt: '2026-01-11T10:00:00+07:00', currency: 'IDR', lines });
  await ledger.adjust(T, { id: 'adj-ayu', customerId: OLD, points: 250, reason: PERSONAL[9], actor: 'agent-7' }, { at: '2026-01-12T10:00:00+07:00' });
  await ledger.assignTier(T, { customerId: OLD, tierId: 'gold', until: '2026-12-31T00:00:00+07:00', reason: PERSONAL[10]!, actor: 'admin-1' }, { at: '2026-01-12T11:00:00+07:00' });
  await ledger.cases.open(T, {
    id: 'case-ayu',
    customerId: OLD,
    orderId: 'o-ayu-1',
    channel: 'phone',
    receivedAt: '2026-01-13T09:30:00+07:00',
    receivedBy: 'dewi',
    department: 'logistics',
    summary: PERSONAL[6],
    details: PERSONAL[7],
    callbackBy: '2026-01-14T17:00:00+07:00',
  });
  await ledger.cases.update(T, 'case-ayu', { by: 'dewi', status: 'in-progress', action: PERSONAL[8] }, { at: '2026-01-13T10:00:00+07:00' });
  await ledger.cases.open(T, { id: 'case-budi', customerId: 'budi', channel: 'chat', receivedAt: '2026-01-13T11:00:00+07:00', receivedBy: 'dewi', department: 'logistics', summary: 'budi asks about points' });
  await ledger.runMomentsJob(T, { at: '2026-02-01T00:00:00Z' });
}

/** What one point is worth in toko-rewards (the liability's factor). */
function pointValue(): string {
  const value = TOKO.program.points.redemption?.pointValue;
  if (value === undefined) throw new Error('tokoProgram has no points.redemption.pointValue: the liability needs one');
  return value;
}

/**
 * The tenant's totals as the store holds them: every account (erased ones too), its points, and the liability
 * (points outstanding x the program's pointValue, in IDR).
 */
async function totals(store: Store): Promise<{ accounts: number; balances: number[]; outstanding: number; debt: number; liability: string; budi: unknown }> {
  const accounts = (await store.list<StoredAccount>('accounts', T, { limit: 1_000_000 })).map((r) => decodeAccount(r.doc));
  const outstanding = accounts.reduce((sum, a) => sum + a.points.lots.reduce((s, lot) => s + lot.remaining, 0), 0);
  const budi = accounts.find((a) => a.customerId === 'budi');
  return {
    accounts: accounts.length,
    balances: accounts.map((a) => a.points.lots.reduce((s, lot) => s + lot.remaining, 0) - a.points.debt).sort((x, y) => x - y),
    outstanding,
    debt: accounts.reduce((sum, a) => sum + a.points.debt, 0),
    liability: new Decimal(outstanding).times(pointValue()).toString(),
    budi: budi?.summary?.points,
  };
}
