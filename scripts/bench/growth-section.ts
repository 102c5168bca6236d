/**
 * Growth: how costs change with data, on the embedded (LMDB) store through the `Ledger` the API calls.
 * - customers: 10k, 100k, 1M enrolled (quick: 10k) — reading a balance and recording an order must stay flat;
 * - one customer with 10, 1k, 10k ledger entries (quick: 10, 1k) — the same two latencies;
 * - an expiry sweep over many lots: lots expired per second;
 * - a simulation of 1M orders (quick: 20k) by scripts/bench/simulate.ts (`purna simulate`): orders/s and peak memory.
 * Each latency is a median/p99 of sequential calls, so it is the cost of one call, not of a queue.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ForwardingStore, LmdbStore, openLedger, type CollectionName, type InsertResult, type Ledger, type Versioned } from '@purna/ledger';
import { DateTime } from 'luxon';
import { generateOrders, SHOPS, type GeneratedOrder } from '../generate-orders.js';
import { elapsedMs, percentile, type BenchReport } from './bench-report.js';
import { RECIPE_PROGRAM, benchCustomerId, enrolCustomers, fastDataRoot } from './bench-data.js';

const SECTION = 'growth';
const TENANT = 'default';
const DAY_MS = 86_400_000;

function recipeProgram(): unknown {
  return JSON.parse(readFileSync(RECIPE_PROGRAM, 'utf8'));
}

/** Latencies (ms) of `count` sequential calls of `call(i)`. */
async function latencies(count: number, call: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    await call(i);
    times.push(elapsedMs(start));
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** A generated order pool (the shop of the recipe program), re-addressed to `customerOf(i)` with fresh ids. */
function orders(count: number, seed: number): GeneratedOrder[] {
  return [...generateOrders({ shop: SHOPS.id!, orders: count, customers: 1000, seed, from: '2026-01-01T00:00:00+07:00', until: '2026-03-01T00:00:00+07:00' })];
}

/** A store that counts durable commits (insert and replace calls), to say how many writes one operation costs. */
class CountingStore extends ForwardingStore {
  commits = 0;

  override insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    this.commits += 1;
    return super.insert(collection, tenantId, key, doc);
  }

  override replace<T extends object>(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: T): Promise<Versioned<T> | undefined> {
    this.commits += 1;
    return super.replace(collection, tenantId, key, expectedVersion, doc);
  }
}

async function withLedger<T>(name: string, run: (ledger: Ledger, store: CountingStore) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(fastDataRoot().root, `purna-bench-${name}-`));
  const store = new CountingStore(LmdbStore.open({ path: dir }));
  const ledger = await openLedger({ store });
  try {
    await ledger.publishProgram(TENANT, recipeProgram());
    return await run(ledger, store);
  } finally {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function flatness(value: number, first: number | undefined, label: string): { ratio?: { value: number; against: string }; goal?: { text: string; met: boolean } } {
  if (first === undefined) return {};
  return { ratio: { value: value / first, against: label }, goal: { text: `flat: ≤ 2× ${label}`, met: value / first <= 2 } };
}

async function customersGrowth(report: BenchReport, sizes: readonly number[], quick: boolean): Promise<void> {
  await withLedger('customers', async (ledger, store) => {
    let enrolled = 0;
    let firstRead: number | undefined;
    let firstWrite: number | undefined;
    const pool = orders(quick ? 300 : 1000, 3);
    let written = 0;
    for (const size of sizes) {
      const start = process.hrtime.bigint();
      await enrolCustomers(ledger, TENANT, size - enrolled, 32, enrolled);
      const enrolMs = elapsedMs(start);
      const rate = ((size - enrolled) / enrolMs) * 1000;
      enrolled = size;
      const pick = (i: number) => benchCustomerId((i * 7919) % size);
      const read = await latencies(quick ? 1000 : 3000, (i) => ledger.getCustomer(TENANT, pick(i), { at: '2026-06-01T00:00:00Z' }));
      const commitsBefore = store.commits;
      const write = await latencies(pool.length, (i) => {
        const { placedAt: _placedAt, ...order } = pool[i]!;
        written += 1;
        return ledger.recordOrder(TENANT, { ...order, id: `g-${size}-${i}`, customerId: pick((i * 13) + 1) }, { at: new Date(Date.UTC(2026, 4, 1) + (written * 1000)).toISOString() });
      });
      report.add({
        section: SECTION,
        name: `read balance at ${size.toLocaleString('en')} customers (p50)`,
        value: read.p50 * 1000,
        unit: 'µs',
        ...flatness(read.p50, firstRead, '10k customers'),
        note: `p99 ${(read.p99 * 1000).toFixed(0)} µs; enrolled at ${Math.round(rate).toLocaleString('en')} customers/s (32 at a time); ${fastDataRoot().label}`,
      });
      report.add({
        section: SECTION,
        name: `record order at ${size.toLocaleString('en')} customers (p50)`,
        value: write.p50 * 1000,
        unit: 'µs',
        ...flatness(write.p50, firstWrite, '10k customers'),
        note: `p99 ${(write.p99 * 1000).toFixed(0)} µs over ${pool.length} sequential orders, ${((store.commits - commitsBefore) / pool.length).toFixed(1)} store commits each; ${fastDataRoot().label}`,
      });
      firstRead ??= read.p50;
      firstWrite ??= write.p50;
    }
  });
}

async function entriesGrowth(report: BenchReport, checkpoints: readonly number[], quick: boolean): Promise<void> {
  // Recording gets slower as the history grows; past this budget a checkpoint is reported where it got to.
  const budgetMs = quick ? 60_000 : 240_000;
  await withLedger('entries', async (ledger) => {
    const customerId = 'heavy-buyer';
    await ledger.upsertCustomer(TENANT, { id: customerId, enrolledAt: '2025-01-01T00:00:00+07:00' }, { at: '2025-01-01T00:00:00Z' });
    const pool = orders(200, 9);
    // One order a day from 2024-01-01 (a busy business account): the tier window (12 months) holds at most ~365 of
    // them, so this measures the ledger's own growth (lots, entries), not the tier window's.
    const start = DateTime.fromISO('2024-01-01T00:00:00Z', { zone: 'utc' }).toMillis();
    let count = 0;
    const record = () => {
      const order = pool[count % pool.length]!;
      const placedAt = new Date(start + (count * DAY_MS)).toISOString();
      count += 1;
      return ledger.recordOrder(TENANT, { ...order, id: `h-${count}`, customerId, placedAt }, { at: placedAt });
    };
    let firstRead: number | undefined;
    let firstWrite: number | undefined;
    const probes = 50;
    for (const target of checkpoints) {
      const setupStart = process.hrtime.bigint();
      while (count < target - (probes / 2) && elapsedMs(setupStart) < budgetMs) await record();
      const reached = count + (probes / 2) >= target;
      const at = new Date(start + (count * DAY_MS)).toISOString();
      const read = await latencies(200, () => ledger.getCustomer(TENANT, customerId, { at }));
      const write = await latencies(probes, () => record());
      const view = await ledger.getCustomer(TENANT, customerId, { at: new Date(start + (count * DAY_MS)).toISOString() });
      report.add({
        section: SECTION,
        name: `read balance, one customer with ${(reached ? target : count).toLocaleString('en')} entries (p50)`,
        value: read.p50 * 1000,
        unit: 'µs',
        ...flatness(read.p50, firstRead, '10 entries'),
        note: `p99 ${(read.p99 * 1000).toFixed(0)} µs; ${count} orders recorded${reached ? '' : ` (budget of ${budgetMs / 1000} s spent before ${target.toLocaleString('en')})`}, balance ${view.points.balance.toLocaleString('en')} points`,
      });
      report.add({
        section: SECTION,
        name: `record order, one customer with ${(reached ? target : count).toLocaleString('en')} entries (p50)`,
        value: write.p50 * 1000,
        unit: 'µs',
        ...flatness(write.p50, firstWrite, '10 entries'),
        note: `p99 ${(write.p99 * 1000).toFixed(0)} µs over ${probes} orders`,
      });
      firstRead ??= read.p50;
      firstWrite ??= write.p50;
    }
  });
}

async function expirySweep(report: BenchReport, quick: boolean): Promise<void> {
  const customers = quick ? 500 : 10_000;
  const lotsEach = 5;
  await withLedger('expiry', async (ledger) => {
    const start = process.hrtime.bigint();
    let next = 0;
    const worker = async () => {
      while (next < customers) {
        const n = next++;
        for (let k = 0; k < lotsEach; k += 1) {
          const at = `2025-0${1 + k}-10T10:00:00Z`;
          await ledger.adjust(TENANT, { id: `adj-${n}-${k}`, customerId: benchCustomerId(n), points: 100 + k, reason: 'goodwill', actor: 'bench' }, { at });
        }
      }
    };
    await enrolCustomers(ledger, TENANT, customers);
    await Promise.all(Array.from({ length: 16 }, worker));
    const setupMs = elapsedMs(start);
    const sweepStart = process.hrtime.bigint();
    const result = await ledger.runExpirySweep(TENANT, { at: '2026-07-01T00:00:00Z' });
    const sweepMs = elapsedMs(sweepStart);
    const lots = customers * lotsEach;
    const expectedPoints = customers * ((100 * lotsEach) + ((lotsEach * (lotsEach - 1)) / 2));
    if (result.expired !== expectedPoints) throw new Error(`growth: the expiry sweep expired ${result.expired} points, ${expectedPoints} were due`);
    report.add({
      section: SECTION,
      name: `expiry sweep, ${lots.toLocaleString('en')} lots of ${customers.toLocaleString('en')} customers`,
      value: (lots / sweepMs) * 1000,
      unit: 'lots/s',
      note: `${(sweepMs / 1000).toFixed(1)} s, ${Math.round((customers / sweepMs) * 1000).toLocaleString('en')} customers/s, every due point expired; setup (adjustments) took ${(setupMs / 1000).toFixed(1)} s; ${fastDataRoot().label}`,
    });
  });
}

const SIMULATE_SCRIPT = fileURLToPath(new URL('./simulate.ts', import.meta.url));

/** The CLI engineer's scripts/bench/simulate.ts (the real `purna simulate` on a generated history), its figures parsed. */
async function simulation(report: BenchReport, orders: number): Promise<void> {
  const customers = orders / 10;
  const child = spawn(process.execPath, ['--conditions=purna-source', '--import', 'tsx', SIMULATE_SCRIPT, '--orders', String(orders), '--customers', String(customers)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const run = /simulated ([\d,]+) orders of ([\d,]+) customers in ([\d.]+)s \(([\d,]+) orders\/s\)/.exec(stdout);
  const peak = /peak RSS (\d+) MiB; RSS at each tenth of the run: (.*)/.exec(stdout);
  if (code !== 0 || !run || !peak) throw new Error(`growth: scripts/bench/simulate.ts exited with ${String(code)}: ${stdout.slice(0, 500)} ${stderr}`);
  const number = (text: string) => Number(text.replace(/,/g, ''));
  report.add({
    section: SECTION,
    name: `simulate ${orders.toLocaleString('en')} orders (purna simulate, recipe program)`,
    value: number(run[4]!),
    unit: 'orders/s',
    note: `${run[3]} s for ${run[1]} orders of ${run[2]} customers (scripts/bench/simulate.ts, generation not timed); peak RSS ${peak[1]} MiB; RSS at each tenth: ${peak[2]}`,
  });
  report.add({ section: SECTION, name: `simulate ${orders.toLocaleString('en')} orders: peak memory`, value: number(peak[1]!), unit: 'MiB', note: 'VmHWM of the purna simulate process' });
}

/** What one durable LMDB commit costs on the disk the embedded store uses by default (the OS temp folder). */
async function diskCommit(report: BenchReport): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'purna-bench-commit-'));
  const store = LmdbStore.open({ path: dir });
  try {
    const times = await latencies(30, (i) => store.insert('entries', TENANT, `k-${i}`, { i }));
    report.add({
      section: SECTION,
      name: 'one LMDB store commit on disk (p50)',
      value: times.p50 * 1000,
      unit: 'µs',
      note: `p99 ${(times.p99 * 1000).toFixed(0)} µs; ${tmpdir()}; the store commits synchronously with fsync, so this bounds writes on disk`,
    });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface GrowthOptions {
  readonly quick: boolean;
  /** Customer counts to measure at (default: 10k, 100k, 1M; quick: 10k). */
  readonly customers?: readonly number[];
  /** One customer's entry counts to measure at (default: 10, 1k, 10k; quick: 10, 1k). */
  readonly entries?: readonly number[];
  /** Orders to simulate (default: 1M; quick: 20k). */
  readonly simulateOrders?: number;
}

/** Runs the section. */
export async function growthSection(report: BenchReport, options: GrowthOptions): Promise<void> {
  await diskCommit(report);
  await customersGrowth(report, options.customers ?? (options.quick ? [10_000] : [10_000, 100_000, 1_000_000]), options.quick);
  await entriesGrowth(report, options.entries ?? (options.quick ? [10, 1_000] : [10, 1_000, 10_000]), options.quick);
  await expirySweep(report, options.quick);
  await simulation(report, options.simulateOrders ?? (options.quick ? 20_000 : 1_000_000));
}
