/**
 * Keys of calendar periods in the program's time zone, computed from an instant with integer arithmetic. Usage
 * counters embed them ("earn:big-basket:2026-02"), so a new period simply starts at zero.
 */
import type { Period } from '../program/primitives.js';
import type { LocalFields } from './zone-clock.js';

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/**
 * The key of the calendar period containing a local date: `2026-02-01` (a day), `w:2935` (a Monday-based week),
 * `2026-02` (a month), `2026` (a year); blocks of several units are numbered (`m3:8105` is a calendar quarter).
 * No period: `ever`.
 *
 * @example periodKey({ months: 1 }, clock.local(ms)) // '2026-02'
 */
export function periodKey(period: Period | undefined, local: LocalFields): string {
  if (!period) return 'ever';
  if (period.days !== undefined) {
    return period.days === 1 ? `${pad(local.year, 4)}-${pad(local.month, 2)}-${pad(local.day, 2)}` : `d${period.days}:${Math.floor(local.epochDay / period.days)}`;
  }
  if (period.weeks !== undefined) {
    // 1970-01-01 was a Thursday: day -3 is the Monday that starts week 0.
    const week = Math.floor((local.epochDay + 3) / 7);
    return `w${period.weeks}:${Math.floor(week / period.weeks)}`;
  }
  if (period.months !== undefined) {
    if (period.months === 1) return `${pad(local.year, 4)}-${pad(local.month, 2)}`;
    return `m${period.months}:${Math.floor(((local.year * 12) + local.month - 1) / period.months)}`;
  }
  const years = period.years ?? 1;
  return years === 1 ? pad(local.year, 4) : `y${years}:${Math.floor(local.year / years)}`;
}

/** How a person reads a period: "calendar month", "3 calendar months". */
export function describePeriod(period: Period | undefined): string {
  if (!period) return 'ever';
  const [unit, n] = Object.entries(period)[0] ?? ['months', 1];
  const singular = unit.replace(/s$/, '');
  return n === 1 ? `calendar ${singular}` : `${n} calendar ${unit}`;
}

/** Local days whose counter keys a cap keeps (about three years); past that the memo starts again. */
const KEYS_KEPT = 1024;

/**
 * A rule's per-customer cap: its count, its period, and the counter key of an evaluation's local date
 * (`earn:<rule id>:<period key>`). The key depends only on the local date, so keys are kept by local day (the last
 * one first, then up to {@link KEYS_KEPT} days): evaluations on a day seen before (nearly all of them in a running
 * shop; returns and replays of orders from other days too) reuse the same string, whose hash V8 has already
 * computed, instead of building and hashing a new one per rule per evaluation.
 */
export class CustomerCap {
  readonly count: number;
  readonly period: Period | undefined;
  readonly #prefix: string;
  readonly #byDay = new Map<number, string>();
  #day = Number.NaN;
  #key = '';

  constructor(ruleId: string, count: number, period: Period | undefined) {
    this.count = count;
    this.period = period;
    this.#prefix = `earn:${ruleId}:`;
  }

  /** The usage counter key of the period containing `local`. */
  usageKey(local: LocalFields): string {
    const day = local.epochDay;
    if (day !== this.#day) {
      let key = this.#byDay.get(day);
      if (key === undefined) {
        key = this.#prefix + periodKey(this.period, local);
        if (this.#byDay.size >= KEYS_KEPT) this.#byDay.clear();
        this.#byDay.set(day, key);
      }
      this.#key = key;
      this.#day = day;
    }
    return this.#key;
  }
}
