/** The shape of a compiled program: everything parsed, precomputed and turned into closures once. */
import type { CompiledCondition } from '../conditions/compile-condition.js';
import type { Decimal, RoundingMode } from '../money/money.js';
import type { EarningRule } from '../program/earning-rule.js';
import type { EventRule } from '../program/event-rule.js';
import type { Program } from '../program/program-schema.js';
import type { Perk } from '../program/perk-kinds.js';
import type { TierLevel, TiersSection } from '../program/tiers-section.js';
import type { CompiledOrderPerk } from '../perks/order-perks.js';
import type { TierWarrantyFigures } from '../perks/tier-perks.js';
import type { LineMatcher } from './compile/line-filter.js';
import type { CustomerCap } from './period-key.js';
import type { ZoneClock } from './zone-clock.js';

/** Which kind of award a rule gives. */
export type AwardKind = 'pointsPer' | 'points' | 'multiplier';

/** An earning rule, compiled. */
export interface CompiledRule {
  readonly rule: EarningRule;
  readonly id: string;
  readonly name: string;
  readonly scope: 'order' | 'line';
  readonly kind: AwardKind;
  /** Base rules (pointsPer, points) run before multiplier rules, whatever their priority. */
  readonly phase: 'base' | 'multiplier';
  readonly priority: number;
  readonly exclusive: boolean;
  /** `pointsPer`: points per `per` of amount. */
  readonly per: Decimal | undefined;
  readonly perPoints: Decimal | undefined;
  /** `points`: fixed points. */
  readonly fixed: Decimal | undefined;
  /** `multiplier` − 1: what a multiplier adds to what was earned. */
  readonly extraFactor: Decimal | undefined;
  readonly multiplier: Decimal | undefined;
  /** Epoch milliseconds; undefined means unbounded. */
  readonly validFrom: number | undefined;
  readonly validUntil: number | undefined;
  /** `valid.earlyAccess`: the window opens the tier's early-access lead before `validFrom` (CompiledTierLevel.earlyAccessMs). */
  readonly earlyAccess: boolean;
  readonly when: CompiledCondition | undefined;
  /** True when the line passes `exclude` and `appliesTo`. */
  readonly lineEligible: LineMatcher;
  /** Rules with the same `exclude` and `appliesTo` share this number (their eligible amount is computed once). */
  readonly filterId: number;
  /** True when the rule has neither `exclude` nor `appliesTo`: every line is eligible. */
  readonly everyLine: boolean;
  /**
   * A necessary condition for a line rule to apply to a line, from `appliesTo` on one field or a `line.<field>`
   * eq/in condition the whole `when` requires: only lines with one of these values need evaluating.
   */
  readonly candidates: { readonly field: 'sku' | 'category' | 'brand'; readonly values: readonly string[] } | undefined;
  readonly capPerOrder: Decimal | undefined;
  /** Fixed-point forms (shares of 10^-20 points, see shares.ts) used on the hot path. */
  readonly fixedPoint: {
    /** `per` of pointsPer, as a share. */
    readonly per: bigint;
    /** `points` of pointsPer, as an integer. */
    readonly perPoints: bigint;
    /** Fixed points, as a share. */
    readonly fixed: bigint;
    /** `multiplier` − 1, as a share. */
    readonly extraFactor: bigint;
    readonly capPerOrder: bigint | undefined;
  };
  readonly capPerCustomer: CustomerCap | undefined;
  readonly budget: number | undefined;
  /** The rule's numbers for the fast path (fast-points.ts); NaN where a form does not exist or does not fit. */
  readonly ratio: RuleRatio;
}

/**
 * A rule's numbers without BigInts. Whole-unit forms count 10^-8 points (see fast-points.ts): a pointsPer share
 * is `amount in price units × perNum ÷ (perDen × 10^priceDecimals)`; a multiplier's extra is `× extraNum ÷ extraDen`.
 */
export interface RuleRatio {
  readonly perNum: number;
  readonly perDen: number;
  /** `points ÷ amount` of pointsPer, in float. */
  readonly rate: number;
  readonly extraNum: number;
  readonly extraDen: number;
  /** `multiplier − 1`, in float. */
  readonly extra: number;
  /** Fixed points (whole). */
  readonly fixed: number;
  readonly capPerOrder: number;
}

/** A tier level, compiled. */
export interface CompiledTierLevel {
  readonly level: TierLevel;
  readonly id: string;
  readonly threshold: Decimal;
  readonly multiplier: Decimal;
  /** The multiplier as a share (see shares.ts). */
  readonly multiplierShare: bigint;
  /** The multiplier for the fast path: `num ÷ den` exactly (NaN when it does not fit), and in float. */
  readonly ratio: { readonly num: number; readonly den: number; readonly value: number };
  /** Every perk of the tier as plain JSON, warranty benefits included (perks/tier-perks.ts). */
  readonly perks: readonly Perk[];
  /** The perks that act on an order's price (free shipping, discounts), with their filters compiled. */
  readonly orderPerks: readonly CompiledOrderPerk[];
  /** How long before `valid.from` an earning rule with `valid.earlyAccess` opens for the tier (ms; 0: not earlier). */
  readonly earlyAccessMs: number;
  /** Extra months of plan cover and the plan discount, from `benefits` or perks. */
  readonly warranty: TierWarrantyFigures;
}

/** The tiers section, compiled. */
export interface CompiledTiers {
  readonly section: TiersSection;
  readonly basis: TiersSection['basis'];
  /** Rolling window length in months, or undefined for the calendar year. */
  readonly windowMonths: number | undefined;
  readonly graceMonths: number;
  /** Lowest threshold first. */
  readonly levels: readonly CompiledTierLevel[];
  /** The thresholds in whole units of 10^-6 (tier-window.ts), or undefined when one does not fit. */
  readonly thresholdUnits: readonly number[] | undefined;
  readonly byId: ReadonlyMap<string, CompiledTierLevel>;
  /** Lines whose amount does not count towards the tier basis. */
  readonly excluded: LineMatcher;
}

/** A custom event rule, compiled. */
export interface CompiledEventRule {
  readonly rule: EventRule;
  readonly id: string;
  readonly validFrom: number | undefined;
  readonly validUntil: number | undefined;
  readonly when: CompiledCondition | undefined;
}

/**
 * A program compiled once by `compileProgram` and reused for every evaluation. Treat it as opaque: only `program`,
 * `id` and `version` are meant to be read by callers.
 */
export interface CompiledProgram {
  /** The program it was compiled from (frozen when it came from parseProgram). */
  readonly program: Program;
  readonly id: string;
  /** The published version, when known. */
  readonly version: number | undefined;
  readonly zone: string;
  readonly clock: ZoneClock;
  readonly rounding: RoundingMode;
  readonly pendingDays: number;
  readonly expiryMonths: number | undefined;
  readonly maxPerOrder: Decimal | undefined;
  readonly maxPerOrderShare: bigint | undefined;
  /**
   * Whether quotes may take the fast path (fast-points.ts): every multiplier at least 1 and every rate and
   * multiplier exact within the 20 decimals of a share.
   */
  readonly fastPath: boolean;
  /** How many distinct line filters the rules have (filterId runs from 0 to filterCount − 1). */
  readonly filterCount: number;
  /** Base rules by priority (highest first, then program order), then multiplier rules the same way. */
  readonly rules: readonly CompiledRule[];
  readonly tiers: CompiledTiers | undefined;
  /** Event rules by event type. */
  readonly events: ReadonlyMap<string, readonly CompiledEventRule[]>;
}
