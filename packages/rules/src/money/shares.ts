/**
 * Share arithmetic on fixed-point integers: a share of points is a bigint counting 10^-20 points. Sums are exact,
 * products and quotients are truncated (never rounded up, so caps are never exceeded, and every operation is
 * monotone: more spend never yields a smaller share). BigInt keeps the hot path exact without a decimal object per
 * operation; the one rounding to integer points happens in money.ts.
 */
import { formatUnits } from './decimal-units.js';
import { Decimal, roundPoints, ROUNDING_GUARD_DECIMALS, type RoundingMode } from './money.js';

/** Decimal places of a share of points. */
export const SHARE_DECIMALS = 20;
/** 1 point as a share. */
export const SCALE = 10n ** BigInt(SHARE_DECIMALS);

/** A decimal as a share (truncated after {@link SHARE_DECIMALS} places). */
export function toShare(value: Decimal): bigint {
  return BigInt(value.toFixed(SHARE_DECIMALS, Decimal.ROUND_DOWN).replace('.', ''));
}

/** Whole points as a share. */
export function pointsShare(points: number): bigint {
  return BigInt(points) * SCALE;
}

/** `a × b ÷ c`, truncated (all non-negative, c > 0). */
export function mulDiv(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b) / c;
}

/** A share as a canonical decimal string ("1425", "2.4", "0.33333333333333333333"). */
export function shareToString(value: bigint): string {
  return formatUnits(value, SHARE_DECIMALS);
}

/** A share as a Decimal. */
export function shareToDecimal(value: bigint): Decimal {
  return new Decimal(shareToString(value));
}

/** Sum of shares. */
export function sum(values: readonly bigint[]): bigint {
  let total = 0n;
  for (const v of values) total += v;
  return total;
}

/**
 * Scales `values` (which add up to `total` > 0) proportionally so that they add up to exactly `target`: each
 * becomes value × target ÷ total, truncated, and the last non-zero one takes what truncation left over (less than
 * one unit per value). A growing value therefore never gets a smaller share.
 */
export function scaleTo(values: readonly bigint[], total: bigint, target: bigint): bigint[] {
  if (total === 0n) return values.map(() => 0n);
  const scaled = values.map((v) => mulDiv(v, target, total));
  let last = -1;
  for (let i = values.length - 1; i >= 0 && last < 0; i -= 1) if (values[i] !== 0n) last = i;
  if (last >= 0) scaled[last] = scaled[last]! + (target - sum(scaled));
  return scaled;
}

/** Share units per unit of the rounding guard (the guard keeps {@link ROUNDING_GUARD_DECIMALS} places). */
const GUARD_UNIT = 10n ** BigInt(SHARE_DECIMALS - ROUNDING_GUARD_DECIMALS);
/** One point in guard units. */
const GUARD_SCALE = 10n ** BigInt(ROUNDING_GUARD_DECIMALS);
const MAX_POINTS = BigInt(Number.MAX_SAFE_INTEGER);

/** `value ÷ unit` rounded half-even (unit > 0). */
function divHalfEven(value: bigint, unit: bigint): bigint {
  const negative = value < 0n;
  const magnitude = negative ? -value : value;
  let q = magnitude / unit;
  const twice = 2n * (magnitude - (q * unit));
  if (twice > unit || (twice === unit && (q & 1n) === 1n)) q += 1n;
  return negative ? -q : q;
}

/**
 * A share rounded to integer points exactly as `roundPoints` rounds its decimal (guard decimals half-even first,
 * then the program's mode), without leaving integer arithmetic: the hot path of every quote.
 *
 * @example roundShare(23125n * 10n ** 18n, 'floor') // 231
 */
export function roundShare(value: bigint, mode: RoundingMode): number {
  const guarded = divHalfEven(value, GUARD_UNIT);
  let whole = guarded / GUARD_SCALE;
  const rest = guarded - (whole * GUARD_SCALE);
  if (rest !== 0n) {
    const sign = rest < 0n ? -1n : 1n;
    const twice = 2n * (rest < 0n ? -rest : rest);
    if (mode === 'floor') {
      if (rest < 0n) whole -= 1n;
    } else if (mode === 'ceil') {
      if (rest > 0n) whole += 1n;
    } else if (mode === 'half-up') {
      if (twice >= GUARD_SCALE) whole += sign;
    } else if (twice > GUARD_SCALE || (twice === GUARD_SCALE && (whole & 1n) !== 0n)) whole += sign;
  }
  if (whole > MAX_POINTS || whole < -MAX_POINTS) return roundPoints(shareToDecimal(value), mode);
  return Number(whole);
}
