/**
 * `rewards`: the catalog members spend points on (docs/perks-and-rewards.md). Each reward costs points, debited like
 * a redemption, and issues a single-use voucher: money off (`voucher`, a `value` or a `percent`), `free-shipping` on
 * one order, or a `gift` (`sku`). Optional: `stock` (taken atomically, never oversold), the `tiers` that may redeem
 * it, a per-customer `limit` in calendar periods of the program's zone, a `valid` window, how long its voucher lasts
 * (`voucherDays`), and whether an unused voucher that expires gives its points back (`refundOnExpiry`). Names and
 * meanings are fixed by the after-sales example program (docs/program-reference.md "rewards").
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  IdSchema,
  NameSchema,
  NonNegativeIntegerSchema,
  PeriodLimitSchema,
  PositiveDecimalSchema,
  PositiveIntegerSchema,
  ValiditySchema,
} from './primitives.js';
import { StringEnum } from './string-enum.js';

/** What a reward's voucher gives. */
export const REWARD_KINDS = ['voucher', 'free-shipping', 'gift'] as const;
/** One kind of reward. */
export type RewardKind = (typeof REWARD_KINDS)[number];

/** How long a voucher lasts when the reward does not say. */
export const DEFAULT_VOUCHER_DAYS = 30;

/** One reward of the catalog. */
export const RewardSchema = Type.Object(
  {
    id: IdSchema,
    name: NameSchema,
    description: Type.Optional(Type.String({ maxLength: 2000, description: 'a text of at most 2000 characters' })),
    cost: PositiveIntegerSchema,
    kind: StringEnum(REWARD_KINDS, `what its voucher gives: one of ${REWARD_KINDS.join(', ')}`),
    value: Type.Optional(PositiveDecimalSchema),
    percent: Type.Optional(Type.String({ pattern: '^(100(\\.0+)?|[0-9]{1,2}(\\.[0-9]+)?)$', maxLength: 20, description: 'a percent between 0 and 100 as a decimal string like "10"' })),
    sku: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'a product sku of 1 to 100 characters' })),
    stock: Type.Optional(NonNegativeIntegerSchema),
    tiers: Type.Optional(Type.Array(IdSchema, { minItems: 1, maxItems: 50, description: 'a list of 1 to 50 tier ids' })),
    limit: Type.Optional(
      Type.Object(
        { perCustomer: PeriodLimitSchema },
        { additionalProperties: false, description: 'a limit on redemptions per customer like {"perCustomer": {"count": 2, "period": {"months": 1}}}' },
      ),
    ),
    valid: Type.Optional(ValiditySchema),
    voucherDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36_500, description: 'a whole number of days between 1 and 36500', default: DEFAULT_VOUCHER_DAYS })),
    refundOnExpiry: Type.Optional(Type.Boolean({ description: 'true: an unused voucher that expires gives its points back', default: false })),
  },
  { additionalProperties: false, description: 'a reward like {"id": "voucher-50k", "name": "Rp50.000 voucher", "cost": 500, "kind": "voucher", "value": "50000"}' },
);
/** One reward of the catalog. */
export type Reward = Static<typeof RewardSchema>;

/** Schema of the `rewards` section. */
export const RewardsSectionSchema = Type.Array(RewardSchema, { maxItems: 500, description: 'a list of at most 500 rewards' });
/** The `rewards` section. */
export type RewardsSection = Static<typeof RewardsSectionSchema>;
