/**
 * The points state of one customer, and the only functions that change it. `applyActions` (the ledger's writes and
 * the simulation alike) and the ledger's reconciliation (which replays entries) all go through `applyEntry`, so
 * they cannot disagree on the arithmetic (SEMANTICS rules 5-7).
 */
import type { PointsEntry } from './points-entry.js';
import { bySoonestExpiry, isAvailable, type Lot } from './lot.js';

/** Lots, debt and lifetime totals: everything a balance is made of. */
export interface PointsState {
  /** Open lots: remaining > 0, not yet closed by an expire entry. */
  lots: Lot[];
  /** Points owed after a clawback no lot could cover; repaid first by lots as they become available. */
  debt: number;
  /** Lifetime points redeemed. */
  redeemed: number;
  /** Lifetime points closed by expire entries. */
  expiredRecorded: number;
  /** The latest instant any write was made at (UTC ISO); settlement never runs behind it. */
  clock: string;
}

/** How many expiring lots a view lists: the soonest ones (a customer who orders daily holds a year of lots). */
export const EXPIRING_LIMIT = 10;

/** The balances of a customer as of an instant (docs/architecture.md "Balances and debt"). */
export interface PointsView {
  available: number;
  pending: number;
  expired: number;
  redeemed: number;
  balance: number;
  debt: number;
  /** Available lots that will expire, soonest first: at most `EXPIRING_LIMIT` of them. */
  expiring: Array<{ points: number; at: string }>;
}

/** A state with nothing in it. */
export function emptyPointsState(): PointsState {
  return { lots: [], debt: 0, redeemed: 0, expiredRecorded: 0, clock: '' };
}

/**
 * Lets every lot that has become available by `at` repay the debt, in the order the lots became available.
 * Idempotent: a settled lot is never settled again. Lots are never changed in place: a lot that changes is replaced
 * by a new one and every other lot is shared with `state` (a customer who orders daily holds a year of lots, and
 * every write settles them several times; the ledger keeps the stored text of each lot with it).
 */
export function settle(state: PointsState, at: string): PointsState {
  const now = at > state.clock ? at : state.clock;
  let due: Lot[] | undefined;
  for (const lot of state.lots) if (!lot.settled && lot.availableAt <= now) (due ??= []).push(lot);
  if (due === undefined) return { ...state, clock: now, lots: state.lots.filter((lot) => lot.remaining > 0) };
  due.sort((a, b) => {
    if (a.availableAt !== b.availableAt) return a.availableAt < b.availableAt ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  let debt = state.debt;
  const settled = new Map<Lot, Lot>();
  for (const lot of due) {
    const paid = Math.min(debt, lot.remaining);
    settled.set(lot, { ...lot, settled: true, remaining: lot.remaining - paid });
    debt -= paid;
  }
  const lots: Lot[] = [];
  for (const lot of state.lots) {
    const now = settled.get(lot) ?? lot;
    if (now.remaining > 0) lots.push(now);
  }
  return { ...state, clock: now, debt, lots };
}

/** Replaces the lot with id `lotId` in `lots` (a copy made by `settle`) by `change(lot)`; undefined when there is none. */
function replaceLot(lots: Lot[], lotId: string, change: (lot: Lot) => Lot): Lot | undefined {
  const index = lots.findIndex((lot) => lot.id === lotId);
  if (index < 0) return undefined;
  const lot = change(lots[index]!);
  lots[index] = lot;
  return lot;
}

/** Applies one entry's explicit effects after settling up to the entry's instant. */
export function applyEntry(state: PointsState, entry: Pick<PointsEntry, 'id' | 'type' | 'points' | 'at' | 'lot' | 'debits' | 'debt' | 'credits' | 'schedule'>): PointsState {
  const next = settle(state, entry.at);
  for (const debit of entry.debits) {
    const lot = next.lots.find((l) => l.id === debit.lotId);
    if (!lot || lot.remaining < debit.points) {
      throw new Error(`points: entry ${entry.id} takes ${debit.points} from lot ${debit.lotId}, which has ${lot?.remaining ?? 'no'} points`);
    }
    replaceLot(next.lots, debit.lotId, (l) => ({ ...l, remaining: l.remaining - debit.points }));
  }
  next.debt += entry.debt;
  if (entry.type === 'redeem') next.redeemed += -entry.points;
  // A cancelled redemption's points are no longer redeemed (those that come back expired are recorded as expired
  // by the expire entry that follows).
  if (entry.type === 'restore') next.redeemed -= entry.points;
  if (entry.type === 'expire') next.expiredRecorded += -entry.points;
  for (const credit of entry.credits ?? []) {
    // A lot that was available before it was emptied had settled then; it is not asked to repay the debt again.
    const found = replaceLot(next.lots, credit.lot.id, (l) => ({ ...l, remaining: l.remaining + credit.points }));
    if (!found) next.lots.push({ ...credit.lot, remaining: credit.points, settled: credit.lot.availableAt <= entry.at });
  }
  if (entry.schedule) {
    const { lotId, availableAt, expiresAt } = entry.schedule;
    replaceLot(next.lots, lotId, (l) => ({ ...l, availableAt, expiresAt }));
  }
  if (entry.lot) {
    const lot: Lot = { ...entry.lot, remaining: entry.lot.amount, settled: false };
    next.lots.push(lot);
  }
  if (next.debt < 0) throw new Error(`points: entry ${entry.id} would make the debt negative`);
  next.lots = next.lots.filter((lot) => lot.remaining > 0);
  // A lot granted at once repays the debt at once; a pending one when it becomes available.
  return settle(next, entry.at);
}

/** Plans taking `points` from lots: `first` (an order's own lot) first, then available lots soonest-expiring first. */
export function planDebits(
  state: PointsState,
  points: number,
  at: string,
  options: { firstLotIds?: string[]; allowDebt: boolean },
): { debits: Array<{ lotId: string; points: number }>; debt: number } {
  let left = points;
  const debits: Array<{ lotId: string; points: number }> = [];
  const take = (lot: Lot): void => {
    if (left <= 0 || lot.remaining <= 0) return;
    const n = Math.min(left, lot.remaining);
    debits.push({ lotId: lot.id, points: n });
    left -= n;
  };
  const first = new Set(options.firstLotIds ?? []);
  for (const lot of state.lots) if (first.has(lot.id) && at < lot.expiresAt) take(lot);
  const available = state.lots.filter((lot) => !first.has(lot.id) && isAvailable(lot, at)).sort(bySoonestExpiry);
  for (const lot of available) take(lot);
  if (left > 0 && !options.allowDebt) throw new Error(`points: ${points} points asked but only ${points - left} available`);
  return { debits, debt: left };
}

/** The balances as of `at`, settling virtually (nothing is written). */
export function viewPoints(state: PointsState, at: string): PointsView {
  const s = settle(state, at);
  let availableLots = 0;
  let pending = 0;
  let expiredUnrecorded = 0;
  // The soonest-expiring available lots, kept in `bySoonestExpiry` order as they are met: sorting a year of lots to
  // read the first few is most of the cost of a view.
  const soonest: Lot[] = [];
  for (const lot of s.lots) {
    if (lot.expiresAt <= at) expiredUnrecorded += lot.remaining;
    else if (lot.availableAt > at) pending += lot.remaining;
    else {
      availableLots += lot.remaining;
      if (soonest.length === EXPIRING_LIMIT && bySoonestExpiry(lot, soonest[EXPIRING_LIMIT - 1]!) >= 0) continue;
      let index = soonest.length;
      while (index > 0 && bySoonestExpiry(lot, soonest[index - 1]!) < 0) index -= 1;
      soonest.splice(index, 0, lot);
      if (soonest.length > EXPIRING_LIMIT) soonest.pop();
    }
  }
  return {
    available: Math.max(0, availableLots - s.debt),
    pending,
    expired: s.expiredRecorded + expiredUnrecorded,
    redeemed: s.redeemed,
    balance: availableLots + pending - s.debt,
    debt: s.debt,
    expiring: soonest.map((lot) => ({ points: lot.remaining, at: lot.expiresAt })),
  };
}

/** Sum of the entries' points: what the balance must equal once every due expiry is recorded. */
export function sumOfEntries(entries: ReadonlyArray<Pick<PointsEntry, 'points'>>): number {
  return entries.reduce((sum, e) => sum + e.points, 0);
}
