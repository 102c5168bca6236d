/**
 * `goodwill`: the reasons support staff may compensate a customer for (each with its maximum points per grant), a
 * per-customer limit and a budget for all customers, counted in calendar periods of the program's zone. Names and
 * meanings are fixed by the after-sales example program (docs/program-reference.md "goodwill").
 */
import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, NameSchema, PeriodLimitSchema, PeriodSchema, PositiveIntegerSchema } from './primitives.js';

/** One reason a goodwill gesture may be granted for. */
export const GoodwillReasonSchema = Type.Object(
  {
    id: IdSchema,
    name: NameSchema,
    maxPoints: PositiveIntegerSchema,
  },
  { additionalProperties: false, description: 'a goodwill reason like {"id": "late-delivery", "name": "Late delivery", "maxPoints": 500}' },
);
/** One goodwill reason. */
export type GoodwillReason = Static<typeof GoodwillReasonSchema>;

/** Schema of the `goodwill` section. */
export const GoodwillSectionSchema = Type.Object(
  {
    reasons: Type.Array(GoodwillReasonSchema, { minItems: 1, maxItems: 200, description: 'a list of 1 to 200 goodwill reasons' }),
    limit: Type.Optional(
      Type.Object(
        { perCustomer: PeriodLimitSchema },
        { additionalProperties: false, description: 'a limit on grants per customer like {"perCustomer": {"count": 2, "period": {"months": 1}}}' },
      ),
    ),
    budget: Type.Optional(
      Type.Object(
        {
          points: PositiveIntegerSchema,
          period: Type.Optional(PeriodSchema),
        },
        { additionalProperties: false, description: 'a budget of points for all customers like {"points": 100000, "period": {"months": 1}} (no period: for ever)' },
      ),
    ),
  },
  { additionalProperties: false, description: 'the goodwill section {"reasons", "limit"?, "budget"?}' },
);
/** The `goodwill` section. */
export type GoodwillSection = Static<typeof GoodwillSectionSchema>;
