/**
 * Reads non-negative decimal strings as integer counts of their smallest decimal unit, in one pass over the
 * characters (no regular expression, no substrings): the fast path's prices and the tier basis values of a
 * customer's history are read on every quote.
 */
import { MAX_DECIMAL_LENGTH } from './money.js';

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
