/**
 * The decisions sweeps make on every account: expiry (SEMANTICS rule 5: each lot expires with what is left of it)
 * and the tier review (the tier held at an instant, recorded once a calendar month; a downgrade when a grace ends).
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import { settle } from '../account/points-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { periodKey } from '../engine/period-key.js';
import { heldTier, recordedTier, tierChange } from './decision-parts.js';
import { momentAction } from './moment-actions.js';

/**
 * Expiry at `at` (UTC ISO): one debit per lot that has expired with points left (after debt was repaid from it).
 *
 * @example decideExpiry(state, '2027-03-01T00:00:00.000Z').length // lots expired by then
 */
export function decideExpiry(state: AccountState, at: string): AccountAction[] {
  const points = settle(state.points, at);
  return points.lots
    .filter((lot) => lot.expiresAt <= at && lot.remaining > 0)
    .flatMap((lot): AccountAction[] => [
      {
        type: 'debit',
        entry: { type: 'expire', ruleIds: [], reason: 'expired', ...(lot.orderId ? { orderId: lot.orderId } : {}) },
        debits: [{ lotId: lot.id, points: lot.remaining }],
        expiredLotId: lot.id,
      },
      momentAction('points.expired', { points: lot.remaining, source: lot.source, ...(lot.orderId ? { orderId: lot.orderId } : {}), lotId: lot.id, expiredAt: lot.expiresAt }, { occurredAt: lot.expiresAt, key: `points.expired:${lot.id}` }),
    ]);
}

/** The answer of {@link decideTierReview}. */
export interface TierReview {
  /** The calendar month of the review in the program's zone (`2026-02`): one review per customer and month. */
  readonly period: string;
  readonly from: string | null;
  readonly to: string | null;
  readonly actions: readonly AccountAction[];
}

/**
 * The tier review at `at` (UTC ISO): records the tier held then.
 *
 * @example decideTierReview(compiled, state, '2027-03-01T00:00:00.000Z') // { period: '2027-03', from: 'gold', to: 'silver', ... }
 */
export function decideTierReview(compiled: CompiledProgram, state: AccountState, at: string): TierReview {
  const period = tierReviewPeriod(compiled, at);
  const from = recordedTier(compiled, state);
  const to = heldTier(compiled, state, at)?.tierId ?? null;
  return { period, from, to, actions: tierChange(from, to, at, { cause: 'review' }, period) };
}

/** The calendar month of `at` (UTC ISO) in the program's zone. */
export function tierReviewPeriod(compiled: CompiledProgram, at: string): string {
  return periodKey({ months: 1 }, compiled.clock.local(compiled.clock.millis(at, '/at')));
}
