/**
 * What a simulation answers: totals of a program replayed over a history. Money and exact points are decimal strings.
 * Every part is sized by the program (its rules, tiers and reason codes), never by the number of records.
 */

/** Points and orders attributed to one earning rule. */
export interface RuleTotals {
  /** Orders on which the rule gave points. */
  readonly orders: number;
  /**
   * The rule's exact share of the points issued (its points after the tier multiplier and the per-order cap, before
   * rounding). Shares of every rule plus `rounding` add up to `points` exactly.
   */
  readonly points: string;
}

/** Orders, spend and points by the tier held just before each order. */
export interface TierTotals {
  readonly orders: number;
  /** Sum of the orders' totals (all lines). */
  readonly spend: string;
  readonly points: number;
}

/** How many times customers moved from one tier to another. `null` means no tier. */
export interface TierMovement {
  readonly from: string | null;
  readonly to: string | null;
  readonly count: number;
}

/**
 * Where the points went, over every customer. `issued − clawedBack − reversed − redeemed − expired − removed`
 * equals `outstanding − debt` exactly (the sum of every customer's balance at the end).
 */
export interface PointsFlow {
  /** Points granted, all sources. */
  readonly issued: number;
  readonly issuedBy: { readonly orders: number; readonly referrals: number; readonly events: number; readonly birthdays: number; readonly anniversaries: number; readonly adjustments: number };
  /** Taken back by returns (the sum of `evaluateReturn` clawbacks). */
  readonly clawedBack: number;
  /** Referral rewards taken back when the qualifying order was returned in full before its points were available. */
  readonly reversed: number;
  /**
   * Spent: on redemptions (discounts) and on rewards of the catalog, less the points expired vouchers gave back
   * (`rewards.refunded`).
   */
  readonly redeemed: number;
  /** Lots past their expiry by the end of the history. */
  readonly expired: number;
  /** Removed by negative adjustments. */
  readonly removed: number;
  /** Points customers hold at the end (each customer's balance when positive): available + pending, net of their debt. */
  readonly outstanding: number;
  /** Of the lots held at the end: usable now, and still pending. */
  readonly available: number;
  readonly pending: number;
  /** Points owed by customers whose returns took more than they held (each negative balance, as a positive number). */
  readonly debt: number;
}

/** Returns replayed. */
export interface ReturnTotals {
  readonly count: number;
  /** Returns that left nothing of their order. */
  readonly full: number;
  readonly clawedBack: number;
}

/** Redemptions replayed: accepted, or refused with every reason (counted per reason code). */
export interface RedemptionTotals {
  readonly accepted: number;
  readonly points: number;
  /** Sum of the discounts (points × pointValue), in the program's currency. */
  readonly discount: string;
  readonly refused: number;
  readonly refusedBy: Readonly<Record<string, number>>;
}

/** Rewards redeemed and used by one reward of the catalog. */
export interface RewardTotalsOne {
  readonly redeemed: number;
  /** Points spent on it. */
  readonly points: number;
}

/**
 * What the vouchers issued still owe at the end (`until`): those neither used nor expired. Vouchers with a `value`
 * are money; percent-off, free-shipping and gift vouchers have no fixed value and are counted.
 */
export interface VoucherLiability {
  /** Sum of the `value` of open vouchers, in the program's currency. */
  readonly value: string;
  /** Open vouchers, all kinds. */
  readonly open: number;
  /** Open vouchers by what they give: money off (`value`), percent off (`percent`), `free-shipping`, `gift`. */
  readonly byKind: { readonly value: number; readonly percent: number; readonly 'free-shipping': number; readonly gift: number };
}

/** Rewards of the catalog replayed: redeemed (each issues a voucher) or refused with every reason, and their vouchers. */
export interface RewardTotals {
  readonly redeemed: number;
  /** Points spent on rewards (counted in `flow.redeemed`). */
  readonly points: number;
  readonly refused: number;
  /** Refused redemptions, counted per reason code (one redemption may count under several). */
  readonly refusedBy: Readonly<Record<string, number>>;
  /** Per reward id of the program, in program order; rewards never redeemed have zero totals. */
  readonly byReward: Readonly<Record<string, RewardTotalsOne>>;
  /** Vouchers used on an order, and uses refused by reason code (`voucher-used`, `voucher-expired`, ...). */
  readonly used: number;
  readonly useRefusedBy: Readonly<Record<string, number>>;
  /** Vouchers expired unused, and the points those of rewards with `refundOnExpiry` gave back. */
  readonly expired: number;
  readonly refunded: number;
  readonly liability: VoucherLiability;
}

/** Custom events replayed. */
export interface EventTotals {
  readonly count: number;
  readonly points: number;
  /** Per event rule id: events it awarded, and points. */
  readonly byRule: Readonly<Record<string, { readonly events: number; readonly points: number }>>;
  /** Events that earned nothing, by reason code (`limit-reached`, `no-event-rule`, ...). */
  readonly zeroBy: Readonly<Record<string, number>>;
}

/** Birthday sweeps replayed. */
export interface BirthdayTotals {
  readonly granted: number;
  readonly points: number;
  /** Sweeps that granted nothing, by the first reason code (`outside-window`, `already-granted`, ...). */
  readonly notDueBy: Readonly<Record<string, number>>;
}

/** Purchase-anniversary sweeps replayed: the same totals as the birthday's. */
export type AnniversaryTotals = BirthdayTotals;

/** Referrals decided at referees' first orders. */
export interface ReferralTotals {
  readonly qualified: number;
  readonly referrerPoints: number;
  readonly refereePoints: number;
  /** Referrals that did not qualify, by the first reason code (`self-referral`, `enrolment-window-ended`, ...). */
  readonly notQualifiedBy: Readonly<Record<string, number>>;
  /** Qualified referrals reversed by a full return before the order's points were available. */
  readonly reversed: number;
}

/** Adjustments replayed. */
export interface AdjustmentTotals {
  readonly count: number;
  readonly added: number;
  readonly removed: number;
}

/** The result of replaying a history through a program. */
export interface SimulationReport {
  readonly programId: string;
  readonly programVersion: number | null;
  readonly currency: string;
  readonly orders: number;
  /** Distinct customers named by a record. */
  readonly customers: number;
  /** Instant of the first and last record, or null with none. Balances, expiry and tiers are read at `until`. */
  readonly from: string | null;
  readonly until: string | null;
  /** Sum of the order totals. */
  readonly spend: string;
  /** Points issued on orders: the sum of every order's quoted points. */
  readonly points: number;
  /** Points per unit of money spent (order points ÷ spend). */
  readonly pointsPerSpend: string;
  /** Value of one point (`points.redemption.pointValue`), or null when the program has no redemption. */
  readonly pointValue: string | null;
  /** What the points customers hold at the end are worth: `flow.outstanding × pointValue` (null without a point value). */
  readonly liability: string | null;
  /** What the points issued (all sources) net of clawbacks and reversals are worth (null without a point value). */
  readonly issuedValue: string | null;
  /** issuedValue ÷ spend: the share of spend given back (null without a point value or without spend). */
  readonly rewardRate: string | null;
  /** Earning rules by id, in program order; rules that never gave points have zero totals. */
  readonly byRule: Readonly<Record<string, RuleTotals>>;
  /** Rounding: order points minus the exact points (the sum over orders of rounded − exact). */
  readonly rounding: string;
  /** By the tier held before each order (`none` for no tier). */
  readonly byTier: Readonly<Record<string, TierTotals>>;
  /** Tier changes: at orders (upgrades) and between them (downgrades seen at the next order or at the end). */
  readonly tierMovements: readonly TierMovement[];
  /** Customers by the tier they hold at the end (`until`), `none` for no tier. */
  readonly tiersAtEnd: Readonly<Record<string, number>>;
  readonly flow: PointsFlow;
  readonly returns: ReturnTotals;
  readonly redemptions: RedemptionTotals;
  readonly rewards: RewardTotals;
  readonly events: EventTotals;
  readonly birthdays: BirthdayTotals;
  readonly anniversaries: AnniversaryTotals;
  readonly referrals: ReferralTotals;
  readonly adjustments: AdjustmentTotals;
}

/** The difference `candidate − baseline` of two simulations over the same history. */
export interface SimulationComparison {
  readonly candidate: SimulationReport;
  readonly baseline: SimulationReport;
  /** Order points. */
  readonly points: number;
  /** Points issued, all sources. */
  readonly issued: number;
  /** Points held at the end. */
  readonly outstanding: number;
  readonly expired: number;
  readonly liability: string | null;
  /** Per rule id present in either program: candidate points − baseline points (exact). */
  readonly byRule: Readonly<Record<string, string>>;
  /** Per tier id present in either: candidate − baseline points issued at that tier. */
  readonly byTier: Readonly<Record<string, number>>;
  /** Per tier: candidate − baseline customers holding it at the end. */
  readonly tiersAtEnd: Readonly<Record<string, number>>;
}
