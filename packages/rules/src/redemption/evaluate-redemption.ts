/**
 * Redemption (SEMANTICS rules 6 and 7): points × pointValue is the discount; it needs at least `minPoints`, at most
 * the available points (and the balance), a discount no larger than `maxShareOfOrder` of the order total, and a balance that is
 * not negative. A refusal lists every reason, never only the first.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import { inputError } from '../errors.js';
import { Decimal, decimalString, parseDecimal, preview } from '../money/money.js';
import { parseInstant, type InstantLike } from '../time.js';
import { sentence, type Reason, type Sentence } from '../messages/sentence.js';
import { reasonOf, traced } from '../messages/english.js';

/** Stable codes for why a redemption is refused. */
export type RedemptionRefusalCode = 'redemption-disabled' | 'not-positive' | 'below-minimum' | 'insufficient-points' | 'exceeds-order-share' | 'negative-balance';

/** One reason a redemption is refused. */
export type RedemptionRefusal = Reason<RedemptionRefusalCode>;

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
  /** `trace` as data, to write it in another language. */
  readonly traceSentences: readonly Sentence[];
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

  const trace: Sentence[] = [sentence('redemption.asked', { points, total: decimalString(total), at: at.toISO() ?? '' })];
  const settings = program.points.redemption;
  if (!settings) {
    const reasons: RedemptionRefusal[] = [reasonOf('redemption.redemption-disabled', { programId: program.id })];
    return { accepted: false, points: 0, discount: '0', maxPoints: 0, reasons, ...traced([...trace, ...refusedLines(reasons)]) };
  }
  const pointValue = new Decimal(settings.pointValue);
  const minPoints = settings.minPoints ?? 1;
  const share = settings.maxShareOfOrder === undefined ? undefined : new Decimal(settings.maxShareOfOrder);
  const maxDiscount = share?.times(total);
  const discount = pointValue.times(points);
  trace.push(sentence('redemption.discount', { points, pointValue: settings.pointValue, discount: decimalString(discount) }));

  const reasons: RedemptionRefusal[] = [];
  if (points <= 0) reasons.push(reasonOf('redemption.not-positive', { points }));
  else if (points < minPoints) reasons.push(reasonOf('redemption.below-minimum', { minPoints, points }));
  // Available points are already net of any debt; the balance bounds them too, in case a caller's figures disagree.
  const spendable = Math.max(0, Math.min(available, balance));
  if (points > spendable) reasons.push(reasonOf('redemption.insufficient-points', { spendable, available, balance, points }));
  if (maxDiscount && discount.greaterThan(maxDiscount)) {
    reasons.push(reasonOf('redemption.exceeds-order-share', { discount: decimalString(discount), percent: decimalString(share?.times(100) ?? new Decimal(0)), maxDiscount: decimalString(maxDiscount) }));
  }
  if (balance < 0) reasons.push(reasonOf('redemption.negative-balance', { balance }));

  // Largest whole number of points within both the available balance and the order share.
  const byShare = maxDiscount ? maxDiscount.dividedToIntegerBy(pointValue).toNumber() : Number.MAX_SAFE_INTEGER;
  let maxPoints = Math.min(spendable, byShare);
  if (maxPoints < minPoints) maxPoints = 0;
  trace.push(
    maxDiscount
      ? sentence('redemption.at-most-share', { maxPoints, spendable, maxDiscount: decimalString(maxDiscount), pointValue: settings.pointValue, minPoints })
      : sentence('redemption.at-most', { maxPoints, spendable, minPoints }),
  );

  if (reasons.length > 0) return { accepted: false, points: 0, discount: '0', maxPoints, reasons, ...traced([...trace, ...refusedLines(reasons)]) };
  return { accepted: true, points, discount: decimalString(discount), maxPoints, reasons: [], ...traced([...trace, sentence('redemption.accepted')]) };
}

function refusedLines(reasons: readonly RedemptionRefusal[]): Sentence[] {
  return reasons.map((r) => sentence('redemption.refused', { reason: r.messageSentence }));
}
