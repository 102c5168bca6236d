/**
 * Returns (SEMANTICS rules 3, 6 and 8): the clawback is what the order has earned so far minus what it earns
 * without every item returned up to now, recomputed by the earning engine with the order's own snapshot (program
 * version, tier before the order, the cap counters it read). Each return is measured from what the earlier ones
 * left, so a full return split any way claws back exactly what was awarded.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import { computeOrderPoints, type OrderPoints } from '../engine/earning/compute-order-points.js';
import { pointsLifeMillis } from '../engine/points-life.js';
import { priceOrder } from '../engine/earning/price-order.js';
import type { OrderSnapshot } from '../engine/earning/quote-order.js';
import { inputError } from '../errors.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal, decimalString, preview } from '../money/money.js';
import type { InstantLike } from '../time.js';
import { allocateReturn, type ReturnLineInput } from './return-lines.js';
import { remainingOrder } from './remaining-order.js';
import { sentence, type Sentence } from '../messages/sentence.js';
import { traced } from '../messages/english.js';

/** Input of {@link evaluateReturn}. */
export interface ReturnInput {
  /** The order as it was recorded (with its `placedAt`). */
  readonly order: OrderInput;
  /** The snapshot `quoteOrder` returned when the order was recorded. */
  readonly snapshot: OrderSnapshot;
  /** Lines of earlier returns of this order (empty for the first return). */
  readonly returnedBefore?: readonly ReturnLineInput[];
  /** Lines of this return. */
  readonly lines: readonly ReturnLineInput[];
  /** Points the order has earned net of earlier returns (what was awarded minus earlier clawbacks). */
  readonly awardedSoFar: number;
  /** The customer, when the program's conditions read customer facts (tags, attributes). */
  readonly customer?: CustomerInput;
  /**
   * When the order's points became (or become) available as recorded, when not `pendingDays` after its purchase
   * (points pending from delivery: a delivery moved it). UTC ISO.
   */
  readonly pointsAvailableAt?: string;
}

/** The answer of {@link evaluateReturn}. */
export interface ReturnDecision {
  /** Points to take back (0 or more, never more than `awardedSoFar`). */
  readonly clawback: number;
  /** What the order is worth after this return (and the earlier ones). */
  readonly pointsAfter: number;
  /** The order's spend still counting for tiers (lines not excluded by `tiers.exclude`), a decimal string. */
  readonly tierSpendAfter: string;
  /** Counter changes: negative counts for capped applications the return reverses. */
  readonly usage: ReadonlyArray<{ readonly key: string; readonly count: number }>;
  /** Campaign budget given back per rule (negative points). */
  readonly campaignUsage: ReadonlyArray<{ readonly ruleId: string; readonly points: number }>;
  /** True when nothing of the order is left. */
  readonly fullyReturned: boolean;
  /** Fully returned before the order's points became available: reverse the referral rewards it triggered. */
  readonly reverseReferral: boolean;
  /** When the order's points became (or become) available. */
  readonly orderPointsAvailableAt: string;
  readonly trace: readonly string[];
  /** `trace` as data, to write it in another language. */
  readonly traceSentences: readonly Sentence[];
}

function byKey<T>(items: readonly T[], key: (t: T) => string, value: (t: T) => number): Map<string, number> {
  const map = new Map<string, number>();
  for (const item of items) map.set(key(item), (map.get(key(item)) ?? 0) + value(item));
  return map;
}

/** after − before per key, zero changes left out, in a stable order. */
function difference(before: Map<string, number>, after: Map<string, number>): Array<[string, number]> {
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys.map((k): [string, number] => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)]).filter(([, d]) => d !== 0);
}

function checkSnapshot(compiled: CompiledProgram, snapshot: OrderSnapshot): void {
  if (typeof snapshot !== 'object' || snapshot === null) inputError('/snapshot', 'invalid-snapshot', 'snapshot must be the snapshot quoteOrder returned for the order');
  if (snapshot.programId !== compiled.id) {
    inputError('/snapshot/programId', 'program-mismatch', `the order was placed under program "${snapshot.programId}", not "${compiled.id}"`);
  }
  if (snapshot.programVersion !== null && compiled.version !== undefined && snapshot.programVersion !== compiled.version) {
    inputError('/snapshot/programVersion', 'program-version-mismatch', `the order was placed under version ${snapshot.programVersion} of "${compiled.id}"; recompute it with that version, not ${compiled.version}`);
  }
}

/**
 * The clawback of a return. Pure: the caller passes the order, its snapshot, the earlier returns and what the order
 * has earned so far; nothing is read from storage or the clock.
 *
 * @example
 * // toko-basic r-1: o-1002 (1125 points) returned in full.
 * evaluateReturn(compiled, { order: o1002, snapshot: quote.snapshot, returnedBefore: [], lines: [{ sku: 'PH-9', quantity: 1 }],
 *   awardedSoFar: 1125 }, { at: '2026-03-05T10:00:00+07:00' }).clawback // 1125
 */
export function evaluateReturn(compiled: CompiledProgram, input: ReturnInput, options: { readonly at: InstantLike }): ReturnDecision {
  const { order, snapshot, awardedSoFar } = input;
  if (!Number.isSafeInteger(awardedSoFar) || awardedSoFar < 0) {
    inputError('/awardedSoFar', 'invalid-points', `awardedSoFar must be a whole number of 0 or more, got ${preview(awardedSoFar)}`);
  }
  checkSnapshot(compiled, snapshot);
  if (order.placedAt === undefined) inputError('/order/placedAt', 'missing-placed-at', 'the order must carry the placedAt it was recorded with');
  const atMs = compiled.clock.millis(options.at, '/at');
  const placedMs = compiled.clock.millis(order.placedAt, '/order/placedAt');
  if (atMs < placedMs) inputError('/at', 'return-before-order', `the return (${compiled.clock.format(atMs)}) cannot come before the order was placed (${compiled.clock.format(placedMs)})`);

  const { before, now } = allocateReturn(order, input.returnedBefore, input.lines);
  const cumulative = before.map((n, i) => n + (now[i] ?? 0));
  const fullyReturned = order.lines.every((line, i) => line.quantity - (cumulative[i] ?? 0) === 0);

  const same = { customer: input.customer, tierId: snapshot.tierBefore, usage: snapshot.usage, campaignUsage: snapshot.campaignUsage };
  // Recomputed as of the order's own placement: the rules, periods and tier that applied then.
  const asPlaced = { at: order.placedAt };
  const earned: OrderPoints = computeOrderPoints(compiled, { ...same, order: remainingOrder(order, before) }, asPlaced);
  const trace: Sentence[] = [
    sentence('return.recomputed', { orderId: order.id, placedAt: order.placedAt, programId: snapshot.programId, version: String(snapshot.programVersion ?? '?'), tier: snapshot.tierBefore ?? null }),
    sentence('return.earns-before', { points: earned.points, awarded: awardedSoFar }),
  ];
  if (earned.points !== awardedSoFar) trace.push(sentence('return.recomputation-differs', { points: earned.points, awarded: awardedSoFar }));

  const remaining = remainingOrder(order, cumulative);
  // An empty order earns nothing, whatever fixed order bonuses say: everything granted comes back.
  const after: Pick<OrderPoints, 'points' | 'usage' | 'campaignUsage'> = fullyReturned ? { points: 0, usage: [], campaignUsage: [] } : computeOrderPoints(compiled, { ...same, order: remaining }, asPlaced);
  const clawback = Math.max(0, awardedSoFar - after.points);
  trace.push(fullyReturned ? sentence('return.nothing-left') : sentence('return.earns-after', { points: after.points }), sentence('return.clawback', { awarded: awardedSoFar, after: after.points, clawback }));

  const usage = difference(byKey(earned.usage, (u) => u.key, (u) => u.count), byKey(after.usage, (u) => u.key, (u) => u.count)).map(([key, count]) => ({ key, count }));
  const campaignUsage = difference(byKey(earned.campaignUsage, (c) => c.ruleId, (c) => c.points), byKey(after.campaignUsage, (c) => c.ruleId, (c) => c.points)).map(([ruleId, points]) => ({ ruleId, points }));
  for (const u of usage) trace.push(sentence('return.cap-counter', { key: u.key, count: u.count }));

  let tierSpend = new Decimal(0);
  const tiers = compiled.tiers;
  for (const line of priceOrder(compiled, remaining).lines) if (!tiers?.excluded(line.facts)) tierSpend = tierSpend.plus(line.facts.amount);

  const availableAt = input.pointsAvailableAt !== undefined ? compiled.clock.millis(input.pointsAvailableAt, '/pointsAvailableAt') : pointsLifeMillis(compiled, 'order', placedMs).availableAt;
  const reverseReferral = fullyReturned && atMs < availableAt;
  if (fullyReturned) {
    trace.push(sentence(reverseReferral ? 'return.referral-reversed' : 'return.referral-stands', { availableAt: compiled.clock.format(availableAt) }));
  }
  return {
    clawback,
    pointsAfter: after.points,
    tierSpendAfter: decimalString(tierSpend),
    usage,
    campaignUsage,
    fullyReturned,
    reverseReferral,
    orderPointsAvailableAt: compiled.clock.format(availableAt),
    ...traced(trace),
  };
}
