/**
 * What an account may forget, and when: one policy derived from the program, used by `applyActions` for the ledger
 * and the simulation alike. Orders are kept while the tier window (plus the downgrade grace) can still see them;
 * each cap or limit counter while its calendar period can still be read. A counter with no period ("once ever") is
 * never forgotten, however long ago it was used (SEMANTICS rule 3); nor is a counter of a rule the program no
 * longer has (never wrong, only larger). So what is kept depends on the windows, never on the length of the history.
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
   * How far back before the account's latest write an order can still affect the tier, in milliseconds (window +
   * grace + a margin month, months counted as 31 days: a little early is never wrong, only larger); undefined
   * without tiers, when no order is kept.
   */
  readonly historyMs: number | undefined;
  /**
   * Per counter family (`earn:<rule id>`, `event:<rule id>`, `referral`, `goodwill`): how long after its last change a counter
   * can still be read; +Infinity for a limit without a period.
   */
  readonly counterSpanMs: ReadonlyMap<string, number>;
}

const policies = new WeakMap<CompiledProgram, RetentionPolicy>();

/**
 * The retention the program needs (computed once per compiled program).
 *
 * @example
 * retentionPolicy(compiled).historyMs // 14 × 31 days for a 12-month window with 1 month of grace
 */
export function retentionPolicy(compiled: CompiledProgram): RetentionPolicy {
  let policy = policies.get(compiled);
  if (policy) return policy;
  const tiers = compiled.tiers;
  // A calendar-year window never reaches further back than 12 months; a margin month covers month-length edges.
  const historyMs = tiers ? ((tiers.windowMonths ?? 12) + tiers.graceMonths + 1) * 31 * DAY_MS : undefined;
  const counterSpanMs = new Map<string, number>();
  const keep = (family: string, period: Period | undefined): void => {
    const span = period ? periodSpanMs(period) + DAY_MS : Number.POSITIVE_INFINITY;
    counterSpanMs.set(family, Math.max(span, counterSpanMs.get(family) ?? 0));
  };
  for (const rule of compiled.rules) if (rule.capPerCustomer) keep(`earn:${rule.id}`, rule.capPerCustomer.period);
  for (const rule of compiled.program.events ?? []) if (rule.limit) keep(`event:${rule.id}`, rule.limit.perCustomer.period);
  const referralLimit = compiled.program.referral?.limit;
  if (referralLimit) keep('referral', referralLimit.perReferrer.period);
  const goodwillLimit = compiled.program.goodwill?.limit;
  if (goodwillLimit) keep('goodwill', goodwillLimit.perCustomer.period);
  policy = { historyMs, counterSpanMs };
  policies.set(compiled, policy);
  return policy;
}

/**
 * How long after its last change a counter can be read. Keys are `<kind>:<rule id>:<period key>` (rule ids have no
 * `:`) or `referral:<period key>` / `goodwill:<period key>`; a key of no known family is kept for ever.
 *
 * @example counterSpan('earn:big-basket:2026-02', policy) // 32 days for a monthly cap
 */
export function counterSpan(key: string, policy: RetentionPolicy): number {
  const first = key.indexOf(':');
  const kind = first < 0 ? key : key.slice(0, first);
  let family = kind;
  if (kind === 'earn' || kind === 'event') {
    const second = key.indexOf(':', first + 1);
    family = second < 0 ? key : key.slice(0, second);
  }
  return policy.counterSpanMs.get(family) ?? Number.POSITIVE_INFINITY;
}
