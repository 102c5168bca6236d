/**
 * A claim on a warranty contract: is this component covered on the claim date, and by whom? Decided per component
 * with the cover the eligibility check computes (`componentCoverage`, one source), read on calendar days in the
 * program's zone:
 * - `manufacturer` from the purchase date through the component's manufacturer end (its own months when
 *   `manufacturerWarranty.components` gives them, else the unit's); the manufacturer answers first, so on the last
 *   day of its term a claim is the manufacturer's even where the plan's cover has begun;
 * - `plan` from the plan's start through the plan's end (`coverageMonths` or the component's months, plus the
 *   tier's extra months the contract was priced with), unless the plan excludes the component;
 * - otherwise not covered, with every reason: the component is excluded, the cover has not started or has ended,
 *   the contract was cancelled, the claimant no longer (or never) held it.
 */
import type { DateTime } from 'luxon';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { InputError, type Problem } from '../errors.js';
import { describePointer, preview } from '../money/money.js';
import type { WarrantyPlan } from '../program/warranty-section.js';
import { parseInstant, type InstantLike } from '../time.js';
import { componentCoverage } from './coverage.js';
import { warrantyPerks } from './tier-benefits.js';
import { parseWarrantyProduct, type WarrantyProduct } from './warranty-product.js';
import { sentence, type Reason, type Sentence } from '../messages/sentence.js';
import { reasonOf, traced } from '../messages/english.js';

/** Who answers a covered claim. */
export type WarrantyClaimCover = 'manufacturer' | 'plan';

/** Stable codes for why a claim is not covered. */
export type WarrantyClaimReasonCode =
  | 'component-excluded'
  | 'before-cover-starts'
  | 'cover-ended'
  | 'contract-cancelled'
  | 'transferred-away'
  | 'not-owner';

/** One reason a claim is not covered. */
export type WarrantyClaimReason = Reason<WarrantyClaimReasonCode>;

/** Whether the claimant holds the contract on the claim date: the ledger knows its owners, the rules only judge. */
export type WarrantyClaimant = 'owner' | 'former-owner' | 'not-owner';

/** Input of {@link decideWarrantyClaim}: the contract as sold, and what the claim is about. */
export interface WarrantyClaimInput {
  /** The contract's plan, in the program version it was sold under. */
  readonly planId: string;
  /** The product as the contract was sold for. */
  readonly product: WarrantyProduct;
  /** The tier whose perks the contract was priced with (its extra months lengthen the plan); none for no perks. */
  readonly tier?: string;
  /** `unit` for the product itself, or a part like "screen", "battery", "remote". */
  readonly component: string;
  /** When the contract was cancelled (its product returned), if it was. */
  readonly cancelledAt?: InstantLike;
  /** Whether the claimant holds the contract at the claim; absent when the caller does not name a claimant. */
  readonly claimant?: WarrantyClaimant;
}

/** The component's cover, as calendar days (`YYYY-MM-DD`) in the program's zone. */
export interface WarrantyClaimComponentCover {
  readonly component: string;
  readonly manufacturerEnd: string;
  readonly planStart?: string;
  readonly planEnd?: string;
  /** The last day anything covers the component. */
  readonly end: string;
  readonly excluded: boolean;
}

/** The decision on one claim. */
export interface WarrantyClaimDecision {
  readonly component: string;
  /** The calendar day of the claim in the program's zone. */
  readonly claimedOn: string;
  readonly covered: boolean;
  /** Who covers it; null when not covered. */
  readonly coveredBy: WarrantyClaimCover | null;
  /** The last day of the cover that answers (the manufacturer's end, or the plan's); null when not covered. */
  readonly coveredUntil: string | null;
  /** Every reason it is not covered (empty when covered). */
  readonly reasons: readonly WarrantyClaimReason[];
  readonly cover: WarrantyClaimComponentCover;
  /** How the answer was reached, one sentence per step. */
  readonly trace: readonly string[];
  /** `trace` as data, to write it in another language. */
  readonly traceSentences: readonly Sentence[];
}

const iso = (d: DateTime): string => d.toISODate() ?? '';

/**
 * The plan `planId` of the program, or an input error naming the plans there are.
 *
 * @example planOfProgram(compiled, 'care-2y').coverageMonths // 24
 */
export function planOfProgram(compiled: CompiledProgram, planId: string): WarrantyPlan {
  const plans = compiled.program.warranty?.plans ?? [];
  const plan = plans.find((p) => p.id === planId);
  if (plan) return plan;
  const known = plans.map((p) => `"${p.id}"`).join(', ') || 'none';
  throw new InputError([{ pointer: '/planId', code: 'unknown-plan', message: `plan ${preview(planId)} is not a warranty plan of program "${compiled.id}" (plans: ${known})` }]);
}

function componentProblem(component: unknown): Problem | undefined {
  // eslint-disable-next-line no-control-regex
  if (typeof component === 'string' && component.length > 0 && component.length <= 100 && !/[\u0000-\u001f]/.test(component)) return undefined;
  return { pointer: '/component', code: 'invalid-text', message: `${describePointer('/component')} must be a component name of 1 to 100 characters like "screen" or "unit", got ${preview(component)}` };
}

/**
 * Decides a claim on a contract: covered or not on the claim date, by the manufacturer or the plan, with every
 * reason when not. Pure: the caller passes the contract as sold and its state (cancelled, who holds it).
 *
 * @example
 * // A laptop bought 2026-12-10, 12 months manufacturer, care-2y (24 months after the manufacturer's, remote excluded):
 * decideWarrantyClaim(compiled, { planId: 'care-2y', product: laptop, component: 'screen' }, { at: '2028-03-01T10:00:00+07:00' })
 * // { covered: true, coveredBy: 'plan', coveredUntil: '2029-12-10', reasons: [] }
 * decideWarrantyClaim(compiled, { planId: 'care-2y', product: laptop, component: 'remote' }, { at: '2028-03-01T10:00:00+07:00' })
 * // { covered: false, coveredBy: null, reasons: [{ code: 'component-excluded' }, { code: 'cover-ended' }] }
 */
export function decideWarrantyClaim(compiled: CompiledProgram, input: WarrantyClaimInput, options: { readonly at: InstantLike }): WarrantyClaimDecision {
  const zone = compiled.program.timezone;
  const bad = componentProblem(input.component);
  if (bad) throw new InputError([bad]);
  const at = parseInstant(options.at, zone, '/at');
  const plan = planOfProgram(compiled, input.planId);
  const product = parseWarrantyProduct(input.product, zone, '/product');
  const perks = warrantyPerks(compiled, input.tier, '/tier');
  const c = componentCoverage(product, plan, perks.extraMonths, input.component);
  const day = at.setZone(zone).startOf('day');
  const claimedOn = iso(day);
  const cover: WarrantyClaimComponentCover = {
    component: c.component,
    manufacturerEnd: iso(c.manufacturerEnd),
    ...(c.planStart ? { planStart: iso(c.planStart) } : {}),
    ...(c.planEnd ? { planEnd: iso(c.planEnd) } : {}),
    end: iso(c.end),
    excluded: c.excluded,
  };
  const trace: Sentence[] = [
    c.excluded
      ? sentence('warranty-claim.cover-of-excluded', { component: c.component, purchasedOn: iso(product.purchasedOn), manufacturerEnd: cover.manufacturerEnd, planId: plan.id })
      : sentence('warranty-claim.cover-of', { component: c.component, purchasedOn: iso(product.purchasedOn), manufacturerEnd: cover.manufacturerEnd, planId: plan.id, planStart: cover.planStart ?? null, planEnd: cover.planEnd ?? null }),
  ];
  const reasons: WarrantyClaimReason[] = [];
  let coveredBy: WarrantyClaimCover | null = null;
  let coveredUntil: string | null = null;
  if (day < product.purchasedOn) {
    reasons.push(reasonOf('warranty-claim.before-cover-starts', { claimedOn, purchasedOn: iso(product.purchasedOn) }));
  } else if (day <= c.manufacturerEnd) {
    coveredBy = 'manufacturer';
    coveredUntil = cover.manufacturerEnd;
  } else if (c.planStart && c.planEnd && day >= c.planStart && day <= c.planEnd) {
    coveredBy = 'plan';
    coveredUntil = iso(c.planEnd);
  } else {
    if (c.excluded) {
      reasons.push(reasonOf('warranty-claim.component-excluded', { planId: plan.id, component: c.component, manufacturerEnd: cover.manufacturerEnd }));
    }
    reasons.push(reasonOf('warranty-claim.cover-ended', { component: c.component, end: cover.end, claimedOn }));
  }
  if (input.cancelledAt !== undefined) {
    const cancelled = parseInstant(input.cancelledAt, zone, '/cancelledAt');
    if (cancelled <= at) reasons.push(reasonOf('warranty-claim.contract-cancelled', { cancelledOn: iso(cancelled.setZone(zone)) }));
  }
  if (input.claimant === 'former-owner') reasons.push(reasonOf('warranty-claim.transferred-away'));
  if (input.claimant === 'not-owner') reasons.push(reasonOf('warranty-claim.not-owner'));
  if (reasons.length > 0) {
    const notCovered = reasons.map((r) => sentence('warranty-claim.not-covered', { reason: r.messageSentence }));
    return { component: c.component, claimedOn, covered: false, coveredBy: null, coveredUntil: null, reasons, cover, ...traced([...trace, ...notCovered]) };
  }
  trace.push(
    coveredBy === 'plan'
      ? sentence('warranty-claim.covered-by-plan', { claimedOn, planId: plan.id, until: coveredUntil ?? '' })
      : sentence('warranty-claim.covered-by-manufacturer', { claimedOn, until: coveredUntil ?? '' }),
  );
  return { component: c.component, claimedOn, covered: true, coveredBy, coveredUntil, reasons: [], cover, ...traced(trace) };
}
