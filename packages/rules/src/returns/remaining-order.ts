/** The order as if some of its items had never been bought: what a return recomputes. */
import type { OrderInput, OrderLineInput } from '../input/order-input.js';
import { Decimal, decimalString } from '../money/money.js';

/**
 * Decimal places kept when a line discount is shared out over the items kept. Any split of the same items gives
 * the same remaining order, so partial returns still add up exactly; twelve places keep the string short.
 */
const DISCOUNT_PLACES = 12;

/**
 * `order` without `returned[i]` items of line i. A line's discount is shared in proportion to the items kept
 * (returning 1 of 2 items takes half the discount away with it); the order's `total`, if given, is dropped because
 * it no longer holds. Lines stay in place (with quantity 0 when all returned) so line indexes keep their meaning.
 *
 * @example remainingOrder(o3001, [1, 0]).lines[0].quantity // 1 of the 2 TVs left
 */
export function remainingOrder(order: OrderInput, returned: readonly number[]): OrderInput {
  const lines = order.lines.map((line, i): OrderLineInput => {
    const gone = returned[i] ?? 0;
    if (gone === 0) return line;
    const kept = line.quantity - gone;
    const copy: OrderLineInput = { ...line, quantity: kept };
    if (line.discount !== undefined) {
      const share = kept === 0 ? new Decimal(0) : new Decimal(line.discount).times(kept).dividedBy(line.quantity).toDecimalPlaces(DISCOUNT_PLACES, Decimal.ROUND_HALF_EVEN);
      return { ...copy, discount: decimalString(share) };
    }
    return copy;
  });
  const { total: _total, ...rest } = order;
  return { ...rest, lines };
}
