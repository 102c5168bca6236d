/**
 * After-sales half of the rules: returns, redemption, referral, birthday and anniversary, extended warranty.
 * Re-exported by `index.ts`.
 */
export {
  checkWarrantyEligibility,
  type WarrantyCheckInput,
  type WarrantyEligibility,
  type WarrantyPlanDecision,
  type WarrantyReason,
  type WarrantyReasonCode,
} from './warranty/check-warranty-eligibility.js';
export type { WarrantyProduct } from './warranty/warranty-product.js';
export { evaluateBirthday, type YearlyRewardOptions } from './birthday/evaluate-birthday.js';
export { evaluateAnniversary, type AnniversaryOptions } from './birthday/evaluate-anniversary.js';
export type { YearlyRewardDecision, YearlyRewardReason, YearlyRewardReasonCode } from './birthday/yearly-reward.js';
export {
  evaluateRedemption,
  type RedemptionDecision,
  type RedemptionInput,
  type RedemptionRefusal,
  type RedemptionRefusalCode,
} from './redemption/evaluate-redemption.js';
