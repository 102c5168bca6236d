/**
 * The decision core: each kind of record has one pure `decide…` that answers the actions to take, and one reducer,
 * `applyActions`, applies them to an account. The ledger stores what the reducer produced; the simulation keeps it
 * in memory (docs/architecture.md "Decide, then apply"). Re-exported by `index.ts`.
 */
export {
  type AccountState,
  type UsageCounter,
  type TierRecord,
  type ReferralState,
  type YearlyGrant,
  type WarrantyOffer,
  type OfferedPlan,
  type DeliveryFollowUp,
  type CaseTimer,
  type AccountVoucher,
  emptyAccountState,
  historyOf,
} from './account/account-state.js';
export type {
  AccountAction,
  AwardAction,
  DebitAction,
  ClawbackAction,
  CountersAction,
  CounterDelta,
  OrderAction,
  OrderReturnedAction,
  TierAction,
  TierHoldAction,
  ReferralStatusAction,
  YearlyAction,
  MomentAction,
  MomentsThroughAction,
  CampaignAction,
  ReferrerRewardAction,
  ReferrerReversalAction,
  EffectAction,
  RestoreAction,
  ScheduleLotAction,
  FollowUpAction,
  FollowUpDoneAction,
  CaseTimersAction,
  CaseTimerFiredAction,
  TimerFiredAction,
  VoucherIssuedAction,
  VoucherUsedAction,
  VoucherReleasedAction,
  VoucherExpiredAction,
} from './account/account-action.js';
export { applyActions, type Applied, type ApplyOptions } from './account/apply-actions.js';
export { retentionPolicy, counterSpan, type RetentionPolicy } from './account/retention-policy.js';
export { CUSTOMER_OPERATION_FORMS, operationId } from './account/operation-ids.js';
export { NEVER, isAvailable, bySoonestExpiry, type Lot, type LotSource } from './account/lot.js';
export { ENTRY_TYPES, type EntryType, type EntryFields, type EntryLine, type EntryLot, type Debit, type Credit, type LotSchedule, type PointsEntry } from './account/points-entry.js';
export { emptyPointsState, settle, applyEntry, planDebits, viewPoints, sumOfEntries, EXPIRING_LIMIT, type PointsState, type PointsView } from './account/points-state.js';
export { decideOrder, type DecideOrderInput, type OrderDecision, type QualifiedReferral } from './decide/decide-order.js';
export {
  decideReturn,
  returnActions,
  checkReturnable,
  checkReturnWindow,
  returnWindowEnd,
  type RecordedOrder,
  type RecordedReturn,
  type RecordedDelivery,
  type RecordedCancellation,
  type ReturnRefusalReason,
} from './decide/decide-return.js';
export { decideDelivery, deliveryActions, pendingUntilDelivery, type DeliveryDecision, type DeliveryRefusal } from './decide/decide-delivery.js';
export {
  decideOrderCancellation,
  cancellationActions,
  cancellationReturnId,
  linesLeft,
  type CancellationDecision,
  type CancellationRefusal,
} from './decide/decide-order-cancellation.js';
export { decideRedemptionCancellation, restoreDebits, type RedemptionRestore } from './decide/decide-redemption-cancellation.js';
export { decideEvent, type EventDecision } from './decide/decide-event.js';
export { decideRedemption, type DecideRedemptionInput, type RedemptionOutcome, type RecordedRedemption } from './decide/decide-redemption.js';
export { decideAdjustment, adjustmentAward, type DecideAdjustmentInput } from './decide/decide-adjustment.js';
export { decideGoodwill, goodwillBudgetPeriod, type DecideGoodwillInput, type GoodwillContext, type GoodwillDecision, type GoodwillOverride, type GoodwillRefusal, type GoodwillRefusalCode } from './decide/decide-goodwill.js';
export { decideBirthday, decideAnniversary, type YearlyOutcome } from './decide/decide-yearly-reward.js';
export { decideExpiry, decideTierReview, tierReviewPeriod, type TierReview } from './decide/decide-account-sweeps.js';
export { referrerReward, referrerReversal } from './decide/decide-referrer.js';
export { checkManualTier, decideManualTier, type DecideManualTierInput, type ManualTierDecision, type ManualTierOptions } from './decide/decide-manual-tier.js';
export { decideImport, type DecideImportInput, type ImportedLot } from './decide/decide-import.js';
export type { TierHold } from './input/customer-history.js';
export { baseTier, heldTier, recordedTier, lotLife } from './decide/decision-parts.js';
export { MOMENT_TYPES, isMomentType, type MomentType, type MomentData, type MomentValue, type RecordedMoment } from './moments/moment-types.js';
export { momentAction, expiryField } from './decide/moment-actions.js';
export { decideDueMoments, decideMomentsRun, nextMomentDue, type MomentsRun } from './decide/decide-due-moments.js';
export { contractRegisteredActions, contractTransferredActions, type RegisteredContract, type TransferredContract } from './decide/warranty-offers.js';
export {
  CASE_STATUSES,
  CASE_TRANSITIONS,
  DEFAULT_CASE_FOLLOW_UP_DAYS,
  caseTransitionRefusal,
  caseOpenedActions,
  caseResolvedActions,
  caseTimersActions,
  caseFollowUpAt,
  type CaseStatus,
  type CaseTransitionRefusal,
  type OpenedCase,
  type ResolvedCase,
} from './decide/case-moments.js';
export { rewardCatalog, rewardReasons, rewardUsageKey, findReward, type RewardOffer, type RewardRefusal, type RewardRefusalCode, type RewardStock, type RewardAsker } from './rewards/reward-catalog.js';
export { decideRewardRedemption, issueVoucher, voucherFields, voucherGift, type VoucherFields, type VoucherGift, type DecideRewardRedemptionInput, type RewardRedemptionDecision } from './rewards/decide-reward-redemption.js';
export { decideVoucherUse, decideVoucherExpiry, voucherReleases, voucherStatus, type VoucherStatus, type VoucherRefusal, type VoucherRefusalCode, type VoucherUseDecision } from './rewards/decide-voucher.js';
export { formatVoucherCode, normalizeVoucherCode, VOUCHER_ALPHABET, VOUCHER_CODE_BYTES, VOUCHER_CODE_LENGTH } from './rewards/voucher-code.js';
