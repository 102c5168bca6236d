/** Answers of the program operations. */
import { CustomerInputSchema, OrderInputSchema, ProgramSchema } from '@purna/rules';
import { Type } from '@sinclair/typebox';
import { instantSchema, pageProperties } from './common-schemas.js';

/** `PUT /v1/program` answer. */
export const ProgramPublishedSchema = Type.Object({ id: Type.String(), version: Type.Integer({ minimum: 1 }) });

/** `GET /v1/program` answer. */
export const ProgramVersionSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  program: Type.Object({}, { description: 'the program as published' }),
});

/** One published version as listed: no program body (read it with `GET /v1/program?version=`). */
export const ProgramVersionSummarySchema = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  publishedAt: Type.String({ format: 'date-time' }),
  name: Type.String(),
  currency: Type.String(),
  timezone: Type.String(),
});

/** `GET /v1/program/versions` answer. */
export const ProgramVersionListSchema = Type.Object({
  items: Type.Array(ProgramVersionSummarySchema, { description: 'newest first' }),
  nextCursor: Type.Optional(Type.String({ description: 'pass as ?cursor= for the next (older) page' })),
});

/** `GET /v1/program/versions` query. */
export const ProgramVersionListQuerySchema = Type.Object(
  { ...pageProperties('versions') },
  { additionalProperties: false },
);

/** A draft to validate: any JSON object (its problems are the answer, not a 400). */
export const ProgramDraftSchema = Type.Object({}, { description: 'a draft program' });

/** `POST /v1/program/validate` answer. */
export const ProgramValidationSchema = Type.Object({
  valid: Type.Boolean(),
  errors: Type.Array(Type.Object({ pointer: Type.String(), code: Type.String(), message: Type.String() })),
});

/**
 * An order of a simulation: an order as the library takes it, whose `customerId` and `placedAt` are required (tiers and
 * caps are per customer; orders are replayed in time order), as the simulation refuses one without them.
 */
const SimulatedOrderSchema = Type.Intersect([
  OrderInputSchema,
  Type.Required(Type.Object({ customerId: OrderInputSchema.properties.customerId, placedAt: OrderInputSchema.properties.placedAt })),
]);

/** `POST /v1/program/simulate` body. */
export const SimulationRequestSchema = Type.Object(
  {
    program: Type.Optional(ProgramSchema),
    orders: Type.Array(SimulatedOrderSchema, { minItems: 1, maxItems: 10_000, description: 'a list of 1 to 10000 orders in time order, each with customerId and placedAt' }),
    customers: Type.Optional(Type.Array(CustomerInputSchema, { maxItems: 10_000, description: 'profiles of the customers, for rules that read them' })),
    rewards: Type.Optional(
      Type.Array(
        Type.Object(
          {
            id: Type.String({ minLength: 1, maxLength: 200, description: 'the redemption id' }),
            customerId: Type.String({ minLength: 1, maxLength: 200, description: 'the customer who redeems' }),
            rewardId: Type.String({ minLength: 1, maxLength: 200, description: "a reward of the program's catalog" }),
            at: instantSchema('when, an ISO 8601 instant with its offset'),
          },
          { additionalProperties: false, description: 'a reward redeemed {"id", "customerId", "rewardId", "at"}' },
        ),
        { maxItems: 10_000, description: 'rewards of the catalog redeemed, replayed with the orders in time order (at most 10000)' },
      ),
    ),
  },
  { additionalProperties: false },
);

const reasonCounts = (what: string) => Type.Record(Type.String(), Type.Integer({ minimum: 1 }), { description: `${what}, counted per reason code` });

/** The rewards part of a simulation report (docs/cli.md "Rewards"). */
export const SimulationRewardsSchema = Type.Object(
  {
    redeemed: Type.Integer({ minimum: 0, description: 'rewards redeemed (each issued a voucher)' }),
    points: Type.Integer({ minimum: 0, description: 'points spent on rewards (counted in flow.redeemed)' }),
    refused: Type.Integer({ minimum: 0 }),
    refusedBy: reasonCounts('refused redemptions'),
    byReward: Type.Record(Type.String(), Type.Object({ redeemed: Type.Integer({ minimum: 0 }), points: Type.Integer({ minimum: 0 }) }), { description: 'every reward of the program by id' }),
    used: Type.Integer({ minimum: 0, description: 'vouchers used on an order' }),
    useRefusedBy: reasonCounts('refused voucher uses'),
    expired: Type.Integer({ minimum: 0, description: 'vouchers expired unused' }),
    refunded: Type.Integer({ minimum: 0, description: 'points given back by expired vouchers of rewards with refundOnExpiry' }),
    liability: Type.Object(
      {
        value: Type.String({ description: 'sum of the value of open vouchers, in the program currency' }),
        open: Type.Integer({ minimum: 0, description: 'vouchers neither used nor expired at the end' }),
        byKind: Type.Object({
          value: Type.Integer({ minimum: 0 }),
          percent: Type.Integer({ minimum: 0 }),
          'free-shipping': Type.Integer({ minimum: 0 }),
          gift: Type.Integer({ minimum: 0 }),
        }),
      },
      { description: 'what the open vouchers still owe at the end: money for those with a value, a count of each kind' },
    ),
  },
  { description: 'rewards of the catalog redeemed and refused, their vouchers used and expired, and what those open still owe' },
);

/** `POST /v1/program/simulate` answer: the rules' simulation report. */
export const SimulationReportSchema = Type.Object({
  programId: Type.String(),
  orders: Type.Integer(),
  customers: Type.Integer(),
  spend: Type.String(),
  points: Type.Integer(),
  liability: Type.Union([Type.String(), Type.Null()]),
  byRule: Type.Record(Type.String(), Type.Object({ orders: Type.Integer(), points: Type.String() })),
  rewards: SimulationRewardsSchema,
});
