/** `points`: rounding, pending period, expiry, redemption value. */
import { CloneType, Type, type Static } from '@sinclair/typebox';
import { DaysSchema, FractionSchema, PointsSchema, PositiveDecimalSchema, PositiveIntegerSchema } from './primitives.js';
import { StringEnum } from './string-enum.js';

/** Rounding modes for exact points (points are integers, rounded once per evaluation). */
export const ROUNDING_MODES = ['floor', 'ceil', 'half-up', 'half-even'] as const;

/** Where the pending period of an order's points is counted from. */
export const PENDING_FROM = ['purchase', 'delivery'] as const;

/** Schema of the `points` section. */
export const PointsSectionSchema = Type.Object(
  {
    rounding: Type.Optional(StringEnum(ROUNDING_MODES, `one of ${ROUNDING_MODES.join(', ')}`, { default: 'floor' })),
    pendingDays: Type.Optional(CloneType(DaysSchema, { default: 0 })),
    pendingFrom: Type.Optional(
      StringEnum(PENDING_FROM, `where an order's pending days are counted from: one of ${PENDING_FROM.join(', ')} (delivery: its points stay pending until its first delivery)`, { default: 'purchase' }),
    ),
    expiry: Type.Optional(Type.Object({ months: PositiveIntegerSchema }, { additionalProperties: false, description: 'an expiry like {"months": 12}' })),
    redemption: Type.Optional(
      Type.Object(
        {
          pointValue: PositiveDecimalSchema,
          minPoints: Type.Optional(PointsSchema),
          maxShareOfOrder: Type.Optional(FractionSchema),
        },
        { additionalProperties: false, description: 'a redemption like {"pointValue": "100", "minPoints": 100, "maxShareOfOrder": "0.5"}' },
      ),
    ),
    maxPerOrder: Type.Optional(PointsSchema),
  },
  { additionalProperties: false, description: 'the points settings {"rounding", "pendingDays", "pendingFrom", "expiry", "redemption"}' },
);
/** The `points` section: rounding (default floor), pending days (default 0) counted from purchase (default) or delivery, expiry, redemption, per-order cap. */
export type PointsSection = Static<typeof PointsSectionSchema>;
