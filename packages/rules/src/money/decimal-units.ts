/**
 * Decimals as integer counts of their smallest unit, without a Decimal: read from a decimal string in one pass over
 * the characters (no regular expression, no substrings), written back as one, and rounded to whole units. The fast
 * path's prices and points and the tier basis values of a customer's history go through here on every quote.
 */
import { MAX_DECIMAL_LENGTH, type RoundingMode } from './money.js';

/**
 * What the last successful {@link readUnits} read: `units` of 10^-`decimals`. An object, not two module
 * variables, so that writing a number past the small-integer range allocates nothing.
 */
export const lastRead = { units: 0, decimals: 0 };

/**
 * Reads `text` when it is a non-negative decimal string of money.ts's grammar (`0`, `12000`, `0.05`: no sign, no
 * leading zeros, no exponent) with at most 15 digits, into {@link lastRead}; false otherwise (the caller then takes
 * its exact path, which reports what is wrong).
 */
export function readUnits(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  const length = text.length;
  if (length === 0 || length > MAX_DECIMAL_LENGTH) return false;
  // A leading zero only before the point ("0", "0.5"), never before another digit.
  if (text.charCodeAt(0) === 48 && length > 1 && text.charCodeAt(1) !== 46) return false;
  let units = 0;
  let digits = 0;
  let dot = -1;
  for (let k = 0; k < length; k += 1) {
    const c = text.charCodeAt(k);
    if (c === 46) {
      if (dot >= 0 || k === 0 || k === length - 1) return false;
      dot = k;
    } else if (c >= 48 && c <= 57) {
      units = (units * 10) + (c - 48);
      digits += 1;
    } else return false;
  }
  if (digits > 15) return false;
  lastRead.units = units;
  lastRead.decimals = dot < 0 ? 0 : length - dot - 1;
  return true;
}

/**
 * `units` counted in 10^-`decimals` (a safe integer or a bigint) as a canonical decimal string: no exponent, no
 * trailing zeros in the fraction, no point when the fraction is zero. The inverse of {@link readUnits}; a share of
 * points (shares.ts) is written with it too.
 *
 * @example formatUnits(123450, 2) // '1234.5'
 * @example formatUnits(-5n, 3) // '-0.005'
 */
export function formatUnits(units: number | bigint, decimals: number): string {
  const text = String(units);
  if (decimals === 0) return text;
  const negative = text.charCodeAt(0) === 45;
  const digits = (negative ? text.slice(1) : text).padStart(decimals + 1, '0');
  const point = digits.length - decimals;
  let end = digits.length;
  while (end > point && digits.charCodeAt(end - 1) === 48) end -= 1;
  const sign = negative ? '-' : '';
  const whole = digits.slice(0, point);
  return end === point ? sign + whole : `${sign}${whole}.${digits.slice(point, end)}`;
}

/** ⌊a ÷ b⌋ for safe integers a ≥ 0, b > 0, without trusting one float division. */
function divFloor(a: number, b: number): number {
  let q = Math.floor(a / b);
  while (q * b > a) q -= 1;
  while ((q + 1) * b <= a) q += 1;
  return q;
}

/**
 * `units` counted in 1/`perWhole` (safe integers, units ≥ 0, perWhole > 0) rounded to a whole number with `mode`,
 * in exact integer arithmetic. With `perWhole` a power of ten up to 10^12 it gives what roundPoints gives for the
 * same decimal (its 12-decimal guard changes nothing at that precision).
 *
 * @example roundUnits(23_125_000_000, 100_000_000, 'floor') // 231
 */
export function roundUnits(units: number, perWhole: number, mode: RoundingMode): number {
  const whole = divFloor(units, perWhole);
  const rest = units - (whole * perWhole);
  if (rest === 0 || mode === 'floor') return whole;
  if (mode === 'ceil') return whole + 1;
  const twice = 2 * rest;
  if (twice > perWhole || (twice === perWhole && (mode === 'half-up' || whole % 2 === 1))) return whole + 1;
  return whole;
}
