/** `events[]`: points for a custom event (a review, a survey...) within limits. */
import { Type, type Static } from '@sinclair/typebox';
import { ConditionSchema } from './condition-schema.js';
import { IdSchema, NameSchema, PeriodLimitSchema, PointsSchema, ValiditySchema } from './primitives.js';

/** Schema of one custom event rule. */
export const EventRuleSchema = Type.Object(
  {
    id: IdSchema,
    name: NameSchema,
    event: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]*$', description: 'an event type like "review.published"' }),
    when: Type.Optional(ConditionSchema),
    award: Type.Object(
      {
        points: PointsSchema,
        byTier: Type.Optional(Type.Record(Type.String(), PointsSchema, { maxProperties: 50, description: 'points per tier id like {"gold": 100}' })),
      },
      { additionalProperties: false, description: 'an award like {"points": 50}' },
    ),
    limit: Type.Optional(
      Type.Object({ perCustomer: PeriodLimitSchema }, { additionalProperties: false, description: 'a limit like {"perCustomer": {"count": 5, "period": {"months": 1}}}' }),
    ),
    valid: Type.Optional(ValiditySchema),
  },
  { additionalProperties: false, description: 'an event rule {"id", "name", "event", "award"}' },
);
/** One custom event rule. */
export type EventRule = Static<typeof EventRuleSchema>;
