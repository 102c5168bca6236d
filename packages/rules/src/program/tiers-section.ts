/** `tiers`: basis, window, levels with thresholds, multipliers, benefits and perks, downgrade grace. */
import { CloneType, Type, type Static } from '@sinclair/typebox';
import { FractionSchema, IdSchema, LineFilterSchema, MonthsSchema, NameSchema, NonNegativeDecimalSchema, PositiveDecimalSchema } from './primitives.js';
import { PerksSchema } from './perks-section.js';
import { StringEnum } from './string-enum.js';

/** What a tier threshold counts: spend (money), points earned, or orders placed. */
export const TIER_BASES = ['spend', 'points', 'orders'] as const;
/** Window kinds: the last N months, or the current calendar year. */
export const TIER_WINDOWS = ['rolling', 'calendar-year'] as const;

/** Benefits of a tier. Known ones are typed; others (free shipping...) are carried as they are. */
export const TierBenefitsSchema = Type.Object(
  {
    warrantyExtraMonths: Type.Optional(MonthsSchema),
    warrantyPlanDiscount: Type.Optional(FractionSchema),
  },
  {
    additionalProperties: Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]),
    maxProperties: 50,
    description: 'tier benefits like {"warrantyExtraMonths": 6, "warrantyPlanDiscount": "0.2"}',
  },
);
/** Benefits of a tier. */
export type TierBenefits = Static<typeof TierBenefitsSchema>;

/** One tier level. */
export const TierLevelSchema = Type.Object(
  {
    id: IdSchema,
    name: NameSchema,
    threshold: NonNegativeDecimalSchema,
    multiplier: Type.Optional(CloneType(PositiveDecimalSchema, { default: '1' })),
    benefits: Type.Optional(TierBenefitsSchema),
    perks: Type.Optional(PerksSchema),
  },
  { additionalProperties: false, description: 'a tier level {"id", "name", "threshold", "multiplier", "perks"}' },
);
/** One tier level: threshold of the basis, points multiplier (default 1), benefits, perks. */
export type TierLevel = Static<typeof TierLevelSchema>;

/** Schema of the `tiers` section. */
export const TiersSectionSchema = Type.Object(
  {
    basis: StringEnum(TIER_BASES, `one of ${TIER_BASES.join(', ')}`),
    exclude: Type.Optional(LineFilterSchema),
    window: Type.Object(
      {
        type: StringEnum(TIER_WINDOWS, `one of ${TIER_WINDOWS.join(', ')}`),
        months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'a whole number of months between 1 and 120' })),
      },
      { additionalProperties: false, description: 'a window like {"type": "rolling", "months": 12} or {"type": "calendar-year"}' },
    ),
    levels: Type.Array(TierLevelSchema, { minItems: 1, maxItems: 50, description: 'a list of 1 to 50 tier levels' }),
    downgrade: Type.Optional(
      Type.Object({ graceMonths: MonthsSchema }, { additionalProperties: false, description: 'a downgrade policy like {"graceMonths": 1}' }),
    ),
  },
  { additionalProperties: false, description: 'the tiers {"basis", "window", "levels"}' },
);
/** The `tiers` section. */
export type TiersSection = Static<typeof TiersSectionSchema>;
