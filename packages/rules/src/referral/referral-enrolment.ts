/**
 * Referral enrolment (SEMANTICS rule 8): a customer who signs up with someone's code is `pending` until a
 * qualifying first order, or `rejected` at once with a reason a support agent can read out.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { CustomerInput } from '../input/customer-input.js';
import { sameReferralCode } from './referral-code.js';
import { sentence, type Reason, type Sentence, type Traced } from '../messages/sentence.js';
import { reasonOf, traced } from '../messages/english.js';
import type { SamePersonSignal } from '../messages/en.js';

/** Stable codes for why a referral is rejected at enrolment. */
export type ReferralEnrolmentReasonCode = 'referral-disabled' | 'unknown-code' | 'self-referral' | 'referee-already-ordered';

/** One reason a referral is rejected. */
export type ReferralEnrolmentReason = Reason<ReferralEnrolmentReasonCode>;

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
  | ({ readonly status: 'pending'; readonly referrerId: string; readonly reasons: readonly [] } & Traced)
  | ({ readonly status: 'rejected'; readonly reason: ReferralEnrolmentReasonCode; readonly reasons: readonly ReferralEnrolmentReason[] } & Traced);

/** Why referee and referrer look like the same person (same id, e-mail hash or phone hash); empty when they do not. */
export function samePersonSignals(referee: CustomerInput, referrer: CustomerInput): SamePersonSignal[] {
  const signals: SamePersonSignal[] = [];
  if (referee.id === referrer.id) signals.push('customer-id');
  if (referee.emailHash !== undefined && referee.emailHash === referrer.emailHash) signals.push('email-hash');
  if (referee.phoneHash !== undefined && referee.phoneHash === referrer.phoneHash) signals.push('phone-hash');
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
  const trace: Sentence[] = [sentence('referral.enrols', { refereeId: referee.id, code: referee.referredBy?.code ?? null })];
  const reasons: ReferralEnrolmentReason[] = [];
  if (!compiled.program.referral) reasons.push(reasonOf('referral.referral-disabled', { programId: compiled.program.id }));
  const presented = referee.referredBy?.code;
  const codeMatches = presented !== undefined && referrer?.referralCode !== undefined && sameReferralCode(presented, referrer.referralCode);
  if (!referrer || !codeMatches) {
    reasons.push(reasonOf('referral.unknown-code', { code: presented ?? '' }));
  } else {
    trace.push(sentence('referral.code-belongs', { referrerId: referrer.id }));
    const signals = samePersonSignals(referee, referrer);
    if (signals.length > 0) reasons.push(reasonOf('referral.self-referral', { signals }));
  }
  if (input.refereeHasOrdered === true) reasons.push(reasonOf('referral.referee-already-ordered', { refereeId: referee.id }));
  const [first] = reasons;
  if (first) return { status: 'rejected', reason: first.code, reasons, ...traced([...trace, ...reasons.map((r) => sentence('referral.rejected', { reason: r.messageSentence }))]) };
  return { status: 'pending', referrerId: referrer?.id ?? '', reasons: [], ...traced([...trace, sentence('referral.pending')]) };
}
