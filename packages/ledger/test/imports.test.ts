/**
 * Imports of customers (imports.ts), on every store: each line checked on its own (a bad one reported with its
 * number and pointer, the others imported), opening lots that keep their own dates, a tier held by hand, the same
 * import sent again changing nothing, another import refused for customers held already, a tenant exported and
 * imported into another with identical balances, lots and tiers, and reconcile exact after it. The program is the
 * toko example: 12 months of expiry, tiers bronze, silver (5,000,000) and gold (20,000,000), one month of grace.
 */
import { expect } from 'chai';
import { importIdOf } from '../src/ledger/imports.js';
import { Ledger } from '../src/ledger/ledger.js';
import { FaultyStore, SimulatedCrash } from '../src/store/faulty-store.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 'shop';
/** 10 December 2026, 10:00 in Jakarta. */
const AT = '2026-12-10T10:00:00+07:00';

const AYU = {
  id: 'ayu',
  enrolledAt: '2024-05-01T10:00:00+07:00',
  birthDate: '1990-03-14',
  referralCode: 'AYU-OLD',
  lots: [
    { points: 1200, availableAt: '2026-06-01T00:00:00+07:00', expiresAt: '2027-06-01T00:00:00+07:00', reason: 'migrated balance' },
    { points: 300, availableAt: '2026-12-20T00:00:00+07:00', expiresAt: '2027-12-20T00:00:00+07:00' },
  ],
  tier: { id: 'gold', until: '2027-03-31T23:59:59+07:00' },
};
const BUDI = { id: 'budi', enrolledAt: '2025-01-01T10:00:00+07:00', lots: [{ points: 500 }] };

/** The file: two good customers, five bad lines and a blank one (line 7). */
const FILE = [
  JSON.stringify(AYU),
  JSON.stringify(BUDI),
  '{"id": "x",',
  JSON.stringify({ id: 'citra', lots: [{ points: 0 }] }),
  JSON.stringify({ id: 'dewi', tier: { id: 'platinum', until: '2027-01-01T00:00:00+07:00' } }),
  JSON.stringify({ id: 'eka', lots: [{ points: 5, expiresAt: '2026-01-01T00:00:00+07:00' }] }),
  '',
  JSON.stringify({ id: 'fajar' }),
].join('\n');

/** The file as a byte stream cut in small chunks, so lines straddle chunks. */
function* chunks(text: string, size = 7): Generator<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Customer i of a large file: `c-000`, ... with one lot of 10 + i % 7 points and referral code `CODE<i>`. */
const many = (i: number): string => JSON.stringify({ id: `c-${String(i).padStart(3, '0')}`, referralCode: `CODE${i}`, lots: [{ points: 10 + (i % 7) }] });

/** The balances of customers `c-000` ... `c-<n-1>` summed, read through the ledger. */
async function sumOfBalances(ledger: Ledger, n: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < n; i += 50) {
    const reads = Array.from({ length: Math.min(50, n - i) }, (_, j) => ledger.getCustomer(T, `c-${String(i + j).padStart(3, '0')}`, { at: AT }));
    for (const customer of await Promise.all(reads)) sum += customer.points.balance;
  }
  return sum;
}

forEachStore('Imports', (open, kind) => {
  let store: Store;
  let ledger: Ledger;
  beforeEach(async () => {
    store = await open();
    ledger = new Ledger(store);
    await ledger.publishProgram(T, tokoProgram);
    // Enrolled before the import: an import only brings new customers.
    await ledger.upsertCustomer(T, { id: 'fajar', enrolledAt: '2026-01-01T00:00:00+07:00' }, { at: '2026-01-01T00:00:00+07:00' });
  });
  afterEach(async () => {
    await store.close();
  });

  it('imports the good lines and lists the bad ones with their line and pointer', async () => {
    const status = await ledger.importCustomers(T, chunks(FILE), { at: AT, idempotencyKey: 'migration-1' });
    expect(status).to.deep.include({ status: 'done', processed: 7, imported: 2, failed: 5 });
    expect(status.errors.map((e) => [e.line, e.pointer])).to.deep.equal([[3, ''], [4, '/lots/0/points'], [5, '/tier/id'], [6, '/lots/0/expiresAt'], [8, '/id']]);
    expect(status.errors.every((e) => e.message.length > 0)).to.equal(true);
    expect(await ledger.getImport(T, status.importId)).to.deep.equal(status);
    for (const id of ['citra', 'dewi', 'eka']) {
      const missing = await ledger.getCustomer(T, id, { at: AT }).catch((error: unknown) => error);
      expect(missing, `${id} was not imported`).to.be.instanceOf(Error);
    }
  });

  it('keeps each lot\'s dates, defaults the rest from the program, and holds the tier by hand', async () => {
    await ledger.importCustomers(T, chunks(FILE), { at: AT, idempotencyKey: 'migration-1' });
    const ayu = await ledger.getCustomer(T, 'ayu', { at: AT });
    // 1200 available since June; 300 pending until 20 December.
    expect(ayu.points).to.deep.include({ available: 1200, pending: 300, balance: 1500 });
    expect(ayu.tier).to.deep.include({ id: 'gold', manual: { until: '2027-03-31T16:59:59.000Z', reason: `import:${importIdOf('migration-1')}` } });
    const exported = await ledger.exportCustomer(T, 'ayu', { at: AT });
    expect(exported.import.lots).to.deep.equal([
      { points: 1200, availableAt: '2026-05-31T17:00:00.000Z', expiresAt: '2027-05-31T17:00:00.000Z', reason: 'adjustment' },
      { points: 300, availableAt: '2026-12-19T17:00:00.000Z', expiresAt: '2027-12-19T17:00:00.000Z', reason: 'adjustment' },
    ]);
    expect(exported.import).to.deep.include({ enrolledAt: '2024-05-01T10:00:00+07:00', birthDate: '1990-03-14', referralCode: 'AYU-OLD' });
    // Budi's lot: available at the import's instant, expiring 12 months later (the program's expiry).
    const budi = await ledger.exportCustomer(T, 'budi', { at: AT });
    expect(budi.import.lots).to.deep.equal([{ points: 500, availableAt: '2026-12-10T03:00:00.000Z', expiresAt: '2027-12-10T03:00:00.000Z', reason: 'adjustment' }]);
    // After the hold (31 March) and its month of grace, no spend: bronze.
    expect((await ledger.getCustomer(T, 'ayu', { at: '2027-05-01T00:00:00+07:00' })).tier).to.deep.include({ id: 'bronze' });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('sent again with the same key imports nothing twice; another import is refused for the customers held', async () => {
    const first = await ledger.importCustomers(T, chunks(FILE), { at: AT, idempotencyKey: 'migration-1' });
    const entriesBefore = (await ledger.exportCustomer(T, 'ayu', { at: AT })).transactions.length;
    const again = await ledger.importCustomers(T, chunks(FILE, 1000), { at: AT, idempotencyKey: 'migration-1' });
    expect(again.importId).to.equal(first.importId);
    expect(again).to.deep.include({ status: 'done', processed: 7, imported: 2, failed: 5 });
    expect((await ledger.exportCustomer(T, 'ayu', { at: AT })).transactions.length, 'no entry written twice').to.equal(entriesBefore);
    expect((await ledger.getCustomer(T, 'ayu', { at: AT })).points.balance).to.equal(1500);
    const other = await ledger.importCustomers(T, chunks([JSON.stringify(AYU), JSON.stringify(BUDI)].join('\n')), { at: AT, idempotencyKey: 'migration-2' });
    expect(other).to.deep.include({ imported: 0, failed: 2 });
    expect(other.errors.map((e) => [e.line, e.pointer])).to.deep.equal([[1, '/id'], [2, '/id']]);
    expect((await ledger.getCustomer(T, 'budi', { at: AT })).points.balance).to.equal(500);
  });

  it('imports a file of several batches with repeated lines and a taken referral code, every customer once', async function () {
    this.timeout(180_000);
    // Three batches of 256 lines on the embedded stores; two on MongoDB (FerretDB's reconcile scans every entry per
    // account, so its time grows with the square of the customers).
    const n = kind === 'mongo' ? 260 : 600;
    const lines = Array.from({ length: n }, (_, i) => many(i));
    lines.push(many(2)); // line n + 1: line 3 again, word for word: held already, counted imported
    lines.push(JSON.stringify({ id: 'c-010', lots: [{ points: 99 }] })); // line n + 2: c-010 with other content
    lines.push(JSON.stringify({ id: 'zed', referralCode: 'CODE7', lots: [{ points: 5 }] })); // line n + 3: c-007's code
    lines.push(many(n - 1)); // line n + 4: line n again, in the same batch as it
    const status = await ledger.importCustomers(T, chunks(lines.join('\n'), 4096), { at: AT, idempotencyKey: 'many' });
    expect(status).to.deep.include({ status: 'done', processed: n + 4, imported: n + 2, failed: 2 });
    expect(status.errors.map((e) => [e.line, e.pointer])).to.deep.equal([[n + 2, '/id'], [n + 3, '/referralCode']]);
    expect(status.errors[1]!.message).to.equal('referral code "CODE7" belongs to another customer');
    // Sum of 10 + i % 7 over i < n: for 600, 600 × 10 plus 85 full weeks of 0..6 (85 × 21) and 0..4 for the last
    // five; for 260, 260 × 10 plus 37 weeks (37 × 21) and 0 for the last one.
    expect(await sumOfBalances(ledger, n)).to.equal(n === 600 ? 6000 + (85 * 21) + 10 : 2600 + (37 * 21) + 0);
    expect((await ledger.getCustomer(T, 'c-010', { at: AT })).points.balance).to.equal(10 + 3);
    expect(await ledger.getCustomer(T, 'zed', { at: AT }).catch((error: unknown) => error)).to.be.instanceOf(Error);
    // One entry per customer: nothing written twice by the repeated lines.
    expect((await store.list('entries', T, { limit: 10_000 })).length).to.equal(n);
    const reconciled = await ledger.reconcile(T);
    expect(reconciled.differences).to.deep.equal([]);
    expect(reconciled.checked).to.equal(n + 1);
  });

  it('gives a customer and a referral code to the earlier of two lines of one batch', async () => {
    const lines = [
      JSON.stringify({ id: 'p', referralCode: 'SAME', lots: [{ points: 1 }] }),
      JSON.stringify({ id: 'q', referralCode: 'same', lots: [{ points: 2 }] }),
      JSON.stringify({ id: 'p', lots: [{ points: 9 }] }),
    ];
    const status = await ledger.importCustomers(T, chunks(lines.join('\n')), { at: AT, idempotencyKey: 'pairs' });
    expect(status).to.deep.include({ processed: 3, imported: 1, failed: 2 });
    expect(status.errors.map((e) => [e.line, e.pointer])).to.deep.equal([[2, '/referralCode'], [3, '/id']]);
    expect((await ledger.getCustomer(T, 'p', { at: AT })).points.balance).to.equal(1);
    expect((await ledger.exportCustomer(T, 'p', { at: AT })).import).to.deep.include({ referralCode: 'SAME' });
    // q went on alone (the one-by-one path) and was refused there: its claim is gone, q is free.
    expect(await store.get('operations', T, 'import:q')).to.equal(undefined);
  });

  it('leaves a customer refused for a taken referral code free for the line sent again with another code', async () => {
    const owner = JSON.stringify({ id: 'rina', referralCode: 'RINA1', lots: [{ points: 40 }] });
    const clash = JSON.stringify({ id: 'sari', referralCode: 'rina-1', lots: [{ points: 70 }] });
    // In one batch (the batch path), then alone (the one-by-one path of a line sent again).
    const first = await ledger.importCustomers(T, chunks([owner, clash].join('\n')), { at: AT, idempotencyKey: 'codes' });
    expect(first.errors.map((e) => [e.line, e.pointer, e.message])).to.deep.equal([[2, '/referralCode', 'referral code "rina-1" belongs to another customer']]);
    const same = await ledger.importCustomers(T, chunks(clash), { at: AT, idempotencyKey: 'codes' });
    expect(same.errors.map((e) => [e.line, e.pointer, e.message])).to.deep.equal([[1, '/referralCode', 'referral code "rina-1" belongs to another customer']]);
    expect(await store.get('operations', T, 'import:sari'), 'no claim left behind').to.equal(undefined);
    // Corrected, by the same import and by another: imported once, with its 70 points.
    const fixed = JSON.stringify({ id: 'sari', referralCode: 'SARI7', lots: [{ points: 70 }] });
    const again = await ledger.importCustomers(T, chunks(fixed), { at: AT, idempotencyKey: 'codes' });
    expect(again).to.deep.include({ imported: 1, failed: 0 });
    const other = await ledger.importCustomers(T, chunks(fixed), { at: AT, idempotencyKey: 'codes-2' });
    expect(other.errors.map((e) => e.pointer)).to.deep.equal(['/id']);
    expect((await ledger.getCustomer(T, 'sari', { at: AT })).points.balance).to.equal(70);
    expect((await ledger.exportCustomer(T, 'sari', { at: AT })).import).to.deep.include({ referralCode: 'SARI7' });
    expect((await ledger.reconcile(T)).differences).to.deep.equal([]);
  });

  it('a tenant exported and imported into another has identical balances, lots and tiers', async () => {
    await ledger.importCustomers(T, chunks(FILE), { at: AT, idempotencyKey: 'migration-1' });
    // Besides the imported customers, one with an earned tier: 25,000,000 spent makes gold (pending points too).
    await ledger.recordOrder(T, { id: 'o-1', customerId: 'fajar', placedAt: '2026-11-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'TV-1', category: 'tv', quantity: 1, unitPrice: '25000000' }] }, { at: '2026-11-01T10:00:00+07:00' });
    const lines: string[] = [];
    for (const id of ['ayu', 'budi', 'fajar']) lines.push(JSON.stringify((await ledger.exportCustomer(T, id, { at: AT })).import));
    await ledger.publishProgram('shop-b', tokoProgram);
    const moved = await ledger.importCustomers('shop-b', chunks(lines.join('\n')), { at: AT, idempotencyKey: 'move' });
    expect(moved).to.deep.include({ imported: 3, failed: 0 });
    for (const id of ['ayu', 'budi', 'fajar']) {
      const [a, b] = [await ledger.getCustomer(T, id, { at: AT }), await ledger.getCustomer('shop-b', id, { at: AT })];
      expect(b.points, `${id}'s balances`).to.deep.equal(a.points);
      expect(b.tier?.id, `${id}'s tier`).to.equal(a.tier?.id);
      expect(b.tier?.heldUntil, `${id}'s tier is held as long`).to.equal(a.tier?.heldUntil);
      const [ea, eb] = [await ledger.exportCustomer(T, id, { at: AT }), await ledger.exportCustomer('shop-b', id, { at: AT })];
      expect(eb.import, `${id}'s import line`).to.deep.equal(ea.import);
    }
    expect((await ledger.reconcile('shop-b')).differences).to.deep.equal([]);
  });
});

describe('Imports interrupted at every step of a batch [memory]', () => {
  const lines = Array.from({ length: 300 }, (_, i) => many(i)).join('\n');

  /** The store's writes of an import that runs through, in order: where each step of a batch begins. */
  async function stepsOfCleanRun(): Promise<Array<{ name: string; index: number }>> {
    const faulty = new FaultyStore(new MemoryStore());
    const ledger = new Ledger(faulty);
    await ledger.publishProgram(T, tokoProgram);
    faulty.reset();
    await ledger.importCustomers(T, chunks(lines, 4096), { at: AT, idempotencyKey: 'cut' });
    const first = (method: string, collection: string, from = 0): number => faulty.writes.findIndex((w, i) => i >= from && w.method === method && w.collection === collection) + 1;
    const claims = first('insert', 'operations');
    const steps = [
      { name: 'the first claims', index: claims },
      { name: 'the referral codes', index: first('insert', 'referralCodes') },
      { name: 'the due filings', index: first('insert', 'momentsDue') },
      { name: 'the accounts', index: first('insert', 'accounts') },
      { name: 'the middle of the accounts', index: first('insert', 'accounts') + 100 },
      { name: 'the entries', index: first('insert', 'entries') },
      { name: 'the done marks', index: first('replace', 'operations') },
      { name: "the second batch's claims", index: first('insert', 'operations', claims + 256) },
    ];
    await ledger.close();
    expect(steps.every((step) => step.index > 0), JSON.stringify(steps)).to.equal(true);
    return steps;
  }

  it('finishes with every customer once when the same import is sent again', async () => {
    for (const step of await stepsOfCleanRun()) {
      const faulty = new FaultyStore(new MemoryStore());
      const ledger = new Ledger(faulty);
      await ledger.publishProgram(T, tokoProgram);
      faulty.reset();
      // A crash: the write at the step and every one after it fail.
      faulty.hook = (write) => {
        if (write.index >= step.index) throw new SimulatedCrash(write);
      };
      const cut = await ledger.importCustomers(T, chunks(lines, 4096), { at: AT, idempotencyKey: 'cut' }).catch((error: unknown) => error);
      expect(cut, step.name).to.be.instanceOf(SimulatedCrash);
      faulty.reset();
      const status = await ledger.importCustomers(T, chunks(lines, 4096), { at: AT, idempotencyKey: 'cut' });
      expect(status, step.name).to.deep.include({ status: 'done', processed: 300, imported: 300, failed: 0 });
      // Sum of 10 + i % 7 over i < 300: 300 × 10, plus 42 full weeks of 0..6 (42 × 21) and 0..5 for the last six.
      expect(await sumOfBalances(ledger, 300), step.name).to.equal(3000 + (42 * 21) + 15);
      expect((await faulty.list('entries', T, { limit: 10_000 })).length, step.name).to.equal(300);
      expect((await faulty.list('operations', T, { limit: 10_000 })).every((op) => (op.doc as { status?: string }).status === 'done'), step.name).to.equal(true);
      expect((await ledger.reconcile(T)).differences, step.name).to.deep.equal([]);
      await ledger.close();
    }
  });
});
