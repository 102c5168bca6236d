/**
 * A counter shared by every customer of a tenant that concurrent writes must never push past its limit, with no
 * multi-document transaction: the goodwill budget of a period (goodwill.ts) and a reward's stock (rewards.ts).
 *
 * A write reserves its amount on the counter (one compare-and-set that also checks the limit) BEFORE its account
 * commit, so every committed write is counted, and no two writes can both take the last unit. The reservation is
 * keyed by the write's operation id, so a retry (after a crash anywhere) finds it instead of reserving twice. A write
 * that ends refused gives its reservation back; a committed one settles it (its amount stays in `used`, the
 * reservation leaves the list). A reservation left behind by a crash that nobody retried carries what is needed to
 * run the write again (`retry`): once it is older than {@link RESERVATION_LEASE_MS}, the next write on the counter
 * completes that write through the write protocol (as a follow-up would) and settles or gives back its amount, so
 * nothing stays held.
 */
import type { Store, Versioned } from '../store/store.js';

/** One write's amount held on a counter until its operation is known to be done. */
export interface Reservation<R> {
  opId: string;
  /** Points of a goodwill grant, units of a reward's stock. */
  points: number;
  /** Wall-clock milliseconds of the reservation (never the business `at`). */
  reservedAt: number;
  /** What completes the write when its caller never came back. */
  grant: R;
}

/** A shared counter in the `counters` collection. */
export interface ReservedCounterDoc<R> {
  /** What it counts: the goodwill budget's period key (`2026-12`), a reward's id. */
  period: string;
  /** Amount of every write made or reserved. */
  used: number;
  /** Reservations of writes not yet known to be done, oldest first. */
  reservations: Array<Reservation<R>>;
}

/** How old a reservation must be before another write completes it (its own writer has surely given up). */
export const RESERVATION_LEASE_MS = 60_000;

/** The counter document at `key`, created empty on first use. */
export async function readCounter<R>(store: Store, tenantId: string, key: string, period: string): Promise<Versioned<ReservedCounterDoc<R>>> {
  return (await store.get<ReservedCounterDoc<R>>('counters', tenantId, key)) ?? (await store.insert<ReservedCounterDoc<R>>('counters', tenantId, key, { period, used: 0, reservations: [] })).record;
}

/**
 * The counter at `key` once no other write's reservation on it has outlived its lease: each abandoned one is first
 * completed by `complete` (which runs its write to the end and settles it), then the counter is read again.
 */
export async function readLiveCounter<R>(
  store: Store,
  tenantId: string,
  key: string,
  period: string,
  opId: string,
  now: () => number,
  complete: (left: Reservation<R>) => Promise<void>,
): Promise<Versioned<ReservedCounterDoc<R>>> {
  for (;;) {
    const counter = await readCounter<R>(store, tenantId, key, period);
    const stale = staleReservations(counter.doc, opId, now());
    if (stale.length === 0) return counter;
    for (const left of stale) await complete(left);
  }
}

/**
 * Adds a reservation to the counter read as `counter`, if it still has room for it under `limit`; false when the
 * document moved on (or the room is gone): the caller reads it again and decides again.
 */
export async function reserve<R>(store: Store, tenantId: string, key: string, counter: Versioned<ReservedCounterDoc<R>>, limit: number, reservation: Reservation<R>): Promise<boolean> {
  if (counter.doc.used + reservation.points > limit) return false;
  const next: ReservedCounterDoc<R> = { ...counter.doc, used: counter.doc.used + reservation.points, reservations: [...counter.doc.reservations, reservation] };
  return (await store.replace<ReservedCounterDoc<R>>('counters', tenantId, key, counter.version, next)) !== undefined;
}

/**
 * Takes operation `opId`'s reservation off the counter, once: `giveBack` returns its amount (the write was refused),
 * otherwise it stays in `used` (the write was made). Nothing to do when it holds none.
 */
export async function endReservation(store: Store, tenantId: string, key: string, opId: string, giveBack: boolean): Promise<void> {
  for (;;) {
    const counter = await store.get<ReservedCounterDoc<unknown>>('counters', tenantId, key);
    const held = counter?.doc.reservations.find((r) => r.opId === opId);
    if (!counter || !held) return;
    const next: ReservedCounterDoc<unknown> = {
      ...counter.doc,
      used: giveBack ? counter.doc.used - held.points : counter.doc.used,
      reservations: counter.doc.reservations.filter((r) => r.opId !== opId),
    };
    if (await store.replace('counters', tenantId, key, counter.version, next)) return;
  }
}

/**
 * Gives back the reservation `held` on the counter read as `counter` (its write is being refused); false when the
 * document moved on, so the caller reads it again and decides again.
 */
export async function giveBack<R>(store: Store, tenantId: string, key: string, counter: Versioned<ReservedCounterDoc<R>>, held: Reservation<R>): Promise<boolean> {
  const next: ReservedCounterDoc<R> = { ...counter.doc, used: counter.doc.used - held.points, reservations: counter.doc.reservations.filter((r) => r.opId !== held.opId) };
  return (await store.replace<ReservedCounterDoc<R>>('counters', tenantId, key, counter.version, next)) !== undefined;
}

/** Reservations of other writes older than the lease at wall-clock `now`. */
export function staleReservations<R>(counter: ReservedCounterDoc<R>, opId: string, now: number): Array<Reservation<R>> {
  return counter.reservations.filter((r) => r.opId !== opId && now - r.reservedAt >= RESERVATION_LEASE_MS);
}
