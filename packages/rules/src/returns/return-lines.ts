/**
 * Return lines, validated against the order and allocated to its lines: a sku that is not on the order, or more
 * items than are left to return, is refused with the pointer of the offending line.
 */
import { InputError, type Problem } from '../errors.js';
import type { OrderInput } from '../input/order-input.js';
import { preview } from '../money/money.js';

/** One returned line: `quantity` items of `sku`. */
export interface ReturnLineInput {
  readonly sku: string;
  readonly quantity: number;
}

function checkShape(lines: unknown, pointer: string, problems: Problem[]): ReturnLineInput[] {
  if (!Array.isArray(lines)) {
    problems.push({ pointer, code: 'invalid-return-lines', message: `${pointer.slice(1)} must be a list of {"sku", "quantity"}, got ${preview(lines)}` });
    return [];
  }
  const valid: ReturnLineInput[] = [];
  (lines as unknown[]).forEach((raw, i) => {
    const at = `${pointer}/${i}`;
    const line = raw as Partial<ReturnLineInput> | null;
    if (typeof line !== 'object' || line === null) {
      problems.push({ pointer: at, code: 'invalid-return-line', message: `${at.slice(1)} must be {"sku", "quantity"}, got ${preview(raw)}` });
      return;
    }
    let ok = true;
    if (typeof line.sku !== 'string' || line.sku === '') {
      problems.push({ pointer: `${at}/sku`, code: 'invalid-sku', message: `${at.slice(1)}.sku must be a non-empty text, got ${preview(line.sku)}` });
      ok = false;
    }
    if (typeof line.quantity !== 'number' || !Number.isSafeInteger(line.quantity) || line.quantity < 1) {
      problems.push({ pointer: `${at}/quantity`, code: 'invalid-quantity', message: `${at.slice(1)}.quantity must be a whole number of 1 or more, got ${preview(line.quantity)}` });
      ok = false;
    }
    if (ok) valid.push({ sku: line.sku as string, quantity: line.quantity as number });
  });
  return valid;
}

/**
 * Allocates `lines` to the order's lines, after the quantities in `taken` (earlier returns), first lines first
 * when a sku appears on several lines. Records a problem per line that names an unknown sku or exceeds what is
 * left, and returns the per-order-line quantities taken by `lines`.
 */
function allocate(order: OrderInput, lines: readonly ReturnLineInput[], taken: readonly number[], pointer: string, problems: Problem[]): number[] {
  const allocated = order.lines.map(() => 0);
  lines.forEach((line, i) => {
    const matching = order.lines.map((l, index) => ({ l, index })).filter(({ l }) => l.sku === line.sku);
    if (matching.length === 0) {
      problems.push({ pointer: `${pointer}/${i}/sku`, code: 'unknown-sku', message: `${pointer.slice(1)}[${i}].sku "${line.sku}" is not on order ${order.id}` });
      return;
    }
    const left = matching.reduce((n, { l, index }) => n + l.quantity - (taken[index] ?? 0) - (allocated[index] ?? 0), 0);
    if (line.quantity > left) {
      problems.push({
        pointer: `${pointer}/${i}/quantity`,
        code: 'exceeds-remaining',
        message: `${pointer.slice(1)}[${i}].quantity is ${line.quantity} but only ${left} of "${line.sku}" ${left === 1 ? 'is' : 'are'} left to return on order ${order.id}`,
      });
      return;
    }
    let rest = line.quantity;
    for (const { l, index } of matching) {
      const free = l.quantity - (taken[index] ?? 0) - (allocated[index] ?? 0);
      const take = Math.min(free, rest);
      allocated[index] = (allocated[index] ?? 0) + take;
      rest -= take;
      if (rest === 0) break;
    }
  });
  return allocated;
}

/** Quantities returned per order line: by earlier returns, and by this one. */
export interface ReturnAllocation {
  readonly before: readonly number[];
  readonly now: readonly number[];
}

/**
 * Validates earlier returns and this return against the order; throws one InputError listing every problem.
 *
 * @example allocateReturn(o1002, [], [{ sku: 'PH-9', quantity: 1 }]).now // [1]
 */
export function allocateReturn(order: OrderInput, returnedBefore: unknown, lines: unknown): ReturnAllocation {
  const problems: Problem[] = [];
  const earlier = checkShape(returnedBefore ?? [], '/returnedBefore', problems);
  const current = checkShape(lines, '/lines', problems);
  if (Array.isArray(lines) && lines.length === 0) problems.push({ pointer: '/lines', code: 'no-lines', message: 'a return must list at least one line' });
  const none = order.lines.map(() => 0);
  const before = allocate(order, earlier, none, '/returnedBefore', problems);
  const now = allocate(order, current, before, '/lines', problems);
  if (problems.length > 0) throw new InputError(problems);
  return { before, now };
}
