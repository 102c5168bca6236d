/**
 * The bounded state a simulation keeps per customer: the orders that can still affect the tier (inside the tier
 * window plus the downgrade grace), and the usage counters whose calendar period can still be read. Older entries
 * are pruned, so memory per customer stays bounded however long the history is.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { HistoryOrder } from '../input/customer-history.js';
import type { Period } from '../program/primitives.js';

const DAY_MS = 86_400_000;

/** Longest time a period can last, in milliseconds (a month is counted as 31 days, a year as 366). */
function periodSpanMs(period: Period): number {
  if (period.days !== undefined) return period.days * DAY_MS;
  if (period.weeks !== undefined) return period.weeks * 7 * DAY_MS;
  if (period.months !== undefined) return period.months * 31 * DAY_MS;
  return (period.years ?? 1) * 366 * DAY_MS;
}

/** How long past its last use each counter may still be read, by the rule id its key names. */
export interface RetentionPolicy {
  /** Months of history the tier evaluation needs before an instant (window + grace + a margin month). */
  readonly historyMonths: number | undefined;
  /** Per rule id with a per-customer cap: how long its counters matter after they were last touched (Infinity: for ever). */
  readonly counterSpanMs: ReadonlyMap<string, number>;
}

/** What the program needs kept. */
export function retentionPolicy(compiled: CompiledProgram): RetentionPolicy {
  const tiers = compiled.tiers;
  // A calendar-year window never reaches further back than 12 months; a margin month covers month-length edges.
  const historyMonths = tiers ? (tiers.windowMonths ?? 12) + tiers.graceMonths + 1 : undefined;
  const counterSpanMs = new Map<string, number>();
  for (const rule of compiled.rules) {
    if (rule.capPerCustomer) counterSpanMs.set(rule.id, rule.capPerCustomer.period ? periodSpanMs(rule.capPerCustomer.period) + DAY_MS : Number.POSITIVE_INFINITY);
  }
  return { historyMonths, counterSpanMs };
}

interface Counter {
  count: number;
  /** Epoch ms of the first order that touched it: the counter's period started no earlier than this... */
  firstTouched: number;
  /** ...and can be read no later than firstTouched + the period's span. */
  span: number;
}

/** One customer's bounded past. */
export class CustomerWindow {
  /** Orders still inside the tier window (+ grace), oldest first, and their instants in epoch milliseconds. */
  orders: HistoryOrder[] = [];
  #times: number[] = [];
  readonly #counters = new Map<string, Counter>();
  /** Tier held after the customer's last order. */
  tier: string | null;

  constructor(tier: string | null) {
    this.tier = tier;
  }

  /** The counters as `history.usage` reads them. */
  usage(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [key, counter] of this.#counters) out[key] = counter.count;
    return out;
  }

  /** Remembers an order (placed at `at`, after every order already held). */
  addOrder(order: HistoryOrder, at: number): void {
    this.orders.push(order);
    this.#times.push(at);
  }

  /** Adds what an order consumed. */
  addUsage(key: string, count: number, at: number, policy: RetentionPolicy): void {
    const existing = this.#counters.get(key);
    if (existing) existing.count += count;
    else this.#counters.set(key, { count, firstTouched: at, span: spanOfKey(key, policy) });
  }

  /** Drops what can no longer affect an order placed at or after `at`. Answers whether nothing is left. */
  prune(at: number, cutoff: number | undefined): boolean {
    // Orders arrive in time order, so the ones to drop are a prefix.
    let drop = 0;
    if (cutoff === undefined) drop = this.orders.length;
    else while (drop < this.#times.length && (this.#times[drop] ?? 0) < cutoff) drop++;
    if (drop > 0) {
      this.orders = this.orders.slice(drop);
      this.#times = this.#times.slice(drop);
    }
    for (const [key, counter] of this.#counters) if (counter.firstTouched + counter.span < at) this.#counters.delete(key);
    return this.orders.length === 0 && this.#counters.size === 0;
  }

  /** Number of entries held (orders + counters), for bounds in tests. */
  get size(): number {
    return this.orders.length + this.#counters.size;
  }
}

/**
 * The span of a counter key: keys embed the rule id as a `:`-separated part (`earn:big-basket:2026-02`). When several
 * rules could match, the longest span wins; when none does, the counter is kept for ever (never wrong, only larger).
 */
function spanOfKey(key: string, policy: RetentionPolicy): number {
  let span = -1;
  for (const part of key.split(':')) {
    const s = policy.counterSpanMs.get(part);
    if (s !== undefined && s > span) span = s;
  }
  return span < 0 ? Number.POSITIVE_INFINITY : span;
}
