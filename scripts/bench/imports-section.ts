/**
 * Importing customers (packages/ledger/src/ledger/imports.ts, docs/data.md "Migrating from another program"): N
 * customers with 3 lots each (one in 10 with a tier held until a date) streamed as NDJSON into the embedded (LMDB)
 * store through `Ledger.importCustomers`, as `purna import` runs it, reporting customers/s and the peak RSS and heap
 * sampled every 100 ms; then a smaller run on MongoDB (MONGODB_URI, else FerretDB v1 on SQLite when Go is here).
 * The file is generated as it is read, 1,000 lines a chunk, so its size costs no memory. Every import must end with
 * N customers imported and none refused; reconcile is run after the smaller imports (the ledger's replay of every
 * account must find 0 differences).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openLedger, type Ledger, type StoreConfig } from '@purna/ledger';
import { startFerretDB, goAvailable } from '../ferretdb/ferretdb.js';
import { elapsedMs, type BenchReport } from './bench-report.js';
import { RECIPE_PROGRAM, benchCustomerId, fastDataRoot } from './bench-data.js';

const SECTION = 'imports';
const TENANT = 'default';
/** The instant of the import: the lots are available since before it and expire after it. */
const AT = '2026-12-10T03:00:00.000Z';
/** Reconcile replays every account: run it up to this many customers. */
const RECONCILE_UP_TO = 200_000;
const LINES_PER_CHUNK = 1000;

/** Options of {@link importsSection}. */
export interface ImportsOptions {
  readonly quick: boolean;
  /** Customers imported on the embedded store (default 1,000,000; quick 100,000). */
  readonly importCustomers?: number;
  /** Customers imported on MongoDB (default 5,000; quick 1,000). */
  readonly importMongoCustomers?: number;
}

/** Line n of the file: a profile, three lots with their own dates, one customer in ten with gold held by hand. */
function line(n: number): string {
  const month = String(1 + (n % 12)).padStart(2, '0');
  return JSON.stringify({
    id: benchCustomerId(n),
    enrolledAt: '2024-05-01T10:00:00+07:00',
    birthDate: `1990-${month}-${String(1 + (n % 28)).padStart(2, '0')}`,
    emailHash: `sha256:${n.toString(16).padStart(12, '0')}`,
    lots: [
      { points: 100 + (n % 900), availableAt: '2026-06-01T00:00:00+07:00', expiresAt: `2027-${month}-15T00:00:00+07:00`, reason: 'migrated balance' },
      { points: 50, availableAt: '2026-11-01T00:00:00+07:00', expiresAt: '2027-11-01T00:00:00+07:00', reason: 'migrated balance' },
      { points: 25, availableAt: '2026-12-20T00:00:00+07:00', expiresAt: '2027-12-20T00:00:00+07:00', reason: 'migrated balance' },
    ],
    ...(n % 10 === 0 ? { tier: { id: 'gold', until: '2027-06-30T23:59:59+07:00' } } : {}),
  });
}

/** The file as chunks of lines, generated as they are read. */
function* file(count: number): Generator<Buffer> {
  for (let first = 0; first < count; first += LINES_PER_CHUNK) {
    const lines: string[] = [];
    for (let n = first; n < Math.min(count, first + LINES_PER_CHUNK); n += 1) lines.push(line(n));
    yield Buffer.from(`${lines.join('\n')}\n`, 'utf8');
  }
}

/** The peak RSS and heap while `work` runs, sampled every 100 ms. */
async function withPeakMemory<T>(work: () => Promise<T>): Promise<{ result: T; rssMb: number; heapMb: number }> {
  let rss = 0;
  let heap = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    rss = Math.max(rss, usage.rss);
    heap = Math.max(heap, usage.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, rssMb: rss / (2 ** 20), heapMb: heap / (2 ** 20) };
  } finally {
    clearInterval(timer);
  }
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
const grouped = (n: number): string => n.toLocaleString('en');

/** One import of `count` customers into a fresh store; one row. */
async function importRun(report: BenchReport, store: StoreConfig, label: string, count: number, where: string, goal: boolean): Promise<void> {
  const ledger: Ledger = await openLedger({ store });
  try {
    await ledger.publishProgram(TENANT, JSON.parse(readFileSync(RECIPE_PROGRAM, 'utf8')));
    let lastLog = Date.now();
    const start = process.hrtime.bigint();
    const { result: status, rssMb, heapMb } = await withPeakMemory(() =>
      ledger.importCustomers(TENANT, file(count), {
        at: AT,
        idempotencyKey: 'bench',
        onProgress: (now) => {
          if (Date.now() - lastLog < 10_000) return;
          lastLog = Date.now();
          process.stderr.write(`  imports (${label}): ${grouped(now.processed)} of ${grouped(count)}\n`);
        },
      }),
    );
    const ms = elapsedMs(start);
    if (status.imported !== count || status.failed !== 0) throw new Error(`${label}: ${status.imported} of ${count} imported, ${status.failed} refused: ${JSON.stringify(status.errors.slice(0, 3))}`);
    const rate = (count / ms) * 1000;
    let reconciled = 'reconcile not run (over 200,000 customers)';
    if (count <= RECONCILE_UP_TO) {
      const startReconcile = process.hrtime.bigint();
      const answer = await ledger.reconcile(TENANT);
      if (answer.differences.length > 0 || answer.checked !== count) throw new Error(`${label}: reconcile checked ${answer.checked}, found ${answer.differences.length} differences`);
      reconciled = `reconcile checked ${grouped(answer.checked)} accounts, 0 differences (${seconds(elapsedMs(startReconcile))})`;
    }
    report.add({
      section: SECTION,
      name: `import ${grouped(count)} customers × 3 lots (${label})`,
      value: rate,
      unit: 'customers/s',
      ...(goal ? { goal: { text: '≥ 5,000 customers/s, memory bounded', met: rate >= 5000 } } : {}),
      note: `${seconds(ms)} for ${grouped(count)} customers and ${grouped(count * 3)} lots (one in ten with a tier held by hand), every one imported, none refused; peak RSS ${rssMb.toFixed(0)} MB, peak heap ${heapMb.toFixed(0)} MB; ${reconciled}; ${where}`,
    });
  } finally {
    await ledger.close();
  }
}

/** The section: the embedded store at N, then MongoDB at a smaller size. */
export async function importsSection(report: BenchReport, options: ImportsOptions): Promise<void> {
  const customers = options.importCustomers ?? (options.quick ? 100_000 : 1_000_000);
  const mongoCustomers = options.importMongoCustomers ?? (options.quick ? 1000 : 5000);
  const dir = mkdtempSync(join(fastDataRoot().root, 'purna-bench-imports-'));
  try {
    await importRun(report, { kind: 'lmdb', path: dir }, 'lmdb', customers, `embedded LMDB ${fastDataRoot().label}`, true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.env.MONGODB_URI) {
    await importRun(report, { kind: 'mongo', uri: process.env.MONGODB_URI, dbName: `purna_bench_imports_${Date.now()}` }, 'mongo', mongoCustomers, 'MONGODB_URI', false);
    return;
  }
  if (!goAvailable()) {
    report.add({ section: SECTION, name: 'import (mongo)', value: Number.NaN, unit: '', note: 'skipped: no MONGODB_URI and no Go toolchain to build FerretDB' });
    return;
  }
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = fastDataRoot().root;
  const ferret = await startFerretDB((text) => process.stderr.write(`${text}\n`), { handler: 'sqlite' }).finally(() => {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  });
  try {
    await importRun(report, { kind: 'mongo', uri: ferret.uri, dbName: 'purna_bench_imports' }, 'mongo', mongoCustomers, `FerretDB v1, SQLite ${fastDataRoot().label}`, false);
  } finally {
    await ferret.stop();
  }
}
