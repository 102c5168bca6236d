/**
 * `tiers.levels[].perks[]`: what members of a tier get besides points. One object shape with a `kind` and the
 * fields of that kind (like `award`, whose one shape keeps the validator's sentences about the field that is wrong
 * instead of one per branch of a union); check-perks.ts refuses a field that is missing for, or foreign to, the kind.
 */
import { Type } from '@sinclair/typebox';
import { PERK_KINDS, type Perk } from './perk-kinds.js';
import { FractionSchema, IdSchema, LineFilterSchema, MonthsSchema, NameSchema, NonNegativeDecimalSchema, PositiveDecimalSchema } from './primitives.js';
import { StringEnum } from './string-enum.js';

/** A percent above 0 (check-perks.ts refuses one above 100). */
const PercentSchema = Type.String({
  pattern: PositiveDecimalSchema.pattern,
  maxLength: 40,
  description: 'a percent above 0 and at most 100 like "5" or "7.5"',
});

/** Schema of one perk (the fields a kind takes are checked by parseProgram, see PERK_FIELDS in perk-kinds.ts). */
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
