/** Decisions the caller (the ledger) applies: a union tagged on `type`. */

/** Where points come from (decides their life: SEMANTICS rule 5). */
export type PointsSource = 'order' | 'referral' | 'event' | 'birthday' | 'anniversary' | 'adjustment';

/** Grant points as one lot. */
export interface AwardAction {
  readonly type: 'award';
  readonly source: PointsSource;
  /** The order id, event id... that produced the points. */
  readonly sourceId: string;
  readonly points: number;
  readonly ruleIds: readonly string[];
  /** When the lot becomes available (ISO instant). */
  readonly availableAt: string;
  /** When the lot expires (ISO instant), or null when points never expire. */
  readonly expiresAt: string | null;
}

/** The customer's tier changes. */
export interface SetTierAction {
  readonly type: 'setTier';
  readonly from: string | null;
  readonly to: string | null;
  /** The instant of the change (ISO instant). */
  readonly at: string;
}

/** Every action the earning side of the rules returns. */
export type RulesAction = AwardAction | SetTierAction;
