/** Coverage end dates per component of an extended-warranty plan (SEMANTICS rule 11). */
import type { DateTime } from 'luxon';
import { UNIT_COMPONENT, type ParsedWarrantyProduct } from './warranty-product.js';

/** When a plan's coverage starts: after the manufacturer's term, or on the purchase date. */
export type PlanStart = 'after-manufacturer' | 'at-purchase';

/** The plan settings coverage depends on. */
export interface PlanCoverageSettings {
  readonly starts: PlanStart;
  readonly coverageMonths: number;
  readonly excludeComponents?: readonly string[];
  /** Plan months for named components instead of `coverageMonths`. */
  readonly componentCoverageMonths?: Readonly<Record<string, number>>;
}

/** The end of cover for one component and where it comes from. */
export interface ComponentCoverage {
  /** `unit` for the product itself, else the component's name. */
  readonly component: string;
  /** Last day of the manufacturer's term for this component (the date it ends). */
  readonly manufacturerEnd: DateTime;
  /** When the plan's own cover starts, or undefined for an excluded component. */
  readonly planStart: DateTime | undefined;
  /** The last day of the plan's own cover, or undefined for an excluded component. */
  readonly planEnd: DateTime | undefined;
  /** The date cover ends: the later of the manufacturer's end and the plan's end. */
  readonly end: DateTime;
  /** True when the plan excludes the component, which then keeps the manufacturer's term only. */
  readonly excluded: boolean;
}

function coverOne(component: string, manufacturerMonths: number, product: ParsedWarrantyProduct, settings: PlanCoverageSettings, extraMonths: number): ComponentCoverage {
  const manufacturerEnd = product.purchasedOn.plus({ months: manufacturerMonths });
  const excluded = component !== UNIT_COMPONENT && (settings.excludeComponents ?? []).includes(component);
  if (excluded) return { component, manufacturerEnd, planStart: undefined, planEnd: undefined, end: manufacturerEnd, excluded };
  // The plan literally begins where the manufacturer stops, so months are added to that date (a 31 January
  // purchase with 1 month of manufacturer cover starts the plan on 28 February, and counts on from there).
  const planStart = settings.starts === 'after-manufacturer' ? manufacturerEnd : product.purchasedOn;
  const planMonths = (component === UNIT_COMPONENT ? undefined : settings.componentCoverageMonths?.[component]) ?? settings.coverageMonths;
  const planEnd = planStart.plus({ months: planMonths + extraMonths });
  const end = planEnd > manufacturerEnd ? planEnd : manufacturerEnd;
  return { component, manufacturerEnd, planStart, planEnd, end, excluded };
}

/**
 * Coverage of the unit and of every component the manufacturer's warranty names. A component that is not excluded
 * gets the plan (`componentCoverageMonths` for it, else `coverageMonths`, plus the tier's extra months) on top of
 * its own manufacturer term; an excluded one keeps the manufacturer's term.
 *
 * @example
 * // TV bought 2026-12-10, 12 months manufacturer, remote 6 months excluded, plan 24 + 6 months after-manufacturer:
 * // unit ends 2030-06-10, remote ends 2027-06-10.
 */
export function planCoverage(product: ParsedWarrantyProduct, settings: PlanCoverageSettings, extraMonths: number): ComponentCoverage[] {
  return [
    coverOne(UNIT_COMPONENT, product.manufacturerMonths, product, settings, extraMonths),
    ...product.components.map(([name, months]) => coverOne(name, months, product, settings, extraMonths)),
  ];
}

/**
 * The cover of one named component, listed by the manufacturer's warranty or not: a component the manufacturer's
 * warranty does not list (a laptop's "screen") is part of the unit and has the unit's manufacturer term; the plan
 * covers it unless it excludes it. The same computation as {@link planCoverage}, so a claim and the coverage table
 * of the eligibility check can never disagree.
 *
 * @example
 * // TV bought 2026-12-10, 12 months manufacturer, remote 6 months excluded, plan 24 months after-manufacturer:
 * componentCoverage(product, plan, 0, 'remote').end   // 2027-06-10 (the manufacturer's 6 months, excluded)
 * componentCoverage(product, plan, 0, 'screen').end   // 2029-12-10 (not listed: the unit's term, then the plan)
 */
export function componentCoverage(product: ParsedWarrantyProduct, settings: PlanCoverageSettings, extraMonths: number, component: string): ComponentCoverage {
  const listed = component === UNIT_COMPONENT ? undefined : product.components.find(([name]) => name === component);
  return coverOne(component, listed ? listed[1] : product.manufacturerMonths, product, settings, extraMonths);
}
