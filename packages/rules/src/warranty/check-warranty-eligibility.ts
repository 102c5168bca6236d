/**
 * Extended-warranty eligibility (SEMANTICS rule 11): for every plan, eligible or not with every reason, the price,
 * coverage end per component and the transfer policy. Calendar dates are read in the program's time zone.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { DateTime } from 'luxon';
import { decimalString } from '../money/money.js';
import type { WarrantyPlan } from '../program/warranty-section.js';
import { parseInstant, type InstantLike } from '../time.js';
import { planCoverage } from './coverage.js';
import { planPrice } from './plan-price.js';
import { purchaseWindow } from './purchase-window.js';
import { warrantyPerks, type WarrantyPerks } from './tier-benefits.js';
import { parseWarrantyProduct, type ParsedWarrantyProduct, type WarrantyProduct } from './warranty-product.js';
import { sentence, type Reason, type Sentence } from '../messages/sentence.js';
import { reasonOf, traced } from '../messages/english.js';

/** Stable codes for why a plan is not offered. */
export type WarrantyReasonCode =
  | 'category-not-covered'
  | 'sku-not-covered'
  | 'price-above-maximum'
  | 'price-below-minimum'
  | 'purchase-in-future'
  | 'purchase-window-ended'
  | 'product-too-old';

/** One reason a plan is not offered. */
export type WarrantyReason = Reason<WarrantyReasonCode>;

/** How one component is covered by an eligible plan: calendar dates (`YYYY-MM-DD`) in the program's zone. */
export interface WarrantyComponentCover {
  /** `unit` for the product itself, else the component's name. */
  readonly component: string;
  /** The day the manufacturer's term ends. */
  readonly manufacturerEnd: string;
  /** The day the plan's own cover starts; absent for an excluded component. */
  readonly planStart?: string;
  /** The day cover ends (the date `coverage` gives for the component). */
  readonly end: string;
  /** True when the plan excludes the component, which keeps the manufacturer's term only. */
  readonly excluded: boolean;
}

/** The answer for one plan. */
export interface WarrantyPlanDecision {
  readonly planId: string;
  readonly name: string;
  readonly eligible: boolean;
  /** Every reason the plan is not offered (empty when eligible). */
  readonly reasons: readonly WarrantyReason[];
  /** What the customer pays (decimal string, exact), when eligible. */
  readonly price?: string;
  /** The price before the tier discount, when eligible. */
  readonly listPrice?: string;
  /** Coverage end date (`YYYY-MM-DD`) per component, `unit` being the product itself, when eligible. */
  readonly coverage?: Readonly<Record<string, string>>;
  /**
   * The same coverage with where each term starts and whether the plan excludes the component, when eligible: what
   * a warranty contract records, so nothing about the cover has to be worked out again after the sale.
   */
  readonly coverageDetail?: readonly WarrantyComponentCover[];
  /** The last calendar day the plan can be bought. */
  readonly lastPurchaseDay: string;
  /** Whether the plan moves with the product to a new owner, and how many times. */
  readonly transfer: { readonly allowed: boolean; readonly maxTransfers?: number };
  /** How the answer was reached, one sentence per step. */
  readonly trace: readonly string[];
  /** `trace` as data, to write it in another language. */
  readonly traceSentences: readonly Sentence[];
}

/** The answer for every plan of the program. */
export interface WarrantyEligibility {
  /** The calendar day of the check in the program's zone. */
  readonly checkedOn: string;
  readonly tier: string | undefined;
  readonly plans: readonly WarrantyPlanDecision[];
}

/** Input of {@link checkWarrantyEligibility}. */
export interface WarrantyCheckInput {
  readonly product: WarrantyProduct;
  /** The customer's tier id at the check; none gives no tier perks. */
  readonly tier?: string;
}

function isoDate(d: DateTime): string {
  return d.toISODate() ?? '';
}

function coverageReasons(plan: WarrantyPlan, product: ParsedWarrantyProduct): WarrantyReason[] {
  const { category, sku } = plan.appliesTo;
  const covered = (category?.includes(product.category) ?? false) || (sku?.includes(product.sku) ?? false);
  if (covered) return [];
  const reasons: WarrantyReason[] = [];
  if (category) reasons.push(reasonOf('warranty.category-not-covered', { category: product.category, covered: category }));
  if (sku) reasons.push(reasonOf('warranty.sku-not-covered', { sku: product.sku, covered: sku }));
  return reasons;
}

function decidePlan(plan: WarrantyPlan, product: ParsedWarrantyProduct, perks: WarrantyPerks, at: DateTime): WarrantyPlanDecision {
  const reasons = coverageReasons(plan, product);
  const trace: Sentence[] = [];
  if (reasons.length === 0) trace.push(sentence('warranty.product-covered', { sku: product.sku, category: product.category }));
  if (plan.maxProductPrice !== undefined && product.price.greaterThan(plan.maxProductPrice)) {
    reasons.push(reasonOf('warranty.price-above-maximum', { price: decimalString(product.price), max: plan.maxProductPrice }));
  }
  if (plan.minProductPrice !== undefined && product.price.lessThan(plan.minProductPrice)) {
    reasons.push(reasonOf('warranty.price-below-minimum', { price: decimalString(product.price), min: plan.minProductPrice }));
  }
  const window = purchaseWindow(product.purchasedOn, product.manufacturerMonths, plan, at);
  const lastPurchaseDay = isoDate(window.lastDay);
  if (window.position === 'before-purchase') {
    reasons.push(reasonOf('warranty.purchase-in-future', { checkedOn: isoDate(window.checkDay), purchasedOn: isoDate(product.purchasedOn) }));
  } else if (window.position === 'ended') {
    reasons.push(reasonOf('warranty.purchase-window-ended', { lastDay: lastPurchaseDay, rule: window.rule, checkedOn: isoDate(window.checkDay) }));
  } else {
    trace.push(sentence('warranty.within-window', { checkedOn: isoDate(window.checkDay), lastDay: lastPurchaseDay }));
  }
  if (plan.maxProductAgeDays !== undefined && window.position !== 'before-purchase') {
    const lastAgeDay = product.purchasedOn.plus({ days: plan.maxProductAgeDays });
    if (window.checkDay > lastAgeDay) {
      reasons.push(reasonOf('warranty.product-too-old', { maxDays: plan.maxProductAgeDays, purchasedOn: isoDate(product.purchasedOn), checkedOn: isoDate(window.checkDay) }));
    }
  }
  const transfer = plan.transfer ? { allowed: plan.transfer.allowed, ...(plan.transfer.maxTransfers !== undefined ? { maxTransfers: plan.transfer.maxTransfers } : {}) } : { allowed: false };
  const base = { planId: plan.id, name: plan.name, lastPurchaseDay, transfer };
  if (reasons.length > 0) {
    return { ...base, eligible: false, reasons, ...traced([...trace, ...reasons.map((r) => sentence('warranty.not-offered', { reason: r.messageSentence }))]) };
  }
  const price = planPrice(plan.price, product.price, perks.discount);
  trace.push(
    sentence('warranty.list-price', { min: plan.price.min ?? '0', percent: plan.price.percentOfProductPrice ?? '0', productPrice: decimalString(product.price), fixed: plan.price.fixed ?? null, listPrice: decimalString(price.listPrice) }),
    sentence('warranty.tier-price', { tier: perks.tierId ?? null, percentOff: decimalString(price.discount.times(100)), extraMonths: perks.extraMonths, price: decimalString(price.price) }),
  );
  const coverage: Record<string, string> = {};
  const coverageDetail: WarrantyComponentCover[] = [];
  for (const c of planCoverage(product, plan, perks.extraMonths)) {
    coverage[c.component] = isoDate(c.end);
    coverageDetail.push({
      component: c.component,
      manufacturerEnd: isoDate(c.manufacturerEnd),
      ...(c.planStart ? { planStart: isoDate(c.planStart) } : {}),
      end: isoDate(c.end),
      excluded: c.excluded,
    });
    trace.push(
      c.excluded
        ? sentence('warranty.component-excluded', { component: c.component, end: isoDate(c.end) })
        : sentence('warranty.component-cover', { component: c.component, manufacturerEnd: isoDate(c.manufacturerEnd), planStart: isoDate(c.planStart ?? c.manufacturerEnd), end: isoDate(c.end) }),
    );
  }
  return { ...base, eligible: true, reasons: [], price: decimalString(price.price), listPrice: decimalString(price.listPrice), coverage, coverageDetail, ...traced(trace) };
}

/**
 * Checks every extended-warranty plan of the program for one product. "Not offered" is an answer with every
 * reason, never an exception; malformed input (a bad date, an unknown tier) throws an InputError with a pointer.
 *
 * @example
 * const r = checkWarrantyEligibility(compiled, { tier: 'gold', product: { sku: 'TV-55', category: 'tv',
 *   price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } } } },
 *   { at: '2027-01-15T10:00:00+07:00' });
 * r.plans[0].price    // '512000'
 * r.plans[0].coverage // { unit: '2030-06-10', remote: '2027-06-10' }
 */
export function checkWarrantyEligibility(compiled: CompiledProgram, input: WarrantyCheckInput, options: { readonly at: InstantLike }): WarrantyEligibility {
  const { program } = compiled;
  const zone = program.timezone;
  const at = parseInstant(options.at, zone, '/at');
  const product = parseWarrantyProduct(input.product, zone, '/product');
  const perks = warrantyPerks(compiled, input.tier, '/tier');
  const plans = (program.warranty?.plans ?? []).map((plan) => decidePlan(plan, product, perks, at));
  return { checkedOn: isoDate(at.startOf('day')), tier: input.tier, plans };
}
