/**
 * The tier basis over time (SEMANTICS rule 4). An order counts towards the basis from its `placedAt` until it leaves
 * the window (`placedAt` + window months, or the end of its calendar year): the basis at t is the sum over orders
 * placed in (t − window, t]. The tier held at t is the highest level whose threshold the basis met at some moment
 * in [t − graceMonths, t]; because the basis only rises when an order is placed, those moments are t − grace and
 * every placement inside the grace period.
 */
import type { HistoryOrder, TierHold } from '../../input/customer-history.js';
import { Decimal, isDecimalString, describePointer, preview } from '../../money/money.js';
import { inputError } from '../../errors.js';
import type { CompiledTiers } from '../compiled-program.js';
import type { ZoneClock } from '../zone-clock.js';
import { lastRead, readUnits } from '../../money/decimal-units.js';

/** Decimal places of a basis value's whole units (see {@link TierEntry.units}). */
const BASIS_DECIMALS = 6;
/** Whole units in 1. */
const UNITS_PER_ONE = 10 ** BASIS_DECIMALS;
/** 10^(6 − decimals), by decimals. */
const BASIS_SCALE = Array.from({ length: BASIS_DECIMALS + 1 }, (_, decimals) => 10 ** (BASIS_DECIMALS - decimals));

/**
 * A basis value as a safe integer of 10^-6, or undefined when it has more decimals or digits than that holds:
 * sums and comparisons of such integers are exact, and only values that do not fit need a Decimal.
 */
export function basisUnits(text: string): number | undefined {
  if (!readUnits(text) || lastRead.decimals > BASIS_DECIMALS) return undefined;
  const units = lastRead.units * BASIS_SCALE[lastRead.decimals]!;
  return Number.isSafeInteger(units) ? units : undefined;
}

/** One order's contribution to the tier basis and when it leaves the window. */
export class TierEntry {
  #value: Decimal | undefined;

  constructor(
    readonly id: string,
    readonly from: number,
    readonly until: number,
    /** The value as a decimal string. */
    readonly text: string,
    /** The value in whole units of 10^-6 (exact), when it fits. */
    readonly units: number | undefined,
  ) {}

  get value(): Decimal {
    return (this.#value ??= new Decimal(this.text));
  }
}

/** The basis value of one order, as a decimal string: its tier spend, its points, or 1 (an order). */
export function basisValue(tiers: CompiledTiers, tierSpend: string, points: number, pointer: string): string {
  if (tiers.basis === 'orders') return '1';
  if (tiers.basis === 'points') {
    if (!Number.isSafeInteger(points)) return inputError(`${pointer}/points`, 'invalid-points', `${describePointer(`${pointer}/points`)} must be a whole number, got ${preview(points)}`);
    return String(points);
  }
  if (!isDecimalString(tierSpend)) return inputError(`${pointer}/tierSpend`, 'invalid-decimal', `${describePointer(`${pointer}/tierSpend`)} must be a decimal string like "12250000", got ${preview(tierSpend)}`);
  return tierSpend;
}

/** A tier entry for an order placed at `from` with basis value `text`. */
export function tierEntry(tiers: CompiledTiers, clock: ZoneClock, id: string, from: number, text: string): TierEntry {
  return new TierEntry(id, from, windowEnd(tiers, clock, from), text, basisUnits(text));
}

/** When an order placed at `from` leaves the window. */
export function windowEnd(tiers: CompiledTiers, clock: ZoneClock, from: number): number {
  return tiers.windowMonths !== undefined ? clock.plusMonths(from, tiers.windowMonths) : clock.yearBounds(from).end;
}

/**
 * The tier entry of each order as computed last, per compiled tiers: an account's orders are the same objects from one
 * evaluation to the next (a write evaluates the tier several times, an instance keeps the account it wrote), and
 * the window end of each is a calendar computation. An entry is reused only while the order still has the id,
 * instant and values it was made from, so an order changed in place is never served a stale entry.
 */
const entriesByOrder = new WeakMap<CompiledTiers, WeakMap<HistoryOrder, { order: HistoryOrder; placedAt: string; tierSpend: string; points: number; entry: TierEntry }>>();

/** Tier entries of a history's orders (orders after `atMs` are ignored: they had not happened yet). */
export function tierEntries(tiers: CompiledTiers, clock: ZoneClock, orders: readonly HistoryOrder[], atMs: number, skipId?: string): TierEntry[] {
  let known = entriesByOrder.get(tiers);
  if (!known) entriesByOrder.set(tiers, (known = new WeakMap()));
  const entries: TierEntry[] = [];
  for (let i = 0; i < orders.length; i += 1) {
    const order = orders[i]!;
    if (order.id === skipId) continue;
    const cached = known.get(order);
    if (cached && cached.placedAt === order.placedAt && cached.tierSpend === order.tierSpend && cached.points === order.points && cached.entry.id === order.id) {
      if (cached.entry.from <= atMs) entries.push(cached.entry);
      continue;
    }
    // Pointers are written only for a problem: histories are long and almost always valid.
    const from = clock.cachedMillis(order.placedAt) ?? clock.millis(order.placedAt, `/history/orders/${i}/placedAt`);
    // A spend read in whole units is a valid decimal already: no second pass over it.
    const units = tiers.basis === 'spend' ? basisUnits(order.tierSpend) : undefined;
    const entry = units !== undefined ? new TierEntry(order.id, from, windowEnd(tiers, clock, from), order.tierSpend, units) : tierEntry(tiers, clock, order.id, from, basisValue(tiers, order.tierSpend, order.points, `/history/orders/${i}`));
    known.set(order, { order, placedAt: order.placedAt, tierSpend: order.tierSpend, points: order.points, entry });
    if (from <= atMs) entries.push(entry);
  }
  return entries;
}

/** The basis at instant `t` (summed in whole units when every value fits, so exactly the Decimal sum). */
export function basisAt(entries: readonly TierEntry[], t: number): Decimal {
  if (fitsSweep(entries)) {
    let units = 0;
    for (const e of entries) if (e.from <= t && t < e.until) units += e.units!;
    return new Decimal(units).div(UNITS_PER_ONE);
  }
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

/**
 * A tier assigned by hand as it stands at `t`: its level index, and when it stops counting (its `until`, then the
 * grace, as a threshold that stopped being met at `until`). Undefined when it does not count at `t`: not assigned
 * yet, over with its grace, or naming a tier the program no longer has.
 */
export function holdAt(tiers: CompiledTiers, clock: ZoneClock, hold: TierHold | undefined, t: number): { index: number; until: number; end: number } | undefined {
  if (!hold) return undefined;
  const index = tiers.levels.findIndex((level) => level.id === hold.tierId);
  if (index < 0 || clock.millis(hold.since, '/tierHold/since') > t) return undefined;
  const until = clock.millis(hold.until, '/tierHold/until');
  const end = tiers.graceMonths > 0 ? clock.plusMonths(until, tiers.graceMonths) : until;
  return t < end ? { index, until, end } : undefined;
}

/**
 * Index of the level held at `t` (or -1), and the latest moment of the grace period at which it was met; a tier
 * assigned by hand (`hold`) counts as met from its `since` to its `until`. In whole units with one sweep over the
 * entries sorted by entry and by exit when every value and threshold fits (n log n, so a customer with thousands of
 * orders costs milliseconds, not seconds); with Decimals otherwise.
 */
export function heldLevel(tiers: CompiledTiers, clock: ZoneClock, entries: readonly TierEntry[], t: number, hold?: TierHold): { index: number; metAt: number } {
  const earned = earnedLevel(tiers, clock, entries, t);
  const manual = holdAt(tiers, clock, hold, t);
  if (!manual || manual.index <= earned.index) return earned;
  return { index: manual.index, metAt: Math.min(t, manual.until) };
}

/** {@link heldLevel} from the orders alone. */
function earnedLevel(tiers: CompiledTiers, clock: ZoneClock, entries: readonly TierEntry[], t: number): { index: number; metAt: number } {
  const start = tiers.graceMonths > 0 ? clock.plusMonths(t, -tiers.graceMonths) : t;
  if (tiers.thresholdUnits !== undefined && fitsSweep(entries)) return sweepHeldLevel(tiers.thresholdUnits, entries, start, t);
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

/**
 * The level held at `t` once an order placed at `t` with basis value `text` is added to `entries`, given `held`,
 * the level held at `t` without it ({@link heldLevel} of the same entries). The new order only counts from `t`, the
 * last moment of the grace period, so every earlier moment keeps its basis: the answer is the higher of `held` and
 * the level the basis at `t` plus the order's value meets. One pass over the entries, no sort (the second sweep a
 * quote used to run for its tier after the order).
 */
export function levelWith(tiers: CompiledTiers, clock: ZoneClock, entries: readonly TierEntry[], t: number, held: number, id: string, text: string): number {
  const own = basisUnits(text);
  const thresholds = tiers.thresholdUnits;
  if (thresholds !== undefined && own !== undefined && fitsSweep(entries)) {
    let basis = own;
    for (const e of entries) if (e.from <= t && t < e.until) basis += e.units!;
    if (Number.isSafeInteger(basis)) {
      for (let i = thresholds.length - 1; i > held; i -= 1) if (basis >= thresholds[i]!) return i;
      return held;
    }
  }
  // Values that do not fit whole units: the full computation with the order added.
  return heldLevel(tiers, clock, [...entries, tierEntry(tiers, clock, id, t, text)], t).index;
}

/** Whether every entry has whole units and even their sum stays a safe integer. */
export function fitsSweep(entries: readonly TierEntry[]): boolean {
  let total = 0;
  for (const e of entries) {
    if (e.units === undefined) return false;
    total += e.units;
  }
  return Number.isSafeInteger(total);
}

/** Whether `entries` are in order of `key` already (histories usually are: then no copy and no sort). */
export function sortedBy(entries: readonly TierEntry[], key: 'from' | 'until'): boolean {
  for (let i = 1; i < entries.length; i += 1) if (entries[i - 1]![key] > entries[i]![key]) return false;
  return true;
}

/** {@link heldLevel} in whole units: the basis at each moment is what entered by then minus what left by then. */
function sweepHeldLevel(thresholds: readonly number[], entries: readonly TierEntry[], start: number, t: number): { index: number; metAt: number } {
  const byEntry = sortedBy(entries, 'from') ? entries : [...entries].sort((a, b) => a.from - b.from);
  const byExit = sortedBy(entries, 'until') ? entries : [...entries].sort((a, b) => a.until - b.until);
  let entered = 0;
  let left = 0;
  let e = 0;
  let x = 0;
  let index = -1;
  let metAt = t;
  // The moments visited: `start`, then each entry placed in (start, t], in order.
  let next = 0;
  let moment = start;
  for (;;) {
    while (e < byEntry.length && byEntry[e]!.from <= moment) entered += byEntry[e++]!.units!;
    while (x < byExit.length && byExit[x]!.until <= moment) left += byExit[x++]!.units!;
    const basis = entered - left;
    let level = -1;
    for (let i = thresholds.length - 1; i >= 0; i -= 1) {
      if (basis >= thresholds[i]!) {
        level = i;
        break;
      }
    }
    if (level > index || (level === index && moment > metAt)) {
      index = level;
      metAt = moment;
    }
    while (next < byEntry.length && !(byEntry[next]!.from > start && byEntry[next]!.from <= t)) next += 1;
    if (next === byEntry.length) break;
    moment = byEntry[next++]!.from;
  }
  return { index, metAt };
}
