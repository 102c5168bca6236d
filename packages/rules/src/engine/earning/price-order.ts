/**
 * Order amounts (SEMANTICS rule 1): a line's amount is `quantity × unitPrice − discount`, `order.total` the sum of
 * all lines (shipping included). Every problem of the order is reported at once; an order in another currency
 * than the program's is refused.
 */
import type { LineFacts, OrderFacts } from '../../conditions/facts.js';
import { InputError, type Problem } from '../../errors.js';
import type { OrderInput, OrderLineInput } from '../../input/order-input.js';
import { Decimal, describePointer, isDecimalString, preview } from '../../money/money.js';
import type { CompiledProgram } from '../compiled-program.js';
import { toShare } from '../../money/shares.js';

/** A line with its amount computed. */
export interface PricedLine {
  readonly index: number;
  /** The amount as a fixed-point share (see shares.ts). */
  readonly amountShare: bigint;
  readonly input: OrderLineInput;
  readonly facts: LineFacts;
}

/** An order with its amounts computed. */
export interface PricedOrder {
  readonly lines: readonly PricedLine[];
  readonly facts: OrderFacts;
}

const NO_TAGS: readonly string[] = Object.freeze([]);

function decimalField(value: unknown, pointer: string, problems: Problem[], fallback: Decimal): Decimal {
  if (isDecimalString(value) && !value.startsWith('-')) return new Decimal(value);
  problems.push({ pointer, code: 'invalid-decimal', message: `${describePointer(pointer)} must be a decimal string of zero or more like "250000", got ${preview(value)}` });
  return fallback;
}

/**
 * Validates and prices an order. `pointer` prefixes the pointers of problems (e.g. "/order").
 *
 * @example priceOrder(compiled, order, '/order').facts.total.toString() // '12280000'
 */
export function priceOrder(compiled: CompiledProgram, order: OrderInput, pointer = '/order'): PricedOrder {
  const problems: Problem[] = [];
  if (typeof order !== 'object' || order === null || !Array.isArray(order.lines)) {
    throw new InputError([{ pointer, code: 'invalid-order', message: `${describePointer(pointer)} must be an order with "currency" and a list of "lines"` }]);
  }
  if (order.currency !== compiled.program.currency) {
    problems.push({
      pointer: `${pointer}/currency`,
      code: 'currency-mismatch',
      message: `${describePointer(`${pointer}/currency`)} is ${preview(order.currency)} but the program "${compiled.id}" counts in "${compiled.program.currency}"`,
    });
  }
  if (order.lines.length === 0) problems.push({ pointer: `${pointer}/lines`, code: 'no-lines', message: `${describePointer(`${pointer}/lines`)} must list at least one line` });
  let total = new Decimal(0);
  const lines: PricedLine[] = order.lines.map((line, index) => {
    const at = `${pointer}/lines/${index}`;
    if (typeof line !== 'object' || line === null) {
      problems.push({ pointer: at, code: 'invalid-line', message: `${describePointer(at)} must be a line with "sku", "quantity" and "unitPrice"` });
      return { index, amountShare: 0n, input: line, facts: { sku: '', category: undefined, brand: undefined, tags: NO_TAGS, quantity: 0, amount: new Decimal(0), unitPrice: new Decimal(0) } };
    }
    if (typeof line.sku !== 'string' || line.sku === '') problems.push({ pointer: `${at}/sku`, code: 'invalid-line', message: `${describePointer(`${at}/sku`)} must be a non-empty text, got ${preview(line.sku)}` });
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0) {
      problems.push({ pointer: `${at}/quantity`, code: 'invalid-quantity', message: `${describePointer(`${at}/quantity`)} must be a whole number of 0 or more, got ${preview(line.quantity)}` });
    }
    const zero = new Decimal(0);
    const unitPrice = decimalField(line.unitPrice, `${at}/unitPrice`, problems, zero);
    const discount = line.discount === undefined ? zero : decimalField(line.discount, `${at}/discount`, problems, zero);
    const quantity = Number.isSafeInteger(line.quantity) && line.quantity >= 0 ? line.quantity : 0;
    const amount = unitPrice.times(quantity).minus(discount);
    if (amount.isNegative()) {
      problems.push({ pointer: `${at}/discount`, code: 'negative-line-amount', message: `${describePointer(`${at}/discount`)} (${discount.toString()}) is more than quantity × unitPrice (${unitPrice.times(quantity).toString()})` });
    }
    total = total.plus(amount);
    return {
      index,
      amountShare: amount.isNegative() ? 0n : toShare(amount),
      input: line,
      facts: { sku: line.sku, category: line.category, brand: line.brand, tags: line.tags ?? NO_TAGS, quantity, amount, unitPrice },
    };
  });
  if (order.total !== undefined && (!isDecimalString(order.total) || !total.eq(order.total))) {
    problems.push({ pointer: `${pointer}/total`, code: 'total-mismatch', message: `${describePointer(`${pointer}/total`)} is ${preview(order.total)} but the lines add up to "${total.toString()}"` });
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    lines,
    facts: { total, lineCount: lines.length, channel: order.channel, currency: order.currency, tags: order.tags ?? NO_TAGS },
  };
}
