/**
 * `node --conditions=purna-source --import tsx scripts/bench/simulate.ts [--orders 1000000] [--customers 100000]
 *    [--program file] [--plain] [--keep] [--check]`
 *
 * The million-order simulation benchmark: generates a seeded history over two years (scripts/generate-orders.ts:
 * orders and, unless `--plain`, the returns, redemptions, reviews, birthday sweeps, adjustments and referrals around
 * them), runs the real `purna simulate` on it in a child process with the customers file, shows its progress bar
 * here, and samples the child's resident memory from /proc as it goes. It prints the time, orders and records per
 * second, and the RSS against the share of the file read (at each tenth, and at the start, middle and end) with its
 * peak: flat memory means the RSS stops growing once the windows the program reads (tier window, expiry, returns)
 * are full, however many orders follow.
 *
 * `--check` then recomputes the same history without the simulation: every order quoted by `quoteOrder` and every
 * return decided by `evaluateReturn` with the customer's complete history (the rules tests' reference,
 * packages/rules/test/simulation/reference-quotes.ts), and fails unless the report's points on orders, points by
 * tier, returns and clawbacks equal those sums.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compileProgram, parseProgram } from '@purna/rules';
import { referenceTotals } from '../../packages/rules/test/simulation/reference-quotes.js';
import { generateCustomers, generateHistory, SHOPS, writeNdjson, type GenerateOptions } from '../generate-orders.js';

const BIN = fileURLToPath(new URL('../../api/bin/purna.js', import.meta.url));
const DEFAULT_PROGRAM = fileURLToPath(new URL('../../docs/recipes/indonesian-electronics-idr.program.json', import.meta.url));

/** Resident and peak resident memory of a process in MiB, from /proc (Linux); undefined elsewhere. */
async function memoryOf(pid: number): Promise<{ rss: number; peak: number } | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
    return { rss: field('VmRSS'), peak: field('VmHWM') };
  } catch {
    return undefined;
  }
}

function mib(n: number | undefined): string {
  return n === undefined || Number.isNaN(n) ? 'n/a' : `${n.toFixed(0)} MiB`;
}

/** A sample of the child's memory, and how far through the file it was (from its progress lines). */
interface Sample {
  readonly seconds: number;
  readonly percent: number;
  readonly rss: number;
}

/** What the check and the summary read of the `--json` report. */
interface SimulationFigures {
  readonly orders: number;
  readonly points: number;
  readonly liability: string | null;
  readonly customers: number;
  readonly byTier: Record<string, { readonly points: number }>;
  readonly returns: { readonly count: number };
  readonly flow: { readonly issued: number; readonly outstanding: number; readonly clawedBack: number };
}

/** `--check`: the report's totals against every order quoted and every return decided with full histories. */
async function checkAgainstReference(programFile: string, options: GenerateOptions, report: SimulationFigures): Promise<string> {
  const started = performance.now();
  const compiled = compileProgram(parseProgram(JSON.parse(await readFile(programFile, 'utf8'))));
  const reference = referenceTotals(compiled, [...generateHistory(options)]);
  const byTier = Object.fromEntries(Object.entries(report.byTier).map(([id, tier]) => [id, tier.points]));
  const differences = [
    report.points !== reference.points ? `points on orders ${report.points} against ${reference.points}` : '',
    report.orders !== reference.orders ? `orders ${report.orders} against ${reference.orders}` : '',
    report.returns.count !== reference.returns ? `returns ${report.returns.count} against ${reference.returns}` : '',
    report.flow.clawedBack !== reference.clawedBack ? `clawed back ${report.flow.clawedBack} against ${reference.clawedBack}` : '',
    JSON.stringify(Object.entries(byTier).filter(([, points]) => points !== 0).sort()) !== JSON.stringify(Object.entries(reference.byTier).filter(([, points]) => points !== 0).sort()) ? `points by tier ${JSON.stringify(byTier)} against ${JSON.stringify(reference.byTier)}` : '',
  ].filter((text) => text !== '');
  if (differences.length > 0) throw new Error(`check: the simulation differs from the per-order quotes: ${differences.join('; ')}`);
  return `check: equal to ${reference.orders.toLocaleString('en')} orders quoted and ${reference.returns.toLocaleString('en')} returns decided one by one with full histories (${reference.points.toLocaleString('en')} points, ${reference.clawedBack.toLocaleString('en')} clawed back; by tier ${Object.entries(reference.byTier).map(([id, points]) => `${id} ${points.toLocaleString('en')}`).join(', ')}) in ${((performance.now() - started) / 1000).toFixed(0)}s`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { orders: { type: 'string' }, customers: { type: 'string' }, program: { type: 'string' }, plain: { type: 'boolean' }, keep: { type: 'boolean' }, check: { type: 'boolean' } },
    strict: true,
  });
  const orders = Number(values.orders ?? 1_000_000);
  const customers = Number(values.customers ?? 100_000);
  if (!Number.isSafeInteger(orders) || orders < 1 || !Number.isSafeInteger(customers) || customers < 1) throw new RangeError('--orders and --customers must be whole numbers of 1 or more');
  const program = values.program ?? DEFAULT_PROGRAM;
  const dir = await mkdtemp(join(tmpdir(), 'purna-bench-'));
  try {
    const options: GenerateOptions = { shop: SHOPS.id!, orders, customers, seed: 42, from: '2025-01-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00', activity: values.plain !== true };
    const historyFile = join(dir, 'history.ndjson');
    const customersFile = join(dir, 'customers.ndjson');
    let started = performance.now();
    const records = await writeNdjson(historyFile, generateHistory(options));
    await writeNdjson(customersFile, generateCustomers(options));
    const size = (await stat(historyFile)).size;
    process.stderr.write(
      `generated ${orders.toLocaleString('en')} orders and ${(records - orders).toLocaleString('en')} other records (${(size / 1048576).toFixed(0)} MiB) for ${customers.toLocaleString('en')} customers over two years in ${((performance.now() - started) / 1000).toFixed(1)}s\n`,
    );

    // One process (the binary's own re-exec, done here directly) so that /proc shows the process doing the work.
    const tsx = import.meta.resolve('tsx');
    started = performance.now();
    const child = spawn(process.execPath, ['--conditions=purna-source', `--import=${tsx}`, BIN, 'simulate', program, '--orders', historyFile, '--customers', customersFile, '--progress', '--json'], {
      env: { ...process.env, PURNA_CLI_LOADED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    // The progress lines ("simulate  49% 712,345 records  ...") are shown as they come and tell how far the child is.
    let percent = 0;
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      process.stderr.write(chunk);
      for (const match of chunk.matchAll(/simulate +(\d+)% /g)) percent = Number(match[1]);
      if (/simulate done:/.test(chunk)) percent = 100;
    });
    const samples: Sample[] = [];
    let peak = 0;
    const timer = setInterval(() => {
      if (child.pid === undefined) return;
      void memoryOf(child.pid).then((m) => {
        if (!m) return;
        samples.push({ seconds: (performance.now() - started) / 1000, percent, rss: m.rss });
        peak = Math.max(peak, m.peak);
      });
    }, 500);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`purna simulate exited with ${code}`);
    const report = JSON.parse(stdout) as { records: number; program: SimulationFigures };
    // The RSS when the child had read a share of the file: the last sample taken before it reported more.
    const at = (share: number) => [...samples].reverse().find((s) => s.percent <= share && s.percent > 0) ?? samples.find((s) => s.percent > 0);
    const tenths = [10, 20, 30, 40, 50, 60, 70, 80, 90, 99].map(at);
    // Every sample, by the tenth of the file being read: a single sample can land on a full collection, which
    // briefly holds the old pages and the compacted copy at once; the median says where memory sits.
    const byTenth = Array.from({ length: 10 }, (_, tenth) => samples.filter((s) => s.percent >= tenth * 10 && s.percent < ((tenth + 1) * 10) + (tenth === 9 ? 1 : 0)).map((s) => s.rss));
    const medianOf = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    const r = report.program;
    const lines = [
      `simulated ${r.orders.toLocaleString('en')} orders of ${r.customers.toLocaleString('en')} customers in ${seconds.toFixed(1)}s (${Math.round(r.orders / seconds).toLocaleString('en')} orders/s) with ${(report.records - r.orders).toLocaleString('en')} other records (${Math.round(report.records / seconds).toLocaleString('en')} records/s), ${r.points.toLocaleString('en')} points on orders, ${r.flow.issued.toLocaleString('en')} issued in all, ${r.flow.outstanding.toLocaleString('en')} held at the end, liability IDR ${r.liability ?? 'n/a'}`,
      `peak RSS ${mib(peak || undefined)}; RSS at each tenth of the run: ${tenths.map((s) => mib(s?.rss)).join(', ')}`,
      `RSS start ${mib(at(1)?.rss)}, middle ${mib(at(50)?.rss)}, end ${mib(at(99)?.rss)}, peak ${mib(peak || undefined)} (${samples.length} samples every 0.5 s)`,
      `RSS median (highest) of the samples in each tenth of the file: ${byTenth.map((values) => (values.length === 0 ? 'n/a' : `${mib(medianOf(values))} (${mib(Math.max(...values))})`)).join(', ')}`,
      `node ${process.version}, ${process.platform} ${process.arch}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (values.check) process.stdout.write(`${await checkAgainstReference(program, options, report.program)}\n`);
  } finally {
    if (values.keep) process.stderr.write(`files kept in ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
