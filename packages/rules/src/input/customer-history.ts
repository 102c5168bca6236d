/** The bounded summary of what happened before, passed by the caller (the rules never read storage). */
import { Type, type Static } from '@sinclair/typebox';
import { InstantSchema, NonNegativeDecimalSchema } from '../program/primitives.js';

/** One past order, net of returns. */
export const HistoryOrderSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    placedAt: InstantSchema,
    tierSpend: NonNegativeDecimalSchema,
    points: Type.Integer(),
  },
  { additionalProperties: false },
);
/** One past order, net of returns: its contribution to the tier basis and the points it earned. */
export type HistoryOrder = Static<typeof HistoryOrderSchema>;

/**
 * A tier assigned by hand (a status match, a migrated member): held from `since` until `until` whatever the basis,
 * then like a threshold that stopped being met there, with the program's grace (SEMANTICS rule 4).
 */
export const TierHoldSchema = Type.Object(
  {
    tierId: Type.String({ minLength: 1, maxLength: 200 }),
    since: InstantSchema,
    until: InstantSchema,
    reason: Type.String({ maxLength: 500 }),
  },
  { additionalProperties: false },
);
/** A tier assigned by hand, held until a date. */
export type TierHold = Static<typeof TierHoldSchema>;

/** Schema of the history summary (see docs/architecture.md). */
export const CustomerHistorySchema = Type.Object(
  {
    orders: Type.Array(HistoryOrderSchema, { maxItems: 100_000 }),
    usage: Type.Record(Type.String(), Type.Integer()),
    campaignUsage: Type.Optional(Type.Record(Type.String(), Type.Integer())),
    tierHold: Type.Optional(TierHoldSchema),
  },
  { additionalProperties: false },
);
/**
 * Orders inside the longest tier window (+ grace) before `at`, net of returns; cap and limit counters keyed by the
 * opaque keys earlier evaluations returned in `usage`; program-wide points per rule id for campaign budgets; the
 * tier assigned by hand, when one is.
 */
export type CustomerHistory = Static<typeof CustomerHistorySchema>;
