/** `birthday` and `anniversary` (of the first purchase or enrolment): a yearly award per tier in a window. */
import { Type, type Static } from '@sinclair/typebox';
import { DaysSchema, PointsSchema } from './primitives.js';
import { StringEnum } from './string-enum.js';

/** Window around the day in which the yearly grant may run. */
export const BIRTHDAY_WINDOWS = ['day', 'week', 'month'] as const;
/** Where a 29 February falls in other years. */
export const LEAP_DAY_RULES = ['feb28', 'mar1'] as const;

/** Schema of the `birthday` section (and of `anniversary`, the same shape). */
export const BirthdayProgramSchema = Type.Object(
  {
    award: Type.Object(
      {
        points: PointsSchema,
        byTier: Type.Optional(Type.Record(Type.String(), PointsSchema, { maxProperties: 50, description: 'points per tier id like {"gold": 1000}' })),
      },
      { additionalProperties: false, description: 'an award like {"points": 300, "byTier": {"gold": 1000}}' },
    ),
    window: StringEnum(BIRTHDAY_WINDOWS, `one of ${BIRTHDAY_WINDOWS.join(', ')}`),
    leapDay: Type.Optional(StringEnum(LEAP_DAY_RULES, 'either "feb28" or "mar1"')),
    minMembershipDays: Type.Optional(DaysSchema),
  },
  { additionalProperties: false, description: 'a birthday program {"award", "window", "leapDay", "minMembershipDays"}' },
);
/** The `birthday` (or `anniversary`) section. */
export type BirthdayProgram = Static<typeof BirthdayProgramSchema>;
/** The optional purchase `anniversary` section: same shape as the birthday. */
export type AnniversaryProgram = BirthdayProgram;
