/**
 * What the ledger's writes and checks take: one TypeBox schema each. The TypeScript type is derived from it, the
 * ledger validates with it before anything is claimed or written (input-check.ts), and the API's OpenAPI document
 * references it. A field the API fills itself (the customer from the path, the actor from the key) is part of the
 * ledger's request all the same: the API derives its body by leaving it out.
 *
 * Profiles and quotes take the rules' own `CustomerInputSchema` and `OrderInputSchema`; the writes below narrow the
 * rules' inputs where the ledger needs more (a customer to write to, ids it can keep in its keys).
 */
import { EventInputSchema, ManufacturerWarrantySchema, OrderInputSchema } from '@purna/rules';
import { Type, type Static, type TObject, type TProperties, type TString } from '@sinclair/typebox';
import { idSchema, instantSchema, MoneySchema, textSchema } from './primitives.js';

/**
 * The rules' `input` as the ledger records it: for a customer (the rules' may be anonymous), under an id and a
 * customer id it can keep in its keys.
 */
function recordedFor<T extends TProperties>(input: TObject<T>, ids: { id: string; customerId: string }, description: string) {
  const properties = { ...input.properties, id: idSchema(ids.id), customerId: idSchema(ids.customerId) } as Omit<T, 'id' | 'customerId'> & { id: TString; customerId: TString };
  return Type.Object(properties, { additionalProperties: false, description });
}

/**
 * A paid order to record: the rules' order, with the customer it is recorded for.
 *
 * @example
 * const order = checkInput(OrderRequestSchema, body, '', 'order'); // order.customerId: string
 */
export const OrderRequestSchema = recordedFor(
  OrderInputSchema,
  { id: 'an order id (its natural idempotency key)', customerId: 'the id of the customer who placed the order' },
  'an order {"id", "customerId", "currency", "lines"}',
);
/** A paid order to record. */
export type OrderRequest = Static<typeof OrderRequestSchema>;

/**
 * One returned line: a sku of the order and how many came back.
 *
 * @example
 * { sku: 'PH-9', quantity: 1 }
 */
export const ReturnLineSchema = Type.Object(
  {
    sku: idSchema('a sku of the order'),
    quantity: Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'a whole quantity of 1 or more' }),
  },
  { additionalProperties: false, description: 'a returned line {"sku", "quantity"}' },
);
/** One returned line. */
export type ReturnLine = Static<typeof ReturnLineSchema>;

/**
 * An admin's override of a policy that would refuse the request (a return after its window), with the reason, which
 * is recorded. The API takes it from admin keys only.
 *
 * @example
 * { reason: 'courier lost the first parcel; agreed by the store manager' }
 */
export const OverrideSchema = Type.Object(
  { reason: textSchema('why the policy is overridden', 500) },
  { additionalProperties: false, description: 'an override {"reason"} (admin keys only)' },
);

/**
 * A return of some of an order's lines (the order is named apart, by `returnOrder`'s `orderId`).
 *
 * @example
 * { id: 'r-1', lines: [{ sku: 'PH-9', quantity: 1 }] }
 */
export const ReturnRequestSchema = Type.Object(
  {
    id: idSchema('a return id (its natural idempotency key)'),
    lines: Type.Array(ReturnLineSchema, { minItems: 1, maxItems: 1000, description: 'a list of 1 to 1000 returned lines' }),
    override: Type.Optional(OverrideSchema),
  },
  { additionalProperties: false, description: 'a return {"id", "lines", "override"?}' },
);
/** A return request: which quantities of which skus came back. */
export type ReturnRequest = Static<typeof ReturnRequestSchema>;

/**
 * A custom event to record: the rules' event, with the customer it is recorded for.
 *
 * @example
 * { id: 'ev-1', customerId: 'ayu', type: 'review.published' }
 */
export const EventRequestSchema = recordedFor(
  EventInputSchema,
  { id: 'an event id (its natural idempotency key)', customerId: 'the id of the customer the event is about' },
  'an event {"id", "customerId", "type"}',
);
/** A custom event to record. */
export type EventRequest = Static<typeof EventRequestSchema>;

/**
 * Points to spend for a discount on an order.
 *
 * @example
 * { id: 'rd-1', customerId: 'ayu', orderId: 'o-1003', orderTotal: '2000000', points: 1500 }
 */
export const RedemptionRequestSchema = Type.Object(
  {
    id: idSchema('a redemption id (its natural idempotency key)'),
    customerId: idSchema('the id of the customer who spends the points'),
    orderId: idSchema('the id of the order the discount is for'),
    orderTotal: MoneySchema,
    points: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'a whole number of points of 1 or more' }),
  },
  { additionalProperties: false, description: 'a redemption {"id", "customerId", "orderId", "orderTotal", "points"}' },
);
/** A redemption request. */
export type RedemptionRequest = Static<typeof RedemptionRequestSchema>;

/**
 * A goodwill gesture or a correction by support staff, and who made it.
 *
 * @example
 * { id: 'adj-1', customerId: 'ayu', points: 100, reason: 'goodwill: late delivery', actor: 'agent-7' }
 */
export const AdjustmentRequestSchema = Type.Object(
  {
    id: idSchema('an adjustment id (its natural idempotency key)'),
    customerId: idSchema('the id of the customer whose points change'),
    points: Type.Integer({
      minimum: -1_000_000_000,
      maximum: 1_000_000_000,
      // Zero would record an entry that changes nothing; refused here, before the rules would refuse it.
      not: { const: 0 },
      description: 'a whole number of points, positive to grant, negative to deduct, never 0',
    }),
    reason: textSchema('why, in words support staff will read later', 500),
    actor: idSchema("who made it (a support agent's id)"),
  },
  { additionalProperties: false, description: 'an adjustment {"id", "customerId", "points", "reason", "actor"}' },
);
/** An adjustment request: a goodwill gesture or a correction. */
export type AdjustmentRequest = Static<typeof AdjustmentRequestSchema>;

/**
 * A tier assigned by hand (a status match, a migrated member): held until `until` whatever the spend, then by the
 * tier rules with their grace.
 *
 * @example
 * { customerId: 'ayu', tierId: 'gold', until: '2027-07-01T00:00:00+07:00', reason: 'status match from another shop', actor: 'api-key:k7Qd9x' }
 */
export const TierAssignmentRequestSchema = Type.Object(
  {
    customerId: idSchema('the id of the customer'),
    tierId: idSchema("the id of one of the program's tiers"),
    until: Type.String({ ...instantSchema('held whatever the spend until this instant (ISO 8601 with an offset), then by the tier rules with their grace'), maxLength: 40 }),
    reason: textSchema('why, in words support staff will read later', 500),
    actor: idSchema('who assigned it'),
  },
  { additionalProperties: false, description: 'a tier assignment {"tierId", "until", "reason"}' },
);
/** A tier assigned by hand. */
export type TierAssignmentRequest = Static<typeof TierAssignmentRequestSchema>;

/**
 * A goodwill gesture for one of the program's goodwill reasons: `points`, or a `rewardId` of the catalog (its voucher
 * is issued without points), tied to a complaint case when `caseId` is given.
 * `override` goes past the reason's `maxPoints` and is honoured only for a caller allowed to override (an admin key:
 * the ledger's `mayOverride` option); `actor` says who granted it.
 *
 * @example
 * { id: 'gw-1', customerId: 'ayu', caseId: 'case-7', reason: 'cancelled-by-shop', points: 500, actor: 'agent-7' }
 */
export const GoodwillRequestSchema = Type.Object(
  {
    id: idSchema('a goodwill id (its natural idempotency key)'),
    customerId: idSchema('the id of the customer compensated'),
    caseId: Type.Optional(idSchema('the complaint case the gesture settles')),
    reason: idSchema("the id of one of the program's goodwill reasons, like \"late-delivery\""),
    points: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'a whole number of points of 1 or more (or send rewardId)' })),
    rewardId: Type.Optional(idSchema('a reward of the catalog to grant instead of points')),
    override: Type.Optional(
      Type.Object({ reason: textSchema('why the reason\'s maximum is overridden, recorded with the grant', 500) }, { additionalProperties: false, description: 'an override {"reason"} (admin keys only)' }),
    ),
    actor: idSchema('who grants it (a support agent or an API key)'),
  },
  { additionalProperties: false, description: 'a goodwill gesture {"id", "customerId", "reason", "points" or "rewardId", "actor"}' },
);
/** A goodwill request. */
export type GoodwillRequest = Static<typeof GoodwillRequestSchema>;

/**
 * A reward of the catalog redeemed for points: the id is its idempotency key; the reward is the path's.
 *
 * @example
 * { id: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu' }
 */
export const RewardRedemptionRequestSchema = Type.Object(
  {
    id: idSchema('a reward redemption id (its natural idempotency key)'),
    rewardId: idSchema("the id of one of the program's rewards, like \"voucher-50k\""),
    customerId: idSchema('the id of the customer who spends the points'),
  },
  { additionalProperties: false, description: 'a reward redemption {"id", "rewardId", "customerId"}' },
);
/** A reward redemption request. */
export type RewardRedemptionRequest = Static<typeof RewardRedemptionRequestSchema>;

/**
 * A voucher used on an order by the customer it was issued to.
 *
 * @example
 * { orderId: 'o-1009', customerId: 'ayu' }
 */
export const VoucherUseRequestSchema = Type.Object(
  {
    orderId: idSchema('the order the voucher is used on'),
    customerId: idSchema('the customer using it (it must be the one it was issued to)'),
  },
  { additionalProperties: false, description: 'a voucher use {"orderId", "customerId"}' },
);
/** A voucher use request. */
export type VoucherUseRequest = Static<typeof VoucherUseRequestSchema>;

/**
 * The product a warranty check is about. The rules check it again, with what only a program knows (its zone).
 *
 * @example
 * { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } }
 */
export const WarrantyProductSchema = Type.Object(
  {
    sku: Type.String({ minLength: 1, maxLength: 200, description: 'a sku of 1 to 200 characters' }),
    category: Type.String({ minLength: 1, maxLength: 200, description: 'a category of 1 to 200 characters' }),
    brand: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a brand of 1 to 200 characters' })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'a list of at most 100 tags' })),
    price: MoneySchema,
    purchasedOn: Type.String({ format: 'date', description: 'a date like "2026-12-10"' }),
    manufacturerWarranty: ManufacturerWarrantySchema,
  },
  { additionalProperties: false, description: 'a product {"sku", "category", "price", "purchasedOn", "manufacturerWarranty"}' },
);
/**
 * A warranty check: the customer (whose tier counts) or a tier, and the product. Neither means no tier perks.
 *
 * @example
 * { customerTier: 'gold', product: { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } } }
 */
export const WarrantyRequestSchema = Type.Object(
  {
    customerId: Type.Optional(idSchema('the id of the customer whose tier counts')),
    customerTier: Type.Optional(textSchema('a tier id like "gold"', 64)),
    product: WarrantyProductSchema,
  },
  { additionalProperties: false, description: 'a warranty check {"customerId" or "customerTier", "product"}' },
);
/** A warranty check. */
export type WarrantyRequest = Static<typeof WarrantyRequestSchema>;

/**
 * A delivery of an order (the order is named apart, by `deliverOrder`'s `orderId`; the instant is the write's `at`).
 *
 * @example
 * { id: 'd-1' }
 */
export const DeliveryRequestSchema = Type.Object(
  { id: idSchema('a delivery id (its natural idempotency key)') },
  { additionalProperties: false, description: 'a delivery {"id"}' },
);
/** A delivery request. */
export type DeliveryRequest = Static<typeof DeliveryRequestSchema>;

/**
 * An order's cancellation before delivery (the order is named apart, by `cancelOrder`'s `orderId`).
 *
 * @example
 * { id: 'c-1', reason: 'out-of-stock' }
 */
export const CancellationRequestSchema = Type.Object(
  {
    id: idSchema('a cancellation id (its natural idempotency key)'),
    reason: textSchema('why the order is cancelled, like "out-of-stock"', 500),
  },
  { additionalProperties: false, description: 'a cancellation {"id", "reason"}' },
);
/** An order cancellation request. */
export type CancellationRequest = Static<typeof CancellationRequestSchema>;

/**
 * A redemption's cancellation (the redemption is named apart; one per redemption, so its id is the key).
 *
 * @example
 * { reason: 'payment-failed' }
 */
export const RedemptionCancellationRequestSchema = Type.Object(
  { reason: textSchema('why the redemption is cancelled, like "payment-failed"', 500) },
  { additionalProperties: false, description: 'a redemption cancellation {"reason"}' },
);
/** A redemption cancellation request. */
export type RedemptionCancellationRequest = Static<typeof RedemptionCancellationRequestSchema>;
