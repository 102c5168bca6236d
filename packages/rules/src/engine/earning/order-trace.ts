/** The explanation of an order's points: every rule applied or not and why, each line's share, caps, tier, rounding. */
import type { RoundingMode } from '../../money/money.js';
import type { AwardKind } from '../compiled-program.js';
import type { Sentence } from '../../messages/sentence.js';

/** Why a rule gave nothing (or less). Stable codes. */
export type RuleReasonCode =
  | 'not-valid-yet'
  | 'expired'
  | 'condition-false'
  | 'no-matching-line'
  | 'no-eligible-amount'
  | 'nothing-to-multiply'
  | 'excluded-by-exclusive-rule'
  | 'cap-reached'
  | 'budget-exhausted';

/** A cap met by a rule. */
export interface CapTrace {
  readonly kind: 'perOrder' | 'perCustomer' | 'budget';
  /** The limit: points (perOrder, budget) or applications (perCustomer). */
  readonly limit: number;
  /** What was already used (perCustomer: applications in the period; budget: points). */
  readonly used?: number;
  /** The usage counter read (perCustomer). */
  readonly key?: string;
  /** What the cap did: `blocked` the rule, `reduced` its points, or nothing yet (`counted`). */
  readonly effect: 'blocked' | 'reduced' | 'counted';
  /** Points before the cap reduced them. */
  readonly uncapped?: string;
}

/** One rule in the trace. */
export interface RuleTrace {
  readonly ruleId: string;
  readonly name: string;
  readonly scope: 'order' | 'line';
  readonly award: AwardKind;
  readonly applied: boolean;
  readonly reason?: RuleReasonCode;
  /** A sentence saying why (condition that failed, cap state...), in English. */
  readonly detail?: string;
  /** The same sentence as data, to write it in another language (see messages/render.ts `localize`). */
  readonly detailSentence?: Sentence;
  /** Points the rule gave before the tier multiplier, after its caps (exact decimal string). */
  readonly points: string;
  /** Lines it applied to (line rules; order pointsPer: the lines it counted). */
  readonly lines?: readonly number[];
  readonly caps?: readonly CapTrace[];
}

/** One line's share. */
export interface LineShare {
  readonly index: number;
  readonly sku: string;
  readonly amount: string;
  /** Final exact points of this line (tier multiplier and per-order cap included; not rounded). */
  readonly points: string;
  /** Points per rule before the tier multiplier. */
  readonly rules: ReadonlyArray<{ readonly ruleId: string; readonly points: string }>;
}

/** Points an order-scope rule gave the order as a whole: fixed order points (and multipliers of them). Order pointsPer and multipliers of line earnings are attributed to lines. */
export interface OrderShare {
  readonly ruleId: string;
  /** Final exact points (tier multiplier and per-order cap included; not rounded). */
  readonly points: string;
}

/** The whole explanation. Line shares plus order shares add up to `exact`. */
export interface OrderTrace {
  readonly placedAt: string;
  readonly rules: readonly RuleTrace[];
  readonly lines: readonly LineShare[];
  readonly orderShares: readonly OrderShare[];
  /** Points before the tier multiplier. */
  readonly subtotal: string;
  readonly tier: { readonly id: string | null; readonly multiplier: string };
  /** The program-wide per-order cap, when it reduced the points. */
  readonly maxPerOrder?: { readonly limit: number; readonly uncapped: string };
  readonly exact: string;
  readonly rounding: { readonly mode: RoundingMode; readonly exact: string; readonly points: number };
}
