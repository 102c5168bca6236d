/**
 * `tiers.levels[].perks[]`: what members of a tier get besides points. One object shape with a `kind` and the
 * fields of that kind (like `award`, whose one shape keeps the validator's sentences about the field that is wrong
 * instead of one per branch of a union); check-perks.ts refuses a field that is missing for, or foreign to, the kind.
 */
import { Type } from '@sinclair/typebox';
import { FractionSchema, IdSchema, LineFilterSchema, MonthsSchema, NameSchema, NonNegativeDecimalSchema, PositiveDecimalSchema, type LineFilter } from './primitives.js';
import { StringEnum } from './string-enum.js';

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

/** A percent above 0 (check-perks.ts refuses one above 100). */
const PercentSchema = Type.String({
  pattern: PositiveDecimalSchema.pattern,
  maxLength: 40,
  description: 'a percent above 0 and at most 100 like "5" or "7.5"',
});

/** Schema of one perk (the fields a kind takes are checked by parseProgram, see {@link PERK_FIELDS}). */
export const PerkSchema = Type.Unsafe<Perk>(
  Type.Object(
    {
      id: IdSchema,
      kind: StringEnum(PERK_KINDS, `one of ${PERK_KINDS.join(', ')}`),
      name: Type.Optional(NameSchema),
      minOrderTotal: Type.Optional(NonNegativeDecimalSchema),
      shippingLines: Type.Optional(LineFilterSchema),
      hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 8760, description: 'a whole number of hours between 1 and 8760' })),
      percent: Type.Optional(PercentSchema),
      appliesTo: Type.Optional(LineFilterSchema),
      sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a sku of 1 to 100 characters' })),
      months: Type.Optional(MonthsSchema),
      fraction: Type.Optional(FractionSchema),
    },
    {
      additionalProperties: false,
      description: 'a perk {"id", "kind", ...} like {"id": "free-shipping", "kind": "free-shipping", "minOrderTotal": "500000"}',
    },
  ),
);

/** Schema of a tier's perks. */
export const PerksSchema = Type.Array(PerkSchema, { maxItems: 50, description: 'a list of at most 50 perks' });
