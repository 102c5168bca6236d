/**
 * The decisions the ledger asks `@purna/rules` for, in one place, typed as the ledger uses them
 * (docs/architecture.md fixes the names). Everything the ledger stores comes from these answers.
 */
import * as rules from '@purna/rules';
import type { CustomerHistory, CustomerInput, EventInput, OrderInput, Program } from '@purna/rules';

/** A compiled program: what every evaluation takes. */
export interface Compiled {
  readonly program: Program;
}

/** One cap or limit counter change. */
export interface UsageDelta {
  readonly key: string;
  readonly count: number;
}

/** What the ledger reads from an order quote. */
export interface OrderQuote {
  readonly points: number;
  readonly tierBefore?: string | null;
  readonly tierAfter?: string | null;
  readonly usage?: readonly UsageDelta[];
  readonly tierSpend?: string;
  readonly snapshot?: object;
  readonly ruleIds?: readonly string[];
  readonly trace?: unknown;
}

/** The tier held at an instant. */
export interface TierAnswer {
  readonly tierId: string | null;
  /** Until when the tier is held if nothing else happens (null: no end). */
  readonly until: string | null;
}

/** Points for a custom event. */
export interface EventAnswer {
  readonly points: number;
  readonly usage?: readonly UsageDelta[];
  readonly reason?: string | { readonly code: string };
  readonly ruleId?: string;
  readonly ruleIds?: readonly string[];
  readonly trace?: unknown;
}

/** When a lot becomes available and when it expires. */
export interface LotLife {
  readonly availableAt: string | { toISO(): string | null };
  readonly expiresAt: string | { toISO(): string | null };
}

/** The clawback of a return. */
export interface ReturnAnswer {
  readonly clawback?: number;
  readonly points?: number;
  readonly usage?: readonly UsageDelta[];
  readonly tierSpend?: string;
  readonly tierSpendDelta?: string;
  readonly ruleIds?: readonly string[];
  readonly trace?: unknown;
}

type Fn<A extends unknown[], R> = (...args: A) => R;

/** A rules export looked up by name, with a clear error while the rules package does not ship it yet. */
function exported<A extends unknown[], R>(name: string): Fn<A, R> {
  return (...args: A): R => {
    const fn = (rules as Record<string, unknown>)[name];
    if (typeof fn !== 'function') throw new Error(`@purna/rules does not export ${name} (yet); the ledger needs it`);
    return (fn as Fn<A, R>)(...args);
  };
}

export const compileProgram = exported<[Program], Compiled>('compileProgram');
export const quoteOrder = exported<[Compiled, { customer: CustomerInput; order: OrderInput; history: CustomerHistory }, { at: string }], OrderQuote>('quoteOrder');
export const evaluateTier = exported<[Compiled, CustomerHistory, { at: string }], TierAnswer>('evaluateTier');
export const evaluateEvent = exported<[Compiled, { customer: CustomerInput; event: EventInput; history: CustomerHistory }, { at: string }], EventAnswer>('evaluateEvent');
export const pointsLife = exported<[Compiled, 'order' | 'referral' | 'event' | 'birthday' | 'adjustment', string], LotLife>('pointsLife');
export const evaluateReturn = exported<
  [Compiled, { order: OrderInput; snapshot: object; returnedBefore: Array<{ sku: string; quantity: number }>; lines: Array<{ sku: string; quantity: number }>; awardedSoFar: number }, { at: string }],
  ReturnAnswer
>('evaluateReturn');
export const { parseProgram, evaluateRedemption, evaluateBirthday, checkWarrantyEligibility, checkReferralEnrolment, evaluateReferralOrder } = rules;
