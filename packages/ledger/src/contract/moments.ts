/**
 * The moments a CRM reads from the feed and receives as webhooks (docs/moments.md): a moment, the query of a feed read
 * and the page it answers, one TypeBox schema each, referenced by the API's OpenAPI document. What each type's `data`
 * holds is in moment-data.ts.
 */
import { MOMENT_TYPES, type MomentType } from '@purna/rules';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MomentDataSchema, momentDataSchema } from './moment-data.js';
import { idSchema, instantSchema } from './primitives.js';

/**
 * A moment type: one string enum rather than a union of literals, because a validator reports every branch of a
 * union it tries, so one misspelt type (`?type=nope`, or in an endpoint's list) became 27 problems that hid the others;
 * an enum is one problem that names the allowed types once.
 *
 * @example 'points.expiring'
 */
export const MomentTypeSchema = Type.Unsafe<MomentType>(Type.String({ enum: [...MOMENT_TYPES], description: `a moment type: ${MOMENT_TYPES.join(', ')}` }));

/**
 * One moment: what happened to a customer, or is due, with what a CRM needs to act on it. Its `data` is the generic
 * object here, whatever the type: a feed page holds moments of any type, and checking each against one open object
 * costs one pass, where a union of the types' schemas would try every branch for every moment (and, on a mismatch,
 * report each branch's errors). Each type's own `data` is {@link momentSchemaOf}'s, the body of its webhook.
 *
 * @example
 * { id: 'mo_3J…', type: 'points.awarded', occurredAt: '2026-02-01T03:00:00.000Z', customerId: 'ayu', data: { points: 1425, … } }
 */
export const MomentSchema = Type.Object(
  {
    id: Type.String({ description: 'the moment id: stable, the same on every webhook retry (the webhook-id header)' }),
    type: MomentTypeSchema,
    occurredAt: instantSchema('when it happened, or when it was due (UTC)'),
    customerId: Type.String({ description: 'the customer it concerns' }),
    data: MomentDataSchema,
  },
  { additionalProperties: false },
);
/** One moment. */
export type MomentAnswer = Static<typeof MomentSchema>;

/**
 * A moment of `type`: a {@link MomentSchema} whose `type` is that one and whose `data` is that type's schema
 * (moment-data.ts; the generic object for a type that has none yet). The body of the type's webhook.
 *
 * @example
 * momentSchemaOf('tier.changed') // allOf: [Moment, { type: const 'tier.changed', data: <tier.changed data> }]
 */
export function momentSchemaOf(type: MomentType): TSchema {
  return Type.Intersect([MomentSchema, Type.Object({ type: Type.Literal(type), data: momentDataSchema(type) })], {
    description: `a ${type} moment`,
  });
}

/**
 * A feed read: filters, where to resume, how many.
 *
 * @example
 * { type: 'points.expiring', after: '<nextCursor of the previous page>', limit: 100 }
 */
export const MomentQuerySchema = Type.Object(
  {
    type: Type.Optional(MomentTypeSchema),
    customerId: Type.Optional(idSchema("a customer id: only that customer's moments, in the order they were committed")),
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 400, description: 'the nextCursor of the previous page: resume after it' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'at most this many moments (default 100)' })),
  },
  { additionalProperties: false, description: 'a moments feed read {"type", "customerId", "after", "limit"}' },
);
/** A feed read. */
export type MomentQueryRequest = Static<typeof MomentQuerySchema>;

/**
 * A page of moments, oldest first, and the cursor to resume from (kept even when the page is empty, so a poller
 * resumes where it stopped).
 *
 * @example
 * { items: [{ id: 'mo_…', type: 'tier.changed', … }], nextCursor: '…' }
 */
export const MomentPageSchema = Type.Object({
  items: Type.Array(MomentSchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as after to resume; absent only while the feed is empty' })),
});
/** A page of moments. */
export type MomentPage = Static<typeof MomentPageSchema>;

/**
 * What a moments run answers: the moments it emitted (time-based ones, and those of the rewards, downgrades and
 * expiries it decided), and on how many accounts.
 *
 * @example
 * { emitted: 12, customers: 9 }
 */
export const MomentsJobAnswerSchema = Type.Object({
  emitted: Type.Integer({ minimum: 0, description: 'moments this run emitted (a repeated run emits none)' }),
  customers: Type.Integer({ minimum: 0, description: 'customers something was due for' }),
});
/** What a moments run answers. */
export type MomentsJobAnswer = Static<typeof MomentsJobAnswerSchema>;
