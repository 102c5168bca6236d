/**
 * Side-by-side timing on a noisy machine: two contenders run in alternating rounds of the same run, so a burst of
 * load from another process hits both, and the ratio is the median of the per-round ratios.
 */
import { elapsedMs, median } from './bench-report.js';

/** A contender: runs `n` operations and resolves when they are done. */
export type Batch = (n: number) => unknown;

/** Per-contender operations per second, and the ratio a/b. */
export interface Interleaved {
  readonly a: { readonly perSecond: number; readonly spread: string };
  readonly b: { readonly perSecond: number; readonly spread: string };
  /** Median over rounds of (a's rate / b's rate). */
  readonly ratio: number;
  readonly rounds: number;
}

async function timed(batch: Batch, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  await batch(n);
  return elapsedMs(start);
}

/** How many operations fill about `targetMs`, found by doubling from 1. */
async function calibrate(batch: Batch, targetMs: number): Promise<number> {
  let n = 1;
  for (;;) {
    const ms = await timed(batch, n);
    if (ms >= targetMs / 4 || n >= 1 << 24) return Math.max(1, Math.round((n * targetMs) / Math.max(ms, 0.001)));
    n *= 2;
  }
}

function spread(rates: readonly number[]): string {
  const sorted = [...rates].sort((x, y) => x - y);
  return `${Math.round(sorted[0]!).toLocaleString('en')}–${Math.round(sorted[sorted.length - 1]!).toLocaleString('en')}/s over ${rates.length} rounds`;
}

/**
 * Runs `a` and `b` in `rounds` alternating rounds of about `roundMs` each (after a warm-up round each).
 *
 * @example
 * const r = await interleave(purnaBatch, jreBatch, { rounds: 10, roundMs: 300 });
 * r.ratio; // purna's rate / jre's rate
 */
export async function interleave(a: Batch, b: Batch, options: { rounds: number; roundMs: number }): Promise<Interleaved> {
  const na = await calibrate(a, options.roundMs);
  const nb = await calibrate(b, options.roundMs);
  const ratesA: number[] = [];
  const ratesB: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    // Alternate which goes first, so neither always runs right after a collection of the other's garbage.
    const first = round % 2 === 0;
    const msA = first ? await timed(a, na) : Number.NaN;
    const msB = await timed(b, nb);
    const msA2 = first ? msA : await timed(a, na);
    const rateA = (na / msA2) * 1000;
    const rateB = (nb / msB) * 1000;
    ratesA.push(rateA);
    ratesB.push(rateB);
    ratios.push(rateA / rateB);
  }
  return {
    a: { perSecond: median(ratesA), spread: spread(ratesA) },
    b: { perSecond: median(ratesB), spread: spread(ratesB) },
    ratio: median(ratios),
    rounds: options.rounds,
  };
}
