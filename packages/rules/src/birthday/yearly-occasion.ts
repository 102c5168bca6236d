/**
 * A yearly occasion (a birthday, a purchase anniversary) placed in a given year and zone, with its grant window.
 * Everything is calendar arithmetic in a named zone, so DST changes move no boundary: a window always starts at
 * local midnight, whether that day has 23, 24 or 25 hours.
 */
import { DateTime } from 'luxon';

/** The grant window around the occasion: its day, its ISO week (Monday to Sunday), or its calendar month. */
export type OccasionWindow = 'day' | 'week' | 'month';
/** Where 29 February falls in a year without one. */
export type LeapDayRule = 'feb28' | 'mar1';

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** An occasion in one year, and the half-open window [start, end) in which it may be granted. */
export interface OccasionInYear {
  /** The year the occasion belongs to: the key that makes a grant happen at most once. */
  readonly year: number;
  /** The day the occasion falls on this year (local midnight). */
  readonly day: DateTime;
  readonly start: DateTime;
  readonly end: DateTime;
}

/**
 * The occasion of `month`/`day` in `year`: 29 February falls on 28 February or 1 March in other years.
 *
 * @example occasionDay(2, 29, 2027, 'mar1', 'Asia/Jakarta').toISODate() // '2027-03-01'
 */
export function occasionDay(month: number, day: number, year: number, leapDay: LeapDayRule, zone: string): DateTime {
  let m = month;
  let d = day;
  if (m === 2 && d === 29 && !isLeapYear(year)) {
    if (leapDay === 'mar1') {
      m = 3;
      d = 1;
    } else d = 28;
  }
  const result = DateTime.local(year, m, d, { zone }).startOf('day');
  if (!result.isValid) throw new RangeError(`no day ${year}-${m}-${d} in ${zone}: ${result.invalidExplanation ?? ''}`);
  return result;
}

/**
 * The occasion in `year` with its window. A week or month window is the one that contains the occasion's day,
 * so for a 29 February birthday under `mar1` the month window of a common year is March.
 *
 * @example occasionInYear(3, 14, 2026, 'month', 'feb28', 'Asia/Jakarta').start.toISO() // '2026-03-01T00:00:00.000+07:00'
 */
export function occasionInYear(month: number, day: number, year: number, window: OccasionWindow, leapDay: LeapDayRule, zone: string): OccasionInYear {
  const occasion = occasionDay(month, day, year, leapDay, zone);
  const start = occasion.startOf(window);
  const end = start.plus(window === 'day' ? { days: 1 } : window === 'week' ? { weeks: 1 } : { months: 1 }).startOf('day');
  return { year, day: occasion, start, end };
}

/** Where `at` falls: the occasion whose window contains it, if any, and the occasion of `at`'s own year. */
export interface OccasionLookup {
  readonly inside: OccasionInYear | undefined;
  readonly thisYear: OccasionInYear;
}

/**
 * The occasion whose window contains `at`, if any. A week window can straddle New Year (a 31 December birthday's
 * week may end on 3 January), so the years around `at` are all looked at; windows of different years never overlap.
 */
export function occasionAt(month: number, day: number, at: DateTime, window: OccasionWindow, leapDay: LeapDayRule): OccasionLookup {
  const zone = at.zoneName ?? 'UTC';
  const thisYear = occasionInYear(month, day, at.year, window, leapDay, zone);
  const contains = (o: OccasionInYear): boolean => o.start <= at && at < o.end;
  if (contains(thisYear)) return { inside: thisYear, thisYear };
  // Only a week window can reach into the neighbouring year.
  if (window === 'week') {
    for (const year of [at.year - 1, at.year + 1]) {
      const o = occasionInYear(month, day, year, window, leapDay, zone);
      if (contains(o)) return { inside: o, thisYear };
    }
  }
  return { inside: undefined, thisYear };
}
