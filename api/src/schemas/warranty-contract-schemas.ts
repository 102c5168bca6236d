/**
 * Requests and answers of the warranty contract operations. The product is the eligibility check's own
 * `WarrantyProductSchema` plus the unit's serial number, so what can be checked and what can be registered never
 * drift apart. Answers allow more fields, like every answer of the API.
 */
import { MoneySchema, ReasonSchema, TraceSentencesSchema, WarrantyProductSchema } from '@purna/ledger';
import { Type } from '@sinclair/typebox';
import { InstantSchema, instantSchema, pageProperties } from './common-schemas.js';
import { idSchema } from './id-schema.js';

/** Printable text: no control characters. */
const TEXT_PATTERN = '^[^\\u0000-\\u001F]+$';

const DateSchema = Type.String({ format: 'date', description: 'a calendar date in the program\'s time zone, like "2029-12-10"' });

/** The product a contract covers. */
export const WarrantyContractProductSchema = Type.Object(
  {
    ...WarrantyProductSchema.properties,
    serialNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: TEXT_PATTERN, description: 'the serial number of the unit, 1 to 100 characters' })),
  },
  { additionalProperties: false },
);

/** `POST /v1/warranty/contracts` body. */
export const WarrantyContractRequestSchema = Type.Object(
  {
    id: idSchema('the contract id (natural idempotency key)'),
    customerId: idSchema('the customer who buys the plan (their tier at `at` prices it)'),
    planId: idSchema('a warranty plan of the program, like "care-2y"'),
    product: WarrantyContractProductSchema,
    orderId: Type.Optional(idSchema('the order the plan was sold with (kept as a reference)')),
    at: Type.Optional(instantSchema('when the plan was sold (default: now); the purchase window is checked on this day')),
  },
  { additionalProperties: false },
);

/** How one component is covered. */
export const WarrantyComponentCoverSchema = Type.Object({
  component: Type.String({ description: '`unit` for the product itself, else the component' }),
  manufacturerEnd: DateSchema,
  planStart: Type.Optional(DateSchema),
  end: DateSchema,
  excluded: Type.Boolean({ description: 'the plan excludes it: the manufacturer\'s term only' }),
});

/** A contract, as of an instant. */
export const WarrantyContractSchema = Type.Object({
  id: Type.String(),
  customerId: Type.String({ description: 'the owner as of the instant asked' }),
  planId: Type.String(),
  planName: Type.String(),
  programId: Type.String(),
  programVersion: Type.Integer({ minimum: 1, description: 'the program version the plan was checked and priced with' }),
  tier: Type.Union([Type.String(), Type.Null()], { description: 'the tier whose perks priced the plan' }),
  product: WarrantyContractProductSchema,
  orderId: Type.Optional(Type.String()),
  price: MoneySchema,
  listPrice: MoneySchema,
  currency: Type.String(),
  coverage: Type.Object({
    starts: Type.Union([Type.Literal('after-manufacturer'), Type.Literal('at-purchase')]),
    startsOn: DateSchema,
    endsOn: DateSchema,
    components: Type.Array(WarrantyComponentCoverSchema),
    excludedComponents: Type.Array(Type.String()),
  }),
  transfer: Type.Object({
    allowed: Type.Boolean(),
    maxTransfers: Type.Optional(Type.Integer({ minimum: 0 })),
    used: Type.Integer({ minimum: 0 }),
    remaining: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
  owners: Type.Array(
    Type.Object({
      customerId: Type.String(),
      since: Type.String({ format: 'date-time' }),
      transferId: Type.Optional(Type.String()),
      reason: Type.Optional(Type.String()),
    }),
    { minItems: 1, description: 'every owner, oldest first; the last is the current one' },
  ),
  registeredAt: Type.String({ format: 'date-time' }),
  ended: Type.Boolean({ description: 'the instant asked is past the last covered day' }),
  status: Type.Union([Type.Literal('active'), Type.Literal('cancelled'), Type.Literal('ended')], {
    description: '`cancelled` once a return took its unit back (at or before the instant asked), else `ended` past the last covered day, else `active`',
  }),
  cancellation: Type.Optional(
    Type.Object(
      {
        returnId: Type.String({ description: 'the return that took the unit back' }),
        orderId: Type.String(),
        at: Type.String({ format: 'date-time' }),
        cancelledOn: DateSchema,
        refundPolicy: Type.Union([Type.Literal('pro-rata'), Type.Literal('full')], { description: "the plan's `cancellation.refund`" }),
        refund: MoneySchema,
        currency: Type.String(),
        planDays: Type.Integer({ minimum: 0, description: "days of the plan's own cover of the unit" }),
        unusedDays: Type.Integer({ minimum: 0, description: 'of those, the days left on the day of the cancellation' }),
        trace: Type.Array(Type.String()),
        traceSentences: TraceSentencesSchema,
      },
      { description: 'the cancellation and its refund, once cancelled' },
    ),
  ),
  trace: Type.Array(Type.String(), { description: 'how the price and cover were reached at the sale' }),
  traceSentences: TraceSentencesSchema,
});

/** `GET /v1/customers/{id}/warranty-contracts` answer. */
export const WarrantyContractPageSchema = Type.Object({
  items: Type.Array(WarrantyContractSchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as ?cursor= for the next page' })),
});

/** `GET /v1/customers/{id}/warranty-contracts` query. */
export const WarrantyContractListQuerySchema = Type.Object(
  {
    at: Type.Optional(instantSchema('the contracts owned at this instant (default: now)')),
    ...pageProperties('contracts'),
  },
  { additionalProperties: false },
);

/** `POST /v1/warranty/contracts/{id}/transfers` body. */
export const WarrantyTransferRequestSchema = Type.Object(
  {
    id: idSchema('the transfer id (natural idempotency key)'),
    toCustomerId: idSchema('the new owner, a customer of this tenant'),
    fromCustomerId: Type.Optional(idSchema('the owner you expect: if someone else owns the contract now, 409 and nothing changes')),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500, pattern: TEXT_PATTERN, description: 'why, in words support staff will read later' })),
    at: Type.Optional(InstantSchema),
  },
  { additionalProperties: false },
);

/** `POST /v1/warranty/contracts/{id}/transfers` answer. */
export const WarrantyTransferSchema = Type.Object({
  contractId: Type.String(),
  transferId: Type.String(),
  fromCustomerId: Type.String(),
  toCustomerId: Type.String(),
  at: Type.String({ format: 'date-time' }),
  reason: Type.Optional(Type.String()),
  transfersUsed: Type.Integer({ minimum: 1 }),
  transfersRemaining: Type.Optional(Type.Integer({ minimum: 0 })),
});

/** `POST /v1/warranty/contracts/{id}/claims` body. */
export const WarrantyClaimRequestSchema = Type.Object(
  {
    id: idSchema('the claim id (natural idempotency key)'),
    at: Type.Optional(instantSchema('when the claim was made (default: now); cover is read on this calendar day in the program\'s zone')),
    component: Type.String({ minLength: 1, maxLength: 100, pattern: TEXT_PATTERN, description: '`unit` for the product itself, or a part like "screen", "battery", "remote"' }),
    problem: Type.String({ minLength: 1, maxLength: 2000, pattern: TEXT_PATTERN, description: 'what is wrong, in words a technician will read later' }),
    customerId: Type.Optional(idSchema('the customer who claims: a claim by someone who does not hold the contract then is not covered')),
  },
  { additionalProperties: false },
);

/** A claim and its decision. */
export const WarrantyClaimSchema = Type.Object({
  claimId: Type.String(),
  contractId: Type.String(),
  at: Type.String({ format: 'date-time' }),
  claimedOn: DateSchema,
  component: Type.String(),
  problem: Type.String(),
  customerId: Type.Optional(Type.String()),
  covered: Type.Boolean({ description: 'the component has cover on the claim day, from the manufacturer or the plan, and the contract stands' }),
  coveredBy: Type.Union([Type.Literal('manufacturer'), Type.Literal('plan'), Type.Null()], { description: 'who covers it: the manufacturer answers first, through the last day of its term; null when not covered' }),
  coveredUntil: Type.Union([DateSchema, Type.Null()], { description: 'the last day of the cover that answers; null when not covered' }),
  reasons: Type.Array(
    Type.Object({
      code: Type.String({ description: '`component-excluded`, `before-cover-starts`, `cover-ended`, `contract-cancelled`, `transferred-away` or `not-owner`' }),
      message: Type.String(),
      messageSentence: ReasonSchema.properties.messageSentence,
    }),
    { description: 'every reason it is not covered (empty when covered)' },
  ),
  cover: Type.Object(
    {
      component: Type.String(),
      manufacturerEnd: DateSchema,
      planStart: Type.Optional(DateSchema),
      planEnd: Type.Optional(DateSchema),
      end: DateSchema,
      excluded: Type.Boolean(),
    },
    { description: "the component's cover on the contract" },
  ),
  trace: Type.Array(Type.String(), { description: 'how the decision was reached' }),
  traceSentences: TraceSentencesSchema,
});

/** `GET /v1/warranty/contracts/{id}/claims` answer. */
export const WarrantyClaimPageSchema = Type.Object({
  items: Type.Array(WarrantyClaimSchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as ?cursor= for the next page' })),
});

/** `GET /v1/warranty/contracts/{id}/claims` query. */
export const WarrantyClaimListQuerySchema = Type.Object(
  {
    at: Type.Optional(instantSchema('the claims made at or before this instant (default: now)')),
    ...pageProperties('claims'),
  },
  { additionalProperties: false },
);
