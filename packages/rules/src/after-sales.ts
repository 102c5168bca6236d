/**
 * After-sales half of the rules: returns, redemption, referral, birthday and anniversary, extended warranty.
 * Re-exported by `index.ts`.
 */
export {
  checkWarrantyEligibility,
  type WarrantyCheckInput,
  type WarrantyComponentCover,
  type WarrantyEligibility,
  type WarrantyPlanDecision,
  type WarrantyReason,
  type WarrantyReasonCode,
} from './warranty/check-warranty-eligibility.js';
export type { WarrantyProduct } from './warranty/warranty-product.js';
export {
  decideWarrantyClaim,
  type WarrantyClaimant,
  type WarrantyClaimComponentCover,
  type WarrantyClaimCover,
  type WarrantyClaimDecision,
  type WarrantyClaimInput,
  type WarrantyClaimReason,
  type WarrantyClaimReasonCode,
} from './warranty/decide-warranty-claim.js';
export { decideContractRefund, type ContractRefund, type ContractRefundInput, type WarrantyRefundPolicy } from './warranty/contract-refund.js';
export { evaluateBirthday } from './birthday/evaluate-birthday.js';
export { evaluateAnniversary, type AnniversaryOptions } from './birthday/evaluate-anniversary.js';
export type { YearlyRewardDecision, YearlyRewardOptions, YearlyRewardReason, YearlyRewardReasonCode } from './birthday/yearly-reward.js';
export {
  evaluateRedemption,
  type RedemptionDecision,
  type RedemptionInput,
  type RedemptionRefusal,
  type RedemptionRefusalCode,
} from './redemption/evaluate-redemption.js';
export { generateReferralCode, isGeneratedReferralCode, normalizeReferralCode, sameReferralCode, REFERRAL_CODE_ALPHABET } from './referral/referral-code.js';
export {
  checkReferralEnrolment,
  type ReferralEnrolmentDecision,
  type ReferralEnrolmentInput,
  type ReferralEnrolmentReason,
  type ReferralEnrolmentReasonCode,
} from './referral/referral-enrolment.js';
export {
  evaluateReferralOrder,
  type ReferralOrderDecision,
  type ReferralOrderInput,
  type ReferralOrderReason,
  type ReferralOrderReasonCode,
} from './referral/evaluate-referral-order.js';
export { evaluateReturn, type ReturnDecision, type ReturnInput } from './returns/evaluate-return.js';
export type { ReturnLineInput } from './returns/return-lines.js';
