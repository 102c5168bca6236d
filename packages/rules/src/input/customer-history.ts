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

/** Schema of the history summary (see docs/architecture.md). */
export const CustomerHistorySchema = Type.Object(
  {
    orders: Type.Array(HistoryOrderSchema, { maxItems: 100_000 }),
    usage: Type.Record(Type.String(), Type.Integer()),
    campaignUsage: Type.Optional(Type.Record(Type.String(), Type.Integer())),
  },
  { additionalProperties: false },
);
/**
 * Orders inside the longest tier window (+ grace) before `at`, net of returns; cap and limit counters keyed by the
 * opaque keys earlier evaluations returned in `usage`; program-wide points per rule id for campaign budgets.
 */
export type CustomerHistory = Static<typeof CustomerHistorySchema>;
