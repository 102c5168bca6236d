/**
 * The tier basis over time (SEMANTICS rule 4). An order counts towards the basis from its `placedAt` until it leaves
 * the window (`placedAt` + window months, or the end of its calendar year): the basis at t is the sum over orders
 * placed in (t − window, t]. The tier held at t is the highest level whose threshold the basis met at some moment
 * in [t − graceMonths, t]; because the basis only rises when an order is placed, those moments are t − grace and
 * every placement inside the grace period.
 */
import type { HistoryOrder } from '../input/customer-history.js';
import { Decimal, isDecimalString, describePointer, preview } from '../money.js';
import { inputError } from '../errors.js';
import type { CompiledTiers } from './compiled-program.js';
import type { ZoneClock } from './zone-clock.js';

/** One order's contribution to the tier basis and when it leaves the window. */
export interface TierEntry {
  readonly id: string;
  readonly from: number;
  readonly until: number;
  readonly value: Decimal;
}

const ONE = new Decimal(1);

/** The basis value of one order: its tier spend, its points, or 1 (an order). */
export function basisValue(tiers: CompiledTiers, tierSpend: string, points: number, pointer: string): Decimal {
  if (tiers.basis === 'orders') return ONE;
  if (tiers.basis === 'points') {
    if (!Number.isSafeInteger(points)) return inputError(`${pointer}/points`, 'invalid-points', `${describePointer(`${pointer}/points`)} must be a whole number, got ${preview(points)}`);
    return new Decimal(points);
  }
  if (!isDecimalString(tierSpend)) return inputError(`${pointer}/tierSpend`, 'invalid-decimal', `${describePointer(`${pointer}/tierSpend`)} must be a decimal string like "12250000", got ${preview(tierSpend)}`);
  return new Decimal(tierSpend);
}

/** When an order placed at `from` leaves the window. */
export function windowEnd(tiers: CompiledTiers, clock: ZoneClock, from: number): number {
  return tiers.windowMonths !== undefined ? clock.plusMonths(from, tiers.windowMonths) : clock.yearBounds(from).end;
}

/** Tier entries of a history's orders (orders after `atMs` are ignored: they had not happened yet). */
export function tierEntries(tiers: CompiledTiers, clock: ZoneClock, orders: readonly HistoryOrder[], atMs: number, skipId?: string): TierEntry[] {
  const entries: TierEntry[] = [];
  orders.forEach((order, i) => {
    if (order.id === skipId) return;
    const pointer = `/history/orders/${i}`;
    const from = clock.millis(order.placedAt, `${pointer}/placedAt`);
    if (from > atMs) return;
    entries.push({ id: order.id, from, until: windowEnd(tiers, clock, from), value: basisValue(tiers, order.tierSpend, order.points, pointer) });
  });
  return entries;
}

/** The basis at instant `t`. */
export function basisAt(entries: readonly TierEntry[], t: number): Decimal {
  let sum = new Decimal(0);
  for (const e of entries) if (e.from <= t && t < e.until) sum = sum.plus(e.value);
  return sum;
}

/** Index of the highest level whose threshold `value` meets, or -1. */
export function levelIndexFor(tiers: CompiledTiers, value: Decimal): number {
  for (let i = tiers.levels.length - 1; i >= 0; i -= 1) if (value.gte(tiers.levels[i]!.threshold)) return i;
  return -1;
}

/** The moments of [t − grace, t] at which the basis can peak. */
export function graceMoments(tiers: CompiledTiers, clock: ZoneClock, entries: readonly TierEntry[], t: number): number[] {
  const start = tiers.graceMonths > 0 ? clock.plusMonths(t, -tiers.graceMonths) : t;
  const moments = [start];
  for (const e of entries) if (e.from > start && e.from <= t) moments.push(e.from);
  return moments;
}

/** Index of the level held at `t` (or -1), and the latest moment of the grace period at which it was met. */
export function heldLevel(tiers: CompiledTiers, clock: ZoneClock, entries: readonly TierEntry[], t: number): { index: number; metAt: number } {
  let index = -1;
  let metAt = t;
  for (const moment of graceMoments(tiers, clock, entries, t)) {
    const level = levelIndexFor(tiers, basisAt(entries, moment));
    if (level > index || (level === index && moment > metAt)) {
      index = level;
      metAt = moment;
    }
  }
  return { index, metAt };
}
