/**
 * How long the simulation keeps each piece of a customer's past: orders while the tier window (plus the downgrade
 * grace) can still see them, and each usage counter while its calendar period can still be read. Everything older is
 * dropped, so what is kept depends on the windows, never on the length of the history.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { Period } from '../program/primitives.js';

const DAY_MS = 86_400_000;

/** Longest time a period can last, in milliseconds (a month is counted as 31 days, a year as 366). */
function periodSpanMs(period: Period): number {
  if (period.days !== undefined) return period.days * DAY_MS;
  if (period.weeks !== undefined) return period.weeks * 7 * DAY_MS;
  if (period.months !== undefined) return period.months * 31 * DAY_MS;
  return (period.years ?? 1) * 366 * DAY_MS;
}

/** What the program needs kept. */
export interface RetentionPolicy {
  /**
   * How far back before an instant an order can still affect the tier, in milliseconds (window + grace + a margin
   * month, months counted as 31 days: a little early is never wrong, only larger); undefined without tiers.
   */
  readonly historyMs: number | undefined;
  /** Per rule id (`referral` for the per-referrer limit): how long one of its counters matters after its first use. */
  readonly counterSpanMs: ReadonlyMap<string, number>;
}

/**
 * The retention the program needs.
 *
 * @example
 * retentionPolicy(compiled).historyMs // 14 × 31 days for a 12-month window with 1 month of grace
 */
export function retentionPolicy(compiled: CompiledProgram): RetentionPolicy {
  const tiers = compiled.tiers;
  // A calendar-year window never reaches further back than 12 months; a margin month covers month-length edges.
  const historyMs = tiers ? ((tiers.windowMonths ?? 12) + tiers.graceMonths + 1) * 31 * DAY_MS : undefined;
  const counterSpanMs = new Map<string, number>();
  const keep = (id: string, period: Period | undefined): void => {
    const span = period ? periodSpanMs(period) + DAY_MS : Number.POSITIVE_INFINITY;
    counterSpanMs.set(id, Math.max(span, counterSpanMs.get(id) ?? 0));
  };
  for (const rule of compiled.rules) if (rule.capPerCustomer) keep(rule.id, rule.capPerCustomer.period);
  for (const rule of compiled.program.events ?? []) if (rule.limit) keep(rule.id, rule.limit.perCustomer.period);
  const referralLimit = compiled.program.referral?.limit;
  if (referralLimit) keep('referral', referralLimit.perReferrer.period);
  return { historyMs, counterSpanMs };
}

/**
 * The span of a counter key: keys embed the rule id as a `:`-separated part (`earn:big-basket:2026-02`,
 * `event:review:2026-02`, `referral:2026`). When several rules could match, the longest span wins; when none does,
 * the counter is kept for ever (never wrong, only larger).
 */
export function counterSpan(key: string, policy: RetentionPolicy): number {
  let span = -1;
  for (const part of key.split(':')) {
    const s = policy.counterSpanMs.get(part);
    if (s !== undefined && s > span) span = s;
  }
  return span < 0 ? Number.POSITIVE_INFINITY : span;
}
