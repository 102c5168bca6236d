/**
 * Lots: each credit of points is a lot with its own life. `availableAt` and `expiresAt` are UTC ISO instants in one
 * fixed format (`2026-02-01T03:00:00.000Z`, see utc-instant.ts), so they compare as strings.
 */

/** Where a lot's points came from (it decides their life: SEMANTICS rule 5). */
export type LotSource = 'order' | 'referral' | 'event' | 'birthday' | 'anniversary' | 'adjustment';

/** One credit of points and what is left of it. */
export interface Lot {
  /** Deterministic: the id of the entry that created it. */
  id: string;
  source: LotSource;
  /** Points granted. */
  amount: number;
  /** Points not yet redeemed, clawed back, expired or used to repay debt. */
  remaining: number;
  availableAt: string;
  /** {@link NEVER} for points that never expire. */
  expiresAt: string;
  /** Set once the lot has become available and has repaid whatever debt there was at that moment. */
  settled: boolean;
  /** The order whose points these are (returns take from it first). */
  orderId?: string;
}

/** The expiry of lots of a program without expiry: a far instant keeps every comparison a string comparison. */
export const NEVER = '9999-12-31T23:59:59.999Z';

/** Available at `at`: `availableAt <= at < expiresAt`. */
export function isAvailable(lot: Lot, at: string): boolean {
  return lot.availableAt <= at && at < lot.expiresAt;
}

/** Redemption and clawback order: soonest-expiring first, then oldest, then by id (deterministic). */
export function bySoonestExpiry(a: Lot, b: Lot): number {
  if (a.expiresAt !== b.expiresAt) return a.expiresAt < b.expiresAt ? -1 : 1;
  if (a.availableAt !== b.availableAt) return a.availableAt < b.availableAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
