/**
 * Exact share arithmetic. Every share is kept to {@link SHARE_DECIMALS} decimal places, truncated, so that sums of
 * shares are exact at the private Decimal's 40 significant digits (a share of 10^19 points still fits) and every
 * operation stays monotone: more spend never yields a smaller share.
 */
import { Decimal } from '../money.js';

/** Decimal places of a share of points. */
export const SHARE_DECIMALS = 20;

/** A share truncated to {@link SHARE_DECIMALS} places (never rounded up: caps are never exceeded). */
export function share(value: Decimal): Decimal {
  return value.toDecimalPlaces(SHARE_DECIMALS, Decimal.ROUND_DOWN);
}

/** Sum of decimals. */
export function sum(values: readonly Decimal[]): Decimal {
  let total = new Decimal(0);
  for (const v of values) total = total.plus(v);
  return total;
}

/**
 * Scales `values` (which add up to `total` > 0) proportionally so that they add up to exactly `target`: each
 * becomes value × target ÷ total, truncated, and the last non-zero one takes what truncation left over (less than
 * one unit of the last decimal place per value). A growing value therefore never gets a smaller share.
 */
export function scaleTo(values: readonly Decimal[], total: Decimal, target: Decimal): Decimal[] {
  if (total.isZero()) return values.map(() => new Decimal(0));
  const scaled = values.map((v) => share(v.times(target).div(total)));
  let last = -1;
  for (let i = values.length - 1; i >= 0 && last < 0; i -= 1) if (!values[i]!.isZero()) last = i;
  if (last >= 0) scaled[last] = scaled[last]!.plus(target.minus(sum(scaled)));
  return scaled;
}
