/** `earning[]`: one rule that earns points on an order or on its lines. */
import { Type, type Static } from '@sinclair/typebox';
import { ConditionSchema } from './condition-schema.js';
import {
  IdSchema,
  LineFilterSchema,
  NameSchema,
  PeriodLimitSchema,
  PointsSchema,
  PositiveDecimalSchema,
  PositiveIntegerSchema,
  ValiditySchema,
} from './primitives.js';
import { StringEnum } from './string-enum.js';

/** Whether a rule looks at the order as a whole or at each line. */
export const RULE_SCOPES = ['order', 'line'] as const;
/** `stack` (default) adds up with other rules; `exclusive` stops lower-priority rules on the same order or line. */
export const STACKING_MODES = ['stack', 'exclusive'] as const;

/** `points` per `amount` spent. */
export interface PointsPerAward {
  readonly pointsPer: { readonly amount: string; readonly points: number };
}
/** Fixed points (per order for order rules, per matching line for line rules). */
export interface FixedPointsAward {
  readonly points: number;
}
/** Multiplies what the order or a matching line earned from the other rules. */
export interface MultiplierAward {
  readonly multiplier: string;
}
/** Exactly one kind of award. */
export type Award = PointsPerAward | FixedPointsAward | MultiplierAward;

/** Schema of an award: exactly one of `pointsPer`, `points`, `multiplier` (one object shape, checked by parseProgram). */
export const AwardSchema = Type.Unsafe<Award>(
  Type.Object(
    {
      pointsPer: Type.Optional(
        Type.Object(
          { amount: PositiveDecimalSchema, points: PositiveIntegerSchema },
          { additionalProperties: false, description: 'a rate like {"amount": "10000", "points": 1}' },
        ),
      ),
      points: Type.Optional(PointsSchema),
      multiplier: Type.Optional(PositiveDecimalSchema),
    },
    {
      additionalProperties: false,
      minProperties: 1,
      maxProperties: 1,
      description: 'an award with exactly one of "pointsPer", "points" or "multiplier"',
    },
  ),
);

/** Caps of one rule. */
export const RuleCapSchema = Type.Object(
  {
    perOrder: Type.Optional(PointsSchema),
    perCustomer: Type.Optional(PeriodLimitSchema),
    budget: Type.Optional(Type.Object({ points: PointsSchema }, { additionalProperties: false, description: 'a campaign budget like {"points": 100000}' })),
  },
  { additionalProperties: false, minProperties: 1, description: 'a cap with "perOrder", "perCustomer" or "budget"' },
);
/** Caps of one rule: points per order, applications per customer per period, program-wide points budget. */
export type RuleCap = Static<typeof RuleCapSchema>;

/**
 * An earning rule's validity window: `from` ≤ t < `until`, and with `earlyAccess` the window opens earlier for a
 * customer whose tier (held just before the order) has an `early-access` perk: its `hours` before `from`.
 */
export const EarningValiditySchema = Type.Object(
  {
    ...ValiditySchema.properties,
    earlyAccess: Type.Optional(Type.Boolean({ description: 'true or false: whether tiers with an early-access perk may earn from this rule before "from"' })),
  },
  { additionalProperties: false, description: 'a validity window {"from", "until", "earlyAccess"} of ISO instants' },
);
/** An earning rule's validity window. */
export type EarningValidity = Static<typeof EarningValiditySchema>;

/** Schema of one earning rule. */
export const EarningRuleSchema = Type.Object(
  {
    id: IdSchema,
    name: NameSchema,
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'a text of at most 2000 characters' })),
    scope: StringEnum(RULE_SCOPES, 'either "order" or "line"'),
    when: Type.Optional(ConditionSchema),
    exclude: Type.Optional(LineFilterSchema),
    appliesTo: Type.Optional(LineFilterSchema),
    award: AwardSchema,
    priority: Type.Optional(Type.Integer({ minimum: -1000, maximum: 1000, description: 'a whole number between -1000 and 1000' })),
    stacking: Type.Optional(StringEnum(STACKING_MODES, 'either "stack" or "exclusive"', { default: 'stack' })),
    cap: Type.Optional(RuleCapSchema),
    valid: Type.Optional(EarningValiditySchema),
  },
  { additionalProperties: false, description: 'an earning rule {"id", "name", "scope", "award"}' },
);
/** One earning rule. */
export type EarningRule = Static<typeof EarningRuleSchema>;
