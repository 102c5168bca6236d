/**
 * The usage key of the per-referrer limit: one counter per referrer per calendar period in the program's zone, so
 * old periods simply stop being read (docs/architecture.md, "The history summary").
 */
import type { DateTime } from 'luxon';
import type { Period } from '../program/primitives.js';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/**
 * The key of the referral limit's period containing `at` (already in the program's zone). Periods of several
 * units are aligned blocks: `{ "months": 3 }` is the calendar quarter, `{ "years": 1 }` the calendar year.
 *
 * @example referrerLimitKey({ years: 1 }, at) // 'referral:referrer:2026'
 */
export function referrerLimitKey(period: Period | undefined, at: DateTime): string {
  const prefix = 'referral:referrer:';
  if (!period) return `${prefix}ever`;
  if (period.years !== undefined) {
    const n = period.years;
    const start = at.year - (at.year % n);
    return `${prefix}${start}${n > 1 ? `/P${n}Y` : ''}`;
  }
  if (period.months !== undefined) {
    const n = period.months;
    const index = (at.year * 12) + (at.month - 1);
    const start = index - (index % n);
    return `${prefix}${Math.floor(start / 12)}-${pad((start % 12) + 1)}${n > 1 ? `/P${n}M` : ''}`;
  }
  if (period.weeks !== undefined) {
    const n = period.weeks;
    const start = at.weekNumber - ((at.weekNumber - 1) % n);
    return `${prefix}${at.weekYear}-W${pad(start)}${n > 1 ? `/P${n}W` : ''}`;
  }
  const n = period.days ?? 1;
  const start = at.ordinal - ((at.ordinal - 1) % n);
  return `${prefix}${at.year}-D${pad(start, 3)}${n > 1 ? `/P${n}D` : ''}`;
}
