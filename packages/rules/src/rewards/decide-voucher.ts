/**
 * A voucher's life on its customer's account (docs/perks-and-rewards.md): used once on an order (decideVoucherUse),
 * usable again when that order is cancelled while the voucher is still valid (voucherReleases), and expired unused by
 * the moments run at its `expiresAt`, giving its points back only when its reward says so (decideVoucherExpiry).
 */
import type { AccountAction, VoucherExpiredAction } from '../account/account-action.js';
import type { AccountState, AccountVoucher } from '../account/account-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { programFields } from '../decide/decision-parts.js';
import { restoreDebits } from '../decide/decide-redemption-cancellation.js';
import { momentAction } from '../decide/moment-actions.js';
import type { MomentAction } from '../account/account-action.js';
import { voucherFields } from './decide-reward-redemption.js';
import { type Reason } from '../messages/sentence.js';
import { reasonOf } from '../messages/english.js';

/** What a voucher is at an instant. */
export type VoucherStatus = 'available' | 'used' | 'expired';

/** Stable codes for why a voucher cannot be used. */
export type VoucherRefusalCode = 'voucher-unknown' | 'voucher-other-customer' | 'voucher-used' | 'voucher-expired';

/** One reason a voucher cannot be used. */
export type VoucherRefusal = Reason<VoucherRefusalCode>;

/**
 * The voucher's status at `at` (UTC ISO).
 *
 * @example voucherStatus(voucher, '2027-02-01T00:00:00Z') // 'expired'
 */
export function voucherStatus(voucher: Pick<AccountVoucher, 'used' | 'expired' | 'expiresAt'>, at: string): VoucherStatus {
  if (voucher.used) return 'used';
  if (voucher.expired || voucher.expiresAt <= at) return 'expired';
  return 'available';
}

/** The answer of {@link decideVoucherUse}. */
export type VoucherUseDecision =
  | { readonly accepted: true; readonly voucher: AccountVoucher; readonly actions: readonly AccountAction[] }
  | { readonly accepted: false; readonly reason: VoucherRefusal };

/**
 * Decides the use of voucher `code` on `orderId` at `at` (UTC ISO), on its customer's account.
 *
 * @example decideVoucherUse(state, { code: 'K7QM-2XPA-9RHD-TWCE', orderId: 'o-9' }, { at }).accepted // true
 */
export function decideVoucherUse(state: Pick<AccountState, 'vouchers'>, input: { readonly code: string; readonly orderId: string }, options: { readonly at: string }): VoucherUseDecision {
  const { at } = options;
  const voucher = state.vouchers?.find((v) => v.code === input.code);
  if (!voucher) return { accepted: false, reason: reasonOf('voucher.voucher-unknown', { code: input.code }) };
  const status = voucherStatus(voucher, at);
  if (status === 'used') return { accepted: false, reason: reasonOf('voucher.voucher-used', { code: input.code, orderId: voucher.used?.orderId ?? '', at: voucher.used?.at ?? '' }) };
  if (status === 'expired') return { accepted: false, reason: reasonOf('voucher.voucher-expired', { code: input.code, expiresAt: voucher.expiresAt }) };
  return {
    accepted: true,
    voucher,
    actions: [
      { type: 'voucher-used', code: voucher.code, orderId: input.orderId },
      momentAction('voucher.used', { ...voucherFields(voucher), rewardId: voucher.rewardId, redemptionId: voucher.redemptionId, orderId: input.orderId }),
    ],
  };
}

/**
 * The vouchers an order's cancellation at `at` makes usable again: those used on it that are still valid. Their
 * codes go into `order.cancelled`.
 *
 * @example voucherReleases(state, 'o-9', at) // { codes: ['K7QM-2XPA-9RHD-TWCE'], actions: [{ type: 'voucher-released', ... }] }
 */
export function voucherReleases(state: Pick<AccountState, 'vouchers'>, orderId: string, at: string): { codes: string[]; actions: AccountAction[] } {
  const released = (state.vouchers ?? []).filter((v) => v.used?.orderId === orderId && v.expiresAt > at);
  return { codes: released.map((v) => v.code), actions: released.map((v) => ({ type: 'voucher-released', code: v.code })) };
}

/**
 * A voucher's expiry, due at its `expiresAt` while it is unused: the moment `voucher.expired`, the action that
 * records it (so it expires once), and its points back into their lots when its reward gives them back, as they
 * stand at `at` (the moments run's instant: points whose lot has expired by then come back expired).
 */
export function decideVoucherExpiry(compiled: CompiledProgram, voucher: AccountVoucher, at: string): { moment: MomentAction; fired: VoucherExpiredAction; actions: AccountAction[] } {
  const back = voucher.debits ? restoreDebits({ ...programFields(compiled), ruleIds: [], redemptionId: voucher.redemptionId, rewardId: voucher.rewardId }, voucher.debits, { at, reason: 'voucher-expired' }) : undefined;
  const refunded = back?.restored ?? 0;
  return {
    moment: momentAction('voucher.expired', { ...voucherFields(voucher), rewardId: voucher.rewardId, redemptionId: voucher.redemptionId, refunded }, { occurredAt: voucher.expiresAt, key: `voucher.expired:${voucher.code}` }),
    fired: { type: 'voucher-expired', code: voucher.code, refunded },
    actions: back?.actions ?? [],
  };
}
