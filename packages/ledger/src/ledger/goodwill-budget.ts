/**
 * The tenant's goodwill budget of one period (`goodwill.budget` of the program): a reserved counter
 * (reserved-counter.ts explains how concurrent grants never exceed it) keyed by the period, whose reservations keep
 * the grant's request so an abandoned grant can be completed.
 */
import type { GoodwillRequest } from '../contract/requests.js';
import type { Reservation, ReservedCounterDoc } from './reserved-counter.js';

export { RESERVATION_LEASE_MS } from './reserved-counter.js';

/** One grant's points held on the budget until its operation is known to be done. */
export type GoodwillReservation = Reservation<{ request: GoodwillRequest; at: string; mayOverride: boolean }>;

/** The goodwill budget of one period of one tenant (`period`: `2026-12` for a calendar month in the program's zone). */
export type GoodwillBudgetDoc = ReservedCounterDoc<GoodwillReservation['grant']>;

/** The key of a period's budget document in the `counters` collection. */
export function goodwillBudgetKey(period: string): string {
  return `goodwill-budget:${period}`;
}
