/**
 * computeOrderPoints: the points of one order for a given tier and cap state (SEMANTICS rules 1-3). quoteOrder
 * calls it after determining the tier; a return re-runs it with the order's stored snapshot.
 *
 * The work itself is the rule loop (rule-loop.ts), run over the fast path's numbers when they can answer for sure
 * (fast-points.ts) and over exact shares otherwise (share-arithmetic.ts). This file chooses the path, and keeps what
 * the exact run decided, as data, to write the trace only when someone reads it.
 */
import type { EvaluationFacts, LineFacts } from '../../conditions/facts.js';
import type { CustomerInput } from '../../input/customer-input.js';
import type { OrderInput } from '../../input/order-input.js';
import type { InstantLike } from '../../time.js';
import type { CompiledProgram, CompiledRule } from '../compiled-program.js';
import type { LineShare, OrderShare, OrderTrace, RuleReasonCode, RuleTrace, CapTrace } from './order-trace.js';
import { sentence, type Sentence } from '../../messages/sentence.js';
import { quoteDetailed } from '../../messages/quote-english.js';
import { priceOrder, type PricedOrder } from './price-order.js';
import { fastOrderPoints, fastTierSpend, priceOrderFast, type FastPoints } from './fast-points.js';
import { Decimal } from '../../money/money.js';
import { mulDiv, SCALE, scaleTo, shareToString } from '../../money/shares.js';
import { Miss, runRules, type RuleRecorder } from './rule-loop.js';
import { ShareArithmetic } from './share-arithmetic.js';

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

/** What one rule did in one evaluation: numbers and references only, no text. */
interface RuleRecord {
  readonly rule: CompiledRule;
  readonly applied: boolean;
  readonly reason: RuleReasonCode | undefined;
  readonly miss: Miss;
  /** The line a line-rule miss is about. */
  readonly missLine: number;
  /** The exclusive rule that blocked this one. */
  readonly blockedBy: string | undefined;
  /** Line indexes the rule applied to (line rules; order pointsPer: the lines it counted). */
  readonly lines: readonly number[] | undefined;
  /** Points the rule gave before the tier multiplier, after its caps. */
  readonly contribution: bigint;
  readonly caps: readonly CapTrace[];
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
  readonly records: readonly RuleRecord[];
  /** Each line's earnings per rule before the tier multiplier. */
  readonly lineRuleShares: ReadonlyArray<ReadonlyArray<{ readonly ruleId: string; readonly points: bigint }>>;
  readonly orderShares: ReadonlyArray<{ readonly ruleId: string; readonly points: bigint }>;
  /** What each line earned before the tier multiplier. */
  readonly lineEarned: readonly bigint[];
  readonly subtotal: bigint;
  /** The points after the tier multiplier, before the program's per-order cap. */
  readonly beforeCap: bigint;
  readonly exact: bigint;
  readonly exactText: string;
  readonly points: number;
  readonly tierId: string | undefined;
  readonly tierMultiplier: bigint;
  readonly tierMultiplierText: string;
  readonly placedAt: number;
}

/** Options of {@link computeOrderPoints} (and of quoteOrder). */
export interface OrderPointsOptions {
  /** When the question is asked; the order's `placedAt` (default `at`) decides which rules are valid. */
  readonly at: InstantLike;
  /**
   * True when the caller will read `exact`, `lines`, `orderShares` or `trace` (an explanation, a ledger entry, a
   * simulation's per-rule totals): the answer then comes from the exact path at once. Without it the fast path
   * answers when it can, and reading one of those fields later runs the exact path as well, so that a caller who
   * only wants the points (a checkout's quote) never pays for the trace, and one who reads it pays for one run.
   */
  readonly trace?: boolean;
}

/**
 * The points of one order with a given tier and counters. Pure.
 *
 * The trace (and `lines`, `orderShares`) is written the first time it is read, from the evaluation's own facts:
 * quoting for points alone never pays for the sentences. Pass `trace: true` when you will read it (see
 * {@link OrderPointsOptions}). Treat the order and customer passed in as frozen until the trace has been read.
 *
 * @example
 * const r = computeOrderPoints(compiled, { order, tierId: 'silver', usage: {} }, { at: order.placedAt });
 * r.points; // 231 for o-1003 of the scenario: 185 × 1.25 = 231.25, floored
 * computeOrderPoints(compiled, { order, tierId: 'silver' }, { at: order.placedAt, trace: true }).trace.rules;
 */
export function computeOrderPoints(compiled: CompiledProgram, input: ComputeOrderPointsInput, options: OrderPointsOptions): OrderPoints {
  const atMs = compiled.clock.millis(options.at, '/at');
  const placedAt = input.order.placedAt !== undefined ? compiled.clock.millis(input.order.placedAt, '/order/placedAt') : atMs;
  return evaluateOrderPoints(compiled, input, input.order, placedAt, options.trace === true).result;
}

/** An order's points, and its contribution to the tier basis (spend of lines not excluded by `tiers.exclude`). */
export interface EvaluatedOrder {
  readonly result: OrderPoints;
  readonly tierSpend: () => string;
}

/**
 * The points of an order placed at `placedAt`: the fast path (fast-points.ts) when it can answer for sure, the
 * exact path otherwise, or at once with `exact` (a caller who will read the trace). On the fast path, `exact`,
 * `lines`, `orderShares` and `trace` come from the exact path the first time one of them is read, which must give
 * the same points (checked: a difference throws).
 */
export function evaluateOrderPoints(compiled: CompiledProgram, input: Omit<ComputeOrderPointsInput, 'order'>, order: OrderInput, placedAt: number, exact = false): EvaluatedOrder {
  const fastPriced = compiled.fastPath && !exact ? priceOrderFast(compiled, order) : undefined;
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

/** {@link computeOrderPoints} for an order already priced, placed at `placedAt` (epoch ms): the exact path. */
export function computePricedOrderPoints(compiled: CompiledProgram, input: Omit<ComputeOrderPointsInput, 'order'>, priced: PricedOrder, placedAt: number): OrderPoints {
  const lineCount = priced.lines.length;
  const amounts = new Array<bigint>(lineCount);
  const lineFacts = new Array<LineFacts>(lineCount);
  for (let i = 0; i < lineCount; i += 1) {
    amounts[i] = priced.lines[i]!.amountShare;
    lineFacts[i] = priced.lines[i]!.facts;
  }
  const shares = new ShareArithmetic(amounts);
  const records = new RuleRecords(compiled, shares, lineCount);
  const decided = runRules(compiled, input, priced.facts, lineFacts, placedAt, shares, records);
  const tierId = input.tierId ?? undefined;
  const level = tierId === undefined ? undefined : compiled.tiers?.byId.get(tierId);
  const evaluation: Evaluation = {
    priced,
    orderFacts: records.orderFacts!,
    records: records.records,
    lineRuleShares: records.lineRuleShares,
    orderShares: records.orderShares,
    lineEarned: shares.lineEarned,
    subtotal: shares.earnedTotal,
    beforeCap: shares.beforeCap,
    exact: shares.exact,
    exactText: shareToString(shares.exact),
    points: decided.points,
    tierId,
    tierMultiplier: level?.multiplierShare ?? SCALE,
    tierMultiplierText: level ? level.multiplier.toString() : '1',
    placedAt,
  };
  return new ExactOrderPoints(compiled, evaluation, decided);
}

/** The exact run's {@link RuleRecorder}: what each rule did, as numbers and references, no text. */
class RuleRecords implements RuleRecorder {
  readonly records: RuleRecord[];
  readonly lineRuleShares: Array<Array<{ ruleId: string; points: bigint }>>;
  readonly orderShares: Array<{ ruleId: string; points: bigint }> = [];
  orderFacts: EvaluationFacts | undefined;
  readonly #compiled: CompiledProgram;
  readonly #shares: ShareArithmetic;
  /** The current rule's caps so far. */
  #caps: CapTrace[] = NO_CAPS;

  constructor(compiled: CompiledProgram, shares: ShareArithmetic, lineCount: number) {
    this.#compiled = compiled;
    this.#shares = shares;
    this.records = new Array<RuleRecord>(compiled.rules.length);
    this.lineRuleShares = new Array<Array<{ ruleId: string; points: bigint }>>(lineCount);
    for (let i = 0; i < lineCount; i += 1) this.lineRuleShares[i] = [];
  }

  begin(orderFacts: EvaluationFacts): void {
    this.orderFacts = orderFacts;
  }

  missed(r: number, miss: Miss, line: number, blockedBy: string | undefined): void {
    this.records[r] = { rule: this.#compiled.rules[r]!, applied: false, reason: MISS_REASON[miss], miss, missLine: line, blockedBy, lines: undefined, contribution: 0n, caps: this.#takeCaps() };
  }

  perCustomerCap(limit: number, used: number, key: string, blocked: boolean): void {
    this.#cap({ kind: 'perCustomer', limit, used, key, effect: blocked ? 'blocked' : 'counted' });
  }

  perOrderCapped(limit: number): void {
    this.#cap({ kind: 'perOrder', limit, effect: 'reduced', uncapped: shareToString(this.#shares.uncapped) });
  }

  budgetCap(limit: number, used: number, effect: 'blocked' | 'reduced' | 'counted'): void {
    this.#cap(effect === 'reduced' ? { kind: 'budget', limit, used, effect, uncapped: shareToString(this.#shares.uncapped) } : { kind: 'budget', limit, used, effect });
  }

  applied(r: number, indexes: readonly number[], lineShares: number, orderShare: boolean): void {
    const rule = this.#compiled.rules[r]!;
    const { values, contribution } = this.#shares;
    for (let k = 0; k < lineShares; k += 1) this.lineRuleShares[indexes[k]!]!.push({ ruleId: rule.id, points: values[k]! });
    if (orderShare) this.orderShares.push({ ruleId: rule.id, points: values[lineShares]! });
    // Line rules and order pointsPer and multipliers name the lines they counted; fixed order points name none.
    const lines = rule.scope === 'order' && rule.kind === 'points' ? undefined : indexes.slice(0, lineShares);
    this.records[r] = { rule, applied: true, reason: undefined, miss: Miss.None, missLine: -1, blockedBy: undefined, lines, contribution, caps: this.#takeCaps() };
  }

  #cap(trace: CapTrace): void {
    if (this.#caps === NO_CAPS) this.#caps = [];
    this.#caps.push(trace);
  }

  /** The current rule's caps, and none for the next rule. */
  #takeCaps(): CapTrace[] {
    const caps = this.#caps;
    this.#caps = NO_CAPS;
    return caps;
  }
}

/** The exact path's answer, with `lines`, `orderShares` and `trace` written on first read (and kept). */
class ExactOrderPoints extends OrderPointsAnswer {
  readonly #compiled: CompiledProgram;
  readonly #evaluation: Evaluation;
  #finals: readonly bigint[] | undefined;
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
    const { priced, lineRuleShares } = this.#evaluation;
    const finals = this.#finalShares();
    return (this.#lines ??= priced.lines.map((line, i) => ({
      index: i,
      sku: line.facts.sku,
      amount: line.facts.amount.toString(),
      points: shareToString(finals[i]!),
      rules: lineRuleShares[i]!.map((s) => ({ ruleId: s.ruleId, points: shareToString(s.points) })),
    })));
  }

  get orderShares(): readonly OrderShare[] {
    const { priced, orderShares } = this.#evaluation;
    const finals = this.#finalShares();
    const lineCount = priced.lines.length;
    return (this.#orderShares ??= orderShares.map((s, i) => ({ ruleId: s.ruleId, points: shareToString(finals[lineCount + i]!) })));
  }

  get trace(): OrderTrace {
    const evaluation = this.#evaluation;
    const compiled = this.#compiled;
    const capped = evaluation.exact !== evaluation.beforeCap;
    return (this.#trace ??= {
      placedAt: compiled.clock.format(evaluation.placedAt),
      rules: evaluation.records.map((record) => ruleTrace(record, evaluation)),
      lines: this.lines,
      orderShares: this.orderShares,
      subtotal: shareToString(evaluation.subtotal),
      tier: { id: evaluation.tierId ?? null, multiplier: evaluation.tierMultiplierText },
      ...(capped ? { maxPerOrder: { limit: compiled.maxPerOrder!.toNumber(), uncapped: shareToString(evaluation.beforeCap) } } : {}),
      exact: evaluation.exactText,
      rounding: { mode: compiled.rounding, exact: evaluation.exactText, points: evaluation.points },
    });
  }

  /**
   * Each line's and each order share's final points: the tier multiplier and the program's cap spread over the shares
   * in proportion (each truncated, the last non-zero one taking the rest), so they add up to `exact`.
   */
  #finalShares(): readonly bigint[] {
    if (this.#finals) return this.#finals;
    const { lineEarned, orderShares, subtotal, tierMultiplier, beforeCap, exact } = this.#evaluation;
    const raw = [...lineEarned, ...orderShares.map((s) => s.points)];
    let finals = tierMultiplier === SCALE ? raw : scaleTo(raw, subtotal, mulDiv(subtotal, tierMultiplier, SCALE));
    if (exact !== beforeCap) finals = scaleTo(finals, beforeCap, exact);
    return (this.#finals = finals);
  }
}

/** The sentence saying why a rule gave nothing. */
function missDetail(record: RuleRecord, evaluation: Evaluation): Sentence | undefined {
  const { rule, missLine: line } = record;
  const sku = (): string => evaluation.priced.lines[line]!.facts.sku;
  switch (record.miss) {
    case Miss.None:
      return undefined;
    case Miss.NotValidYet:
      return sentence(rule.earlyAccess ? 'rule.before-valid-from-early-access' : 'rule.before-valid-from');
    case Miss.Expired:
      return sentence('rule.after-valid-until');
    case Miss.OrderBlocked:
      return sentence('rule.exclusive-applied', { ruleId: record.blockedBy ?? '' });
    case Miss.OrderCondition:
      return rule.when!.explain(evaluation.orderFacts);
    case Miss.NoEligibleAmount:
      return sentence('rule.no-line-counts');
    case Miss.OrderNothingToMultiply:
      return sentence('rule.nothing-to-multiply');
    case Miss.NoLines:
      return sentence('rule.no-lines');
    case Miss.LineBlocked:
      return sentence('rule.line-exclusive-applied', { line, ruleId: record.blockedBy ?? '' });
    case Miss.LineFilter:
      return sentence('rule.line-filtered', { line, sku: sku() });
    case Miss.LineCondition:
      return sentence('rule.line-condition', { line, sku: sku(), condition: rule.when!.explain({ ...evaluation.orderFacts, line: evaluation.priced.lines[line]!.facts }) });
    case Miss.LineNothingToMultiply:
      return sentence('rule.line-nothing-to-multiply', { line, sku: sku() });
    case Miss.CapReached: {
      const cap = rule.capPerCustomer!;
      return sentence('rule.cap-reached', { used: record.caps[0]!.used!, period: cap.period ?? null, limit: cap.count });
    }
    case Miss.BudgetExhausted:
      return sentence('rule.budget-used-up', { budget: rule.budget ?? 0 });
  }
}

function ruleTrace(record: RuleRecord, evaluation: Evaluation): RuleTrace {
  const { rule } = record;
  return {
    ruleId: rule.id,
    name: rule.name,
    scope: rule.scope,
    award: rule.kind,
    applied: record.applied,
    ...(record.reason ? { reason: record.reason } : {}),
    ...quoteDetailed(missDetail(record, evaluation)),
    points: shareToString(record.contribution),
    ...(record.lines ? { lines: record.lines } : {}),
    ...(record.caps.length > 0 ? { caps: record.caps } : {}),
  };
}
