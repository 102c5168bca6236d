/**
 * decideRewardRedemption: points spent on a reward of the catalog (docs/perks-and-rewards.md). The points are debited
 * like a redemption's (available points only, soonest-expiring lots first, never below zero, refused while points are
 * owed), the per-customer limit of the period is counted, and a voucher is issued onto the account with the code the
 * caller drew (vouchers live on the account, so using one is one compare-and-set). A refusal names every reason
 * (rewardReasons) and changes nothing. Goodwill may grant a reward without points (`free`): no debit, the same voucher.
 *
 * The stock is program-wide: the caller reads how many are left and keeps the stock itself (the ledger reserves one
 * before committing the account).
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState, AccountVoucher } from '../account/account-state.js';
import { planDebits, settle } from '../account/points-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { DEFAULT_VOUCHER_DAYS, type Reward } from '../program/rewards-section.js';
import { formatUtc } from '../time.js';
import { programFields } from '../decide/decision-parts.js';
import { momentAction } from '../decide/moment-actions.js';
import { debitedLots } from '../decide/decide-redemption.js';
import { findReward, rewardReasons, rewardUsageKey, type RewardRefusal, type RewardStock } from './reward-catalog.js';
import { reasonOf } from '../messages/english.js';

/** A reward redemption request. */
export interface DecideRewardRedemptionInput {
  readonly redemptionId: string;
  readonly rewardId: string;
  /** The voucher's code, drawn by the caller (formatVoucherCode). */
  readonly code: string;
}

/** The answer of {@link decideRewardRedemption}. */
export type RewardRedemptionDecision =
  | { readonly accepted: true; readonly reward: Reward; readonly points: number; readonly voucher: AccountVoucher; readonly actions: readonly AccountAction[] }
  | { readonly accepted: false; readonly reasons: readonly RewardRefusal[]; readonly actions: readonly [] };

/**
 * The voucher a reward issues at `at` (UTC ISO): it expires `voucherDays` later, the same local time that many
 * calendar days on in the program's zone.
 */
export function issueVoucher(compiled: CompiledProgram, reward: Reward, input: { readonly code: string; readonly redemptionId: string; readonly points: number; readonly debits?: AccountVoucher['debits'] }, at: string): AccountVoucher {
  const days = reward.voucherDays ?? DEFAULT_VOUCHER_DAYS;
  return {
    code: input.code,
    rewardId: reward.id,
    redemptionId: input.redemptionId,
    kind: reward.kind,
    ...(reward.value !== undefined ? { value: reward.value } : {}),
    ...(reward.percent !== undefined ? { percent: reward.percent } : {}),
    ...(reward.sku !== undefined ? { sku: reward.sku } : {}),
    issuedAt: at,
    expiresAt: formatUtc(compiled.clock.plusDays(compiled.clock.millis(at, '/at'), days)),
    points: input.points,
    ...(input.debits && reward.refundOnExpiry === true ? { debits: input.debits } : {}),
  };
}

/** What a voucher gives: its kind, and its value, percent or sku when it has one. */
export type VoucherGift = { kind: AccountVoucher['kind']; value?: string; percent?: string; sku?: string };

/**
 * What a voucher gives, as every moment, answer and read of it says it.
 *
 * @example voucherGift(voucher) // { kind: 'voucher', value: '50000' }
 */
export function voucherGift(voucher: AccountVoucher): VoucherGift {
  return {
    kind: voucher.kind,
    ...(voucher.value !== undefined ? { value: voucher.value } : {}),
    ...(voucher.percent !== undefined ? { percent: voucher.percent } : {}),
    ...(voucher.sku !== undefined ? { sku: voucher.sku } : {}),
  };
}

/** A voucher as a moment or a redemption's answer carries it: enough for a CRM to send it without a second call. */
export type VoucherFields = VoucherGift & { code: string; expiresAt: string };

/**
 * The voucher's code, what it gives and until when.
 *
 * @example voucherFields(voucher) // { code: 'K7QM-2XPA-9RHD-TWCE', kind: 'voucher', value: '50000', expiresAt }
 */
export function voucherFields(voucher: AccountVoucher): VoucherFields {
  return { code: voucher.code, ...voucherGift(voucher), expiresAt: voucher.expiresAt };
}

/**
 * Decides the redemption of a reward at `at` (UTC ISO). `free`: granted by goodwill, the points are not debited.
 *
 * @example
 * decideRewardRedemption(compiled, state, { redemptionId: 'rr-1', rewardId: 'voucher-50k', code }, { stockLeft: undefined }, { at })
 * // { accepted: true, points: 500, voucher: { code, kind: 'voucher', value: '50000', expiresAt, ... }, actions: [...] }
 */
export function decideRewardRedemption(
  compiled: CompiledProgram,
  state: AccountState,
  input: DecideRewardRedemptionInput,
  stock: RewardStock,
  options: { readonly at: string; readonly free?: boolean },
): RewardRedemptionDecision {
  const { at } = options;
  const reward = findReward(compiled, input.rewardId);
  if (!reward) {
    return { accepted: false, reasons: [reasonOf('reward.unknown-reward', { rewardId: input.rewardId, known: (compiled.program.rewards ?? []).map((r) => r.id) })], actions: [] };
  }
  const free = options.free === true;
  const reasons = rewardReasons(compiled, reward, { state, free }, stock, { at });
  if (reasons.length > 0) return { accepted: false, reasons, actions: [] };

  const points = free ? 0 : reward.cost;
  const actions: AccountAction[] = [];
  let debits: AccountVoucher['debits'];
  if (points > 0) {
    const settled = settle(state.points, at);
    const plan = planDebits(settled, points, at, { allowDebt: false });
    debits = debitedLots(settled, plan.debits, `reward redemption ${input.redemptionId}`);
    actions.push({ type: 'debit', entry: { type: 'redeem', ...programFields(compiled), ruleIds: [], redemptionId: input.redemptionId, rewardId: reward.id }, debits: plan.debits });
  }
  const usageKey = rewardUsageKey(compiled, reward, at);
  if (usageKey) actions.push({ type: 'counters', deltas: [{ key: usageKey, count: 1 }] });
  const voucher = issueVoucher(compiled, reward, { code: input.code, redemptionId: input.redemptionId, points, ...(debits ? { debits } : {}) }, at);
  actions.push({ type: 'voucher-issued', voucher });
  if (!free) {
    actions.push(momentAction('reward.redeemed', { redemptionId: input.redemptionId, rewardId: reward.id, rewardName: reward.name, points, voucher: voucherFields(voucher) }));
  }
  return { accepted: true, reward, points, voucher, actions };
}
