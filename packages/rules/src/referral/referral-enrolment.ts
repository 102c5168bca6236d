/**
 * Referral enrolment (SEMANTICS rule 8): a customer who signs up with someone's code is `pending` until a
 * qualifying first order, or `rejected` at once with a reason a support agent can read out.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { CustomerInput } from '../input/customer-input.js';
import { sameReferralCode } from './referral-code.js';

/** Stable codes for why a referral is rejected at enrolment. */
export type ReferralEnrolmentReasonCode = 'referral-disabled' | 'unknown-code' | 'self-referral' | 'referee-already-ordered';

/** One reason a referral is rejected. */
export interface ReferralEnrolmentReason {
  readonly code: ReferralEnrolmentReasonCode;
  readonly message: string;
}

/** Input of {@link checkReferralEnrolment}. */
export interface ReferralEnrolmentInput {
  /** The customer enrolling, with `referredBy.code`. */
  readonly referee: CustomerInput;
  /** The owner of the code, or undefined when no customer has it. */
  readonly referrer: CustomerInput | undefined;
  /** True when the referee already placed an order before enrolling with the code. */
  readonly refereeHasOrdered?: boolean;
}

/** `pending` (waiting for a qualifying first order) or `rejected` with the main reason and every reason. */
export type ReferralEnrolmentDecision =
  | { readonly status: 'pending'; readonly referrerId: string; readonly reasons: readonly []; readonly trace: readonly string[] }
  | { readonly status: 'rejected'; readonly reason: ReferralEnrolmentReasonCode; readonly reasons: readonly ReferralEnrolmentReason[]; readonly trace: readonly string[] };

/** Why referee and referrer look like the same person (same id, e-mail hash or phone hash); empty when they do not. */
export function samePersonSignals(referee: CustomerInput, referrer: CustomerInput): string[] {
  const signals: string[] = [];
  if (referee.id === referrer.id) signals.push('the same customer id');
  if (referee.emailHash !== undefined && referee.emailHash === referrer.emailHash) signals.push('the same e-mail hash');
  if (referee.phoneHash !== undefined && referee.phoneHash === referrer.phoneHash) signals.push('the same phone hash');
  return signals;
}

/**
 * Checks a referral at enrolment. The first reason is the one to show (`reason`); `reasons` lists them all.
 *
 * @example
 * checkReferralEnrolment(compiled, { referee: { id: 'ayu-alt', referredBy: { code: 'AYU-2026' }, emailHash: 'sha256:ayu' },
 *   referrer: { id: 'ayu', referralCode: 'AYU-2026', emailHash: 'sha256:ayu' } })
 * // { status: 'rejected', reason: 'self-referral', ... }
 */
export function checkReferralEnrolment(compiled: CompiledProgram, input: ReferralEnrolmentInput): ReferralEnrolmentDecision {
  const { referee, referrer } = input;
  const trace: string[] = [`referee ${referee.id} enrols with code ${referee.referredBy?.code ?? '(none)'}`];
  const reasons: ReferralEnrolmentReason[] = [];
  if (!compiled.program.referral) reasons.push({ code: 'referral-disabled', message: `program "${compiled.program.id}" has no referral program` });
  const presented = referee.referredBy?.code;
  const codeMatches = presented !== undefined && referrer?.referralCode !== undefined && sameReferralCode(presented, referrer.referralCode);
  if (!referrer || !codeMatches) {
    reasons.push({ code: 'unknown-code', message: `no customer has the referral code ${JSON.stringify(presented ?? '')}` });
  } else {
    trace.push(`code belongs to ${referrer.id}`);
    const signals = samePersonSignals(referee, referrer);
    if (signals.length > 0) reasons.push({ code: 'self-referral', message: `referee and referrer have ${signals.join(' and ')}` });
  }
  if (input.refereeHasOrdered === true) reasons.push({ code: 'referee-already-ordered', message: `${referee.id} already placed an order, so it is not a new customer` });
  const [first] = reasons;
  if (first) return { status: 'rejected', reason: first.code, reasons, trace: [...trace, ...reasons.map((r) => `rejected: ${r.message}`)] };
  return { status: 'pending', referrerId: referrer?.id ?? '', reasons: [], trace: [...trace, 'pending until a qualifying first order'] };
}
