/**
 * What the ledger answers: one TypeBox schema each, from which the TypeScript type is derived, and which the API's
 * OpenAPI document references. Answers are open (`additionalProperties` is not set): the ledger may add a field
 * without breaking a client that validates against them.
 *
 * A write's answer says whether it `replayed` an earlier write; the API moves that to its `Idempotency-Replayed`
 * header, so it derives its bodies by leaving the field out.
 */
import { CustomerInputSchema, ENTRY_TYPES, OrderPerkSchema, PerkSchema } from '@purna/rules';
import { Type, type Static } from '@sinclair/typebox';
import { countSchema, DecimalSchema, instantSchema, PointsSchema, ReasonSchema, TierIdSchema, TraceSchema } from './primitives.js';

const ReplayedSchema = Type.Boolean({ description: 'true when this answers an earlier write with the same id or Idempotency-Key' });

/**
 * Where a customer's referral stands: decided at enrolment, qualified by the first order, reversed by its return.
 *
 * @example
 * Type.Object({ status: ReferralStatusSchema })
 */
export const ReferralStatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('rejected'), Type.Literal('qualified'), Type.Literal('reversed')], {
  description: 'pending, rejected, qualified or reversed',
});

/**
 * A customer's points as of an instant.
 *
 * @example
 * { available: 1425, pending: 1125, expired: 0, redeemed: 0, balance: 2550 }
 */
export const PointsViewSchema = Type.Object({
  available: PointsSchema,
  pending: PointsSchema,
  expired: PointsSchema,
  redeemed: PointsSchema,
  balance: PointsSchema,
});

/**
 * A tier held, by id and name, until when a hold keeps it, and, for a tier assigned by hand, why it is held.
 *
 * @example
 * { id: 'gold', name: 'Gold', heldUntil: '2027-09-30T17:00:00.000+00:00', manual: { until: '2027-06-30T17:00:00.000Z', reason: 'status match' } }
 */
export const TierViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  heldUntil: Type.Optional(Type.String()),
  manual: Type.Optional(
    Type.Object(
      { until: Type.String({ description: 'held whatever the spend until this instant, then by the tier rules with their grace' }), reason: Type.String({ description: 'why it was assigned' }) },
      { additionalProperties: false, description: 'present when the tier is held because it was assigned by hand (PUT /v1/customers/{id}/tier, or an import)' },
    ),
  ),
});
/** A tier held. */
export type TierView = Static<typeof TierViewSchema>;

/**
 * A customer as `getCustomer` answers: profile, balances, tier, the tier's perks and the soonest-expiring points as
 * of an instant.
 *
 * @example
 * const view: CustomerView = await ledger.getCustomer('default', 'ayu', { at });
 */
export const CustomerViewSchema = Type.Object({
  id: Type.String(),
  profile: CustomerInputSchema,
  points: PointsViewSchema,
  tier: Type.Union([TierViewSchema, Type.Null()]),
  expiring: Type.Array(Type.Object({ points: PointsSchema, at: Type.String() }), {
    maxItems: 10,
    description: 'Available points that will expire, soonest first: the ten soonest-expiring lots at most.',
  }),
  referral: Type.Optional(Type.Object({ status: ReferralStatusSchema, reason: Type.Optional(Type.String()), referrerId: Type.Optional(Type.String()) })),
  perks: Type.Array(PerkSchema, {
    description: "The perks of the tier held as of the instant, as the program declares them (`{ id, kind, name?, ...fields }`), the tier's warranty benefits included; empty without a tier.",
  }),
});
/** A customer as `getCustomer` answers. */
export type CustomerView = Static<typeof CustomerViewSchema>;

/**
 * What `upsertCustomer` answers: the profile, and where its referral stands when it has one.
 *
 * @example
 * { id: 'budi', enrolledAt: '2026-01-05T03:00:00.000Z', referredBy: { code: 'AYU-1' }, referral: { status: 'pending' } }
 */
export const UpsertedCustomerSchema = Type.Object({
  ...CustomerInputSchema.properties,
  referral: Type.Optional(Type.Object({ status: ReferralStatusSchema, reason: Type.Optional(Type.String({ description: 'why a referral was rejected' })) })),
});
/** What `upsertCustomer` answers. */
export type UpsertedCustomer = Static<typeof UpsertedCustomerSchema>;

/**
 * One ledger entry as a customer's transactions list it (entries also carry the lots and debits they moved).
 *
 * @example
 * { id: 'order:o-1#0', seq: '…', type: 'earn', points: 1425, at: '2026-02-01T03:00:00.000Z', ruleIds: ['base'], orderId: 'o-1' }
 */
export const TransactionSchema = Type.Object({
  id: Type.String(),
  seq: Type.String({ description: "the entry's position in the customer's ledger" }),
  type: Type.Union(
    ENTRY_TYPES.map((type) => Type.Literal(type)),
    { description: ENTRY_TYPES.join(', ') },
  ),
  points: PointsSchema,
  at: instantSchema('when it happened'),
  ruleIds: Type.Array(Type.String(), { description: 'the rules that decided it' }),
  programId: Type.Optional(Type.String()),
  programVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  orderId: Type.Optional(Type.String()),
  returnId: Type.Optional(Type.String()),
  eventId: Type.Optional(Type.String()),
  redemptionId: Type.Optional(Type.String()),
  lines: Type.Optional(Type.Array(Type.Object({ sku: Type.String(), quantity: Type.Integer(), amount: Type.Optional(DecimalSchema) }))),
  reason: Type.Optional(Type.String({ description: 'a reason code (adjustments, zero awards, expiry, referral side)' })),
  actor: Type.Optional(Type.String({ description: 'who made an adjustment' })),
});

/**
 * One page of a customer's transactions, newest first.
 *
 * @example
 * const { items, nextCursor } = await ledger.listTransactions('default', 'ayu', { limit: 20 });
 */
export const TransactionPageSchema = Type.Object({
  items: Type.Array(TransactionSchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as cursor for the next (older) page' })),
});
/** One page of a customer's transactions, newest first. */
export type TransactionPage = Static<typeof TransactionPageSchema>;

/**
 * What an order would earn now (nothing is written), and what the perks of the tier held before it take off it.
 *
 * @example
 * { points: 1425, tierBefore: 'gold', tierAfter: 'gold', perks: [{ id: 'free-shipping', kind: 'free-shipping', applies: true, amount: '25000', lines: [...] }], trace: { … } }
 */
export const QuoteAnswerSchema = Type.Object({
  points: PointsSchema,
  tierBefore: TierIdSchema,
  tierAfter: TierIdSchema,
  perks: Type.Array(OrderPerkSchema, {
    description: 'The free-shipping and discount perks of the tier held before the order (tierBefore), each with `applies`, the amount it takes off the order and each line, or the reason it gives nothing; empty without a tier.',
  }),
  trace: TraceSchema,
});
/** What `quoteOrder` answers. */
export type QuoteAnswer = Static<typeof QuoteAnswerSchema>;

/**
 * A recorded order: what it awarded, when the points become available, the tier it reached, a referral it qualified.
 *
 * @example
 * { orderId: 'o-1', awarded: 1425, availableAt: '2026-02-15T03:00:00.000Z', tierBefore: null, tierAfter: 'gold', trace: { … }, replayed: false }
 */
export const OrderAnswerSchema = Type.Object({
  orderId: Type.String(),
  awarded: PointsSchema,
  availableAt: instantSchema('when the points become available'),
  tierBefore: TierIdSchema,
  tierAfter: TierIdSchema,
  referral: Type.Optional(Type.Object({ referrer: PointsSchema, referee: PointsSchema }, { description: 'the referral this first order qualified' })),
  trace: TraceSchema,
  replayed: ReplayedSchema,
});
/** The answer of `recordOrder`. */
export type OrderAnswer = Static<typeof OrderAnswerSchema>;

/** A warranty contract a return cancelled (its unit came back), with the refund its plan gives. */
export const CancelledContractSchema = Type.Object({
  contractId: Type.String(),
  sku: Type.String(),
  refundPolicy: Type.Union([Type.Literal('pro-rata'), Type.Literal('full')], { description: "the plan's `cancellation.refund`" }),
  refund: DecimalSchema,
  currency: Type.String(),
});
/** A warranty contract a return cancelled. */
export type CancelledContract = Static<typeof CancelledContractSchema>;

/**
 * A recorded return: what it clawed back, the balance after it, and the warranty contracts of the units it took back.
 *
 * @example
 * { returnId: 'r-1', orderId: 'o-1002', clawedBack: 1125, balance: 1425, replayed: false }
 */
export const ReturnAnswerSchema = Type.Object({
  returnId: Type.String(),
  orderId: Type.String(),
  clawedBack: PointsSchema,
  balance: PointsSchema,
  warrantyContractsCancelled: Type.Optional(Type.Array(CancelledContractSchema, { description: 'the warranty contracts this return cancelled, each with its refund; absent when none' })),
  replayed: ReplayedSchema,
});
/** The answer of `returnOrder`. */
export type ReturnAnswer = Static<typeof ReturnAnswerSchema>;

/**
 * A recorded delivery: when its follow-up call is due, and when the order's points become available when they waited
 * for it.
 *
 * @example
 * { deliveryId: 'd-1', orderId: 'o-1', followUpAt: '2026-02-13T03:00:00.000Z', replayed: false }
 */
export const DeliveryAnswerSchema = Type.Object({
  deliveryId: Type.String(),
  orderId: Type.String(),
  followUpAt: Type.Union([instantSchema('when the follow-up call is due'), Type.Null()], { description: 'when the follow-up call is due (follow-up.due), or null when the program asks for none' }),
  pointsAvailableAt: Type.Optional(instantSchema("when the order's points, which waited for this first delivery, become available")),
  replayed: ReplayedSchema,
});
/** The answer of `deliverOrder`. */
export type DeliveryAnswer = Static<typeof DeliveryAnswerSchema>;

/** A released redemption: points back in live lots, and points back whose lot had expired since. */
export const ReleasedRedemptionSchema = Type.Object({
  redemptionId: Type.String(),
  restored: PointsSchema,
  expired: PointsSchema,
});

/**
 * A cancelled order: what it clawed back (exactly a full return of what was left) and the redemptions it released.
 *
 * @example
 * { cancellationId: 'c-1', orderId: 'o-1', clawedBack: 1425, redemptionsReleased: [{ redemptionId: 'rd-1', restored: 500, expired: 0 }], balance: 500, replayed: false }
 */
export const CancellationAnswerSchema = Type.Object({
  cancellationId: Type.String(),
  orderId: Type.String(),
  clawedBack: PointsSchema,
  redemptionsReleased: Type.Array(ReleasedRedemptionSchema, { description: 'the redemptions tied to the order, cancelled with it' }),
  balance: PointsSchema,
  warrantyContractsCancelled: Type.Optional(Type.Array(CancelledContractSchema, { description: 'the warranty contracts of the order this cancellation cancelled, as its full return would, each with its refund; absent when none' })),
  vouchersReleased: Type.Optional(Type.Array(Type.String(), { description: 'the codes of the vouchers used on the order that the cancellation made usable again (those still valid); absent when none' })),
  replayed: ReplayedSchema,
});
/** The answer of `cancelOrder`. */
export type CancellationAnswer = Static<typeof CancellationAnswerSchema>;

/**
 * A cancelled redemption: points back in the lots they came from, and how many came back expired.
 *
 * @example
 * { redemptionId: 'rd-1', orderId: 'o-9', restored: 1200, expired: 300, balance: 2600, replayed: false }
 */
export const RedemptionCancellationAnswerSchema = Type.Object({
  redemptionId: Type.String(),
  orderId: Type.String(),
  restored: PointsSchema,
  expired: PointsSchema,
  /** Set when an order cancellation released it first. */
  cancellationId: Type.Optional(Type.String({ description: 'the order cancellation that released the redemption first (the answer is then that release)' })),
  balance: PointsSchema,
  replayed: ReplayedSchema,
});
/** The answer of `cancelRedemption`. */
export type RedemptionCancellationAnswer = Static<typeof RedemptionCancellationAnswerSchema>;

/**
 * A recorded event: what it awarded, and why when that is zero.
 *
 * @example
 * { eventId: 'ev-6', awarded: 0, reason: 'limit-reached', replayed: false }
 */
export const EventAnswerSchema = Type.Object({
  eventId: Type.String(),
  awarded: PointsSchema,
  reason: Type.Optional(Type.String({ description: 'why nothing was awarded' })),
  replayed: ReplayedSchema,
});
/** The answer of `recordEvent`. */
export type EventAnswer = Static<typeof EventAnswerSchema>;

/**
 * An accepted redemption: the points spent and the discount they buy.
 *
 * @example
 * { redemptionId: 'rd-1', orderId: 'o-1003', redeemed: 1500, discount: '150000', replayed: false }
 */
export const RedemptionAnswerSchema = Type.Object({ redemptionId: Type.String(), orderId: Type.String(), redeemed: PointsSchema, discount: DecimalSchema, replayed: ReplayedSchema });
/** The answer of an accepted `redeem`. */
export type RedemptionAnswer = Static<typeof RedemptionAnswerSchema>;

/**
 * A recorded adjustment, and the balance after it.
 *
 * @example
 * { adjustmentId: 'adj-1', points: 100, balance: 2650, replayed: false }
 */
export const AdjustmentAnswerSchema = Type.Object({ adjustmentId: Type.String(), points: PointsSchema, balance: PointsSchema, replayed: ReplayedSchema });
/** The answer of `adjust`. */
export type AdjustmentAnswer = Static<typeof AdjustmentAnswerSchema>;

/**
 * A tier assigned by hand: the tier recorded before and after it, and the tier held now.
 *
 * @example
 * { customerId: 'ayu', from: 'silver', to: 'gold', tier: { id: 'gold', name: 'Gold', heldUntil: '…', manual: { until: '2027-06-30T17:00:00.000Z', reason: 'status match' } }, replayed: false }
 */
export const TierAssignedAnswerSchema = Type.Object({
  customerId: Type.String(),
  from: TierIdSchema,
  to: TierIdSchema,
  tier: Type.Union([TierViewSchema, Type.Null()], { description: 'the tier held once the hold is recorded (a hold below the earned tier changes nothing)' }),
  replayed: ReplayedSchema,
});
/** The answer of `assignTier`. */
export type TierAssignedAnswer = Static<typeof TierAssignedAnswerSchema>;

/** What a voucher gives, as every answer about one says it (voucherGift in the rules). */
const voucherGiftFields = {
  kind: Type.String({ description: 'voucher, free-shipping or gift' }),
  value: Type.Optional(DecimalSchema),
  percent: Type.Optional(Type.String({ description: 'percent off, for a voucher with a percent' })),
  sku: Type.Optional(Type.String({ description: 'the product given, for a gift' })),
};

/** A voucher as a write that issued it answers it (voucherFields in the rules). */
function issuedVoucherSchema(description: string) {
  return Type.Object(
    {
      code: Type.String({ description: 'the single-use code, bound to the customer' }),
      ...voucherGiftFields,
      expiresAt: instantSchema('when it expires unused'),
    },
    { description },
  );
}

/**
 * A granted goodwill gesture: the points (available at once), the reason, the case, the override when an admin
 * went past the reason's maximum, and the balance after it.
 *
 * @example
 * { goodwillId: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', granted: 500, caseId: 'case-7', balance: 2650, replayed: false }
 */
export const GoodwillAnswerSchema = Type.Object({
  goodwillId: Type.String(),
  customerId: Type.String(),
  reason: Type.String({ description: 'the goodwill reason id' }),
  granted: PointsSchema,
  caseId: Type.Optional(Type.String({ description: 'the complaint case the gesture settles' })),
  override: Type.Optional(
    Type.Object(
      { reason: Type.String(), actor: Type.String(), maxPoints: PointsSchema },
      { description: "the recorded override: why, who, and the reason's maximum it went past" },
    ),
  ),
  rewardId: Type.Optional(Type.String({ description: 'the reward granted instead of points (its voucher is issued; `granted` is then 0)' })),
  voucher: Type.Optional(issuedVoucherSchema('the voucher of the reward granted')),
  availableAt: instantSchema('when the points are available (at once)'),
  balance: Type.Integer({ description: 'the balance after the grant' }),
  replayed: ReplayedSchema,
});
/** The answer of a granted `grantGoodwill`. */
export type GoodwillAnswer = Static<typeof GoodwillAnswerSchema>;

/**
 * What a birthday or anniversary sweep answers: customers granted by this run, and the others.
 *
 * @example
 * { granted: 1, skipped: 41 }
 */
export const YearlySweepAnswerSchema = Type.Object({
  granted: countSchema('customers granted by this run'),
  skipped: countSchema('customers not due, or granted already'),
});
/** What a yearly sweep answers. */
export type YearlySweepAnswer = Static<typeof YearlySweepAnswerSchema>;

/**
 * What the expiry sweep answers: what this run expired.
 *
 * @example
 * { customers: 2, expired: 350 }
 */
export const ExpirySweepAnswerSchema = Type.Object({
  customers: countSchema('customers whose points expired in this run'),
  expired: countSchema('points expired in this run'),
});
/** What the expiry sweep answers. */
export type ExpirySweepAnswer = Static<typeof ExpirySweepAnswerSchema>;

/**
 * A tier that changed at a review.
 *
 * @example
 * { customerId: 'ayu', from: 'gold', to: 'silver' }
 */
export const TierChangeSchema = Type.Object({ customerId: Type.String(), from: TierIdSchema, to: TierIdSchema });
/** A tier that changed at a review. */
export type TierChange = Static<typeof TierChangeSchema>;

/**
 * What the tier review answers: customers reviewed by this run, and the tiers that changed.
 *
 * @example
 * { reviewed: 42, changed: [{ customerId: 'ayu', from: 'gold', to: 'silver' }] }
 */
export const TierReviewAnswerSchema = Type.Object({ reviewed: countSchema('customers reviewed by this run'), changed: Type.Array(TierChangeSchema) });
/** What the tier review answers. */
export type TierReviewAnswer = Static<typeof TierReviewAnswerSchema>;

/**
 * One disagreement between an account's materialized figures and the replay of its entries.
 *
 * @example
 * { customerId: 'ayu', field: 'points.balance', materialized: 120, recomputed: 100 }
 */
export const ReconcileDifferenceSchema = Type.Object({
  customerId: Type.String(),
  field: Type.String(),
  materialized: Type.Union([Type.Number(), Type.String()]),
  recomputed: Type.Union([Type.Number(), Type.String()]),
});
/** One disagreement between an account and its entries. */
export type ReconcileDifference = Static<typeof ReconcileDifferenceSchema>;

/**
 * What reconciliation answers: accounts checked, and every difference (none when all is exact).
 *
 * @example
 * { checked: 42, differences: [] }
 */
export const ReconcileAnswerSchema = Type.Object({
  checked: countSchema('accounts compared with the replay of their ledger entries'),
  differences: Type.Array(ReconcileDifferenceSchema, { description: 'every materialized figure that differs from the replay (empty when all is exact)' }),
});
/** What reconciliation answers. */
export type ReconcileAnswer = Static<typeof ReconcileAnswerSchema>;

/**
 * The warranty plans for a product: each eligible or not with every reason, its price and cover. The answer is the
 * rules' `WarrantyEligibility`, which holds more (the trace, the cover in detail); the contract tests check it fits.
 *
 * @example
 * { checkedOn: '2027-01-15', tier: 'gold', plans: [{ planId: 'care-2y', name: 'Care 2y', eligible: true, reasons: [], price: '512000', … }] }
 */
export const WarrantyAnswerSchema = Type.Object({
  checkedOn: Type.String({ format: 'date', description: "the calendar day of the check in the program's zone" }),
  tier: Type.Optional(Type.String({ description: 'the tier whose perks count' })),
  plans: Type.Array(
    Type.Object({
      planId: Type.String(),
      name: Type.String(),
      eligible: Type.Boolean(),
      reasons: Type.Array(ReasonSchema, { description: 'every reason the plan is not offered (empty when eligible)' }),
      price: Type.Optional(DecimalSchema),
      listPrice: Type.Optional(DecimalSchema),
      coverage: Type.Optional(Type.Record(Type.String(), Type.String({ format: 'date' }), { description: 'the day cover ends, per component (`unit` is the product itself)' })),
      lastPurchaseDay: Type.String({ format: 'date', description: 'the last calendar day the plan can be bought' }),
    }),
  ),
});

/**
 * A voucher as its customer holds it: what it gives, until when, and where it stands.
 *
 * @example
 * { code: 'K7QM-2XPA-9RHD-TWCE', rewardId: 'voucher-50k', redemptionId: 'rr-1', kind: 'voucher', value: '50000', issuedAt, expiresAt, status: 'available' }
 */
export const VoucherSchema = Type.Object({
  code: Type.String({ description: 'the code the customer types at checkout, like "K7QM-2XPA-9RHD-TWCE"' }),
  rewardId: Type.String({ description: 'the reward it was issued for' }),
  redemptionId: Type.String({ description: 'the reward redemption (or goodwill grant) that issued it' }),
  kind: Type.Union([Type.Literal('voucher'), Type.Literal('free-shipping'), Type.Literal('gift')], { description: 'what it gives: money off (voucher), free shipping on one order, or a gift' }),
  value: Type.Optional(DecimalSchema),
  percent: Type.Optional(Type.String({ description: 'percent off, for a voucher with a percent' })),
  sku: Type.Optional(Type.String({ description: 'the product given, for a gift' })),
  issuedAt: instantSchema('when it was issued'),
  expiresAt: instantSchema('when it expires unused'),
  points: PointsSchema,
  status: Type.Union([Type.Literal('available'), Type.Literal('used'), Type.Literal('expired')], { description: 'available, used, or expired (unused past its expiresAt)' }),
  usedOn: Type.Optional(Type.Object({ orderId: Type.String(), at: instantSchema('when it was used') }, { description: 'the order it was used on' })),
  refunded: Type.Optional(Type.Integer({ minimum: 0, description: 'points given back when it expired unused (rewards with refundOnExpiry)' })),
});
/** One voucher of a customer. */
export type VoucherView = Static<typeof VoucherSchema>;

/**
 * A reward redeemed: the points spent and the voucher issued.
 *
 * @example
 * { redemptionId: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu', points: 500, voucher: { code, kind: 'voucher', value: '50000', expiresAt }, balance: 925, replayed: false }
 */
export const RewardRedemptionAnswerSchema = Type.Object({
  redemptionId: Type.String(),
  rewardId: Type.String(),
  customerId: Type.String(),
  points: PointsSchema,
  voucher: issuedVoucherSchema('the voucher issued'),
  balance: Type.Integer({ description: 'the balance after the redemption' }),
  replayed: ReplayedSchema,
});
/** The answer of `redeemReward`. */
export type RewardRedemptionAnswer = Static<typeof RewardRedemptionAnswerSchema>;

/**
 * A voucher used on an order.
 *
 * @example
 * { code: 'K7QM-2XPA-9RHD-TWCE', used: true, orderId: 'o-1009', customerId: 'ayu', rewardId: 'voucher-50k', kind: 'voucher', value: '50000', replayed: false }
 */
export const VoucherUseAnswerSchema = Type.Object({
  code: Type.String(),
  used: Type.Literal(true),
  orderId: Type.String(),
  customerId: Type.String(),
  rewardId: Type.String(),
  ...voucherGiftFields,
  replayed: ReplayedSchema,
});
/** The answer of `useVoucher`. */
export type VoucherUseAnswer = Static<typeof VoucherUseAnswerSchema>;

/** One reward of the catalog, with whether the customer asked for may redeem it now and every reason when not. */
export const RewardOfferSchema = Type.Object({
  rewardId: Type.String(),
  name: Type.String(),
  description: Type.Optional(Type.String()),
  kind: Type.String({ description: 'voucher, free-shipping or gift' }),
  cost: PointsSchema,
  value: Type.Optional(DecimalSchema),
  percent: Type.Optional(Type.String()),
  sku: Type.Optional(Type.String()),
  stockLeft: Type.Optional(Type.Integer({ minimum: 0, description: 'how many are left, for a reward with a stock' })),
  voucherDays: Type.Integer({ minimum: 1, description: 'days its voucher lasts' }),
  tiers: Type.Optional(Type.Array(Type.String(), { description: 'the tiers that may redeem it (absent: all)' })),
  valid: Type.Optional(Type.Object({ from: Type.Optional(Type.String()), until: Type.Optional(Type.String()) }, { description: 'when it can be redeemed' })),
  available: Type.Boolean({ description: 'the customer (or, without one, anyone) may redeem it now' }),
  reasons: Type.Array(ReasonSchema, { description: 'every reason it is not available (empty when it is)' }),
});

/** The catalog: `GET /v1/rewards`. */
export const RewardCatalogAnswerSchema = Type.Object({
  customerId: Type.Optional(Type.String({ description: 'the customer the availability is for (absent: for anyone)' })),
  at: instantSchema('the instant the catalog is read at'),
  items: Type.Array(RewardOfferSchema),
});
/** The answer of `rewardCatalog`. */
export type RewardCatalogAnswer = Static<typeof RewardCatalogAnswerSchema>;

/** A customer's vouchers: `GET /v1/customers/{id}/vouchers`. */
export const CustomerVouchersAnswerSchema = Type.Object({
  customerId: Type.String(),
  at: instantSchema('the instant the statuses are read at'),
  items: Type.Array(VoucherSchema),
});
/** The answer of `customerVouchers`. */
export type CustomerVouchersAnswer = Static<typeof CustomerVouchersAnswerSchema>;

/**
 * One customer as a line of an import file (`POST /v1/imports`, `purna import`), as an export answers it: the profile
 * (the rules' own profile fields but `referredBy`), the points still held as lots with their own availability and
 * expiry, the debt, and the tier held and until when (before the grace). An import may leave out a lot's dates (then
 * available at once and expiring as the program says) and its reason.
 *
 * @example
 * { id: 'ayu', enrolledAt: '2024-05-01T10:00:00+07:00', lots: [{ points: 1200, expiresAt: '2027-03-31T23:59:59+07:00', reason: 'migrated balance' }], tier: { id: 'gold', until: '2026-12-31T23:59:59+07:00' } }
 */
const { referredBy: _referredBy, ...profileFields } = CustomerInputSchema.properties;
const importInstant = (what: string) => Type.String({ ...instantSchema(what), maxLength: 40 });
export const CustomerImportLineSchema = Type.Object(
  {
    ...profileFields,
    lots: Type.Optional(
      Type.Array(
        Type.Object(
          {
            points: Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'the points of the lot' }),
            availableAt: Type.Optional(importInstant('when the points become available (default: at once)')),
            expiresAt: Type.Optional(importInstant("when they expire (default: the program's expiry from availableAt)")),
            reason: Type.Optional(Type.String({ maxLength: 200, description: 'where the points came from (an export writes the lot\'s source)' })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 1000, description: 'the points still held, one lot each, with their own availability and expiry' },
      ),
    ),
    debt: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'points owed, repaid by the next points' })),
    tier: Type.Optional(
      Type.Object(
        { id: Type.String({ minLength: 1, maxLength: 200 }), until: importInstant('until when the tier is held whatever the spend, before the grace') },
        { additionalProperties: false, description: 'the tier held, held by hand until `until` (then the tier rules apply with their grace)' },
      ),
    ),
  },
  { additionalProperties: false, description: 'one customer of an import file' },
);
/** One customer as a line of an import file. */
export type CustomerImportLine = Static<typeof CustomerImportLineSchema>;
