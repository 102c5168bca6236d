/**
 * What each moment type's `data` holds (docs/moments.md, "Types built so far"): one TypeBox schema per type the
 * engine emits, written from the decisions that emit them (packages/rules/src/decide/) and the reducer that adds
 * `balanceAfter` (applyActions). Every object is closed (`additionalProperties: false`), so a payload that drifts
 * from its schema fails the test that validates a year of real moments (api/test/moment-schemas.test.ts).
 *
 * A field present on one side only (the referee's or the referrer's, an order's or an event's) is optional rather
 * than a union of variants: a receiver reads one object per type, and a mismatch reads as one error, not one per
 * variant.
 *
 * A type the engine does not emit yet has no entry and keeps {@link MomentDataSchema}; giving it a schema is one
 * entry in {@link MOMENT_DATA_SCHEMAS}, which the OpenAPI document, its components and the tests all read.
 */
import type { LotSource, MomentType } from '@purna/rules';
import { Type, type TObject, type TSchema } from '@sinclair/typebox';
import { MoneySchema, instantSchema } from './primitives.js';

const closed = { additionalProperties: false } as const;

function points(what: string, minimum: 0 | 1) {
  return Type.Integer({ minimum, description: `${what}: whole points, ${minimum} or more` });
}

function count(what: string) {
  return Type.Integer({ minimum: 1, description: `${what}: a whole number, 1 or more` });
}

function text(what: string) {
  return Type.String({ description: what });
}

function amount(what: string) {
  return Type.String({ pattern: MoneySchema.pattern, description: `${what}: a decimal string like "480000" (money never travels as a JSON number)` });
}

function day(what: string) {
  return Type.String({ format: 'date', description: `${what}: a calendar day YYYY-MM-DD in the program's zone` });
}

function instant(what: string) {
  return instantSchema(`${what}: a UTC instant like "2027-01-24T03:00:00.000Z"`);
}

/** A lot's expiry as a payload carries it (expiryField in the rules): an instant, or null for points that never expire. */
function expiryOrNever(what: string) {
  return Type.Union([instant(what), Type.Null()], { description: `${what}, or null when they never do` });
}

function choice<const T extends string>(values: readonly T[], what: string) {
  return Type.Unsafe<T>(Type.String({ enum: [...values], description: `${what}, one of ${values.join(', ')}` }));
}

/** Where a lot's points came from: keyed by LotSource, so the compiler names a source added there and missing here. */
const LOT_SOURCES: Readonly<Record<LotSource, true>> = { order: true, referral: true, event: true, birthday: true, anniversary: true, adjustment: true };
const lotSource = choice(Object.keys(LOT_SOURCES) as LotSource[], 'where the points came from');

/** The sources of a `points.awarded` (a birthday or an anniversary has a moment of its own). */
const AWARD_SOURCES = ['order', 'event', 'referral', 'adjustment'] as const satisfies readonly LotSource[];

const lotId = text('the lot the points are in (the id of the entry that created it, like "order:o-1#0")');
const orderIdOfLot = Type.Optional(text('the order whose points these are (lots from orders and referrals)'));
const daysBefore = Type.Integer({ minimum: 1, description: "the lead time this moment stands for, from the program's moments section: whole days, 1 or more" });
const role = (side: string) => choice(['referee', 'referrer'] as const, `whose side of the referral this moment is (${side})`);

/**
 * Every moment's `balanceAfter`, which the reducer adds (applyActions): the customer's points once the change that
 * caused the moment was applied.
 *
 * @example { available: 1425, pending: 0, debt: 0 }
 */
export const BalanceAfterSchema = Type.Object(
  {
    available: points('points that can be redeemed now (never below zero; debt is taken off first)', 0),
    pending: points('points granted and not available yet', 0),
    debt: points('points owed after clawbacks took more than was left', 0),
  },
  { ...closed, description: "the customer's points once the change that caused the moment was applied" },
);

const balanceAfter = { balanceAfter: BalanceAfterSchema };

/** What every case moment names of its case. */
const caseFields = {
  caseId: text('the complaint case'),
  summary: text('the complaint in a line'),
  department: text('the department that handles the case (as it is when the moment is committed)'),
  orderId: Type.Optional(text('the order the complaint is about, when given')),
};

const yearlyReward = (kind: string) =>
  Type.Object(
    {
      year: Type.Integer({ description: `the year whose ${kind} reward this is, like 2026` }),
      points: points('the points granted', 0),
      availableAt: instant('when the points become available'),
      expiresAt: expiryOrNever('when the points expire'),
      ...balanceAfter,
    },
    { ...closed, description: `a ${kind} reward was granted` },
  );

/** What every voucher moment says of its voucher (voucherFields in the rules). */
const voucherFields = {
  code: text('the voucher code, single use, bound to the customer'),
  kind: choice(['voucher', 'free-shipping', 'gift'] as const, 'what it gives'),
  value: Type.Optional(amount('money off, for a voucher with a value')),
  percent: Type.Optional(text('percent off, for a voucher with a percent, like "10"')),
  sku: Type.Optional(text('the product given, for a gift')),
  expiresAt: instant('when the voucher expires unused'),
};

function voucherData(what: string) {
  return Type.Object(voucherFields, { ...closed, description: what });
}

/**
 * The schema of `data` of each moment type the engine emits, keyed by type. A type with no entry carries the generic
 * {@link MomentDataSchema}.
 *
 * @example
 * MOMENT_DATA_SCHEMAS['tier.changed']?.properties.cause // the schema of `cause`
 */
export const MOMENT_DATA_SCHEMAS: Readonly<Partial<Record<MomentType, TObject>>> = {
  'points.awarded': Type.Object(
    {
      points: points('the points granted', 1),
      source: choice(AWARD_SOURCES, 'what granted them'),
      reason: Type.Optional(text('why: for an adjustment the reason given, for a referral `referee` or `referrer`, for an event the rule\'s reason code when it has one')),
      orderId: Type.Optional(text('the order (sources order and referral)')),
      eventId: Type.Optional(text('the event (source event)')),
      eventType: Type.Optional(text('the event type, like "review.published" (source event)')),
      refereeId: Type.Optional(text("the referred customer whose first order earned them (source referral, the referrer's side)")),
      availableAt: Type.Union([instant('when the points become available'), Type.Null()], {
        description: "when the points become available, or null while they wait for the order's first delivery (points.pendingFrom: delivery)",
      }),
      expiresAt: expiryOrNever('when the points expire'),
      ...balanceAfter,
    },
    { ...closed, description: 'points were added (an order, an event, a referral, an adjustment; never a zero award)' },
  ),
  'points.available': Type.Object(
    {
      points: points('the points of the lot that became available', 1),
      lotId,
      source: lotSource,
      orderId: orderIdOfLot,
      availableAt: instant('when they became available'),
      expiresAt: expiryOrNever('when they expire'),
      ...balanceAfter,
    },
    { ...closed, description: 'points that were pending became available' },
  ),
  'points.expiring': Type.Object(
    {
      points: points('the points left in the lot, which expire unless used', 1),
      lotId,
      source: lotSource,
      orderId: orderIdOfLot,
      expiresAt: instant('when they expire'),
      daysBefore,
      ...balanceAfter,
    },
    { ...closed, description: 'a lot with points left expires in daysBefore days' },
  ),
  'points.expired': Type.Object(
    {
      points: points('the points that expired (what was left in the lot)', 1),
      lotId,
      source: lotSource,
      orderId: orderIdOfLot,
      expiredAt: instant('when they expired'),
      ...balanceAfter,
    },
    { ...closed, description: 'a lot expired with points left' },
  ),
  'tier.changed': Type.Object(
    {
      from: Type.Union([text('the tier held before'), Type.Null()], { description: 'the tier id held before, or null for no tier' }),
      to: Type.Union([text('the tier held now'), Type.Null()], { description: 'the tier id held now, or null for no tier' }),
      cause: choice(['order', 'grace-ended', 'review', 'manual'] as const, 'what changed it (an order lifted it; the next order recorded a downgrade grace that had ended; the moments run\'s review found one ended; the tier was assigned by hand)'),
      orderId: Type.Optional(text('the order that changed it (cause order)')),
      reason: Type.Optional(text('why the tier was assigned by hand (cause manual)')),
      until: Type.Optional(text('until when the tier assigned by hand is held whatever the spend, before the grace (cause manual)')),
      ...balanceAfter,
    },
    { ...closed, description: 'the tier held changed' },
  ),
  'tier.at-risk': Type.Object(
    {
      tier: text('the tier id held, whose hold ends'),
      until: instant('when the hold ends (the threshold no longer met, the grace over)'),
      daysBefore,
      ...balanceAfter,
    },
    { ...closed, description: 'the tier held is lost in daysBefore days unless spend lifts it again' },
  ),
  'birthday.granted': yearlyReward('birthday'),
  'anniversary.granted': yearlyReward('anniversary'),
  'referral.qualified': Type.Object(
    {
      role: role('referee: the referred customer; referrer: who referred them'),
      orderId: text("the referee's first order, which qualified the referral"),
      points: points('the points this side was granted (0 when the program grants this side none)', 0),
      referrerId: Type.Optional(text('who referred the customer (the referee side)')),
      refereeId: Type.Optional(text('the customer referred (the referrer side)')),
      referrerPoints: Type.Optional(points('the points the referrer was granted (the referee side)', 0)),
      ...balanceAfter,
    },
    { ...closed, description: "a referee's first order qualified the referral: one moment on each side" },
  ),
  'referral.reversed': Type.Object(
    {
      role: role('referee or referrer'),
      orderId: text('the qualifying order, returned in full before its points were available'),
      points: points('the points this side had been granted, taken back', 0),
      referrerId: Type.Optional(text('who referred the customer (the referee side)')),
      ...balanceAfter,
    },
    { ...closed, description: 'the qualifying order was returned in full before its points were available' },
  ),
  'redemption.created': Type.Object(
    {
      redemptionId: text('the redemption'),
      orderId: text('the order the discount is for'),
      points: points('the points redeemed', 1),
      discount: amount('the discount the points are worth, in the program currency'),
      ...balanceAfter,
    },
    { ...closed, description: 'points were redeemed for a discount' },
  ),
  'return.recorded': Type.Object(
    {
      orderId: text('the order returned from'),
      returnId: text('the return'),
      lines: Type.Array(
        Type.Object({ sku: text('the product returned'), quantity: count('how many units were returned') }, { ...closed, description: 'a returned line' }),
        { description: 'the lines returned' },
      ),
      clawedBack: Type.Integer({ description: 'the points taken back by this return: whole points' }),
      fullyReturned: Type.Boolean({ description: 'nothing of the order is left after this return' }),
      override: Type.Optional(Type.Object({ reason: text('why an admin took the return after its window ended') }, { ...closed, description: 'the return came after its window and an admin took it' })),
      ...balanceAfter,
    },
    { ...closed, description: 'a return was recorded' },
  ),
  'order.delivered': Type.Object(
    {
      orderId: text('the order delivered'),
      deliveryId: text('the delivery'),
      deliveredAt: instant('when it was delivered'),
      followUpAt: Type.Union([instant('when the follow-up call is due'), Type.Null()], { description: 'when the follow-up call is due (`follow-up.due`), or null when the program asks for none' }),
      pointsAvailableAt: Type.Optional(instant("when the order's points, pending until this first delivery, become available")),
      points: Type.Optional(points('the points of the order that wait until then', 0)),
      ...balanceAfter,
    },
    { ...closed, description: 'an order was delivered' },
  ),
  'follow-up.due': Type.Object(
    {
      orderId: text('the order delivered'),
      deliveryId: text('the delivery'),
      deliveredAt: instant('when it was delivered'),
      dueAt: instant("when the call is due: moments.followUp.daysAfterDelivery after the delivery, the same local time in the program's zone"),
      ...balanceAfter,
    },
    { ...closed, description: 'the follow-up call after a delivery is due' },
  ),
  'order.cancelled': Type.Object(
    {
      orderId: text('the order cancelled'),
      cancellationId: text('the cancellation'),
      reason: text('why, as the cancellation said'),
      clawedBack: Type.Integer({ minimum: 0, description: 'the points taken back, exactly what a full return of every line left would take: whole points' }),
      redemptionsReleased: Type.Array(
        Type.Object(
          {
            redemptionId: text('the redemption released'),
            restored: points('points back in lots still alive', 0),
            expired: points('points back whose lot had expired since: expired at once', 0),
          },
          { ...closed, description: 'a redemption tied to the order, cancelled with it' },
        ),
        { description: 'the redemptions tied to the order that the cancellation released' },
      ),
      vouchersReleased: Type.Optional(Type.Array(text('a voucher code'), { description: 'the vouchers used on the order that are usable again (those still valid); absent when none' })),
      ...balanceAfter,
    },
    { ...closed, description: 'an order was cancelled before delivery' },
  ),
  'redemption.cancelled': Type.Object(
    {
      redemptionId: text('the redemption cancelled'),
      orderId: text('the order the discount was for'),
      reason: text('why, as the cancellation said'),
      points: points('the points the redemption had taken', 1),
      restored: points('points back in the lots they came from, still alive', 0),
      expired: points('points back whose lot had expired since: expired at once', 0),
      cancellationId: Type.Optional(text('the order cancellation that released it, when it was one')),
      ...balanceAfter,
    },
    { ...closed, description: 'a redemption was cancelled and its points put back' },
  ),
  'warranty.offer': Type.Object(
    {
      orderId: text('the order'),
      sku: text('the product offered cover for'),
      quantity: count('units of it on the line'),
      unitPrice: amount("the price paid per unit, after the line's discount, to the cent"),
      purchasedOn: day('the day of the order'),
      tier: Type.Optional(text('the tier the order leaves the customer in, whose warranty perks the prices include (absent when the program has no tiers)')),
      plans: Type.Array(
        Type.Object(
          {
            planId: text('the plan'),
            name: text("the plan's name"),
            price: amount('the price of the plan for this unit and tier'),
            lastPurchaseDay: day('the last day the plan can be bought'),
            coverage: Type.Record(Type.String(), day('the last day of cover'), { description: 'the last day of cover per component (`unit` is the product itself)' }),
          },
          { ...closed, description: 'a plan that covers the product' },
        ),
        { minItems: 1, description: 'every plan that covers the product (a line no plan covers has no offer)' },
      ),
      ...balanceAfter,
    },
    { ...closed, description: 'a recorded line states its manufacturer warranty and an extended plan covers it' },
  ),
  'warranty.window-closing': Type.Object(
    {
      orderId: text('the order whose line was offered cover'),
      sku: text('the product offered cover for'),
      quantity: count('units of it on the line'),
      covered: Type.Integer({ minimum: 0, description: 'units a contract was registered for since the offer: a whole number, less than quantity' }),
      lastPurchaseDay: day('the last day any plan of the offer can be bought'),
      daysBefore,
      plans: Type.Array(
        Type.Object(
          {
            planId: text('the plan'),
            name: text("the plan's name"),
            price: amount('the price of the plan for this unit, as offered'),
            lastPurchaseDay: day('the last day this plan can be bought'),
          },
          { ...closed, description: 'a plan still on sale that day' },
        ),
        { description: 'the plans of the offer still on sale on the day of the reminder' },
      ),
      ...balanceAfter,
    },
    { ...closed, description: 'the last day to buy an extended plan for units of an order line no contract covers is near' },
  ),
  'warranty.contract.registered': Type.Object(
    {
      contractId: text('the contract'),
      planId: text('the plan'),
      planName: text("the plan's name"),
      price: amount('the price paid for the plan'),
      currency: text('the currency of the price (the program currency, ISO 4217)'),
      sku: text('the product covered'),
      serialNumber: Type.Optional(text('the serial number of the unit covered, when registered with one')),
      orderId: Type.Optional(text('the order the unit was bought with, when registered with one')),
      startsOn: day('the first day of the cover'),
      endsOn: day('the last day anything is covered'),
      ...balanceAfter,
    },
    { ...closed, description: 'an extended-warranty contract was registered for the customer' },
  ),
  'warranty.contract.transferred': Type.Object(
    {
      contractId: text('the contract'),
      transferId: text('the transfer'),
      planId: text('the plan'),
      sku: text('the product covered'),
      serialNumber: Type.Optional(text('the serial number of the unit covered, when registered with one')),
      fromCustomerId: text('the owner who gave the contract away (the customer of this moment)'),
      toCustomerId: text('the new owner'),
      reason: Type.Optional(text('why, as the transfer said')),
      endsOn: day('the last day anything is covered'),
      ...balanceAfter,
    },
    { ...closed, description: "a contract changed hands; the moment is on the giver's feed and names both owners" },
  ),
  'case.opened': Type.Object(
    {
      ...caseFields,
      sku: Type.Optional(text('the product the complaint is about, when given')),
      channel: text('the channel the complaint came in through (phone, email, chat, ...)'),
      receivedAt: instant('when the complaint came in'),
      receivedBy: text('who took it'),
      callbackBy: Type.Optional(instant('the callback promised to the customer, by this instant')),
      status: Type.Literal('open', { description: 'the status of a new case: open' }),
      ...balanceAfter,
    },
    { ...closed, description: 'a complaint case was opened for the customer (occurredAt: when it came in)' },
  ),
  'case.callback-due': Type.Object(
    {
      ...caseFields,
      callbackBy: instant('the callback was promised by this instant'),
      ...balanceAfter,
    },
    { ...closed, description: 'the callback promised on a case is due and was not marked done' },
  ),
  'case.resolved': Type.Object(
    {
      ...caseFields,
      resolvedAt: instant('when the case was resolved'),
      resolvedBy: text('who resolved it'),
      outcome: text('what was done to resolve it'),
      signedOffBy: Type.Optional(text('who signed the resolution off, when someone did')),
      followUpAt: instant('when the follow-up (case.follow-up-due) is due'),
      ...balanceAfter,
    },
    { ...closed, description: 'a complaint case was resolved' },
  ),
  'case.follow-up-due': Type.Object(
    {
      ...caseFields,
      resolvedAt: instant('when the case was resolved'),
      followUpAt: instant("the follow-up's due instant: the resolution plus the program's moments.caseFollowUp.daysAfterResolution (14 by default)"),
      ...balanceAfter,
    },
    { ...closed, description: 'the check after a resolved complaint is due (the case is still resolved, neither reopened nor closed)' },
  ),
  'reward.redeemed': Type.Object(
    {
      redemptionId: text('the reward redemption'),
      rewardId: text("the reward of the program's catalog"),
      rewardName: text("the reward's name in the program"),
      points: points('the points spent on it', 0),
      voucher: voucherData('the voucher issued'),
      ...balanceAfter,
    },
    { ...closed, description: 'a reward of the catalog was redeemed for points and its voucher issued' },
  ),
  'voucher.used': Type.Object(
    {
      ...voucherFields,
      rewardId: text('the reward the voucher was issued for'),
      redemptionId: text('the reward redemption (or goodwill grant) that issued it'),
      orderId: text('the order it was used on'),
      ...balanceAfter,
    },
    { ...closed, description: 'a voucher was used on an order' },
  ),
  'voucher.expired': Type.Object(
    {
      ...voucherFields,
      rewardId: text('the reward the voucher was issued for'),
      redemptionId: text('the reward redemption (or goodwill grant) that issued it'),
      refunded: points('the points given back (rewards with refundOnExpiry; 0 otherwise)', 0),
      ...balanceAfter,
    },
    { ...closed, description: 'a voucher expired unused' },
  ),
  'goodwill.granted': Type.Object(
    {
      goodwillId: text('the goodwill gesture'),
      reason: text("the program's goodwill reason id, like \"cancelled-by-shop\""),
      reasonName: text("the reason's name in the program"),
      points: points('the points granted, available at once (0 when a reward was granted instead)', 0),
      actor: text('who granted it (an API key like "api-key:<key id>", or the agent the library was given)'),
      rewardId: Type.Optional(text('the reward of the catalog granted instead of points, without points')),
      voucher: Type.Optional(voucherData('the voucher of the reward granted')),
      caseId: Type.Optional(text('the complaint case the gesture settles, when it was tied to one')),
      override: Type.Optional(
        Type.Object(
          {
            reason: text('why an admin overrode the maximum'),
            maxPoints: points("the reason's maximum per grant that the override may go past", 1),
          },
          { ...closed, description: "an admin key's override of the reason's maximum, recorded" },
        ),
      ),
      availableAt: Type.Optional(instant('when the points became available (at once); absent when a reward was granted')),
      expiresAt: Type.Optional(expiryOrNever('when the points expire; absent when a reward was granted')),
      ...balanceAfter,
    },
    { ...closed, description: 'a goodwill gesture was granted for one of the program\'s reasons' },
  ),
};

/**
 * The `data` of a moment type with no schema of its own yet: an object whose fields docs/moments.md describes.
 *
 * @example momentDataSchema('voucher.used') === MomentDataSchema // true while it has no schema of its own
 */
export const MomentDataSchema = Type.Record(Type.String(), Type.Unknown(), {
  description: "the moment's payload: what a CRM needs to act without a second call, and balanceAfter",
});

/**
 * The schema of `data` of a moment of `type`: its own, or the generic {@link MomentDataSchema} until it has one.
 *
 * @example validate(momentDataSchema(moment.type), moment.data)
 */
export function momentDataSchema(type: MomentType): TSchema {
  return MOMENT_DATA_SCHEMAS[type] ?? MomentDataSchema;
}
