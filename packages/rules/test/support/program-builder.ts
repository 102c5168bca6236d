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
