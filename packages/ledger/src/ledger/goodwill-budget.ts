/**
 * The tenant's goodwill budget of one period (`goodwill.budget` of the program): a counter document shared by every
 * customer, which must never let concurrent grants exceed the budget, with no multi-document transaction.
 *
 * A grant reserves its points on the counter (one compare-and-set that also checks the budget) BEFORE its account
 * commit, so every committed grant is counted, and no two grants can both take the last points. The reservation is
 * keyed by the grant's operation id, so a retry (after a crash anywhere) finds it instead of reserving twice. A grant
 * that ends refused gives its reservation back; a granted one settles it (its points stay in `used`, the
 * reservation leaves the list). A reservation left behind by a crash that nobody retried carries the request it was
 * made for: once it is older than {@link RESERVATION_LEASE_MS}, the next grant of the period completes that grant
 * through the write protocol (as a follow-up would) and settles or gives back its points, so nothing stays held.
 */
import type { GoodwillRequest } from '../contract/requests.js';
import type { Store, Versioned } from '../store/store.js';

/** One grant's points held on the budget until its operation is known to be done. */
export interface GoodwillReservation {
  opId: string;
  points: number;
  /** Wall-clock milliseconds of the reservation (never the business `at`). */
  reservedAt: number;
  /** What completes the grant when its caller never came back. */
  grant: { request: GoodwillRequest; at: string; mayOverride: boolean };
}

/** The goodwill budget of one period of one tenant. */
export interface GoodwillBudgetDoc {
  /** The period key (`2026-12` for a calendar month in the program's zone). */
  period: string;
  /** Points of every grant granted or reserved in the period. */
  used: number;
  /** Reservations of grants not yet known to be done, oldest first. */
  reservations: GoodwillReservation[];
}

/** How old a reservation must be before another grant completes it (its own writer has surely given up). */
export const RESERVATION_LEASE_MS = 60_000;

/** The key of a period's budget document in the `counters` collection. */
export function goodwillBudgetKey(period: string): string {
  return `goodwill-budget:${period}`;
}

/** The period's budget document, created empty on first use. */
export async function readBudget(store: Store, tenantId: string, period: string): Promise<Versioned<GoodwillBudgetDoc>> {
  const key = goodwillBudgetKey(period);
  return (await store.get<GoodwillBudgetDoc>('counters', tenantId, key)) ?? (await store.insert<GoodwillBudgetDoc>('counters', tenantId, key, { period, used: 0, reservations: [] })).record;
}

/**
 * Adds a reservation to the budget read as `budget`, if the budget still has room for it; false when the document
 * moved on (or the room is gone): the caller reads it again and decides again.
 */
export async function reserve(store: Store, tenantId: string, budget: Versioned<GoodwillBudgetDoc>, limit: number, reservation: GoodwillReservation): Promise<boolean> {
  if (budget.doc.used + reservation.points > limit) return false;
  const next: GoodwillBudgetDoc = { ...budget.doc, used: budget.doc.used + reservation.points, reservations: [...budget.doc.reservations, reservation] };
  return (await store.replace<GoodwillBudgetDoc>('counters', tenantId, goodwillBudgetKey(budget.doc.period), budget.version, next)) !== undefined;
}

/**
 * Takes operation `opId`'s reservation off the period's budget, once: `giveBack` returns its points (the grant was
 * refused), otherwise they stay in `used` (the grant was made). Nothing to do when it holds none.
 */
export async function endReservation(store: Store, tenantId: string, period: string, opId: string, giveBack: boolean): Promise<void> {
  for (;;) {
    const budget = await store.get<GoodwillBudgetDoc>('counters', tenantId, goodwillBudgetKey(period));
    const held = budget?.doc.reservations.find((r) => r.opId === opId);
    if (!budget || !held) return;
    const next: GoodwillBudgetDoc = {
      ...budget.doc,
      used: giveBack ? budget.doc.used - held.points : budget.doc.used,
      reservations: budget.doc.reservations.filter((r) => r.opId !== opId),
    };
    if (await store.replace<GoodwillBudgetDoc>('counters', tenantId, goodwillBudgetKey(period), budget.version, next)) return;
  }
}

/**
 * Gives back operation `opId`'s reservation on the budget read as `budget` (its grant is being refused); false when
 * the document moved on, so the caller reads it again and decides again.
 */
export async function giveBack(store: Store, tenantId: string, budget: Versioned<GoodwillBudgetDoc>, held: GoodwillReservation): Promise<boolean> {
  const next: GoodwillBudgetDoc = { ...budget.doc, used: budget.doc.used - held.points, reservations: budget.doc.reservations.filter((r) => r.opId !== held.opId) };
  return (await store.replace<GoodwillBudgetDoc>('counters', tenantId, goodwillBudgetKey(budget.doc.period), budget.version, next)) !== undefined;
}

/** Reservations of other grants older than the lease at wall-clock `now`. */
export function staleReservations(budget: GoodwillBudgetDoc, opId: string, now: number): GoodwillReservation[] {
  return budget.reservations.filter((r) => r.opId !== opId && now - r.reservedAt >= RESERVATION_LEASE_MS);
}
