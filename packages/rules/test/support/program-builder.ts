/** Small programs and orders for table-driven tests. */
import { compileProgram, parseProgram, type CompiledProgram, type OrderInput } from '../../src/index.js';

/** A compiled program with the given earning rules (and optional extra sections), IDR in Asia/Jakarta. */
export function programWith(earning: unknown[], extra: Record<string, unknown> = {}): CompiledProgram {
  const { points, ...rest } = extra;
  return compileProgram(
    parseProgram({
      id: 'test',
      name: 'Test',
      currency: 'IDR',
      timezone: 'Asia/Jakarta',
      points: { rounding: 'floor', ...(points as object | undefined) },
      earning,
      ...rest,
    }),
  );
}

/** Line shorthand: [sku, category, quantity, unitPrice, extra]. */
export type LineSpec = [string, string, number, string, Record<string, unknown>?];

/** An order placed at `placedAt` with the given lines. */
export function orderOf(lines: LineSpec[], placedAt = '2026-06-10T10:00:00+07:00', extra: Partial<OrderInput> = {}): OrderInput {
  return {
    id: 'o-1',
    placedAt,
    currency: 'IDR',
    lines: lines.map(([sku, category, quantity, unitPrice, more]) => ({ sku, category, quantity, unitPrice, ...more })),
    ...extra,
  };
}

/** What a generated (fast-check) program is made of: its rules and a few program-wide settings. */
export interface GeneratedProgramSpec {
  readonly rules: readonly object[];
  readonly rounding: string;
  readonly maxPerOrder?: number | undefined;
  /** The silver tier's multiplier (default "1.25"). */
  readonly silver?: string;
}

/**
 * A generated program compiled: IDR in Asia/Jakarta, three spend tiers (bronze 0, silver 1000, gold 2000 × 1.5)
 * over a rolling year, the rules as `r0`, `r1`... with fields left undefined by the generator dropped.
 */
export function compileGenerated(spec: GeneratedProgramSpec): CompiledProgram {
  const strip = (value: object) => Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
  return compileProgram(
    parseProgram({
      id: 'generated',
      name: 'Generated',
      currency: 'IDR',
      timezone: 'Asia/Jakarta',
      points: strip({ rounding: spec.rounding, maxPerOrder: spec.maxPerOrder }),
      tiers: {
        basis: 'spend',
        window: { type: 'rolling', months: 12 },
        levels: [
          { id: 'bronze', name: 'Bronze', threshold: '0' },
          { id: 'silver', name: 'Silver', threshold: '1000', multiplier: spec.silver ?? '1.25' },
          { id: 'gold', name: 'Gold', threshold: '2000', multiplier: '1.5' },
        ],
      },
      earning: spec.rules.map((rule, i) => ({ id: `r${i}`, name: `Rule ${i}`, ...strip(rule) })),
    }),
  );
}
