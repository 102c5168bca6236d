/** A custom event (a review published, a survey answered...). */
import { Type, type Static } from '@sinclair/typebox';
import { InstantSchema } from '../program/primitives.js';

/** Schema of a custom event. `occurredAt` defaults to the evaluation's `at`. */
export const EventInputSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200, description: 'an event id' }),
    customerId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    type: Type.String({ minLength: 1, maxLength: 100, description: 'an event type like "review.published"' }),
    occurredAt: Type.Optional(InstantSchema),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]), { maxProperties: 100 }),
    ),
  },
  { additionalProperties: false, description: 'an event {"id", "type"}' },
);
/** A custom event. */
export type EventInput = Static<typeof EventInputSchema>;
