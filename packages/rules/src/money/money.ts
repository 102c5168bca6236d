/**
 * The one money module: a private Decimal constructor (never the global `Decimal.set`), strict parsing of decimal
 * strings, and the single place where exact points become integer points.
 */
import DecimalModule from 'decimal.js';

// decimal.js ships CommonJS typings (the default import typed as the module), while its ESM build's default export
// is the constructor itself; the CommonJS build's constructor also carries itself as `.Decimal`. Accept both.
type DecimalConstructor = typeof DecimalModule.Decimal;
const DecimalJs: DecimalConstructor =
  (DecimalModule as unknown as { Decimal?: DecimalConstructor }).Decimal ?? (DecimalModule as unknown as DecimalConstructor);
type DecimalJs = DecimalModule.Decimal;
import { inputError } from '../errors.js';

/**
 * Private decimal constructor: 40 significant digits, and never exponent notation in `toString()` (decimal.js's
 * widest bounds): amounts travel as decimal strings, and "1e-31" is not one. With the old bound of 10^-30, a price of
 * "0.0000000000000000000000000000001" (a decimal string {@link parseDecimal} accepts) came back as the tier spend
 * "1e-31", which the next quote of the same customer refused.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
/** A decimal value made by {@link Decimal}. */
export type Decimal = DecimalJs;

/** How exact points become integer points, named by the program (`points.rounding`). */
export type RoundingMode = 'floor' | 'ceil' | 'half-up' | 'half-even';

/** Rounding modes in decimal.js terms. */
const ROUNDING: Record<RoundingMode, DecimalModule.Decimal.Rounding> = {
  floor: DecimalJs.ROUND_FLOOR,
  ceil: DecimalJs.ROUND_CEIL,
  'half-up': DecimalJs.ROUND_HALF_UP,
  'half-even': DecimalJs.ROUND_HALF_EVEN,
};

/** A plain decimal string: optional minus, digits without leading zeros, optional fraction. No exponent, no `+`. */
export const DECIMAL_PATTERN = '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$';
const DECIMAL_RE = new RegExp(DECIMAL_PATTERN);
/** Longest decimal string accepted (guards against pathological inputs). */
export const MAX_DECIMAL_LENGTH = 40;

/** True when `value` is a decimal string {@link parseDecimal} accepts. */
export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_DECIMAL_LENGTH && DECIMAL_RE.test(value);
}

/**
 * Parses a decimal string strictly ("12000000", "0.5", "-3"); anything else throws an InputError at `pointer`.
 *
 * @example parseDecimal('10000', '/lines/0/unitPrice').times(2).toString() // '20000'
 */
export function parseDecimal(value: unknown, pointer = ''): Decimal {
  if (!isDecimalString(value)) {
    return inputError(pointer, 'invalid-decimal', `${describePointer(pointer)} must be a decimal string like "10000" or "0.5", got ${preview(value)}`);
  }
  return new Decimal(value);
}

/** Decimal places kept before the rounding mode applies: removes the last-digit error of divisions (3 × ⅓ → 1). */
export const ROUNDING_GUARD_DECIMALS = 12;

/**
 * Rounds exact points to integer points with the program's mode. The only place rounding happens. The value is
 * first taken to 12 decimal places (half-even), so that shares like three thirds, each truncated after 20 places,
 * still make one whole point under `floor`.
 *
 * @example roundPoints(new Decimal('231.25'), 'floor') // 231
 */
export function roundPoints(exact: Decimal, mode: RoundingMode): number {
  const rounded = exact.toDecimalPlaces(ROUNDING_GUARD_DECIMALS, DecimalJs.ROUND_HALF_EVEN).toDecimalPlaces(0, ROUNDING[mode]);
  // Points are JS integers everywhere downstream; past 2^53 they would silently lose units.
  if (rounded.abs().gt(Number.MAX_SAFE_INTEGER)) {
    return inputError('', 'points-out-of-range', `the points come to ${rounded.toString()}, more than can be counted exactly (${Number.MAX_SAFE_INTEGER}); check the quantities and prices`);
  }
  return rounded.toNumber();
}

/**
 * `value` as a decimal string: no exponent, no trailing zeros in the fraction ("1.50" -> "1.5").
 *
 * @example decimalString(new Decimal('1.50')) // '1.5'
 */
export function decimalString(value: Decimal): string {
  return value.toString();
}

/** "/lines/0/unitPrice" -> "lines[0].unitPrice", the way a person reads a path. */
export function describePointer(pointer: string): string {
  if (pointer === '') return 'the value';
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^[0-9]+$/.test(part)) out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** A short JSON rendering of a value for messages (long values are cut). */
export function preview(value: unknown): string {
  let text: string;
  if (value === undefined) text = 'nothing';
  else if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') text = typeof value;
  else {
    try {
      text = JSON.stringify(value);
    } catch {
      text = 'an unprintable value';
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
