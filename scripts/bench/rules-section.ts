/**
 * Rules: Purna's `quoteOrder` against the same 50-rule earning program on json-rules-engine (earning-jre.ts), both
 * fed the same 10-line orders, customers and histories. Both must give the same points on every sampled order
 * before anything is timed; the ratio comes from interleaved rounds in one process. Purna's own rate comes from a
 * process of its own (rules-alone.ts), where no other engine's garbage is collected during its rounds. Also:
 * compile time of a 200-rule program on both.
 */
import { compileProgram, parseProgram, quoteOrder, type CompiledProgram, type CustomerHistory, type OrderInput } from '@purna/rules';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { seededRandom } from '../generate-orders.js';
import { elapsedMs, median, type BenchReport } from './bench-report.js';
import { JreEarning, type JreQuoteInput } from './earning-jre.js';
import { interleave } from './interleave.js';
import { BRANDS, CATEGORIES, generatedProgram } from './rules.js';

const SECTION = 'rules';
const ZONE = 'Asia/Jakarta';
const CHANNELS = ['web', 'app', 'marketplace', undefined];

/** A varied, deterministic set of quote inputs: 10-line orders over two years, with histories and counters. */
export function quoteInputs(count: number, seed: number): JreQuoteInput[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const start = DateTime.fromISO('2025-10-01T00:00:00', { zone: ZONE });
  return Array.from({ length: count }, (_, n) => {
    const placed = start.plus({ minutes: Math.floor(random() * 60 * 24 * 540) });
    const lines: OrderInput['lines'] = Array.from({ length: 10 }, (_, i) => ({
      sku: `SKU-${i}`,
      category: pick(CATEGORIES),
      brand: pick(BRANDS),
      quantity: 1 + Math.floor(random() * 3),
      unitPrice: String(1000 * Math.floor(20 + (random() * 2000))),
      ...(random() < 0.25 ? { discount: String(1000 * Math.floor(random() * 15)) } : {}),
    }));
    const channel = pick(CHANNELS);
    const order: OrderInput = { id: `o-${n}`, placedAt: placed.toISO()!, currency: 'IDR', lines, ...(channel ? { channel } : {}) };
    const orders = Array.from({ length: Math.floor(random() * 8) }, (_, k) => ({
      id: `h-${n}-${k}`,
      placedAt: placed.minus({ days: 3 + Math.floor(random() * 420) }).toISO()!,
      tierSpend: String(100_000 * Math.floor(random() * 60)),
      points: Math.floor(random() * 500),
    }));
    const month = placed.toFormat('yyyy-MM');
    const usage: Record<string, number> = {};
    for (let i = 2; i < 50; i += 5) if (random() < 0.5) usage[`earn:basket-${i}:${month}`] = Math.floor(random() * 3);
    const campaignUsage: Record<string, number> = {};
    for (let i = 4; i < 50; i += 5) campaignUsage[`campaign-${i}`] = random() < 0.2 ? 1_000_000 - Math.floor(random() * 300) : Math.floor(random() * 900_000);
    const history: CustomerHistory = { orders, usage, campaignUsage };
    return { customer: { id: `c-${n % 97}`, ...(random() < 0.3 ? { tags: ['vip'] } : {}) }, order, history };
  });
}

const ALONE_SCRIPT = fileURLToPath(new URL('./rules-alone.ts', import.meta.url));

/** scripts/bench/rules-alone.ts in a child process: Purna's own quote rate with no other engine in its heap. */
async function quoteAlone(quick: boolean): Promise<{ perSecond: number; slowest: number; fastest: number; rounds: number; cpuMicrosPerQuote: number }> {
  const args = ['--conditions=purna-source', '--import', 'tsx', ALONE_SCRIPT, '--rounds', quick ? '3' : '7', '--round-ms', quick ? '300' : '1000'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2000)));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`rules: scripts/bench/rules-alone.ts exited with ${String(code)}: ${stderr}`);
  return JSON.parse(stdout.trim().split('\n').pop()!) as { perSecond: number; slowest: number; fastest: number; rounds: number; cpuMicrosPerQuote: number };
}

/** One timed Purna quote of a pool input (also what rules-alone.ts times). */
export function purnaPoints(compiled: CompiledProgram, input: JreQuoteInput): number {
  return quoteOrder(compiled, { customer: { id: input.customer.id, ...(input.customer.tags ? { tags: [...input.customer.tags] } : {}) }, order: input.order, history: input.history }, { at: input.order.placedAt! }).points;
}

/** Runs the section: equality on a sample, interleaved throughput, compile times. */
export async function rulesSection(report: BenchReport, options: { quick: boolean }): Promise<void> {
  const program50 = generatedProgram(50);
  const compiled = compileProgram(parseProgram(program50));
  const jre = new JreEarning(program50);

  // Same points on every sampled order, or no figures at all.
  const sample = quoteInputs(options.quick ? 200 : 500, 7);
  let differences = 0;
  const firstDifferences: string[] = [];
  for (const input of sample) {
    const purna = purnaPoints(compiled, input);
    const other = await jre.quote(input);
    if (purna !== other) {
      differences += 1;
      if (firstDifferences.length < 3) firstDifferences.push(`${input.order.id}: purna ${purna}, json-rules-engine ${other}`);
    }
  }
  if (differences > 0) throw new Error(`rules: the two contenders disagree on ${differences} of ${sample.length} orders (${firstDifferences.join('; ')})`);
  const sampleSum = sample.reduce((s, input) => s + purnaPoints(compiled, input), 0);

  const pool = quoteInputs(64, 11);
  let k = 0;
  let sink = 0;
  const purnaBatch = (n: number) => {
    for (let i = 0; i < n; i += 1) sink += purnaPoints(compiled, pool[k++ & 63]!);
  };
  const jreBatch = async (n: number) => {
    for (let i = 0; i < n; i += 1) sink += await jre.quote(pool[k++ & 63]!);
  };
  const result = await interleave(purnaBatch, jreBatch, { rounds: options.quick ? 4 : 10, roundMs: options.quick ? 300 : 1000 });
  if (sink < 0) throw new Error('unreachable: points are never negative');
  report.add({
    section: SECTION,
    name: 'quote, 10 lines × 50 rules: Purna',
    value: result.a.perSecond,
    unit: 'quotes/s',
    ratio: { value: result.ratio, against: 'json-rules-engine' },
    goal: { text: '≥ 20× json-rules-engine', met: result.ratio >= 20 },
    note: `median of ${result.rounds} interleaved rounds (${result.a.spread}), json-rules-engine's garbage collected in the same heap; same points as json-rules-engine on ${sample.length} sampled orders (${sampleSum.toLocaleString('en')} points in all)`,
  });
  const alone = await quoteAlone(options.quick);
  report.add({
    section: SECTION,
    name: 'quote, 10 lines × 50 rules: Purna alone (own process)',
    value: alone.perSecond,
    unit: 'quotes/s',
    goal: { text: '≥ 50,000 quotes/s on one core', met: alone.perSecond >= 50_000 },
    note: `median of ${alone.rounds} rounds (${Math.round(alone.slowest).toLocaleString('en')}–${Math.round(alone.fastest).toLocaleString('en')}/s), ${alone.cpuMicrosPerQuote.toFixed(1)} µs of CPU a quote; the same orders, one process, nothing else in its heap (scripts/bench/rules-alone.ts)`,
  });
  report.add({
    section: SECTION,
    name: 'quote, 10 lines × 50 rules: json-rules-engine',
    value: result.b.perSecond,
    unit: 'quotes/s',
    note: `v7, one engine run per line + one per order, awards in hand-written code; ${result.b.spread}`,
  });

  // Compile: a 200-rule program, parse + compile on Purna; building both engines on json-rules-engine.
  const program200 = generatedProgram(200);
  const purnaMs: number[] = [];
  const compileOnlyMs: number[] = [];
  const jreMs: number[] = [];
  const runs = options.quick ? 9 : 25;
  for (let i = 0; i < runs; i += 1) {
    let start = process.hrtime.bigint();
    const parsed = parseProgram(program200);
    const parseMs = elapsedMs(start);
    start = process.hrtime.bigint();
    compileProgram(parsed);
    const compileMs = elapsedMs(start);
    purnaMs.push(parseMs + compileMs);
    compileOnlyMs.push(compileMs);
    start = process.hrtime.bigint();
    JreEarning.build(program200);
    jreMs.push(elapsedMs(start));
  }
  report.add({
    section: SECTION,
    name: 'compile 200 rules: Purna parseProgram + compileProgram',
    value: median(purnaMs),
    unit: 'ms',
    ratio: { value: median(purnaMs) / median(jreMs), against: 'json-rules-engine build (time, lower is better)' },
    goal: { text: 'compileProgram < 20 ms', met: median(compileOnlyMs) < 20 },
    note: `median of ${runs}; compileProgram alone ${median(compileOnlyMs).toFixed(2)} ms, the rest is schema validation with every error collected`,
  });
  report.add({ section: SECTION, name: 'compile 200 rules: json-rules-engine new Engine + addRule', value: median(jreMs), unit: 'ms', note: `median of ${runs}; no validation beyond its own rule shape` });
}
