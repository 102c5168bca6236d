/**
 * `node --conditions=purna-source --import tsx scripts/bench/simulate.ts [--orders 1000000] [--customers 100000]
 *    [--program file] [--keep]`
 *
 * The million-order simulation benchmark: generates a seeded order history (scripts/generate-orders.ts), runs the
 * real `purna simulate` on it in a child process with its progress bar on this terminal, samples the child's
 * resident memory from /proc while it runs, and prints the time, the orders per second, and the RSS at each tenth
 * of the run and its peak: flat memory means the per-customer state stays bounded as the history grows.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateCustomers, generateOrders, SHOPS, writeNdjson, type GenerateOptions } from '../generate-orders.js';

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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { orders: { type: 'string' }, customers: { type: 'string' }, program: { type: 'string' }, keep: { type: 'boolean' } },
    strict: true,
  });
  const orders = Number(values.orders ?? 1_000_000);
  const customers = Number(values.customers ?? 100_000);
  if (!Number.isSafeInteger(orders) || orders < 1 || !Number.isSafeInteger(customers) || customers < 1) throw new RangeError('--orders and --customers must be whole numbers of 1 or more');
  const program = values.program ?? DEFAULT_PROGRAM;
  const dir = await mkdtemp(join(tmpdir(), 'purna-bench-'));
  try {
    const options: GenerateOptions = { shop: SHOPS.id!, orders, customers, seed: 42, from: '2025-01-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00' };
    const ordersFile = join(dir, 'orders.ndjson');
    const customersFile = join(dir, 'customers.ndjson');
    let started = performance.now();
    await writeNdjson(ordersFile, generateOrders(options));
    await writeNdjson(customersFile, generateCustomers(options));
    const size = (await stat(ordersFile)).size;
    process.stderr.write(`generated ${orders.toLocaleString('en')} orders (${(size / 1048576).toFixed(0)} MiB) for ${customers.toLocaleString('en')} customers over two years in ${((performance.now() - started) / 1000).toFixed(1)}s\n`);

    // One process (the binary's own re-exec, done here directly) so that /proc shows the process doing the work.
    const tsx = import.meta.resolve('tsx');
    started = performance.now();
    const child = spawn(process.execPath, ['--conditions=purna-source', `--import=${tsx}`, BIN, 'simulate', program, '--orders', ordersFile, '--customers', customersFile, '--progress', '--json'], {
      env: { ...process.env, PURNA_CLI_LOADED: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const samples: Array<{ seconds: number; rss: number }> = [];
    let peak = 0;
    const timer = setInterval(() => {
      if (child.pid === undefined) return;
      void memoryOf(child.pid).then((m) => {
        if (!m) return;
        samples.push({ seconds: (performance.now() - started) / 1000, rss: m.rss });
        peak = Math.max(peak, m.peak);
      });
    }, 500);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(timer);
    const seconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`purna simulate exited with ${code}`);
    const report = JSON.parse(stdout) as { program: { orders: number; points: number; liability: string | null; customers: number } };
    const tenths = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((f) => samples[Math.min(samples.length - 1, Math.floor(f * samples.length) - 1)]);
    const lines = [
      `simulated ${report.program.orders.toLocaleString('en')} orders of ${report.program.customers.toLocaleString('en')} customers in ${seconds.toFixed(1)}s (${Math.round(report.program.orders / seconds).toLocaleString('en')} orders/s), ${report.program.points.toLocaleString('en')} points, liability IDR ${report.program.liability ?? 'n/a'}`,
      `peak RSS ${mib(peak || undefined)}; RSS at each tenth of the run: ${tenths.map((s) => mib(s?.rss)).join(', ')}`,
      `node ${process.version}, ${process.platform} ${process.arch}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    if (values.keep) process.stderr.write(`files kept in ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
