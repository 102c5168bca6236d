/**
 * `node --conditions=purna-source --import tsx scripts/bench/rules-alone.ts [--rounds 5] [--round-ms 1000]`
 *
 * Purna's quote throughput in a process of its own: the rules section's varied 10-line orders (the same 64-order
 * pool) against the same 50-rule program, with nothing else in the heap. The interleaved comparison runs Purna
 * and json-rules-engine in one process, where the other engine's garbage is collected during Purna's rounds too;
 * that is right for the ratio and wrong for Purna's own rate. Prints one JSON line: the median rate over the
 * rounds, the slowest and fastest round, and the CPU time per quote. Figures only: nothing here asserts.
 */
import { parseArgs } from 'node:util';
import { compileProgram, parseProgram } from '@purna/rules';
import { median } from './bench-report.js';
import { purnaPoints, quoteInputs } from './rules-section.js';
import { generatedProgram } from './rules.js';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, 'round-ms': { type: 'string' } }, strict: true });
const rounds = Number(values.rounds ?? 5);
const roundMs = Number(values['round-ms'] ?? 1000);
if (!Number.isSafeInteger(rounds) || rounds < 1 || !Number.isFinite(roundMs) || roundMs <= 0) throw new RangeError('--rounds must be a whole number ≥ 1 and --round-ms a positive number');

const compiled = compileProgram(parseProgram(generatedProgram(50)));
const pool = quoteInputs(64, 11);
let k = 0;
let sink = 0;
// The call the interleaved comparison times, quote for quote.
const batch = (n: number): void => {
  for (let i = 0; i < n; i += 1) sink += purnaPoints(compiled, pool[k++ & 63]!);
};

// Warm up, then size a round to about roundMs.
batch(5000);
let n = 1000;
for (;;) {
  const start = performance.now();
  batch(n);
  const ms = performance.now() - start;
  if (ms >= roundMs / 4) {
    n = Math.max(1, Math.round((n * roundMs) / ms));
    break;
  }
  n *= 2;
}
const rates: number[] = [];
let cpuMicros = 0;
for (let round = 0; round < rounds; round += 1) {
  const cpu = process.cpuUsage();
  const start = performance.now();
  batch(n);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  cpuMicros += used.user + used.system;
  rates.push((n / ms) * 1000);
}
if (sink < 0) throw new Error('unreachable: points are never negative');
console.log(JSON.stringify({ perSecond: median(rates), slowest: Math.min(...rates), fastest: Math.max(...rates), rounds, cpuMicrosPerQuote: cpuMicros / (n * rounds) }));
