/**
 * A customer's points as the simulation keeps them: lots with their life (SEMANTICS rule 5) and debt (rule 6), with
 * the same arithmetic as the ledger's `points-state.ts` (settle, then expire; clawbacks take from the order's own
 * lot first, then from available lots soonest-expiring first; what is missing becomes debt, repaid by lots as they
 * become available). Instants are epoch milliseconds, and a lot without expiry expires at +Infinity.
 *
 * Kept small on purpose: lots that can no longer be told apart (available, settled, never expiring, not held by a
 * returnable order) are merged, so a program without expiry keeps one lot per customer however long the history.
 */

import { insertedAt, kept, withoutFirst } from './tight-arrays.js';

/** One credit of points and what is left of it. */
export interface SimulatedLot {
  /** When the points can be used, and when they expire (+Infinity: never). */
  readonly availableAt: number;
  readonly expiresAt: number;
  /** Creation order, the last tie-break of "soonest-expiring first" (the ledger breaks ties by lot id). */
  readonly seq: number;
  remaining: number;
  /** Has repaid whatever debt there was when it became available. */
  settled: boolean;
  /** Held by a returnable order or a referral that can still be reversed: never merged. */
  pinned: boolean;
}

/** Balances of one customer at an instant, read without changing anything. */
export interface AccountView {
  readonly available: number;
  readonly pending: number;
  /** Points of lots past their expiry at the instant, not yet counted as expired. */
  readonly expiring: number;
  readonly debt: number;
}

function soonestExpiry(a: SimulatedLot, b: SimulatedLot): number {
  if (a.expiresAt !== b.expiresAt) return a.expiresAt - b.expiresAt;
  if (a.availableAt !== b.availableAt) return a.availableAt - b.availableAt;
  return a.seq - b.seq;
}

/** Lots (soonest-expiring first) and debt of one customer. */
export class PointsAccount {
  /** Open lots, soonest-expiring first (which is also the order in which they become available). */
  lots: readonly SimulatedLot[] = [];
  debt = 0;

  /** Adds a lot; a lot available at once repays debt at once (the ledger settles after every entry). */
  grant(points: number, availableAt: number, expiresAt: number, seq: number, at: number, pinned: boolean): SimulatedLot {
    const lot: SimulatedLot = { availableAt, expiresAt, seq, remaining: points, settled: false, pinned };
    let i = this.lots.length;
    while (i > 0 && soonestExpiry(this.lots[i - 1]!, lot) > 0) i--;
    this.lots = insertedAt(this.lots, i, lot);
    this.settle(at);
    return lot;
  }

  /**
   * Moves the account to `at`: lots that became available repay debt (in the order they became available), then
   * lots past their expiry are closed. Answers the points that expired.
   */
  advance(at: number): number {
    this.settle(at);
    let expired = 0;
    let drop = 0;
    while (drop < this.lots.length && this.lots[drop]!.expiresAt <= at) expired += this.lots[drop++]!.remaining;
    if (drop > 0) this.lots = withoutFirst(this.lots, drop);
    this.#merge();
    return expired;
  }

  /**
   * Takes `points` for a clawback or a reversal: from `first` (the order's or the referral's own lot, even pending)
   * while it has not expired, then from available lots soonest-expiring first; the rest becomes debt.
   */
  clawBack(points: number, at: number, first: SimulatedLot | undefined): void {
    let left = points;
    if (first !== undefined && at < first.expiresAt && first.remaining > 0) {
      const n = Math.min(left, first.remaining);
      first.remaining -= n;
      left -= n;
    }
    left = this.#take(left, at, first);
    this.debt += left;
    this.#dropEmpty();
    this.settle(at);
  }

  /** Takes `points` for a redemption, from available lots soonest-expiring first (the caller checked they exist). */
  redeem(points: number, at: number): void {
    const left = this.#take(points, at, undefined);
    if (left > 0) throw new Error(`simulation: ${points} points redeemed but only ${points - left} available`);
    this.#dropEmpty();
  }

  /** Balances at `at`, as the ledger's `viewPoints` reads them (settling virtually). */
  view(at: number): AccountView {
    let debt = this.debt;
    let available = 0;
    let pending = 0;
    let expiring = 0;
    for (const lot of this.lots) {
      let remaining = lot.remaining;
      if (!lot.settled && lot.availableAt <= at) {
        const paid = Math.min(debt, remaining);
        remaining -= paid;
        debt -= paid;
      }
      if (lot.expiresAt <= at) expiring += remaining;
      else if (lot.availableAt > at) pending += remaining;
      else available += remaining;
    }
    return { available, pending, expiring, debt };
  }

  /** Nothing left: no lot and no debt. */
  get empty(): boolean {
    return this.lots.length === 0 && this.debt === 0;
  }

  /** Lots that became available by `at` repay the debt, each once. */
  settle(at: number): void {
    for (const lot of this.lots) {
      if (lot.settled || lot.availableAt > at) continue;
      lot.settled = true;
      const paid = Math.min(this.debt, lot.remaining);
      lot.remaining -= paid;
      this.debt -= paid;
    }
    this.#dropEmpty();
  }

  #take(points: number, at: number, skip: SimulatedLot | undefined): number {
    let left = points;
    for (const lot of this.lots) {
      if (left === 0) break;
      if (lot === skip || lot.availableAt > at || at >= lot.expiresAt || lot.remaining === 0) continue;
      const n = Math.min(left, lot.remaining);
      lot.remaining -= n;
      left -= n;
    }
    return left;
  }

  #dropEmpty(): void {
    this.lots = kept(this.lots, (lot) => lot.remaining > 0);
  }

  /** Folds settled, unpinned lots that never expire into one: nothing can tell them apart any more. */
  #merge(): void {
    let into: SimulatedLot | undefined;
    let merged = false;
    for (const lot of this.lots) {
      if (!lot.settled || lot.pinned || lot.expiresAt !== Number.POSITIVE_INFINITY) continue;
      if (into === undefined) into = lot;
      else {
        into.remaining += lot.remaining;
        lot.remaining = 0;
        merged = true;
      }
    }
    if (merged) this.#dropEmpty();
  }
}
