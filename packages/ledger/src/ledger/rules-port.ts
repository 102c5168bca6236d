/**
 * The decisions the ledger asks `@purna/rules` for, gathered in one module so the ledger's dependence on the rules
 * is visible at a glance (docs/architecture.md fixes the names).
 */
import * as rules from '@purna/rules';
import type { CompiledProgram, CustomerInput, OrderInput } from '@purna/rules';

/** A compiled program: what every evaluation takes. */
export type Compiled = CompiledProgram;

/** One cap or limit counter change. */
export interface UsageDelta {
  readonly key: string;
  readonly count: number;
}

/** The tier held at an instant. */
export type TierAnswer = rules.TierEvaluation;

/** The clawback of a return, as the ledger reads it. */
export interface ReturnAnswer {
  readonly clawback: number;
  readonly tierSpendAfter: string;
  readonly usage: readonly UsageDelta[];
  readonly reverseReferral: boolean;
  readonly trace: readonly string[];
}

/** What `evaluateReturn` takes. */
export interface ReturnQuestion {
  order: OrderInput;
  snapshot: object;
  returnedBefore: Array<{ sku: string; quantity: number }>;
  lines: Array<{ sku: string; quantity: number }>;
  awardedSoFar: number;
  customer?: CustomerInput;
}

type ReturnFn = (compiled: Compiled, input: ReturnQuestion, options: { at: string }) => ReturnAnswer;

/**
 * `evaluateReturn`, looked up by name: the rules package writes it in `returns/` and exports it from its barrel
 * when it is done; until then a return fails with this clear error instead of the ledger guessing a clawback.
 */
export const evaluateReturn: ReturnFn = (compiled, input, options) => {
  const fn = (rules as Record<string, unknown>)['evaluateReturn'];
  if (typeof fn !== 'function') throw new Error('@purna/rules does not export evaluateReturn yet; returns need it');
  return (fn as ReturnFn)(compiled, input, options);
};

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
} = rules;
