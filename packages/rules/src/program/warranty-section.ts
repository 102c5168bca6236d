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

/** How far a plan's purchase window reaches, besides a number of days: the last day of the manufacturer's warranty. */
export const WARRANTY_PURCHASE_UNTIL = ['manufacturer-end'] as const;

/** What a contract cancelled by the return of its product refunds: the unused share of the plan's cover, or all of it. */
export const WARRANTY_REFUNDS = ['pro-rata', 'full'] as const;

/** The refund of a cancelled contract when the plan names none. */
export const DEFAULT_WARRANTY_REFUND: (typeof WARRANTY_REFUNDS)[number] = 'pro-rata';

/** Schema of one warranty plan. */
export const WarrantyPlanSchema = Type.Object(
  {
    id: IdSchema,
    name: NameSchema,
    appliesTo: Type.Object(
      { category: Type.Optional(StringListSchema), sku: Type.Optional(StringListSchema) },
      { additionalProperties: false, minProperties: 1, description: 'products covered like {"category": ["tv"]}' },
    ),
    purchaseWindowDays: Type.Optional(DaysSchema),
    purchaseWindow: Type.Optional(
      Type.Object(
        { until: StringEnum(WARRANTY_PURCHASE_UNTIL, 'the end the window runs to: "manufacturer-end" (the last day of the unit\'s manufacturer warranty)') },
        { additionalProperties: false, description: 'a purchase window like {"until": "manufacturer-end"}' },
      ),
    ),
    maxProductPrice: Type.Optional(NonNegativeDecimalSchema),
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
    cancellation: Type.Optional(
      Type.Object(
        { refund: StringEnum(WARRANTY_REFUNDS, 'either "pro-rata" (the unused share of the plan\'s cover) or "full"') },
        { additionalProperties: false, description: 'what a contract cancelled by the return of its product refunds, like {"refund": "pro-rata"}' },
      ),
    ),
  },
  {
    additionalProperties: false,
    description: 'a warranty plan {"id", "name", "appliesTo", "purchaseWindowDays" or "purchaseWindow", "starts", "coverageMonths", "price"}',
  },
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
