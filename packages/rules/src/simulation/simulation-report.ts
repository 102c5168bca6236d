/** What a simulation answers: totals of a program replayed over an order history. Money and exact points are decimal strings. */

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

/** The result of replaying an order history through a program. */
export interface SimulationReport {
  readonly programId: string;
  readonly programVersion: number | null;
  readonly currency: string;
  readonly orders: number;
  /** Distinct customers who placed an order. */
  readonly customers: number;
  /** placedAt of the first and last order, or null with no orders. */
  readonly from: string | null;
  readonly until: string | null;
  /** Sum of the order totals. */
  readonly spend: string;
  /** Points issued (the sum of every order's quoted points). */
  readonly points: number;
  /** Points per unit of money spent. */
  readonly pointsPerSpend: string;
  /** Value of one point (`points.redemption.pointValue`), or null when the program has no redemption. */
  readonly pointValue: string | null;
  /** What the issued points are worth: points × pointValue (null without a point value). */
  readonly liability: string | null;
  /** liability ÷ spend: the share of spend given back (null without a point value or without spend). */
  readonly rewardRate: string | null;
  /** Earning rules by id, in program order; rules that never gave points have zero totals. */
  readonly byRule: Readonly<Record<string, RuleTotals>>;
  /** Rounding: points issued minus the exact points (the sum over orders of rounded − exact). */
  readonly rounding: string;
  /** By the tier held before each order (`none` for no tier). */
  readonly byTier: Readonly<Record<string, TierTotals>>;
  /** Tier changes: at orders (upgrades) and between them (downgrades seen at the next order or at the end). */
  readonly tierMovements: readonly TierMovement[];
  /** Customers by the tier they hold at the end (`until`), `none` for no tier. */
  readonly tiersAtEnd: Readonly<Record<string, number>>;
}

/** The difference `candidate − baseline` of two simulations over the same orders. */
export interface SimulationComparison {
  readonly candidate: SimulationReport;
  readonly baseline: SimulationReport;
  readonly points: number;
  readonly liability: string | null;
  /** Per rule id present in either program: candidate points − baseline points (exact). */
  readonly byRule: Readonly<Record<string, string>>;
  /** Per tier id present in either: candidate − baseline points issued at that tier. */
  readonly byTier: Readonly<Record<string, number>>;
  /** Per tier: candidate − baseline customers holding it at the end. */
  readonly tiersAtEnd: Readonly<Record<string, number>>;
}
