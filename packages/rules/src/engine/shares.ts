/** Exact share arithmetic: scaling a set of shares to a new total so that they still add up to it exactly. */
import { Decimal } from '../money.js';

/** Sum of decimals. */
export function sum(values: readonly Decimal[]): Decimal {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return total;
}

/**
 * Scales `values` (which add up to `total` > 0) so that they add up to `target` exactly: each is scaled
 * proportionally and the last non-zero one absorbs the last-digit remainder of the division.
 */
export function scaleTo(values: readonly Decimal[], total: Decimal, target: Decimal): Decimal[] {
  if (total.isZero()) return values.map(() => new Decimal(0));
  const factor = target.div(total);
  const scaled = values.map((v) => v.times(factor));
  let last = -1;
  for (let i = scaled.length - 1; i >= 0; i -= 1) {
    if (!values[i]!.isZero()) {
      last = i;
      break;
    }
  }
  if (last >= 0) {
    const others = sum(scaled.filter((_, i) => i !== last));
    scaled[last] = target.minus(others);
  }
  return scaled;
}
