/**
 * The decisions the ledger asks `@purna/rules` for, gathered in one module so the ledger's dependence on the rules
 * is visible at a glance (docs/architecture.md fixes the names).
 */
import * as rules from '@purna/rules';
import type { CompiledProgram } from '@purna/rules';

/** A compiled program: what every evaluation takes. */
export type Compiled = CompiledProgram;

/** One cap or limit counter change. */
export interface UsageDelta {
  readonly key: string;
  readonly count: number;
}

/** The tier held at an instant. */
export type TierAnswer = rules.TierEvaluation;

export const {
  parseProgram,
  compileProgram,
  quoteOrder,
  evaluateTier,
  evaluateEvent,
  pointsLife,
  evaluateRedemption,
  evaluateBirthday,
  checkWarrantyEligibility,
  checkReferralEnrolment,
  evaluateReferralOrder,
  evaluateReturn,
} = rules;
