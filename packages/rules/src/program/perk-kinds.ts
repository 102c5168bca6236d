/**
 * What a tier's perks are: their kinds, the fields each kind takes and the default shipping lines, as TypeScript
 * types and plain values. Their JSON Schema is in perks-section.ts; this file imports no schema library, so the
 * engine (order-perks.ts) and the quote-only entry point (quote.ts) do not carry one.
 */
import type { LineFilter } from './primitives.js';

/** The kinds of perk, and the fields each one requires (`required`) or may have (`optional`) besides id, kind, name. */
export const PERK_FIELDS = {
  'free-shipping': { required: [], optional: ['minOrderTotal', 'shippingLines'] },
  'early-access': { required: ['hours'], optional: [] },
  discount: { required: ['percent', 'appliesTo'], optional: [] },
  'birthday-gift': { required: ['sku'], optional: [] },
  'warranty-extra-months': { required: ['months'], optional: [] },
  'warranty-plan-discount': { required: ['fraction'], optional: [] },
} as const satisfies Record<string, { required: readonly string[]; optional: readonly string[] }>;

/** Every kind of perk. */
export const PERK_KINDS = Object.keys(PERK_FIELDS) as Array<keyof typeof PERK_FIELDS>;
/** A kind of perk. */
export type PerkKind = keyof typeof PERK_FIELDS;

/** The lines a free-shipping perk makes free when it names none: the lines of category "shipping". */
export const DEFAULT_SHIPPING_LINES: LineFilter = { category: ['shipping'] };

interface PerkBase {
  readonly id: string;
  readonly name?: string;
}
/** Shipping made free (the order's shipping lines), when the order total reaches `minOrderTotal`. */
export interface FreeShippingPerk extends PerkBase {
  readonly kind: 'free-shipping';
  readonly minOrderTotal?: string;
  readonly shippingLines?: LineFilter;
}
/** Earning rules with `valid.earlyAccess` open `hours` before their `valid.from` for the tier. */
export interface EarlyAccessPerk extends PerkBase {
  readonly kind: 'early-access';
  readonly hours: number;
}
/** `percent` off each line `appliesTo` matches. */
export interface DiscountPerk extends PerkBase {
  readonly kind: 'discount';
  readonly percent: string;
  readonly appliesTo: LineFilter;
}
/** A gift (`sku`) for the customer's birthday. */
export interface BirthdayGiftPerk extends PerkBase {
  readonly kind: 'birthday-gift';
  readonly sku: string;
}
/** Extra months of extended-warranty cover (as `benefits.warrantyExtraMonths`). */
export interface WarrantyExtraMonthsPerk extends PerkBase {
  readonly kind: 'warranty-extra-months';
  readonly months: number;
}
/** A fraction off extended-warranty plan prices (as `benefits.warrantyPlanDiscount`). */
export interface WarrantyPlanDiscountPerk extends PerkBase {
  readonly kind: 'warranty-plan-discount';
  readonly fraction: string;
}
/** One perk of a tier, by kind. */
export type Perk = FreeShippingPerk | EarlyAccessPerk | DiscountPerk | BirthdayGiftPerk | WarrantyExtraMonthsPerk | WarrantyPlanDiscountPerk;
