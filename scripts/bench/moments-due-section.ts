/**
 * The moments run finds what is due through the due index (packages/ledger/src/moments/moments-due.ts), so a run
 * where 1% of the customers have something due costs what those 1% cost, not what the whole tenant costs.
 *
 * Two ledgers on the embedded (LMDB) store, populated through the `Ledger` so every account is filed in the index
 * the way real writes file it:
 * - A: N customers (1M; quick 100k; else the largest `--customers`), every hundredth with one small order per
 *   measured run, its points becoming available inside that run's window; everyone's birthday is in July to
 *   December, so the other 99% are filed months after the runs;
 * - B: only those 1%, with the same profiles and orders.
 * A warm-up run (the first under the program version reads every account, which is what a run without the index
 * costs) precedes the measured runs, which alternate between A and B; each must emit exactly one moment per due
 * customer on both. The ratio is the median of the per-round ratios A/B (the goal is about 1).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { LmdbStore, openLedger, type Ledger, type MomentsJobAnswer } from '@purna/ledger';
import { elapsedMs, median, type BenchReport } from './bench-report.js';
import { RECIPE_PROGRAM, benchCustomerId, fastDataRoot } from './bench-data.js';
import { CallCountingStore } from './call-counting-store.js';

const SECTION = 'moments';
const TENANT = 'default';
const DAY_MS = 86_400_000;
/** Every customer is enrolled (written) at this instant; the orders follow, one a day. */
const ENROLLED_AT = '2026-01-05T03:00:00Z';
const FIRST_ORDER_MS = Date.parse('2026-01-06T03:00:00Z');
/** Before the first order's points become available (the recipe program keeps order points pending 14 days). */
const WARM_UP_AT = '2026-01-15T00:00:00Z';
/** Run k is at 09:00 UTC on the day order k's points became available (03:00 UTC), before order k+1's. */
const FIRST_RUN_MS = Date.parse('2026-01-20T09:00:00Z');
/** One due customer in this many. */
const EVERY = 100;
const CONCURRENCY = 32;

interface Population {
  readonly label: string;
  readonly ledger: Ledger;
  readonly store: CallCountingStore;
  readonly dir: string;
  readonly populateMs: number;
}

/** Runs `work(i)` for i in [0, count), `CONCURRENCY` at a time. */
async function inParallel(count: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await work(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

/**
 * A ledger with customers `n = i × stride` for i in [0, count): enrolled with a birthday in July to December, and,
 * for every hundredth n, one order a day for `runs` days.
 */
async function populate(label: string, count: number, stride: number, runs: number): Promise<Population> {
  const dir = mkdtempSync(join(fastDataRoot().root, `purna-bench-moments-${label}-`));
  const store = new CallCountingStore(LmdbStore.open({ path: dir }));
  const ledger = await openLedger({ store });
  const start = process.hrtime.bigint();
  await ledger.publishProgram(TENANT, JSON.parse(readFileSync(RECIPE_PROGRAM, 'utf8')));
  await inParallel(count, (i) => {
    const n = i * stride;
    const birthDate = `1990-${String(7 + (n % 6)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;
    return ledger.upsertCustomer(TENANT, { id: benchCustomerId(n), enrolledAt: '2025-01-01T00:00:00+07:00', birthDate }, { at: ENROLLED_AT });
  });
  const due = dueCustomers(count * stride);
  await inParallel(due * runs, (j) => {
    const n = Math.floor(j / runs) * EVERY;
    const k = j % runs;
    const placedAt = new Date(FIRST_ORDER_MS + (k * DAY_MS)).toISOString();
    const order = { id: `m-${n}-${k}`, customerId: benchCustomerId(n), currency: 'IDR', placedAt, lines: [{ sku: 'usb-c-cable', category: 'accessories', quantity: 1, unitPrice: '150000' }] };
    return ledger.recordOrder(TENANT, order, { at: placedAt });
  });
  return { label, ledger, store, dir, populateMs: elapsedMs(start) };
}

/** How many of customers 0..n-1 have something due (every hundredth, from 0). */
function dueCustomers(n: number): number {
  return Math.ceil(n / EVERY);
}

interface TimedRun {
  readonly ms: number;
  readonly answer: MomentsJobAnswer;
  readonly reads: number;
  readonly writes: number;
}

async function timedRun(population: Population, at: string): Promise<TimedRun> {
  const { store } = population;
  const reads = store.reads;
  const writes = store.writes;
  const start = process.hrtime.bigint();
  const answer = await population.ledger.runMomentsJob(TENANT, { at });
  return { ms: elapsedMs(start), answer, reads: store.reads - reads, writes: store.writes - writes };
}

function check(population: Population, run: TimedRun, expected: number, what: string): void {
  if (run.answer.emitted !== expected || run.answer.customers !== expected) {
    throw new Error(`moments: ${what} over ${population.label} answered ${JSON.stringify(run.answer)}, expected ${expected} moments of ${expected} customers`);
  }
}

async function close(population: Population): Promise<void> {
  await population.ledger.close();
  rmSync(population.dir, { recursive: true, force: true });
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const grouped = (n: number): string => n.toLocaleString('en');

/** Options of the section. */
export interface MomentsDueOptions {
  readonly quick: boolean;
  /** The largest is the number of customers of population A (default 1M; quick 100k). */
  readonly customers?: readonly number[];
}

/** Runs the section: one row, the measured run over A against the same run over B. */
export async function momentsDueSection(report: BenchReport, options: MomentsDueOptions): Promise<void> {
  const customers = options.customers ? Math.max(...options.customers) : options.quick ? 100_000 : 1_000_000;
  const due = dueCustomers(customers);
  const runs = options.quick ? 3 : 5;
  const populations: Population[] = [];
  try {
    const a = await populate('all', customers, 1, runs);
    populations.push(a);
    process.stderr.write(`  moments: ${grouped(customers)} customers populated in ${seconds(a.populateMs)}\n`);
    const b = await populate('due', due, EVERY, runs);
    populations.push(b);
    // The first run under the program version reads every account (and would file any the writes had not): on A it
    // is what a run without the index costs; on B it leaves the due alone in the same state as A's due.
    const warmA = await timedRun(a, WARM_UP_AT);
    const warmB = await timedRun(b, WARM_UP_AT);
    check(a, warmA, 0, 'the warm-up run');
    check(b, warmB, 0, 'the warm-up run');
    const timesA: number[] = [];
    const timesB: number[] = [];
    const ratios: number[] = [];
    const calls = { a: { reads: 0, writes: 0 }, b: { reads: 0, writes: 0 } };
    for (let k = 0; k < runs; k += 1) {
      const at = new Date(FIRST_RUN_MS + (k * DAY_MS)).toISOString();
      // Alternate which goes first, so a burst of load from another process or a collection does not always hit one.
      const [first, second] = k % 2 === 0 ? [a, b] : [b, a];
      const runFirst = await timedRun(first, at);
      const runSecond = await timedRun(second, at);
      const [runA, runB] = first === a ? [runFirst, runSecond] : [runSecond, runFirst];
      check(a, runA, due, `run ${k + 1}`);
      check(b, runB, due, `run ${k + 1}`);
      timesA.push(runA.ms);
      timesB.push(runB.ms);
      ratios.push(runA.ms / runB.ms);
      calls.a.reads += runA.reads;
      calls.a.writes += runA.writes;
      calls.b.reads += runB.reads;
      calls.b.writes += runB.writes;
    }
    const msA = median(timesA);
    const msB = median(timesB);
    const ratio = median(ratios);
    const perAccount = (n: number) => (n / (due * runs)).toFixed(2);
    const list = (times: readonly number[]) => times.map((ms) => (ms / 1000).toFixed(2)).join(', ');
    report.add({
      section: SECTION,
      name: `moments run, 1% of ${grouped(customers)} customers due`,
      value: msA,
      unit: 'ms',
      ratio: { value: ratio, against: `the ${grouped(due)} due customers alone` },
      goal: { text: 'about what the due cost: ≤ 1.5× them alone', met: ratio <= 1.5 },
      note:
        `${runs} runs alternated, each timed over all ${grouped(customers)} customers (median ${seconds(msA)}: ${list(timesA)} s) and over the due alone ` +
        `(median ${seconds(msB)}: ${list(timesB)} s), the ratio the median of the runs' ratios; ${grouped(Math.round((due / msA) * 1000))} due accounts/s; ` +
        `every run emitted ${grouped(due)} moments (points.available) for ${grouped(due)} customers on both; ` +
        `per due account ${perAccount(calls.a.reads)} store reads and ${perAccount(calls.a.writes)} writes (the due alone: ${perAccount(calls.b.reads)} and ${perAccount(calls.b.writes)}); ` +
        `reading every account instead (the first run under a program version, the warm-up) took ${seconds(warmA.ms)} over ${grouped(customers)} accounts ` +
        `(${grouped(Math.round((customers / warmA.ms) * 1000))} accounts/s, ${formatTimes(warmA.ms / msA)} this run); ` +
        `populated through the ledger in ${seconds(a.populateMs)} (${grouped(customers)} enrolments with a birthday in July to December, ${grouped(due * runs)} orders; ` +
        `the due alone in ${seconds(b.populateMs)}); ${fastDataRoot().label}`,
    });
  } finally {
    for (const population of populations) await close(population);
  }
}

function formatTimes(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;
}
