/** `referral`: rewards for referrer and referee, the qualifying first order, limits per referrer. */
import { Type, type Static } from '@sinclair/typebox';
import { DaysSchema, NonNegativeDecimalSchema, PeriodLimitSchema, PointsSchema } from './primitives.js';

const SideAward = Type.Object({ points: PointsSchema }, { additionalProperties: false, description: 'an award like {"points": 500}' });

/** Schema of the `referral` section. */
export const ReferralProgramSchema = Type.Object(
  {
    referrer: SideAward,
    referee: SideAward,
    qualifying: Type.Object(
      {
        minOrderTotal: Type.Optional(NonNegativeDecimalSchema),
        withinDays: Type.Optional(DaysSchema),
      },
      { additionalProperties: false, description: 'a qualifying first order like {"minOrderTotal": "1000000", "withinDays": 60}' },
    ),
    limit: Type.Optional(
      Type.Object({ perReferrer: PeriodLimitSchema }, { additionalProperties: false, description: 'a limit like {"perReferrer": {"count": 10, "period": {"years": 1}}}' }),
    ),
  },
  { additionalProperties: false, description: 'the referral program {"referrer", "referee", "qualifying"}' },
);
/** The `referral` section. */
export type ReferralProgram = Static<typeof ReferralProgramSchema>;
