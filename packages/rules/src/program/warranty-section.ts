/** `warranty`: extended-warranty plans. */
import { Type, type Static } from '@sinclair/typebox';
import {
  DaysSchema,
  IdSchema,
  MonthsSchema,
  NameSchema,
  NonNegativeDecimalSchema,
  NonNegativeIntegerSchema,
  PositiveDecimalSchema,
  StringListSchema,
} from './primitives.js';
import { StringEnum } from './string-enum.js';

/** When coverage starts: after the manufacturer's warranty, or at purchase. */
export const WARRANTY_STARTS = ['after-manufacturer', 'at-purchase'] as const;

/** Schema of one warranty plan. */
export const WarrantyPlanSchema = Type.Object(
  {
    id: IdSchema,
    name: NameSchema,
    appliesTo: Type.Object(
      { category: Type.Optional(StringListSchema), sku: Type.Optional(StringListSchema) },
      { additionalProperties: false, minProperties: 1, description: 'products covered like {"category": ["tv"]}' },
    ),
    purchaseWindowDays: DaysSchema,
    maxProductPrice: NonNegativeDecimalSchema,
    minProductPrice: Type.Optional(NonNegativeDecimalSchema),
    maxProductAgeDays: Type.Optional(DaysSchema),
    starts: StringEnum(WARRANTY_STARTS, 'either "after-manufacturer" or "at-purchase"'),
    coverageMonths: MonthsSchema,
    excludeComponents: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, uniqueItems: true, description: 'a list of component names' })),
    componentCoverageMonths: Type.Optional(Type.Record(Type.String(), MonthsSchema, { maxProperties: 100, description: 'months per component like {"battery": 12}' })),
    price: Type.Object(
      {
        percentOfProductPrice: Type.Optional(PositiveDecimalSchema),
        min: Type.Optional(NonNegativeDecimalSchema),
        fixed: Type.Optional(NonNegativeDecimalSchema),
      },
      { additionalProperties: false, minProperties: 1, description: 'a price like {"percentOfProductPrice": "8", "min": "250000"} or {"fixed": "500000"}' },
    ),
    transfer: Type.Optional(
      Type.Object(
        { allowed: Type.Boolean({ description: 'true or false' }), maxTransfers: Type.Optional(NonNegativeIntegerSchema) },
        { additionalProperties: false, description: 'a transfer policy like {"allowed": true, "maxTransfers": 1}' },
      ),
    ),
  },
  { additionalProperties: false, description: 'a warranty plan {"id", "name", "appliesTo", "purchaseWindowDays", "maxProductPrice", "starts", "coverageMonths", "price"}' },
);
/** One extended-warranty plan. */
export type WarrantyPlan = Static<typeof WarrantyPlanSchema>;

/** Schema of the `warranty` section. */
export const WarrantyProgramSchema = Type.Object(
  { plans: Type.Array(WarrantyPlanSchema, { maxItems: 100, description: 'a list of at most 100 plans' }) },
  { additionalProperties: false, description: 'the warranty section {"plans": [...]}' },
);
/** The `warranty` section. */
export type WarrantyProgram = Static<typeof WarrantyProgramSchema>;
