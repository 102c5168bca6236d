/**
 * What a benchmark section measures, and how the runner prints and saves it. A row is one figure; a ratio is only
 * ever computed from two contenders timed in interleaved rounds of the same run (see interleave.ts), because the
 * machines these run on are shared and noisy.
 */

/** One measured figure. */
export interface BenchRow {
  readonly section: string;
  readonly name: string;
  readonly value: number;
  /** `quotes/s`, `req/s`, `ms`, `µs`, `MB`, `lots/s`, ... */
  readonly unit: string;
  /** The figure divided by the contender's, measured side by side in the same rounds. */
  readonly ratio?: { readonly value: number; readonly against: string };
  /** The goal and whether this run met it. */
  readonly goal?: { readonly text: string; readonly met: boolean };
  /** Anything a reader needs to interpret the figure (spread over rounds, errors, sample size). */
  readonly note?: string;
}

/** Collects rows as sections finish, echoing each to stderr so a long run shows progress. */
export class BenchReport {
  readonly rows: BenchRow[] = [];

  add(row: BenchRow): void {
    this.rows.push(row);
    process.stderr.write(`  ${row.section} · ${row.name}: ${formatValue(row.value, row.unit)}${row.ratio ? ` (${formatRatio(row.ratio.value)} ${row.ratio.against})` : ''}\n`);
  }
}

/** A figure with a sensible number of digits for its size. */
export function formatValue(value: number, unit: string): string {
  if (!Number.isFinite(value)) return `n/a ${unit}`;
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return `${value.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: 0 })} ${unit}`;
}

/** `12.3×` or `0.45×`. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

/** The rows as a Markdown table (also readable in a terminal). */
export function markdownTable(rows: readonly BenchRow[]): string {
  const header = ['section', 'measure', 'value', 'ratio', 'goal', 'note'];
  const body = rows.map((row) => [
    row.section,
    row.name,
    formatValue(row.value, row.unit),
    row.ratio ? `${formatRatio(row.ratio.value)} ${row.ratio.against}` : '',
    row.goal ? `${row.goal.met ? 'met' : 'MISSED'}: ${row.goal.text}` : '',
    row.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => cells[i]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** Percentile (nearest rank) of a list of numbers; NaN for an empty list. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The median of a list of numbers. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Milliseconds elapsed since `start` (from `process.hrtime.bigint()`). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
