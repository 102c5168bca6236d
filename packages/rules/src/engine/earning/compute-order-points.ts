/**
 * computeOrderPoints: the points of one order for a given tier and cap state (SEMANTICS rules 1-3). quoteOrder
 * calls it after determining the tier; a return re-runs it with the order's stored snapshot.
 *
 * Order of work: rules valid at `placedAt` whose `when` holds; base rules (pointsPer, points) by priority, then
 * multiplier rules by priority (a multiplier multiplies what the line, or the order, earned so far); per rule its
 * caps (per order, per customer per calendar period, campaign budget); the sum times the multiplier of the tier
 * held before the order; the program's per-order cap; rounded once.
 */
import type { EvaluationFacts } from '../../conditions/facts.js';
import { inputError } from '../../errors.js';
import type { CustomerInput } from '../../input/customer-input.js';
import type { OrderInput } from '../../input/order-input.js';
import type { InstantLike } from '../../time.js';
import type { CompiledProgram, CompiledRule } from '../compiled-program.js';
import { customerFacts, timeFacts } from '../evaluation-facts.js';
import type { LineShare, OrderShare, OrderTrace, RuleReasonCode, RuleTrace, CapTrace } from './order-trace.js';
import { describePeriod } from '../period-key.js';
import { priceOrder, type PricedOrder } from './price-order.js';
import { fastOrderPoints, fastTierSpend, priceOrderFast, type FastPoints } from './fast-points.js';
import { Decimal } from '../../money/money.js';
import { mulDiv, roundShare, SCALE, scaleTo, shareToString, sum } from '../../money/shares.js';
import type { LocalFields } from '../zone-clock.js';

/** A counter increment: the ledger adds `count` to the customer's counter `key`. */
export interface UsageDelta {
  readonly key: string;
  readonly count: number;
}

/** Points a rule took from its campaign budget. */
export interface CampaignUsageDelta {
  readonly ruleId: string;
  readonly points: number;
}

/** Input of {@link computeOrderPoints}. */
export interface ComputeOrderPointsInput {
  readonly customer?: CustomerInput;
  readonly order: OrderInput;
  /** The tier held just before the order (null or undefined: no tier, multiplier 1). */
  readonly tierId?: string | null;
  /** Counters keyed as earlier evaluations returned them. */
  readonly usage?: Readonly<Record<string, number>>;
  /** Program-wide points granted per rule id. */
  readonly campaignUsage?: Readonly<Record<string, number>>;
}

/** The points of an order. */
export interface OrderPoints {
  /** Integer points, rounded once with the program's mode. */
  readonly points: number;
  /** Exact points before rounding (decimal string). */
  readonly exact: string;
  /** Counter increments to apply (one per capped rule that applied). */
  readonly usage: readonly UsageDelta[];
  /** Budget points consumed per rule (rounded up). */
  readonly campaignUsage: readonly CampaignUsageDelta[];
  /** Rules that gave points, in evaluation order. */
  readonly ruleIds: readonly string[];
  /** Per-line shares (final, exact). */
  readonly lines: readonly LineShare[];
  /** Shares of order-scope rules (final, exact). */
  readonly orderShares: readonly OrderShare[];
  /** The counters this evaluation read, as they were (for the snapshot a return replays). */
  readonly usageRead: Readonly<Record<string, number>>;
  readonly campaignUsageRead: Readonly<Record<string, number>>;
  readonly trace: OrderTrace;
}


const NO_CAPS: CapTrace[] = [];

/** Why a rule gave nothing, as data: the sentence is only written when the trace is read. */
const enum Miss {
  None,
  NotValidYet,
  Expired,
  OrderBlocked,
  OrderCondition,
  NoEligibleAmount,
  OrderNothingToMultiply,
  NoLines,
  LineBlocked,
  LineFilter,
  LineCondition,
  LineNothingToMultiply,
  CapReached,
  BudgetExhausted,
}

/** What one rule did in one evaluation: numbers and references only, no text. */
interface RuleRecord {
  readonly rule: CompiledRule;
  applied: boolean;
  reason: RuleReasonCode | undefined;
  miss: Miss;
  /** The line a line-rule miss is about. */
  missLine: number;
  /** The exclusive rule that blocked this one, or the period a cap counts in. */
  blockedBy: string | undefined;
  /** Line indexes the rule applied to (line rules; order pointsPer: the lines it counted). */
  lines: readonly number[] | undefined;
  /** Points the rule gave before the tier multiplier, after its caps. */
  contribution: bigint;
  caps: CapTrace[];
}

/** A rule's raw outcome before caps. */
interface Outcome {
  miss: Miss;
  missLine: number;
  blockedBy: string | undefined;
  lineIndexes: number[] | undefined;
  lineShares: bigint[] | undefined;
  orderShare: bigint | undefined;
}

const MISS_REASON: Record<Miss, RuleReasonCode | undefined> = {
  [Miss.None]: undefined,
  [Miss.NotValidYet]: 'not-valid-yet',
  [Miss.Expired]: 'expired',
  [Miss.OrderBlocked]: 'excluded-by-exclusive-rule',
  [Miss.OrderCondition]: 'condition-false',
  [Miss.NoEligibleAmount]: 'no-eligible-amount',
  [Miss.OrderNothingToMultiply]: 'nothing-to-multiply',
  [Miss.NoLines]: 'no-matching-line',
  [Miss.LineBlocked]: 'no-matching-line',
  [Miss.LineFilter]: 'no-matching-line',
  [Miss.LineCondition]: 'no-matching-line',
  [Miss.LineNothingToMultiply]: 'nothing-to-multiply',
  [Miss.CapReached]: 'cap-reached',
  [Miss.BudgetExhausted]: 'budget-exhausted',
};

/** Everything an evaluation decided, kept to write the trace on demand. */
interface Evaluation {
  readonly priced: PricedOrder;
  readonly orderFacts: EvaluationFacts;
  readonly lineFacts: readonly EvaluationFacts[];
  readonly records: readonly RuleRecord[];
  /** Each line's earnings per rule before the tier multiplier. */
  readonly lineRuleShares: ReadonlyArray<ReadonlyArray<{ readonly ruleId: string; readonly points: bigint }>>;
  readonly orderShares: ReadonlyArray<{ readonly ruleId: string; readonly points: bigint }>;
  readonly finals: readonly bigint[];
  readonly subtotal: bigint;
  readonly exact: bigint;
  readonly exactText: string;
  readonly points: number;
  readonly tierId: string | undefined;
  readonly tierMultiplierText: string;
  readonly maxPerOrder: OrderTrace['maxPerOrder'];
  readonly placedAt: number;
}

/**
 * The points of one order with a given tier and counters. Pure.
 *
 * The trace (and `lines`, `orderShares`) is written the first time it is read, from the evaluation's own facts:
 * quoting for points alone never pays for the sentences. Treat the order and customer passed in as frozen until
 * the trace has been read.
 *
 * @example
 * const r = computeOrderPoints(compiled, { order, tierId: 'silver', usage: {} }, { at: order.placedAt });
 * r.points; // 231 for o-1003 of the scenario: 185 × 1.25 = 231.25, floored
 */
export function computeOrderPoints(compiled: CompiledProgram, input: ComputeOrderPointsInput, options: { readonly at: InstantLike }): OrderPoints {
  const atMs = compiled.clock.millis(options.at, '/at');
  const placedAt = input.order.placedAt !== undefined ? compiled.clock.millis(input.order.placedAt, '/order/placedAt') : atMs;
  return evaluateOrderPoints(compiled, input, input.order, placedAt).result;
}

/** An order's points, and its contribution to the tier basis (spend of lines not excluded by `tiers.exclude`). */
export interface EvaluatedOrder {
  readonly result: OrderPoints;
  readonly tierSpend: () => string;
}

/**
 * The points of an order placed at `placedAt`: the fast path (fast-points.ts) when it can answer for sure, the
 * exact path otherwise. On the fast path, `exact`, `lines`, `orderShares` and `trace` come from the exact path
 * the first time one of them is read, which must give the same points (checked: a difference throws).
 */
export function evaluateOrderPoints(compiled: CompiledProgram, input: Omit<ComputeOrderPointsInput, 'order'>, order: OrderInput, placedAt: number): EvaluatedOrder {
  const fastPriced = compiled.fastPath ? priceOrderFast(compiled, order) : undefined;
  const fast = fastPriced ? fastOrderPoints(compiled, input, fastPriced, placedAt) : undefined;
  if (fastPriced && fast) {
    const result = new FastOrderPoints(compiled, input, order, placedAt, fast);
    return { result, tierSpend: () => fastTierSpend(compiled, fastPriced) };
  }
  const priced = priceOrder(compiled, order);
  const tierSpend = (): string => {
    let spend = new Decimal(0);
    for (const line of priced.lines) if (!compiled.tiers?.excluded(line.facts)) spend = spend.plus(line.facts.amount);
    return spend.toString();
  };
  return { result: computePricedOrderPoints(compiled, input, priced, placedAt), tierSpend };
}

/** The counters of an answer, decided on either path. */
type OrderCounters = Pick<OrderPoints, 'usage' | 'campaignUsage' | 'ruleIds' | 'usageRead' | 'campaignUsageRead'>;

/**
 * What both paths' answers share: the decided fields as plain properties, the rest (`exact`, `lines`,
 * `orderShares`, `trace`) as getters of each path, and one `toJSON` that writes them all.
 */
abstract class OrderPointsAnswer implements OrderPoints {
  readonly points: number;
  readonly usage: readonly UsageDelta[];
  readonly campaignUsage: readonly CampaignUsageDelta[];
  readonly ruleIds: readonly string[];
  readonly usageRead: Readonly<Record<string, number>>;
  readonly campaignUsageRead: Readonly<Record<string, number>>;

  constructor(points: number, counters: OrderCounters) {
    this.points = points;
    this.usage = counters.usage;
    this.campaignUsage = counters.campaignUsage;
    this.ruleIds = counters.ruleIds;
    this.usageRead = counters.usageRead;
    this.campaignUsageRead = counters.campaignUsageRead;
  }

  abstract get exact(): string;
  abstract get lines(): readonly LineShare[];
  abstract get orderShares(): readonly OrderShare[];
  abstract get trace(): OrderTrace;

  /** Every field, the lazy ones included, as a plain answer would serialize. */
  toJSON(): OrderPoints {
    const { exact, lines, orderShares, trace } = this;
    return { points: this.points, exact, usage: this.usage, campaignUsage: this.campaignUsage, ruleIds: this.ruleIds, lines, orderShares, usageRead: this.usageRead, campaignUsageRead: this.campaignUsageRead, trace };
  }
}

/**
 * The fast path's answer: the decided fields as plain properties; `exact`, `lines`, `orderShares` and `trace` run
 * the exact path the first time one is read (once), which must give the same points (a difference throws).
 *
 * A class rather than an object literal with getters: V8 builds a literal with accessors through the runtime, with
 * a new closure per getter, and the contexts those closures kept alive survived young-generation collections,
 * which cost a quote about half its time (scripts/bench/rules.ts: 33.6 → 16.1 µs for evaluateOrderPoints).
 * The lazy fields live on the prototype, so `JSON.stringify` goes through {@link OrderPointsAnswer.toJSON}.
 */
class FastOrderPoints extends OrderPointsAnswer {
  readonly #compiled: CompiledProgram;
  readonly #input: Omit<ComputeOrderPointsInput, 'order'>;
  readonly #order: OrderInput;
  readonly #placedAt: number;
  #exactRun: OrderPoints | undefined;

  constructor(compiled: CompiledProgram, input: Omit<ComputeOrderPointsInput, 'order'>, order: OrderInput, placedAt: number, fast: FastPoints) {
    super(fast.points, fast);
    this.#compiled = compiled;
    this.#input = input;
    this.#order = order;
    this.#placedAt = placedAt;
  }

  get exact(): string {
    return this.#exactly().exact;
  }

  get lines(): readonly LineShare[] {
    return this.#exactly().lines;
  }

  get orderShares(): readonly OrderShare[] {
    return this.#exactly().orderShares;
  }

  get trace(): OrderTrace {
    return this.#exactly().trace;
  }

  #exactly(): OrderPoints {
    if (!this.#exactRun) {
      const run = computePricedOrderPoints(this.#compiled, this.#input, priceOrder(this.#compiled, this.#order), this.#placedAt);
      if (run.points !== this.points) throw new Error(`internal: the fast path gave ${this.points} points for order "${this.#order.id}" and the exact path ${run.points}`);
      this.#exactRun = run;
    }
    return this.#exactRun;
  }
}

/** {@link computeOrderPoints} for an order already priced, placed at `placedAt` (epoch ms). */
export function computePricedOrderPoints(compiled: CompiledProgram, input: Omit<ComputeOrderPointsInput, 'order'>, priced: PricedOrder, placedAt: number): OrderPoints {
  const tierId = input.tierId ?? undefined;
  let tierMultiplier = SCALE;
  let tierMultiplierText = '1';
  if (tierId !== undefined) {
    const level = compiled.tiers?.byId.get(tierId);
    if (!level) return inputError('/tierId', 'unknown-tier', `tier "${tierId}" is not a tier of program "${compiled.id}"`);
    tierMultiplier = level.multiplierShare;
    tierMultiplierText = level.multiplier.toString();
  }
  const usage = input.usage ?? {};
  const campaignUsage = input.campaignUsage ?? {};
  const customer = customerFacts(compiled, input.customer, tierId);
  const time = timeFacts(compiled, placedAt);
  const orderFacts: EvaluationFacts = { order: priced.facts, customer, time };
  const lineCount = priced.lines.length;
  const lineFacts: EvaluationFacts[] = new Array<EvaluationFacts>(lineCount);
  for (let i = 0; i < lineCount; i += 1) lineFacts[i] = { order: priced.facts, customer, time, line: priced.lines[i]!.facts };

  const lineEarned: bigint[] = new Array<bigint>(lineCount).fill(0n);
  const lineRuleShares: Array<Array<{ ruleId: string; points: bigint }>> = new Array<Array<{ ruleId: string; points: bigint }>>(lineCount);
  for (let i = 0; i < lineCount; i += 1) lineRuleShares[i] = [];
  const orderShares: Array<{ ruleId: string; points: bigint }> = [];
  // Exclusive rules block lower-priority rules of the same phase on the same line (or order).
  const lineBlockedBy: Array<string | undefined> = new Array<string | undefined>(lineCount).fill(undefined);
  let orderBlockedBy: string | undefined;
  let phase: CompiledRule['phase'] = 'base';
  // Everything earned so far (before the tier multiplier): what an order-scope multiplier multiplies.
  let earnedTotal = 0n;
  // What order-level shares (fixed order points, and multipliers of them) add up to so far.
  let orderLevelTotal = 0n;
  // Order pointsPer rules with the same line filter count the same amount: computed once per filter.
  const eligibleByFilter: Array<{ amount: bigint; lines: number[] } | undefined> = [];
  let local: LocalFields | undefined;

  const usageOut: UsageDelta[] = [];
  const campaignOut: CampaignUsageDelta[] = [];
  const usageRead: Record<string, number> = {};
  const campaignRead: Record<string, number> = {};
  const ruleIds: string[] = [];
  const records: RuleRecord[] = new Array<RuleRecord>(compiled.rules.length);
  const context: RuleContext = { placedAt, priced, orderFacts, lineFacts, lineEarned, eligibleByFilter, lineBlockedBy };

  for (let r = 0; r < compiled.rules.length; r += 1) {
    const rule = compiled.rules[r]!;
    if (rule.phase !== phase) {
      phase = rule.phase;
      lineBlockedBy.fill(undefined);
      orderBlockedBy = undefined;
    }
    // Most rules have no cap: they share one empty list instead of allocating one per rule and quote.
    const caps: CapTrace[] = rule.capPerCustomer || rule.capPerOrder || rule.budget !== undefined ? [] : NO_CAPS;
    const outcome = evaluateRule(rule, context, earnedTotal, orderLevelTotal, orderBlockedBy);
    const record: RuleRecord = { rule, applied: false, reason: undefined, miss: outcome.miss, missLine: outcome.missLine, blockedBy: outcome.blockedBy, lines: outcome.lineIndexes, contribution: 0n, caps };
    records[r] = record;
    if (outcome.miss !== Miss.None) {
      record.reason = MISS_REASON[outcome.miss];
      continue;
    }
    const lineShares = outcome.lineShares;
    const lineShareCount = lineShares?.length ?? 0;
    let values: bigint[];
    if (outcome.orderShare === undefined) values = lineShares!;
    else if (lineShares === undefined) values = [outcome.orderShare];
    else values = [...lineShares, outcome.orderShare];
    let contribution = sum(values);

    // Per customer per calendar period: one application per order.
    let usageKey: string | undefined;
    if (rule.capPerCustomer) {
      local ??= compiled.clock.local(placedAt);
      usageKey = rule.capPerCustomer.usageKey(local);
      const used = usage[usageKey] ?? 0;
      usageRead[usageKey] = used;
      if (used >= rule.capPerCustomer.count) {
        caps.push({ kind: 'perCustomer', limit: rule.capPerCustomer.count, used, key: usageKey, effect: 'blocked' });
        record.miss = Miss.CapReached;
        record.reason = 'cap-reached';
        record.lines = undefined;
        continue;
      }
      caps.push({ kind: 'perCustomer', limit: rule.capPerCustomer.count, used, key: usageKey, effect: 'counted' });
    }
    const capPerOrder = rule.fixedPoint.capPerOrder;
    if (capPerOrder !== undefined && contribution > capPerOrder) {
      caps.push({ kind: 'perOrder', limit: rule.capPerOrder!.toNumber(), effect: 'reduced', uncapped: shareToString(contribution) });
      values = scaleTo(values, contribution, capPerOrder);
      contribution = sum(values);
    }
    if (rule.budget !== undefined) {
      const spent = campaignUsage[rule.id] ?? 0;
      campaignRead[rule.id] = spent;
      const remaining = BigInt(Math.max(0, rule.budget - spent)) * SCALE;
      if (remaining === 0n) {
        caps.push({ kind: 'budget', limit: rule.budget, used: spent, effect: 'blocked' });
        record.miss = Miss.BudgetExhausted;
        record.reason = 'budget-exhausted';
        record.lines = undefined;
        continue;
      }
      if (contribution > remaining) {
        caps.push({ kind: 'budget', limit: rule.budget, used: spent, effect: 'reduced', uncapped: shareToString(contribution) });
        values = scaleTo(values, contribution, remaining);
        contribution = sum(values);
      } else caps.push({ kind: 'budget', limit: rule.budget, used: spent, effect: 'counted' });
      campaignOut.push({ ruleId: rule.id, points: Number((contribution + SCALE - 1n) / SCALE) });
    }
    if (usageKey !== undefined) usageOut.push({ key: usageKey, count: 1 });

    const indexes = outcome.lineIndexes;
    for (let i = 0; i < lineShareCount; i += 1) {
      const index = indexes![i]!;
      const points = values[i]!;
      lineEarned[index] = lineEarned[index]! + points;
      lineRuleShares[index]!.push({ ruleId: rule.id, points });
      if (rule.exclusive && rule.scope === 'line') lineBlockedBy[index] = rule.id;
    }
    if (outcome.orderShare !== undefined) {
      orderShares.push({ ruleId: rule.id, points: values[lineShareCount]! });
      orderLevelTotal += values[lineShareCount]!;
    }
    earnedTotal += contribution;
    if (rule.exclusive && rule.scope === 'order') orderBlockedBy = rule.id;
    ruleIds.push(rule.id);
    record.applied = true;
    record.contribution = contribution;
  }

  // Tier multiplier on every share, then the program's per-order cap; the total is the sum of the final shares.
  const subtotal = earnedTotal;
  // One product for the whole order (subtotal × multiplier), spread over the shares in proportion.
  const raw = lineEarned.slice();
  for (const share of orderShares) raw.push(share.points);
  let finals = tierMultiplier === SCALE ? raw : scaleTo(raw, subtotal, mulDiv(subtotal, tierMultiplier, SCALE));
  let exact = sum(finals);
  let maxPerOrder: OrderTrace['maxPerOrder'];
  if (compiled.maxPerOrderShare !== undefined && exact > compiled.maxPerOrderShare) {
    maxPerOrder = { limit: compiled.maxPerOrder!.toNumber(), uncapped: shareToString(exact) };
    finals = scaleTo(finals, exact, compiled.maxPerOrderShare);
    exact = sum(finals);
  }
  const points = roundShare(exact, compiled.rounding);
  const evaluation: Evaluation = {
    priced, orderFacts, lineFacts, records, lineRuleShares, orderShares, finals, subtotal, exact,
    exactText: shareToString(exact), points, tierId, tierMultiplierText, maxPerOrder, placedAt,
  };
  return new ExactOrderPoints(compiled, evaluation, { usage: usageOut, campaignUsage: campaignOut, ruleIds, usageRead, campaignUsageRead: campaignRead });
}

/** The exact path's answer, with `lines`, `orderShares` and `trace` written on first read (and kept). */
class ExactOrderPoints extends OrderPointsAnswer {
  readonly #compiled: CompiledProgram;
  readonly #evaluation: Evaluation;
  #lines: LineShare[] | undefined;
  #orderShares: OrderShare[] | undefined;
  #trace: OrderTrace | undefined;

  constructor(compiled: CompiledProgram, evaluation: Evaluation, counters: OrderCounters) {
    super(evaluation.points, counters);
    this.#compiled = compiled;
    this.#evaluation = evaluation;
  }

  get exact(): string {
    return this.#evaluation.exactText;
  }

  get lines(): readonly LineShare[] {
    const { priced, finals, lineRuleShares } = this.#evaluation;
    return (this.#lines ??= priced.lines.map((line, i) => ({
      index: i,
      sku: line.facts.sku,
      amount: line.facts.amount.toString(),
      points: shareToString(finals[i]!),
      rules: lineRuleShares[i]!.map((s) => ({ ruleId: s.ruleId, points: shareToString(s.points) })),
    })));
  }

  get orderShares(): readonly OrderShare[] {
    const { priced, finals, orderShares } = this.#evaluation;
    const lineCount = priced.lines.length;
    return (this.#orderShares ??= orderShares.map((s, i) => ({ ruleId: s.ruleId, points: shareToString(finals[lineCount + i]!) })));
  }

  get trace(): OrderTrace {
    const evaluation = this.#evaluation;
    const compiled = this.#compiled;
    return (this.#trace ??= {
      placedAt: compiled.clock.format(evaluation.placedAt),
      rules: evaluation.records.map((record) => ruleTrace(record, evaluation)),
      lines: this.lines,
      orderShares: this.orderShares,
      subtotal: shareToString(evaluation.subtotal),
      tier: { id: evaluation.tierId ?? null, multiplier: evaluation.tierMultiplierText },
      ...(evaluation.maxPerOrder ? { maxPerOrder: evaluation.maxPerOrder } : {}),
      exact: evaluation.exactText,
      rounding: { mode: compiled.rounding, exact: evaluation.exactText, points: evaluation.points },
    });
  }
}

/** The sentence saying why a rule gave nothing. */
function missDetail(record: RuleRecord, evaluation: Evaluation): string | undefined {
  const { rule, missLine: i } = record;
  const sku = (): string => evaluation.priced.lines[i]!.facts.sku;
  switch (record.miss) {
    case Miss.None:
      return undefined;
    case Miss.NotValidYet:
      return 'the order was placed before valid.from';
    case Miss.Expired:
      return 'the order was placed after valid.until';
    case Miss.OrderBlocked:
      return `exclusive rule "${record.blockedBy}" applied first`;
    case Miss.OrderCondition:
      return rule.when!.explain(evaluation.orderFacts);
    case Miss.NoEligibleAmount:
      return 'no line counts towards this rule';
    case Miss.OrderNothingToMultiply:
      return 'the order earned nothing to multiply';
    case Miss.NoLines:
      return 'the order has no lines';
    case Miss.LineBlocked:
      return `line ${i}: exclusive rule "${record.blockedBy}" applied first`;
    case Miss.LineFilter:
      return `line ${i} (${sku()}) is excluded by the rule's line filter`;
    case Miss.LineCondition:
      return `line ${i} (${sku()}): ${rule.when!.explain(evaluation.lineFacts[i]!)}`;
    case Miss.LineNothingToMultiply:
      return `line ${i} (${sku()}) earned nothing to multiply`;
    case Miss.CapReached: {
      const used = record.caps[0]!.used!;
      const cap = rule.capPerCustomer!;
      return `already applied ${used} time${used === 1 ? '' : 's'} this ${describePeriod(cap.period)} (limit ${cap.count})`;
    }
    case Miss.BudgetExhausted:
      return `its budget of ${rule.budget} points is used up`;
  }
}

function ruleTrace(record: RuleRecord, evaluation: Evaluation): RuleTrace {
  const { rule } = record;
  const detail = missDetail(record, evaluation);
  return {
    ruleId: rule.id,
    name: rule.name,
    scope: rule.scope,
    award: rule.kind,
    applied: record.applied,
    ...(record.reason ? { reason: record.reason } : {}),
    ...(detail ? { detail } : {}),
    points: shareToString(record.contribution),
    ...(record.lines ? { lines: record.lines } : {}),
    ...(record.caps.length > 0 ? { caps: record.caps } : {}),
  };
}

/** `amount ÷ per × points` as a share: amount and per are both shares, so the scale is put back once. */
function pointsPerShare(amount: bigint, rule: CompiledRule): bigint {
  return (amount * rule.fixedPoint.perPoints * SCALE) / rule.fixedPoint.per;
}

/** What {@link evaluateRule} reads and shares between rules of one evaluation. */
interface RuleContext {
  readonly placedAt: number;
  readonly priced: PricedOrder;
  readonly orderFacts: EvaluationFacts;
  readonly lineFacts: readonly EvaluationFacts[];
  readonly lineEarned: readonly bigint[];
  readonly eligibleByFilter: Array<{ amount: bigint; lines: number[] } | undefined>;
  readonly lineBlockedBy: ReadonlyArray<string | undefined>;
}

function missed(miss: Miss, missLine = -1, blockedBy?: string): Outcome {
  return { miss, missLine, blockedBy, lineIndexes: undefined, lineShares: undefined, orderShare: undefined };
}

function applied(lineIndexes: number[] | undefined, lineShares: bigint[] | undefined, orderShare: bigint | undefined): Outcome {
  return { miss: Miss.None, missLine: -1, blockedBy: undefined, lineIndexes, lineShares, orderShare };
}

function evaluateRule(rule: CompiledRule, context: RuleContext, earnedSoFar: bigint, orderLevelSoFar: bigint, orderBlockedBy: string | undefined): Outcome {
  const { placedAt, priced } = context;
  if (rule.validFrom !== undefined && placedAt < rule.validFrom) return missed(Miss.NotValidYet);
  if (rule.validUntil !== undefined && placedAt >= rule.validUntil) return missed(Miss.Expired);
  if (rule.scope === 'order') {
    if (orderBlockedBy !== undefined) return missed(Miss.OrderBlocked, -1, orderBlockedBy);
    if (rule.when && !rule.when.test(context.orderFacts)) return missed(Miss.OrderCondition);
    switch (rule.kind) {
      case 'points':
        return applied(undefined, undefined, rule.fixedPoint.fixed);
      case 'pointsPer': {
        // Attributed to the lines it counts, so each line's share says what its own spend earned.
        let eligible = context.eligibleByFilter[rule.filterId];
        if (!eligible) {
          const lines: number[] = [];
          let amount = 0n;
          for (const line of priced.lines) {
            if (rule.lineEligible(line.facts)) {
              lines.push(line.index);
              amount += line.amountShare;
            }
          }
          eligible = { amount, lines };
          context.eligibleByFilter[rule.filterId] = eligible;
        }
        if (eligible.amount === 0n) return missed(Miss.NoEligibleAmount);
        const shares = new Array<bigint>(eligible.lines.length);
        for (let i = 0; i < shares.length; i += 1) shares[i] = pointsPerShare(priced.lines[eligible.lines[i]!]!.amountShare, rule);
        return applied(eligible.lines, shares, undefined);
      }
      case 'multiplier': {
        // Multiplies each line's earnings and the order-level points so far.
        if (earnedSoFar === 0n) return missed(Miss.OrderNothingToMultiply);
        const indexes: number[] = [];
        const shares: bigint[] = [];
        const { lineEarned } = context;
        for (let index = 0; index < lineEarned.length; index += 1) {
          const value = lineEarned[index]!;
          if (value !== 0n) {
            indexes.push(index);
            shares.push(mulDiv(value, rule.fixedPoint.extraFactor, SCALE));
          }
        }
        return applied(indexes, shares, orderLevelSoFar === 0n ? undefined : mulDiv(orderLevelSoFar, rule.fixedPoint.extraFactor, SCALE));
      }
    }
  }
  let indexes: number[] | undefined;
  let shares: bigint[] | undefined;
  // The first line that missed, and how: the sentence is only written for the trace.
  let miss = Miss.NoLines;
  let missLine = -1;
  let blockedBy: string | undefined;
  const { lineBlockedBy, lineFacts, lineEarned } = context;
  const when = rule.when;
  for (const line of priced.lines) {
    const i = line.index;
    const blocker = lineBlockedBy[i];
    let lineMiss = Miss.None;
    let points = 0n;
    if (blocker !== undefined) lineMiss = Miss.LineBlocked;
    else if (!rule.lineEligible(line.facts)) lineMiss = Miss.LineFilter;
    else if (when && !when.test(lineFacts[i]!)) lineMiss = Miss.LineCondition;
    else if (rule.kind === 'pointsPer') points = pointsPerShare(line.amountShare, rule);
    else if (rule.kind === 'points') points = rule.fixedPoint.fixed;
    else {
      points = mulDiv(lineEarned[i]!, rule.fixedPoint.extraFactor, SCALE);
      if (points === 0n) lineMiss = Miss.LineNothingToMultiply;
    }
    if (lineMiss !== Miss.None) {
      if (missLine < 0) {
        miss = lineMiss;
        missLine = i;
        blockedBy = blocker;
      }
      continue;
    }
    (indexes ??= []).push(i);
    (shares ??= []).push(points);
  }
  if (indexes === undefined) return missed(miss, missLine, blockedBy);
  return applied(indexes, shares, undefined);
}
