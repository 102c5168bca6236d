/**
 * Redemption (SEMANTICS rules 6 and 7): points × pointValue is the discount; it needs at least `minPoints`, at most
 * the available points (and the balance), a discount no larger than `maxShareOfOrder` of the order total, and a balance that is
 * not negative. A refusal lists every reason, never only the first.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import { inputError } from '../errors.js';
import { Decimal, decimalString, parseDecimal, preview } from '../money/money.js';
import { parseInstant, type InstantLike } from '../time.js';

/** Stable codes for why a redemption is refused. */
export type RedemptionRefusalCode = 'redemption-disabled' | 'not-positive' | 'below-minimum' | 'insufficient-points' | 'exceeds-order-share' | 'negative-balance';

/** One reason a redemption is refused. */
export interface RedemptionRefusal {
  readonly code: RedemptionRefusalCode;
  readonly message: string;
}

/** Input of {@link evaluateRedemption}. */
export interface RedemptionInput {
  /** Points the customer wants to spend (a whole number). */
  readonly points: number;
  /** Total of the order the discount applies to (decimal string, program currency). */
  readonly orderTotal: string;
  /** Available points at `at` (lots already available and not expired). */
  readonly available: number;
  /** The balance at `at`; negative while a clawback is still owed. */
  readonly balance: number;
}

/** The answer: accepted with its discount, or refused with every reason. */
export interface RedemptionDecision {
  readonly accepted: boolean;
  /** Points to deduct (0 when refused). */
  readonly points: number;
  /** points × pointValue, a decimal string ("0" when refused). */
  readonly discount: string;
  /** The largest number of points this order could take now (0 when none): a hint for a storefront. */
  readonly maxPoints: number;
  readonly reasons: readonly RedemptionRefusal[];
  readonly trace: readonly string[];
}

function wholeNumber(value: unknown, pointer: string, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    return inputError(pointer, 'invalid-integer', `${pointer.slice(1)} must be a whole number of ${what}, got ${preview(value)}`);
  }
  return value;
}

/**
 * Decides a redemption. Refusing is an answer with reasons; only malformed input (a fractional number of points,
 * a total that is not a decimal string) throws an InputError.
 *
 * @example
 * evaluateRedemption(compiled, { points: 1500, orderTotal: '2000000', available: 2425, balance: 2425 }, { at })
 * // { accepted: true, points: 1500, discount: '150000', maxPoints: 2425, reasons: [], ... }
 */
export function evaluateRedemption(compiled: CompiledProgram, input: RedemptionInput, options: { readonly at: InstantLike }): RedemptionDecision {
  const { program } = compiled;
  const at = parseInstant(options.at, program.timezone, '/at');
  const points = wholeNumber(input.points, '/points', 'points');
  const available = wholeNumber(input.available, '/available', 'available points');
  const balance = wholeNumber(input.balance, '/balance', 'points');
  const total = parseDecimal(input.orderTotal, '/orderTotal');
  if (total.isNegative()) inputError('/orderTotal', 'negative-total', `orderTotal must be 0 or more, got ${input.orderTotal}`);

  const trace: string[] = [`redemption of ${points} points on an order of ${decimalString(total)} at ${at.toISO() ?? ''}`];
  const settings = program.points.redemption;
  if (!settings) {
    const reasons: RedemptionRefusal[] = [{ code: 'redemption-disabled', message: `program "${program.id}" does not allow redeeming points` }];
    return { accepted: false, points: 0, discount: '0', maxPoints: 0, reasons, trace: [...trace, `refused: ${reasons[0]?.message ?? ''}`] };
  }
  const pointValue = new Decimal(settings.pointValue);
  const minPoints = settings.minPoints ?? 1;
  const share = settings.maxShareOfOrder === undefined ? undefined : new Decimal(settings.maxShareOfOrder);
  const maxDiscount = share?.times(total);
  const discount = pointValue.times(points);
  trace.push(`discount = ${points} x ${settings.pointValue} = ${decimalString(discount)}`);

  const reasons: RedemptionRefusal[] = [];
  if (points <= 0) reasons.push({ code: 'not-positive', message: `the points to redeem must be 1 or more, got ${points}` });
  else if (points < minPoints) reasons.push({ code: 'below-minimum', message: `at least ${minPoints} points must be redeemed at once, got ${points}` });
  // Available points are already net of any debt; the balance bounds them too, in case a caller's figures disagree.
  const spendable = Math.max(0, Math.min(available, balance));
  if (points > spendable) reasons.push({ code: 'insufficient-points', message: `only ${spendable} points can be spent (available ${available}, balance ${balance}), ${points} were asked for` });
  if (maxDiscount && discount.greaterThan(maxDiscount)) {
    reasons.push({
      code: 'exceeds-order-share',
      message: `the discount ${decimalString(discount)} is more than ${decimalString(share?.times(100) ?? new Decimal(0))}% of the order total (${decimalString(maxDiscount)})`,
    });
  }
  if (balance < 0) reasons.push({ code: 'negative-balance', message: `the balance is ${balance}: returned points are still owed, so nothing can be redeemed` });

  // Largest whole number of points within both the available balance and the order share.
  const byShare = maxDiscount ? maxDiscount.dividedToIntegerBy(pointValue).toNumber() : Number.MAX_SAFE_INTEGER;
  let maxPoints = Math.min(spendable, byShare);
  if (maxPoints < minPoints) maxPoints = 0;
  trace.push(`at most ${maxPoints} points for this order (spendable ${spendable}${maxDiscount ? `, share ${decimalString(maxDiscount)} / ${settings.pointValue}` : ''}, minimum ${minPoints})`);

  if (reasons.length > 0) return { accepted: false, points: 0, discount: '0', maxPoints, reasons, trace: [...trace, ...reasons.map((r) => `refused: ${r.message}`)] };
  return { accepted: true, points, discount: decimalString(discount), maxPoints, reasons: [], trace: [...trace, 'accepted'] };
}
