/**
 * decideRedemptionCancellation: a redemption undone (the payment failed, the order was cancelled). Its points go
 * back into the lots they came from, with their own life and expiry; points whose lot has expired since come back
 * expired (recorded as expired at once), and the answer says how many. One source for a cancelled redemption and
 * for every redemption an order cancellation releases (decideOrderCancellation).
 */
import type { AccountAction } from '../account/account-action.js';
import type { EntryFields, EntryLot } from '../account/points-entry.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { programFields } from './decision-parts.js';
import type { RecordedRedemption } from './decide-redemption.js';
import { momentAction } from './moment-actions.js';

/** A redemption cancellation as decided. */
export interface RedemptionRestore {
  readonly redemptionId: string;
  readonly orderId: string;
  /** Points back in lots still alive at `at` (available or pending as their lot is). */
  readonly restored: number;
  /** Points whose lot expired since the redemption: back, and expired at once. */
  readonly expired: number;
  readonly actions: readonly AccountAction[];
}

/**
 * Puts `redemption`'s points back at `at` (UTC ISO), each into the lot it was taken from.
 *
 * @example
 * const undo = decideRedemptionCancellation(compiled, redemption, { at, reason: 'payment-failed' });
 * undo.restored; // 1500
 */
export function decideRedemptionCancellation(
  compiled: CompiledProgram,
  redemption: RecordedRedemption,
  options: { readonly at: string; readonly reason: string; readonly cancellationId?: string },
): RedemptionRestore {
  const { at, reason } = options;
  const fields = { ...programFields(compiled), ruleIds: [], orderId: redemption.orderId, redemptionId: redemption.redemptionId };
  const { actions, restored, expired } = restoreDebits(fields, redemption.debits, { at, reason });
  actions.push(
    momentAction('redemption.cancelled', {
      redemptionId: redemption.redemptionId,
      orderId: redemption.orderId,
      reason,
      points: redemption.points,
      restored,
      expired,
      ...(options.cancellationId !== undefined ? { cancellationId: options.cancellationId } : {}),
    }),
  );
  return { redemptionId: redemption.redemptionId, orderId: redemption.orderId, restored, expired, actions };
}

/**
 * The actions that put `debits` back at `at` (UTC ISO), each into the lot it was taken from, with `fields` on their
 * entries: points whose lot has expired since come back expired at once. One source for a cancelled redemption and
 * an expired voucher that gives its points back (decideVoucherExpiry).
 *
 * @example restoreDebits(fields, record.debits, { at, reason: 'payment-failed' }).restored // 1500
 */
export function restoreDebits(
  fields: Omit<EntryFields, 'type'>,
  debits: ReadonlyArray<{ readonly points: number; readonly lot: EntryLot }>,
  options: { readonly at: string; readonly reason: string },
): { actions: AccountAction[]; restored: number; expired: number } {
  const { at, reason } = options;
  const credits = debits.filter((d) => d.points > 0).map((d) => ({ points: d.points, lot: { ...d.lot } }));
  const gone = credits.filter((c) => c.lot.expiresAt <= at);
  const expired = gone.reduce((sum, c) => sum + c.points, 0);
  const restored = credits.reduce((sum, c) => sum + c.points, 0) - expired;
  const actions: AccountAction[] = [];
  if (credits.length > 0) actions.push({ type: 'restore', entry: { ...fields, type: 'restore', reason }, credits });
  for (const credit of gone) {
    actions.push({ type: 'debit', entry: { ...fields, type: 'expire', reason: 'expired', ...(credit.lot.orderId ? { orderId: credit.lot.orderId } : {}) }, debits: [{ lotId: credit.lot.id, points: credit.points }], expiredLotId: credit.lot.id });
  }
  return { actions, restored, expired };
}
