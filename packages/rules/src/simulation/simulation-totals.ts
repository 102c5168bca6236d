/**
 * The totals a simulation reports, fed by the decisions it replays (program-simulation.ts) and closed by reading
 * every account still held at the end. Sized by the program (rules, tiers, reason codes), never by the records.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { OrderQuote } from '../engine/earning/quote-order.js';
import type { EventEvaluation } from '../engine/events/evaluate-event.js';
import { Decimal } from '../money/money.js';
import type { RewardTotalsOne, SimulationReport, TierMovement, TierTotals, VoucherLiability } from './simulation-report.js';

const NONE = 'none';

function count(into: Map<string, number>, key: string, n = 1): void {
  into.set(key, (into.get(key) ?? 0) + n);
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
}

/** What the report reads of the accounts held at the end of the history. */
export interface EndOfHistory {
  readonly first: string | null;
  readonly last: string | null;
  readonly customers: number;
  /** Points of lots past their expiry at the end that no expiry recorded yet. */
  readonly expiredUnrecorded: number;
  readonly available: number;
  readonly pending: number;
  readonly outstanding: number;
  readonly debt: number;
  /** Tiers held at the end, by tier id (`none` for no tier), and the moves to them from the tiers last recorded. */
  readonly tiersAtEnd: Readonly<Record<string, number>>;
  readonly endMoves: ReadonlyArray<{ readonly from: string | null; readonly to: string | null }>;
  /** Vouchers past their expiry at the end that no expiry recorded yet, and the points they give back. */
  readonly vouchersExpiredUnrecorded: number;
  readonly refundedUnrecorded: number;
  /** What the vouchers open at the end owe. */
  readonly vouchers: VoucherLiability;
}

/** Running totals of one simulation. */
export class SimulationTotals {
  readonly #compiled: CompiledProgram;
  /** Ids of order-scope earning rules: an order one of them applied to has order shares, read from the trace. */
  readonly #orderScoped: ReadonlySet<string>;
  #orders = 0;
  #spend = new Decimal(0);
  #points = 0;
  #rounding = new Decimal(0);
  readonly #byRule = new Map<string, { orders: number; points: Decimal }>();
  readonly #byTier = new Map<string, { orders: number; spend: Decimal; points: number }>();
  readonly #movements = new Map<string, TierMovement & { count: number }>();
  readonly #issued = { orders: 0, referrals: 0, events: 0, birthdays: 0, anniversaries: 0, adjustments: 0 };
  #clawedBack = 0;
  #reversed = 0;
  #redeemed = 0;
  #expired = 0;
  #removed = 0;
  readonly #returns = { count: 0, full: 0 };
  readonly #redemptions = { accepted: 0, points: 0, discount: new Decimal(0), refused: 0, refusedBy: new Map<string, number>() };
  readonly #events = { count: 0, points: 0, byRule: new Map<string, { events: number; points: number }>(), zeroBy: new Map<string, number>() };
  readonly #birthdays = { granted: 0, points: 0, notDueBy: new Map<string, number>() };
  readonly #anniversaries = { granted: 0, points: 0, notDueBy: new Map<string, number>() };
  readonly #referrals = { qualified: 0, referrerPoints: 0, refereePoints: 0, notQualifiedBy: new Map<string, number>(), reversed: 0 };
  readonly #adjustments = { count: 0, added: 0, removed: 0 };
  readonly #rewards = { redeemed: 0, points: 0, refused: 0, refusedBy: new Map<string, number>(), byReward: new Map<string, RewardTotalsOne>(), used: 0, useRefusedBy: new Map<string, number>(), expired: 0, refunded: 0 };

  constructor(compiled: CompiledProgram) {
    this.#compiled = compiled;
    for (const reward of compiled.program.rewards ?? []) this.#rewards.byReward.set(reward.id, { redeemed: 0, points: 0 });
    for (const rule of compiled.program.earning) this.#byRule.set(rule.id, { orders: 0, points: new Decimal(0) });
    this.#orderScoped = new Set(compiled.program.earning.filter((rule) => rule.scope === 'order').map((rule) => rule.id));
  }

  /** Orders counted so far. */
  get orders(): number {
    return this.#orders;
  }

  order(quote: OrderQuote): void {
    const spend = quote.lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
    this.#orders++;
    this.#points += quote.points;
    this.#issued.orders += quote.points;
    this.#rounding = this.#rounding.plus(new Decimal(quote.points).minus(quote.exact));
    this.#spend = this.#spend.plus(spend);
    for (const [ruleId, points] of this.#ruleShares(quote)) {
      const totals = this.#byRule.get(ruleId) ?? { orders: 0, points: new Decimal(0) };
      totals.orders++;
      totals.points = totals.points.plus(points);
      this.#byRule.set(ruleId, totals);
    }
    const tierKey = quote.tierBefore ?? NONE;
    const tier = this.#byTier.get(tierKey) ?? { orders: 0, spend: new Decimal(0), points: 0 };
    tier.orders++;
    tier.spend = tier.spend.plus(spend);
    tier.points += quote.points;
    this.#byTier.set(tierKey, tier);
  }

  tierMove(from: string | null, to: string | null): void {
    if (from === to) return;
    const key = `${from ?? ''}\u0000${to ?? ''}`;
    const existing = this.#movements.get(key);
    this.#movements.set(key, { from, to, count: (existing?.count ?? 0) + 1 });
  }

  referralQualified(referrer: number, referee: number): void {
    this.#referrals.qualified++;
    this.#referrals.referrerPoints += referrer;
    this.#referrals.refereePoints += referee;
    this.#issued.referrals += referrer + referee;
  }

  referralNotQualified(reason: string): void {
    count(this.#referrals.notQualifiedBy, reason);
  }

  returned(clawedBack: number, full: boolean): void {
    this.#clawedBack += clawedBack;
    this.#returns.count++;
    if (full) this.#returns.full++;
  }

  referralReversed(points: number): void {
    this.#referrals.reversed++;
    this.#reversed += points;
  }

  redemption(accepted: boolean, points: number, discount: string, refusals: readonly string[]): void {
    if (!accepted) {
      this.#redemptions.refused++;
      for (const code of refusals) count(this.#redemptions.refusedBy, code);
      return;
    }
    this.#redeemed += points;
    this.#redemptions.accepted++;
    this.#redemptions.points += points;
    this.#redemptions.discount = this.#redemptions.discount.plus(discount);
  }

  /** A reward redemption: its points spent (0 for a refusal), or every reason it was refused. */
  reward(rewardId: string, accepted: boolean, points: number, refusals: readonly string[]): void {
    const r = this.#rewards;
    if (!accepted) {
      r.refused++;
      for (const code of refusals) count(r.refusedBy, code);
      return;
    }
    this.#redeemed += points;
    r.redeemed++;
    r.points += points;
    const one = r.byReward.get(rewardId) ?? { redeemed: 0, points: 0 };
    r.byReward.set(rewardId, { redeemed: one.redeemed + 1, points: one.points + points });
  }

  /** A voucher use: accepted (no refusal code), or refused with its reason code. */
  voucherUse(refusal: string | undefined): void {
    if (refusal === undefined) this.#rewards.used++;
    else count(this.#rewards.useRefusedBy, refusal);
  }

  /** A voucher expired unused, giving back `refunded` points (0 unless its reward says so). */
  voucherExpired(refunded: number): void {
    this.#rewards.expired++;
    this.#rewards.refunded += refunded;
    this.#redeemed -= refunded;
  }

  event(evaluation: EventEvaluation): void {
    this.#events.count++;
    if (evaluation.points === 0) count(this.#events.zeroBy, evaluation.reason ?? 'no-points');
    if (evaluation.points <= 0) return;
    this.#issued.events += evaluation.points;
    this.#events.points += evaluation.points;
    for (const t of evaluation.trace.rules) {
      if (!t.applied) continue;
      const totals = this.#events.byRule.get(t.ruleId) ?? { events: 0, points: 0 };
      totals.events++;
      totals.points += t.points;
      this.#events.byRule.set(t.ruleId, totals);
    }
  }

  /** A birthday (or purchase-anniversary) sweep reaching one customer: the points granted, or why none. */
  yearly(kind: 'birthday' | 'anniversary', points: number | undefined, notDue: string): void {
    const totals = kind === 'birthday' ? this.#birthdays : this.#anniversaries;
    if (points === undefined) {
      count(totals.notDueBy, notDue);
      return;
    }
    if (kind === 'birthday') this.#issued.birthdays += points;
    else this.#issued.anniversaries += points;
    totals.granted++;
    totals.points += points;
  }

  adjustment(points: number): void {
    this.#adjustments.count++;
    if (points > 0) {
      this.#issued.adjustments += points;
      this.#adjustments.added += points;
    } else {
      this.#removed -= points;
      this.#adjustments.removed -= points;
    }
  }

  expired(points: number): void {
    this.#expired += points;
  }

  /** The report, with what the accounts held at the end say. */
  report(end: EndOfHistory): SimulationReport {
    const movements = new Map(this.#movements);
    for (const move of end.endMoves) {
      const key = `${move.from ?? ''}\u0000${move.to ?? ''}`;
      movements.set(key, { from: move.from, to: move.to, count: (movements.get(key)?.count ?? 0) + 1 });
    }
    const pointValue = this.#compiled.program.points.redemption?.pointValue ?? null;
    const issued = this.#issued.orders + this.#issued.referrals + this.#issued.events + this.#issued.birthdays + this.#issued.anniversaries + this.#issued.adjustments;
    const value = (points: number): string | null => (pointValue === null ? null : new Decimal(points).times(pointValue).toString());
    const issuedValue = value(issued - this.#clawedBack - this.#reversed);
    const byTier: Record<string, TierTotals> = {};
    for (const [id, t] of this.#byTier) byTier[id] = { orders: t.orders, spend: t.spend.toString(), points: t.points };
    const byRule: Record<string, { orders: number; points: string }> = {};
    for (const [id, r] of this.#byRule) byRule[id] = { orders: r.orders, points: r.points.toString() };
    return {
      programId: this.#compiled.id,
      programVersion: this.#compiled.version ?? null,
      currency: this.#compiled.program.currency,
      orders: this.#orders,
      customers: end.customers,
      from: end.first,
      until: end.last,
      spend: this.#spend.toString(),
      points: this.#points,
      pointsPerSpend: this.#spend.isZero() ? '0' : new Decimal(this.#points).div(this.#spend).toSignificantDigits(6).toString(),
      pointValue,
      liability: value(end.outstanding),
      issuedValue,
      rewardRate: issuedValue === null || this.#spend.isZero() ? null : new Decimal(issuedValue).div(this.#spend).toSignificantDigits(6).toString(),
      byRule,
      rounding: this.#rounding.toString(),
      byTier,
      tierMovements: [...movements.values()].sort((a, b) => b.count - a.count),
      tiersAtEnd: end.tiersAtEnd,
      flow: {
        issued,
        issuedBy: { ...this.#issued },
        clawedBack: this.#clawedBack,
        reversed: this.#reversed,
        redeemed: this.#redeemed - end.refundedUnrecorded,
        expired: this.#expired + end.expiredUnrecorded,
        removed: this.#removed,
        outstanding: end.outstanding,
        available: end.available,
        pending: end.pending,
        debt: end.debt,
      },
      returns: { count: this.#returns.count, full: this.#returns.full, clawedBack: this.#clawedBack },
      redemptions: {
        accepted: this.#redemptions.accepted,
        points: this.#redemptions.points,
        discount: this.#redemptions.discount.toString(),
        refused: this.#redemptions.refused,
        refusedBy: sortedRecord(this.#redemptions.refusedBy),
      },
      rewards: {
        redeemed: this.#rewards.redeemed,
        points: this.#rewards.points,
        refused: this.#rewards.refused,
        refusedBy: sortedRecord(this.#rewards.refusedBy),
        byReward: Object.fromEntries([...this.#rewards.byReward].map(([id, t]) => [id, { ...t }])),
        used: this.#rewards.used,
        useRefusedBy: sortedRecord(this.#rewards.useRefusedBy),
        expired: this.#rewards.expired + end.vouchersExpiredUnrecorded,
        refunded: this.#rewards.refunded + end.refundedUnrecorded,
        liability: { ...end.vouchers, byKind: { ...end.vouchers.byKind } },
      },
      events: { count: this.#events.count, points: this.#events.points, byRule: Object.fromEntries(this.#events.byRule), zeroBy: sortedRecord(this.#events.zeroBy) },
      birthdays: { granted: this.#birthdays.granted, points: this.#birthdays.points, notDueBy: sortedRecord(this.#birthdays.notDueBy) },
      anniversaries: { granted: this.#anniversaries.granted, points: this.#anniversaries.points, notDueBy: sortedRecord(this.#anniversaries.notDueBy) },
      referrals: {
        qualified: this.#referrals.qualified,
        referrerPoints: this.#referrals.referrerPoints,
        refereePoints: this.#referrals.refereePoints,
        notQualifiedBy: sortedRecord(this.#referrals.notQualifiedBy),
        reversed: this.#referrals.reversed,
      },
      adjustments: { ...this.#adjustments },
    };
  }

  /**
   * Each rule's exact share of the order's points: its points before the tier multiplier, scaled by the one factor
   * (tier multiplier and per-order cap) that turned the order's subtotal into its exact points, so the shares add up
   * to `exact`. Line shares are enough unless an order-scope rule applied; only then is the full trace written.
   */
  #ruleShares(quote: OrderQuote): Array<[string, Decimal]> {
    const byRule = new Map<string, Decimal>();
    let subtotal = new Decimal(0);
    const add = (ruleId: string, value: string): void => {
      const points = new Decimal(value);
      subtotal = subtotal.plus(points);
      if (!points.isZero()) byRule.set(ruleId, points.plus(byRule.get(ruleId) ?? 0));
    };
    if (quote.ruleIds.some((id) => this.#orderScoped.has(id))) {
      for (const rule of quote.trace.rules) if (rule.applied) add(rule.ruleId, rule.points);
    } else {
      for (const line of quote.lines) for (const share of line.rules) add(share.ruleId, share.points);
    }
    if (subtotal.isZero()) return [];
    const scale = new Decimal(quote.exact).div(subtotal);
    return [...byRule].map(([ruleId, points]) => [ruleId, points.times(scale)]);
  }
}
