/**
 * The bounded state a simulation keeps per customer: the orders the tier window can still see (plus the downgrade
 * grace), the usage counters whose calendar period can still be read, the open lots and debt, and the last birthday
 * year granted. Older entries are pruned, so a customer's state depends on the windows, not on how many orders they
 * placed over the whole history.
 */
import type { HistoryOrder } from '../input/customer-history.js';
import { PointsAccount } from './points-account.js';
import { counterSpan, type RetentionPolicy } from './retention-policy.js';
import { appended, kept, withoutFirst } from './tight-arrays.js';

/** A past order as the tier window reads it (net of returns), with its instant in epoch milliseconds. */
export interface HeldOrder extends HistoryOrder {
  tierSpend: string;
  points: number;
  readonly ms: number;
}

interface Counter {
  readonly key: string;
  count: number;
  /** The counter can be read no later than this (its first use + the longest span of its period). */
  readonly until: number;
}

/** One customer's bounded past. */
export class CustomerState {
  /** Orders still inside the tier window (+ grace), oldest first. Replaced, never changed in place (see tight-arrays.ts). */
  orders: HeldOrder[] = [];
  #counters: readonly Counter[] | undefined;
  readonly account = new PointsAccount();
  /** Tier held after the customer's last order. */
  tier: string | null;
  /** The year of the last birthday granted, and the instant after which it can no longer be asked again. */
  birthdayYear: number | undefined;
  birthdayKeptUntil = Number.NEGATIVE_INFINITY;
  /** Returnable orders and reversible referrals that point at this state: it is kept while any is open. */
  open = 0;

  constructor(tier: string | null) {
    this.tier = tier;
  }

  /** The counters as `history.usage` reads them. */
  usage(): Record<string, number> {
    const out: Record<string, number> = {};
    if (this.#counters) for (const c of this.#counters) out[c.key] = c.count;
    return out;
  }

  /** Adds counter changes (negative for a reversed application) made at `at`. */
  addUsage(deltas: ReadonlyArray<{ readonly key: string; readonly count: number }>, at: number, policy: RetentionPolicy): void {
    for (const { key, count } of deltas) {
      const existing = this.#counters?.find((c) => c.key === key);
      if (existing) existing.count += count;
      else this.#counters = appended(this.#counters ?? [], { key, count, until: at + counterSpan(key, policy) });
    }
  }

  /**
   * Drops what can no longer affect anything at or after `at`: orders placed before `cutoff` (undefined: every
   * order, the program has no tiers) and counters past their period. Orders come in time order, so the ones to
   * drop are a prefix.
   */
  prune(at: number, cutoff: number | undefined): void {
    let drop = 0;
    if (cutoff === undefined) drop = this.orders.length;
    else while (drop < this.orders.length && this.orders[drop]!.ms < cutoff) drop++;
    if (drop > 0) this.orders = withoutFirst(this.orders, drop);
    if (this.#counters) {
      const left = kept(this.#counters, (c) => c.until >= at);
      this.#counters = left.length > 0 ? left : undefined;
    }
  }

  /** True when nothing is left that a later record could read: the state can be forgotten. */
  idle(at: number): boolean {
    return this.orders.length === 0 && this.#counters === undefined && this.account.empty && this.open === 0 && this.birthdayKeptUntil < at;
  }

  /** Remembers an order placed after every order already held. */
  addOrder(order: HeldOrder): void {
    this.orders = appended(this.orders, order);
  }

  /** Entries held (orders, counters, lots), for bounds in tests. */
  get size(): number {
    return this.orders.length + (this.#counters?.length ?? 0) + this.account.lots.length;
  }
}
