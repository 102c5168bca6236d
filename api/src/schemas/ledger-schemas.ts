/**
 * Bodies and answers of the `/v1` ledger operations, derived from @purna/ledger's contract (its
 * src/contract/requests.ts and answers.ts) rather than written again: a body is the ledger's request without what
 * the path or the key fills, plus the `at` of the write; a write's answer is the ledger's without `replayed`, which
 * the API sends as the `Idempotency-Replayed` header instead. The ledger's answers are open, so it can add to them
 * without breaking the document.
 */
import {
  CancellationAnswerSchema,
  CancellationRequestSchema,
  DeliveryAnswerSchema,
  DeliveryRequestSchema,
  RedemptionCancellationAnswerSchema,
  RedemptionCancellationRequestSchema,
  AdjustmentAnswerSchema,
  AdjustmentRequestSchema,
  TierAssignedAnswerSchema,
  TierAssignmentRequestSchema,
  EventAnswerSchema,
  EventRequestSchema,
  GoodwillAnswerSchema,
  GoodwillRequestSchema,
  OrderAnswerSchema,
  RedemptionAnswerSchema,
  RedemptionRequestSchema,
  ReturnAnswerSchema,
  ReturnRequestSchema,
  RewardRedemptionAnswerSchema,
  RewardRedemptionRequestSchema,
  VoucherUseAnswerSchema,
  VoucherUseRequestSchema,
  WarrantyRequestSchema,
} from '@purna/ledger';
import { CustomerInputSchema } from '@purna/rules';
import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import { InstantSchema, instantSchema, pageProperties } from './common-schemas.js';
import { idSchema } from './id-schema.js';

/**
 * A ledger request as an API body: without the fields the API fills (`filled`), with the write's `at`. The kept
 * fields are the ledger's own schema objects, so the document references the ones it registers. `description`
 * replaces the request's when it names a field the body leaves out.
 *
 * @example
 * requestBody(AdjustmentRequestSchema, ['customerId', 'actor'], 'an adjustment {"id", "points", "reason"}') // { id, points, reason, at? }
 */
export function requestBody<T extends TProperties, K extends keyof T & string = never>(request: TObject<T>, filled: readonly K[] = [], description = request.description) {
  const kept = Object.fromEntries(Object.entries(request.properties).filter(([name]) => !(filled as readonly string[]).includes(name))) as Omit<T, K>;
  return Type.Object({ ...kept, at: Type.Optional(InstantSchema) }, { additionalProperties: false, ...(description === undefined ? {} : { description }) });
}

/**
 * `PUT /v1/customers/{id}` body: the rules' customer profile whose `id` may be left out, since the path gives it
 * (and a sent one must equal the path's). The properties are the profile's own schema objects.
 */
export const CustomerBodySchema = Type.Object(
  { ...CustomerInputSchema.properties, id: Type.Optional(CustomerInputSchema.properties.id) },
  { additionalProperties: false, description: 'a customer profile {"enrolledAt", "birthDate", ...}; "id" defaults to the path id' },
);

/** `GET /v1/customers/{id}/transactions` query. */
export const TransactionQuerySchema = Type.Object(
  {
    at: Type.Optional(instantSchema('only entries at or before this instant (default: now)')),
    ...pageProperties('entries'),
  },
  { additionalProperties: false },
);

/** `POST /v1/orders` answer. */
export const OrderRecordedSchema = Type.Omit(OrderAnswerSchema, ['replayed']);

/** `POST /v1/orders/{orderId}/returns` body: the order is the path's. */
export const ReturnBodySchema = requestBody(ReturnRequestSchema);

/** `POST /v1/orders/{orderId}/returns` answer. */
export const ReturnRecordedSchema = Type.Omit(ReturnAnswerSchema, ['replayed']);

/** `POST /v1/orders/{orderId}/deliveries` body: the order is the path's; `at` is when it was delivered. */
export const DeliveryBodySchema = requestBody(DeliveryRequestSchema, [], 'a delivery {"id", "at"}');

/** `POST /v1/orders/{orderId}/deliveries` answer. */
export const DeliveryRecordedSchema = Type.Omit(DeliveryAnswerSchema, ['replayed']);

/** `POST /v1/orders/{orderId}/cancellation` body: the order is the path's. */
export const CancellationBodySchema = requestBody(CancellationRequestSchema);

/** `POST /v1/orders/{orderId}/cancellation` answer. */
export const CancellationRecordedSchema = Type.Omit(CancellationAnswerSchema, ['replayed']);

/** `POST /v1/redemptions/{id}/cancellation` body: the redemption is the path's. */
export const RedemptionCancellationBodySchema = requestBody(RedemptionCancellationRequestSchema);

/** `POST /v1/redemptions/{id}/cancellation` answer. */
export const RedemptionCancellationRecordedSchema = Type.Omit(RedemptionCancellationAnswerSchema, ['replayed']);

/** `POST /v1/events` body: the write's `at` is when the event occurred. */
export const EventBodySchema = requestBody(EventRequestSchema, ['occurredAt']);

/** `POST /v1/events` answer. */
export const EventRecordedSchema = Type.Omit(EventAnswerSchema, ['replayed']);

/** `POST /v1/redemptions` body. */
export const RedemptionBodySchema = requestBody(RedemptionRequestSchema);

/** `POST /v1/redemptions` answer. */
export const RedemptionRecordedSchema = Type.Omit(RedemptionAnswerSchema, ['replayed']);

/** `POST /v1/customers/{id}/adjustments` body: the customer is the path's, the actor the key's. */
export const AdjustmentBodySchema = requestBody(AdjustmentRequestSchema, ['customerId', 'actor'], 'an adjustment {"id", "points", "reason"}');

/** `POST /v1/customers/{id}/adjustments` answer. */
export const AdjustmentRecordedSchema = Type.Omit(AdjustmentAnswerSchema, ['replayed']);

/** `PUT /v1/customers/{id}/tier` body: the customer is the path's and the actor the key's. */
export const TierAssignmentBodySchema = requestBody(TierAssignmentRequestSchema, ['customerId', 'actor'], 'a tier assignment {"tierId", "until", "reason"}');

/** `PUT /v1/customers/{id}/tier` answer. */
export const TierAssignedSchema = Type.Omit(TierAssignedAnswerSchema, ['replayed']);

/** Body of the jobs. */
export const JobRequestSchema = Type.Object({ at: Type.Optional(InstantSchema) }, { additionalProperties: false });

/** `POST /v1/warranty/eligibility` body. */
export const WarrantyBodySchema = requestBody(WarrantyRequestSchema);

/** A customer's referral code. */
export const ReferralCodeSchema = Type.Object({ customerId: Type.String(), code: Type.String() });

/** `POST /v1/goodwill` body: the actor is the key's. */
export const GoodwillBodySchema = requestBody(GoodwillRequestSchema, ['actor'], 'a goodwill gesture {"id", "customerId", "reason", "points" or "rewardId", "caseId"?, "override"?}');

/** `POST /v1/goodwill` answer. */
export const GoodwillRecordedSchema = Type.Omit(GoodwillAnswerSchema, ['replayed']);

/** `GET /v1/rewards` query: availability for one customer, or for anyone, as of an instant. */
export const RewardCatalogQuerySchema = Type.Object(
  {
    customerId: Type.Optional(idSchema('the customer whose points, tier and limits the availability is for (absent: for anyone)')),
    at: Type.Optional(instantSchema('answer as of this instant (default: now)')),
  },
  { additionalProperties: false },
);

/** `POST /v1/rewards/{rewardId}/redemptions` body: the reward is the path's. */
export const RewardRedemptionBodySchema = requestBody(RewardRedemptionRequestSchema, ['rewardId'], 'a reward redemption {"id", "customerId", "at"?}');

/** `POST /v1/rewards/{rewardId}/redemptions` answer. */
export const RewardRedemptionRecordedSchema = Type.Omit(RewardRedemptionAnswerSchema, ['replayed']);

/** `POST /v1/vouchers/{code}/use` body: the code is the path's. */
export const VoucherUseBodySchema = requestBody(VoucherUseRequestSchema, [], 'a voucher use {"orderId", "customerId", "at"?}');

/** `POST /v1/vouchers/{code}/use` answer. */
export const VoucherUsedSchema = Type.Omit(VoucherUseAnswerSchema, ['replayed']);
