/**
 * Requests and answers of the `/v1` ledger operations that the rules do not define (returns, redemptions,
 * adjustments, jobs, warranty checks) and the answers of all of them. Answers list what docs/API.md fixes and
 * allow more fields, so the ledger can add to them without breaking the document.
 */
import { Type } from '@sinclair/typebox';
import { IdSchema, idSchema } from './id-schema.js';
import { InstantSchema, instantSchema, MoneySchema, pageProperties, PointsSchema, SignedMoneySchema, TraceSchema } from './common-schemas.js';

/** A customer's points as of an instant. */
export const PointsViewSchema = Type.Object({
  available: PointsSchema,
  pending: PointsSchema,
  expired: PointsSchema,
  redeemed: PointsSchema,
  balance: PointsSchema,
});

/** A customer with balances and tier. */
export const CustomerViewSchema = Type.Object({
  id: Type.String(),
  points: PointsViewSchema,
  tier: Type.Union([
    Type.Object({ id: Type.String(), name: Type.String(), heldUntil: Type.Optional(Type.String()) }),
    Type.Null(),
  ]),
  expiring: Type.Array(Type.Object({ points: PointsSchema, at: Type.String() }), {
    maxItems: 10,
    description: 'Available points that will expire, soonest first: the ten soonest-expiring lots at most.',
  }),
});

/** The answer to `PUT /v1/customers/{id}`. */
export const CustomerUpsertedSchema = Type.Object({
  id: Type.String(),
  referral: Type.Optional(
    Type.Object({ status: Type.Union([Type.Literal('pending'), Type.Literal('rejected')]), reason: Type.Optional(Type.String()) }),
  ),
});

/** One ledger entry. */
export const TransactionSchema = Type.Object({
  type: Type.String({ description: 'earn, redeem, expire, return, adjustment, referral, birthday, event, ...' }),
  points: PointsSchema,
  at: Type.String(),
});

/** A page of ledger entries, newest first. */
export const TransactionPageSchema = Type.Object({
  items: Type.Array(TransactionSchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as ?cursor= for the next (older) page' })),
});

/** `GET /v1/customers/{id}/transactions` query. */
export const TransactionQuerySchema = Type.Object(
  {
    at: Type.Optional(instantSchema('only entries at or before this instant (default: now)')),
    ...pageProperties('entries'),
  },
  { additionalProperties: false },
);

/** `POST /v1/orders/quote` answer. */
export const OrderQuoteSchema = Type.Object({ points: PointsSchema, trace: TraceSchema });

/** `POST /v1/orders` answer. */
export const OrderRecordedSchema = Type.Object({
  orderId: Type.String(),
  awarded: PointsSchema,
  availableAt: Type.String(),
  tierBefore: Type.Union([Type.String(), Type.Null()]),
  tierAfter: Type.Union([Type.String(), Type.Null()]),
  referral: Type.Optional(Type.Object({ referrer: Type.Optional(PointsSchema), referee: Type.Optional(PointsSchema) })),
  trace: TraceSchema,
});

/** `POST /v1/orders/{orderId}/returns` body. */
export const ReturnRequestSchema = Type.Object(
  {
    id: idSchema('the return id (natural idempotency key)'),
    at: Type.Optional(InstantSchema),
    lines: Type.Array(
      Type.Object(
        {
          sku: Type.String({ minLength: 1, maxLength: 200, description: 'a sku of the order' }),
          quantity: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'a whole quantity of 1 or more' }),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 1000, description: 'a list of 1 to 1000 returned lines' },
    ),
  },
  { additionalProperties: false },
);

/** `POST /v1/orders/{orderId}/returns` answer. */
export const ReturnRecordedSchema = Type.Object({ returnId: Type.String(), clawedBack: PointsSchema, balance: PointsSchema });

/** `POST /v1/events` body (the rules' event, with `at` and a required customer). */
export const EventRequestSchema = Type.Object(
  {
    id: idSchema('the event id (natural idempotency key)'),
    customerId: IdSchema,
    type: Type.String({ minLength: 1, maxLength: 100, description: 'an event type like "review.published"' }),
    at: Type.Optional(InstantSchema),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]), {
        maxProperties: 100,
        description: 'at most 100 attributes, each a text, number or boolean',
      }),
    ),
  },
  { additionalProperties: false },
);

/** `POST /v1/events` answer. */
export const EventRecordedSchema = Type.Object({ eventId: Type.String(), awarded: PointsSchema, reason: Type.Optional(Type.String()) });

/** `POST /v1/redemptions` body. */
export const RedemptionRequestSchema = Type.Object(
  {
    id: idSchema('the redemption id (natural idempotency key)'),
    customerId: IdSchema,
    orderId: IdSchema,
    orderTotal: MoneySchema,
    points: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'a whole number of points of 1 or more' }),
    at: Type.Optional(InstantSchema),
  },
  { additionalProperties: false },
);

/** `POST /v1/redemptions` answer. */
export const RedemptionRecordedSchema = Type.Object({ redemptionId: Type.String(), redeemed: PointsSchema, discount: SignedMoneySchema });

/** `POST /v1/customers/{id}/adjustments` body. */
export const AdjustmentRequestSchema = Type.Object(
  {
    id: idSchema('the adjustment id (natural idempotency key)'),
    points: Type.Integer({ minimum: -1_000_000_000, maximum: 1_000_000_000, not: { const: 0 }, description: 'a whole number of points, positive to grant, negative to deduct, never 0' }),
    reason: Type.String({ minLength: 1, maxLength: 500, description: 'why, in words support staff will read later' }),
    at: Type.Optional(InstantSchema),
  },
  { additionalProperties: false },
);

/** `POST /v1/customers/{id}/adjustments` answer. */
export const AdjustmentRecordedSchema = Type.Object({ adjustmentId: Type.String(), points: PointsSchema });

/** Body of the jobs. */
export const JobRequestSchema = Type.Object({ at: Type.Optional(InstantSchema) }, { additionalProperties: false });

/** `POST /v1/jobs/birthday-rewards` answer. */
export const BirthdayJobSchema = Type.Object({ granted: Type.Integer({ minimum: 0 }), skipped: Type.Integer({ minimum: 0 }) });

/** `POST /v1/jobs/expiry` answer. */
export const ExpiryJobSchema = Type.Object({
  customers: Type.Integer({ minimum: 0, description: 'customers whose points expired in this run' }),
  expired: Type.Integer({ minimum: 0, description: 'points expired in this run' }),
});

/** `POST /v1/jobs/reconcile` answer. */
export const ReconcileSchema = Type.Object({
  checked: Type.Integer({ minimum: 0, description: 'accounts compared with the replay of their ledger entries' }),
  differences: Type.Array(
    Type.Object({ customerId: Type.String(), field: Type.String(), materialized: Type.Unknown(), recomputed: Type.Unknown() }),
    { description: 'every materialized figure that differs from the replay (empty when all is exact)' },
  ),
});

/** The product of a warranty check. */
export const WarrantyProductSchema = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 200 }),
    category: Type.String({ minLength: 1, maxLength: 200 }),
    brand: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    price: MoneySchema,
    purchasedOn: Type.String({ format: 'date', description: 'a date like "2026-12-10"' }),
    manufacturerWarranty: Type.Object(
      {
        months: Type.Integer({ minimum: 0, maximum: 1200, description: 'a whole number of months between 0 and 1200' }),
        components: Type.Optional(
          Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Integer({ minimum: 0, maximum: 1200 }), { maxProperties: 100 }),
        ),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** `POST /v1/warranty/eligibility` body: the customer (whose tier counts) or a tier, and the product. */
export const WarrantyRequestSchema = Type.Object(
  {
    customerId: Type.Optional(IdSchema),
    customerTier: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'a tier id like "gold"' })),
    product: WarrantyProductSchema,
    at: Type.Optional(InstantSchema),
  },
  { additionalProperties: false },
);

/** `POST /v1/warranty/eligibility` answer. */
export const WarrantyAnswerSchema = Type.Object({
  plans: Type.Array(
    Type.Object({
      planId: Type.String(),
      eligible: Type.Boolean(),
      reasons: Type.Array(Type.Unknown()),
      price: Type.Optional(Type.String()),
      coverage: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  ),
});

/** A customer's referral code. */
export const ReferralCodeSchema = Type.Object({ customerId: Type.String(), code: Type.String() });
