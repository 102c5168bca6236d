/**
 * The moments a CRM reads from the feed and receives as webhooks (docs/moments.md): the query of a feed read and
 * the page it answers, one TypeBox schema each, referenced by the API's OpenAPI document.
 */
import { MOMENT_TYPES, type MomentType } from '@purna/rules';
import { Type, type Static } from '@sinclair/typebox';
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
 * One moment: what happened to a customer, or is due, with what a CRM needs to act on it.
 *
 * @example
 * { id: 'mo_3J…', type: 'points.awarded', occurredAt: '2026-02-01T03:00:00.000Z', customerId: 'ayu', data: { points: 1425, … } }
 */
export const MomentSchema = Type.Object({
  id: Type.String({ description: 'the moment id: stable, the same on every webhook retry (the webhook-id header)' }),
  type: MomentTypeSchema,
  occurredAt: instantSchema('when it happened, or when it was due (UTC)'),
  customerId: Type.String({ description: 'the customer it concerns' }),
  data: Type.Record(Type.String(), Type.Unknown(), { description: "the moment's payload (docs/moments.md lists each type's fields)" }),
});
/** One moment. */
export type MomentAnswer = Static<typeof MomentSchema>;

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
