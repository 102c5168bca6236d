/**
 * The rules the ledger calls, gathered in one module so the ledger's dependence on `@purna/rules` is visible at a
 * glance (docs/architecture.md fixes the names): the decisions of every record kind, the reducer that applies them,
 * and the evaluations reads answer with.
 */
import * as rules from '@purna/rules';
import type { CompiledProgram } from '@purna/rules';

/** A compiled program: what every evaluation takes. */
export type Compiled = CompiledProgram;

export const {
  parseProgram,
  compileProgram,
  quoteOrder,
  orderPerks,
  tierPerks,
  checkWarrantyEligibility,
  checkReferralEnrolment,
  decideOrder,
  decideReturn,
  checkReturnable,
  checkReturnWindow,
  returnActions,
  decideDelivery,
  decideOrderCancellation,
  decideRedemptionCancellation,
  decideEvent,
  decideRedemption,
  decideAdjustment,
  decideBirthday,
  decideAnniversary,
  decideExpiry,
  decideTierReview,
  decideMomentsRun,
  nextMomentDue,
  tierReviewPeriod,
  referrerReward,
  referrerReversal,
} = rules;
