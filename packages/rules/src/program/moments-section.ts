/**
 * `moments`: the lead times of the time-based moments a CRM acts on (points about to expire, a tier at risk, the
 * last days to buy an extended warranty, the follow-up calls after a delivery and after a resolved complaint).
 * Names and meanings are fixed by the after-sales example program (docs/program-reference.md "moments").
 */
import { Type, type Static } from '@sinclair/typebox';
import { DaysSchema } from './primitives.js';

/** One lead time, or several (each is its own moment: 30 and 7 days before, say). */
export const LeadDaysSchema = Type.Union(
  [
    Type.Integer({ minimum: 1, maximum: 3650, description: 'a whole number of days between 1 and 3650' }),
    Type.Array(Type.Integer({ minimum: 1, maximum: 3650, description: 'a whole number of days between 1 and 3650' }), {
      minItems: 1,
      maxItems: 10,
      uniqueItems: true,
      description: 'a list of 1 to 10 different numbers of days like [30, 7]',
    }),
  ],
  { description: 'a number of days like 14, or a list of them like [30, 7]' },
);

/** Schema of the `moments` section. */
export const MomentsSectionSchema = Type.Object(
  {
    pointsExpiring: Type.Optional(
      Type.Object({ daysBefore: LeadDaysSchema }, { additionalProperties: false, description: '`points.expiring` this many days before a lot expires, like {"daysBefore": [30, 7]}' }),
    ),
    tierAtRisk: Type.Optional(
      Type.Object({ daysBefore: LeadDaysSchema }, { additionalProperties: false, description: '`tier.at-risk` this many days before a downgrade grace ends, like {"daysBefore": 14}' }),
    ),
    warrantyWindowClosing: Type.Optional(
      Type.Object(
        { daysBefore: LeadDaysSchema },
        { additionalProperties: false, description: '`warranty.window-closing` this many days before the last day to buy a plan for a unit still uncovered, like {"daysBefore": [14, 3]}' },
      ),
    ),
    followUp: Type.Optional(
      Type.Object({ daysAfterDelivery: DaysSchema }, { additionalProperties: false, description: '`follow-up.due` this many days after a delivery, like {"daysAfterDelivery": 7}' }),
    ),
    caseFollowUp: Type.Optional(
      Type.Object({ daysAfterResolution: DaysSchema }, { additionalProperties: false, description: '`case.follow-up-due` this many days after a complaint case is resolved, at the same local time (14 days when this is absent), like {"daysAfterResolution": 14}' }),
    ),
  },
  { additionalProperties: false, description: 'lead times of time-based moments {"pointsExpiring", "tierAtRisk", "warrantyWindowClosing", "followUp", "caseFollowUp"}' },
);
/** The `moments` section. */
export type MomentsSection = Static<typeof MomentsSectionSchema>;

/** The section's lead times as lists, longest first (absent: none). */
export interface MomentLeadTimes {
  readonly pointsExpiring: readonly number[];
  readonly tierAtRisk: readonly number[];
  readonly warrantyWindowClosing: readonly number[];
  readonly followUpAfterDelivery: number | undefined;
  readonly caseFollowUpAfterResolution: number | undefined;
}

function list(days: number | readonly number[] | undefined): readonly number[] {
  if (days === undefined) return [];
  return (typeof days === 'number' ? [days] : [...days]).sort((a, b) => b - a);
}

/**
 * The lead times of a validated `moments` section.
 *
 * @example momentLeadTimes({ pointsExpiring: { daysBefore: [7, 30] } }).pointsExpiring // [30, 7]
 */
export function momentLeadTimes(section: MomentsSection | undefined): MomentLeadTimes {
  return {
    pointsExpiring: list(section?.pointsExpiring?.daysBefore),
    tierAtRisk: list(section?.tierAtRisk?.daysBefore),
    warrantyWindowClosing: list(section?.warrantyWindowClosing?.daysBefore),
    followUpAfterDelivery: section?.followUp?.daysAfterDelivery,
    caseFollowUpAfterResolution: section?.caseFollowUp?.daysAfterResolution,
  };
}
