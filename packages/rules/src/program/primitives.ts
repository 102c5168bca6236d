/**
 * Building blocks of the program schema. Each carries a `description` that parseProgram turns into a sentence
 * ("... must be a positive decimal string like "10000", got -5"), so the wording lives next to the rule it explains.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DECIMAL_PATTERN } from '../money/money.js';

/** Identifier of a rule, tier, plan...: lowercase letters, digits, `-`, `_`, `.`. */
export const IdSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
  description: 'an id of lowercase letters, digits, "-", "_" or "." like "big-basket"',
});

/** A human-readable name. */
export const NameSchema = Type.String({ minLength: 1, maxLength: 200, description: 'a name of 1 to 200 characters' });

/** Any decimal string ("-3", "0", "12.5"). */
export const DecimalStringSchema = Type.String({
  pattern: DECIMAL_PATTERN,
  maxLength: 40,
  description: 'a decimal string like "10000" or "0.5"',
});

/** A decimal string greater than zero. */
export const PositiveDecimalSchema = Type.String({
  pattern: '^(0\\.[0-9]*[1-9][0-9]*|[1-9][0-9]*(\\.[0-9]+)?)$',
  maxLength: 40,
  description: 'a positive decimal string like "10000"',
});

/** A decimal string of zero or more. */
export const NonNegativeDecimalSchema = Type.String({
  pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$',
  maxLength: 40,
  description: 'a decimal string of zero or more like "0" or "250000"',
});

/** A fraction between 0 and 1 inclusive ("0.5"). */
export const FractionSchema = Type.String({
  pattern: '^(0(\\.[0-9]+)?|1(\\.0+)?)$',
  maxLength: 40,
  description: 'a decimal string between "0" and "1" like "0.5"',
});

/** Whole points, zero or more. */
export const PointsSchema = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'a whole number of points, 0 or more' });

/** A count of one or more. */
export const PositiveIntegerSchema = Type.Integer({ minimum: 1, maximum: 1_000_000_000, description: 'a whole number of 1 or more' });

/** A count of zero or more. */
export const NonNegativeIntegerSchema = Type.Integer({ minimum: 0, maximum: 1_000_000_000, description: 'a whole number of 0 or more' });

/** A number of months (0 to 1200). */
export const MonthsSchema = Type.Integer({ minimum: 0, maximum: 1200, description: 'a whole number of months between 0 and 1200' });

/** A number of days (0 to 36500). */
export const DaysSchema = Type.Integer({ minimum: 0, maximum: 36_500, description: 'a whole number of days between 0 and 36500' });

/** An ISO 8601 instant with offset. */
export const InstantSchema = Type.String({
  format: 'date-time',
  maxLength: 40,
  description: 'an ISO 8601 instant with an offset like "2026-12-01T00:00:00+07:00"',
});

/** A calendar date. */
export const DateSchema = Type.String({ format: 'date', maxLength: 10, description: 'a date like "2026-12-10"' });

/** An IANA time zone. */
export const TimeZoneSchema = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*$',
  description: 'an IANA time zone like "Asia/Jakarta"',
  examples: ['Asia/Jakarta', 'Asia/Manila', 'America/New_York'],
});

/** A short list of strings (sku, category, brand or tag values). */
export const StringListSchema = Type.Array(Type.String({ minLength: 1, maxLength: 100, description: 'a non-empty text of at most 100 characters' }), {
  minItems: 1,
  maxItems: 500,
  uniqueItems: true,
  description: 'a list of 1 to 500 distinct texts',
});

/**
 * A calendar period: exactly one unit, e.g. `{ "months": 1 }` (the calendar month in the program's time zone) or
 * `{ "years": 1 }`. Several units (`{ "months": 3 }`) are aligned calendar blocks (quarters).
 */
export const PeriodSchema = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: 3660, description: 'a whole number of days of 1 or more' })),
    weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: 520, description: 'a whole number of weeks of 1 or more' })),
    months: Type.Optional(Type.Integer({ minimum: 1, maximum: 120, description: 'a whole number of months between 1 and 120' })),
    years: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'a whole number of years between 1 and 10' })),
  },
  { additionalProperties: false, minProperties: 1, maxProperties: 1, description: 'a calendar period with exactly one unit like {"months": 1}' },
);
/** A calendar period (exactly one unit is set). */
export type Period = Static<typeof PeriodSchema>;

/** A count within a calendar period. */
export const PeriodLimitSchema = Type.Object(
  {
    count: PositiveIntegerSchema,
    period: Type.Optional(PeriodSchema),
  },
  { additionalProperties: false, description: 'a limit like {"count": 1, "period": {"months": 1}} (no period: for ever)' },
);
/** A count within a calendar period (no period: for ever). */
export type PeriodLimit = Static<typeof PeriodLimitSchema>;

/**
 * Which lines a rule looks at. A line matches the filter when it matches ANY listed value of ANY listed field
 * (sku, category, brand, tag).
 */
export const LineFilterSchema = Type.Object(
  {
    sku: Type.Optional(StringListSchema),
    category: Type.Optional(StringListSchema),
    brand: Type.Optional(StringListSchema),
    tag: Type.Optional(StringListSchema),
  },
  { additionalProperties: false, minProperties: 1, description: 'a line filter with sku, category, brand or tag lists' },
);
/** A line filter: matches when any listed value of any listed field matches. */
export type LineFilter = Static<typeof LineFilterSchema>;

/** Validity window: `from` ≤ t < `until`. */
export const ValiditySchema = Type.Object(
  {
    from: Type.Optional(InstantSchema),
    until: Type.Optional(InstantSchema),
  },
  { additionalProperties: false, description: 'a validity window {"from", "until"} of ISO instants' },
);
/** Validity window: `from` ≤ t < `until`. */
export type Validity = Static<typeof ValiditySchema>;
