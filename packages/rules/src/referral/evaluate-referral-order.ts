/**
 * Whether a referee's order qualifies the referral (SEMANTICS rule 8): the first order, of at least
 * `minOrderTotal`, placed within `withinDays` of enrolment, while the referrer is under the per-referrer limit.
 * Both sides then get their points, pending like order points (the ledger applies `pointsLife('referral')`).
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { DateTime } from 'luxon';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { periodKey } from '../engine/period-key.js';
import { pointsLifeMillis } from '../engine/points-life.js';
import { priceOrder } from '../engine/earning/price-order.js';
import { decimalString } from '../money/money.js';
import { parseInstant, type InstantLike } from '../time.js';
import { samePersonSignals } from './referral-enrolment.js';
import { sentence, type Reason, type Sentence } from '../messages/sentence.js';
import { reasonOf, traced } from '../messages/english.js';

/** Stable codes for why an order does not qualify a referral. */
export type ReferralOrderReasonCode =
  | 'referral-disabled'
  | 'unknown-code'
  | 'self-referral'
  | 'not-first-order'
  | 'below-minimum-total'
  | 'order-before-enrolment'
  | 'enrolment-window-ended'
  | 'referrer-limit-reached';

/** One reason an order does not qualify a referral. */
export type ReferralOrderReason = Reason<ReferralOrderReasonCode>;

/** Input of {@link evaluateReferralOrder}. */
export interface ReferralOrderInput {
  readonly referee: CustomerInput;
  /** The owner of the code the referee enrolled with, or undefined when none. */
  readonly referrer: CustomerInput | undefined;
  readonly order: OrderInput;
  /** True when this is the referee's first order (the ledger knows; the rules do not read storage). */
  readonly isFirstOrder: boolean;
  /** The referrer's usage counters, for the per-referrer limit (keys returned in earlier `usage`). */
  readonly history: { readonly usage: Readonly<Record<string, number>> };
}

/** The answer: qualifies with both sides' points and the usage to record, or the reasons it does not. */
export interface ReferralOrderDecision {
  readonly qualifies: boolean;
  readonly referrerId?: string;
  readonly referrerPoints: number;
  readonly refereePoints: number;
  /** When qualifying: when both referral lots become available (pending like order points) and expire. */
  readonly availableAt?: string;
  readonly expiresAt?: string | null;
  /** Counter increments for the per-referrer limit (empty when it does not qualify or there is no limit). */
  readonly usage: ReadonlyArray<{ readonly key: string; readonly count: number }>;
  /** The reason to show when it does not qualify (the first of `reasons`). */
  readonly reason?: ReferralOrderReasonCode;
  readonly reasons: readonly ReferralOrderReason[];
  readonly trace: readonly string[];
  /** `trace` as data, to write it in another language. */
  readonly traceSentences: readonly Sentence[];
}

function calendarDays(from: DateTime, to: DateTime): number {
  return Math.round(to.startOf('day').diff(from.setZone(to.zone).startOf('day'), 'days').days);
}

/**
 * Decides whether `order` qualifies the referee's referral. Time is read in the program's zone; "within 60 days"
 * counts calendar days from the enrolment date to the order date, both included as in the warranty window.
 *
 * @example
 * evaluateReferralOrder(compiled, { referee: budi, referrer: ayu, order: o2001, isFirstOrder: true, history: { usage: {} } },
 *   { at: '2026-03-20T10:00:00+07:00' })
 * // { qualifies: true, referrerPoints: 500, refereePoints: 250, usage: [{ key: 'referral:2026', count: 1 }], ... }
 */
export function evaluateReferralOrder(compiled: CompiledProgram, input: ReferralOrderInput, options: { readonly at: InstantLike }): ReferralOrderDecision {
  const { program } = compiled;
  const zone = program.timezone;
  const at = parseInstant(options.at, zone, '/at');
  const { referee, referrer, order } = input;
  const placedAt = order.placedAt === undefined ? at : parseInstant(order.placedAt, zone, '/order/placedAt');
  const enrolledAt = referee.enrolledAt === undefined ? undefined : parseInstant(referee.enrolledAt, zone, '/referee/enrolledAt');
  // The earning engine's pricing: same amounts, same currency check, every problem of the order at once.
  const total = priceOrder(compiled, order, '/order').facts.total;
  const trace: Sentence[] = [sentence('referral-order.order', { orderId: order.id, total: decimalString(total), currency: order.currency, refereeId: referee.id, placedAt: placedAt.toISO() ?? '' })];
  const settings = program.referral;
  const reasons: ReferralOrderReason[] = [];
  const no = (reason: ReferralOrderReason): void => {
    reasons.push(reason);
  };
  if (!settings) no(reasonOf('referral.referral-disabled', { programId: program.id }));
  if (!referrer) no(reasonOf('referral-order.unknown-code', { refereeId: referee.id }));
  else {
    const signals = samePersonSignals(referee, referrer);
    if (signals.length > 0) no(reasonOf('referral.self-referral', { signals }));
  }
  if (!input.isFirstOrder) no(reasonOf('referral-order.not-first-order', { orderId: order.id, refereeId: referee.id }));
  const minTotal = settings?.qualifying.minOrderTotal;
  if (minTotal !== undefined && total.lessThan(minTotal)) no(reasonOf('referral-order.below-minimum-total', { total: decimalString(total), min: minTotal }));
  const withinDays = settings?.qualifying.withinDays;
  if (enrolledAt && placedAt < enrolledAt) no(reasonOf('referral-order.order-before-enrolment', { refereeId: referee.id, enrolledAt: enrolledAt.toISO() ?? '' }));
  else if (withinDays !== undefined) {
    if (!enrolledAt) no(reasonOf('referral-order.enrolment-window-ended#no-date', { refereeId: referee.id, withinDays }));
    else {
      const days = calendarDays(enrolledAt, placedAt);
      if (days > withinDays) no(reasonOf('referral-order.enrolment-window-ended', { days, withinDays }));
      else trace.push(sentence('referral-order.days-after-enrolment', { days, withinDays }));
    }
  }
  const limit = settings?.limit?.perReferrer;
  const key = `referral:${periodKey(limit?.period, compiled.clock.local(placedAt.toMillis()))}`;
  if (limit && referrer) {
    const used = input.history.usage[key] ?? 0;
    if (used >= limit.count) no(reasonOf('referral-order.referrer-limit-reached', { referrerId: referrer.id, used, key, limit: limit.count }));
    else trace.push(sentence('referral-order.referrer-usage', { referrerId: referrer.id, used, limit: limit.count, key }));
  }
  if (reasons.length > 0 || !settings || !referrer) {
    const first = reasons[0]?.code ?? 'referral-disabled';
    const notQualified = reasons.map((r) => sentence('referral-order.does-not-qualify', { reason: r.messageSentence }));
    return { qualifies: false, referrerPoints: 0, refereePoints: 0, usage: [], reason: first, reasons, ...traced([...trace, ...notQualified]) };
  }
  const usage = limit ? [{ key, count: 1 }] : [];
  trace.push(sentence('referral-order.qualifies', { referrerId: referrer.id, referrerPoints: settings.referrer.points, refereeId: referee.id, refereePoints: settings.referee.points }));
  const life = pointsLifeMillis(compiled, 'referral', placedAt.toMillis());
  return {
    qualifies: true,
    referrerId: referrer.id,
    referrerPoints: settings.referrer.points,
    refereePoints: settings.referee.points,
    availableAt: compiled.clock.format(life.availableAt),
    expiresAt: life.expiresAt === null ? null : compiled.clock.format(life.expiresAt),
    usage,
    reasons: [],
    ...traced(trace),
  };
}
