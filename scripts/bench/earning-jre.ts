/**
 * The same earning program, run the way a team would build it on json-rules-engine: the engine decides which rules
 * fire (conditions, line filters, validity windows, all expressed as json-rules-engine conditions over flat facts),
 * and hand-written code applies what fired — points per amount, fixed points, multipliers, caps per order, per
 * customer per month and campaign budgets, the tier multiplier from the customer's order history, one rounding.
 *
 * It covers the features scripts/bench/rules.ts's generator uses and refuses anything else, so the two contenders
 * always compute the same program. The arithmetic is the program's own: amounts are decimal.js, shares of points
 * are fixed-point integers of 10^-20 point truncated at each step (as @purna/rules defines them), so both sides give
 * identical points, which rules-section.ts checks on a sample before timing.
 */
import { Engine, type NestedCondition, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { DateTime } from 'luxon';
import { Decimal, type CustomerHistory, type OrderInput } from '@purna/rules';

/** A share of points: an integer count of 10^-20 points (the rules' fixed-point shares). */
const SCALE = 10n ** 20n;

function toShare(value: string | number | InstanceType<typeof Decimal>): bigint {
  return BigInt(new Decimal(value).toFixed(20, Decimal.ROUND_DOWN).replace('.', ''));
}

function mulDiv(a: bigint, b: bigint, c: bigint): bigint {
  return (a * b) / c;
}

interface Leaf {
  fact: string;
  op: string;
  value: unknown;
}
type Condition = Leaf | { all: Condition[] } | { any: Condition[] } | { not: Condition };

interface LineFilter {
  category?: string[];
  brand?: string[];
  sku?: string[];
}

/** The part of a program this contender understands (what the generator writes). */
interface EarningRuleJson {
  id: string;
  scope: 'line' | 'order';
  when?: Condition;
  appliesTo?: LineFilter;
  exclude?: LineFilter;
  award: { pointsPer?: { amount: string; points: number }; points?: number; multiplier?: string };
  cap?: { perOrder?: number; perCustomer?: { count: number; period: { months?: number } }; budget?: { points: number } };
  valid?: { from?: string; until?: string };
  priority?: number;
  exclusive?: boolean;
}

interface ProgramJson {
  timezone: string;
  points: { rounding?: string };
  tiers?: {
    basis: string;
    window: { type: string; months?: number };
    levels: Array<{ id: string; threshold: string; multiplier?: string }>;
    downgrade?: { graceMonths?: number };
  };
  earning: EarningRuleJson[];
  maxPointsPerOrder?: number;
}

/** What a quote needs: the customer, the order and the history summary, as Purna takes them. */
export interface JreQuoteInput {
  readonly customer: { readonly id: string; readonly tags?: readonly string[] };
  readonly order: OrderInput;
  readonly history: CustomerHistory;
}

const OPERATORS: Record<string, string> = {
  eq: 'equal',
  ne: 'notEqual',
  lt: 'lessThan',
  lte: 'lessThanInclusive',
  gt: 'greaterThan',
  gte: 'greaterThanInclusive',
  nin: 'notIn',
};
const ARRAY_FACTS = new Set(['customer.tags']);
const NUMERIC_FACTS = new Set(['line.amount', 'order.total', 'line.quantity', 'time.dayOfWeek']);

function unsupported(what: string): never {
  throw new Error(`earning-jre: ${what} is not part of the benchmark program`);
}

/** A Purna condition as a json-rules-engine condition over flat facts (`line.amount` → `line_amount`). */
function toJre(condition: Condition): NestedCondition {
  if ('all' in condition) return { all: condition.all.map(toJre) };
  if ('any' in condition) return { any: condition.any.map(toJre) };
  if ('not' in condition) return { not: toJre(condition.not) };
  const fact = condition.fact.replace('.', '_');
  const value = NUMERIC_FACTS.has(condition.fact) && typeof condition.value === 'string' ? Number(condition.value) : condition.value;
  if (condition.op === 'in') return { fact, operator: ARRAY_FACTS.has(condition.fact) ? 'intersects' : 'in', value: value as never };
  const operator = OPERATORS[condition.op] ?? unsupported(`operator ${condition.op}`);
  if (ARRAY_FACTS.has(condition.fact)) unsupported(`operator ${condition.op} on ${condition.fact}`);
  return { fact, operator, value: value as never };
}

function filterConditions(rule: EarningRuleJson): NestedCondition[] {
  const out: NestedCondition[] = [];
  for (const [key, list] of Object.entries(rule.appliesTo ?? {})) out.push({ fact: `line_${key}`, operator: 'in', value: list as never });
  for (const [key, list] of Object.entries(rule.exclude ?? {})) out.push({ fact: `line_${key}`, operator: 'notIn', value: list as never });
  return out;
}

function lineMatches(rule: EarningRuleJson, line: object): boolean {
  const fields = line as Record<string, unknown>;
  for (const [key, list] of Object.entries(rule.appliesTo ?? {})) if (!(list as string[]).includes(fields[key] as string)) return false;
  for (const [key, list] of Object.entries(rule.exclude ?? {})) if ((list as string[]).includes(fields[key] as string)) return false;
  return true;
}

/** Shares scaled to add up to `target` exactly (truncated); the last non-zero share takes the remainder. */
function scaleTo(values: readonly bigint[], total: bigint, target: bigint): bigint[] {
  if (total === 0n) return values.map(() => 0n);
  const scaled = values.map((v) => mulDiv(v, target, total));
  const last = values.map((v) => v !== 0n).lastIndexOf(true);
  if (last >= 0) scaled[last] = scaled[last]! + (target - scaled.reduce((s, v) => s + v, 0n));
  return scaled;
}

interface PreparedRule {
  readonly json: EarningRuleJson;
  readonly kind: 'pointsPer' | 'points' | 'multiplier';
  /** Fixed-point constants of the award: amount per, points per, fixed points, multiplier − 1. */
  readonly per: bigint;
  readonly perPoints: bigint;
  readonly fixed: bigint;
  readonly extra: bigint;
}

/**
 * The program on json-rules-engine: one engine for line-scope rules (run once per line) and one for order-scope
 * rules (run once per order), and the award code around them.
 */
export class JreEarning {
  readonly #program: ProgramJson;
  readonly #lineEngine = new Engine([], { allowUndefinedFacts: true });
  readonly #orderEngine = new Engine([], { allowUndefinedFacts: true });
  readonly #rules: PreparedRule[];

  constructor(programJson: unknown) {
    this.#program = programJson as ProgramJson;
    const intersects = (actual: unknown, wanted: unknown) => Array.isArray(actual) && Array.isArray(wanted) && actual.some((tag) => wanted.includes(tag));
    for (const engine of [this.#lineEngine, this.#orderEngine]) engine.addOperator('intersects', intersects);
    if (this.#program.maxPointsPerOrder !== undefined) unsupported('maxPointsPerOrder');
    if ((this.#program.points.rounding ?? 'floor') !== 'floor') unsupported('a rounding other than floor');
    const prepared = this.#program.earning.map((json): PreparedRule => {
      if (json.priority !== undefined || json.exclusive) unsupported('priority or exclusive');
      if (json.cap?.perCustomer && json.cap.perCustomer.period.months !== 1) unsupported('a per-customer period other than a month');
      const kind = json.award.pointsPer ? 'pointsPer' : json.award.points !== undefined ? 'points' : 'multiplier';
      const all: NestedCondition[] = [];
      if (json.valid?.from) all.push({ fact: 'placedAt', operator: 'greaterThanInclusive', value: Date.parse(json.valid.from) });
      if (json.valid?.until) all.push({ fact: 'placedAt', operator: 'lessThan', value: Date.parse(json.valid.until) });
      if (json.scope === 'line') all.push(...filterConditions(json));
      if (json.when) all.push(toJre(json.when));
      const conditions: TopLevelCondition = { all };
      const rule: RuleProperties = { name: json.id, conditions, event: { type: json.id } };
      (json.scope === 'line' ? this.#lineEngine : this.#orderEngine).addRule(rule);
      return {
        json,
        kind,
        per: json.award.pointsPer ? toShare(json.award.pointsPer.amount) : 1n,
        perPoints: BigInt(json.award.pointsPer?.points ?? 0),
        fixed: BigInt(json.award.points ?? 0) * SCALE,
        extra: json.award.multiplier ? toShare(new Decimal(json.award.multiplier).minus(1)) : 0n,
      };
    });
    // Base awards in program order, then multipliers in program order: what a multiplier multiplies is known.
    this.#rules = [...prepared.filter((r) => r.kind !== 'multiplier'), ...prepared.filter((r) => r.kind === 'multiplier')];
  }

  /** Builds the engines for `programJson` (for compile-time comparisons). */
  static build(programJson: unknown): JreEarning {
    return new JreEarning(programJson);
  }

  /** The points the order earns. */
  async quote(input: JreQuoteInput): Promise<number> {
    return (await this.quoteWithShares(input)).points;
  }

  /** The points and each applied rule's contribution before the tier multiplier (to locate a disagreement). */
  async quoteWithShares(input: JreQuoteInput): Promise<{ points: number; contributions: Record<string, bigint> }> {
    const contributions: Record<string, bigint> = {};
    const { order, customer, history } = input;
    const zone = this.#program.timezone;
    const placed = DateTime.fromISO(order.placedAt ?? unsupported('an order without placedAt'), { zone });
    if (!placed.isValid) throw new Error(`earning-jre: invalid placedAt ${order.placedAt}`);
    const placedAt = placed.toMillis();
    const month = placed.toFormat('yyyy-MM');
    const amounts = order.lines.map((l) => new Decimal(l.unitPrice).times(l.quantity).minus(l.discount ?? '0'));
    const amountShares = amounts.map((a) => toShare(a));
    const total = amounts.reduce((s, a) => s.plus(a), new Decimal(0));
    const orderFacts = {
      placedAt,
      order_total: total.toNumber(),
      order_channel: order.channel,
      customer_tags: customer.tags ?? [],
      time_dayOfWeek: placed.weekday,
    };
    const lineFired = await Promise.all(
      order.lines.map(async (line, i) => {
        const facts = { ...orderFacts, line_amount: amounts[i]!.toNumber(), line_quantity: line.quantity, line_brand: line.brand, line_category: line.category, line_sku: line.sku };
        const { events } = await this.#lineEngine.run(facts);
        return new Set(events.map((e) => e.type));
      }),
    );
    const orderFired = new Set((await this.#orderEngine.run(orderFacts)).events.map((e) => e.type));

    const lineEarned = amounts.map(() => 0n);
    let earned = 0n;
    let orderPoints = 0n;
    for (const { json, kind, per, perPoints, fixed, extra } of this.#rules) {
      let shares: Array<{ index: number; points: bigint }> = [];
      if (json.scope === 'line') {
        order.lines.forEach((_, i) => {
          if (!lineFired[i]!.has(json.id)) return;
          const points = kind === 'pointsPer' ? (amountShares[i]! * perPoints * SCALE) / per : kind === 'points' ? fixed : mulDiv(lineEarned[i]!, extra, SCALE);
          if (kind === 'multiplier' && points === 0n) return;
          shares.push({ index: i, points });
        });
      } else if (orderFired.has(json.id)) {
        // Order-level awards: fixed points belong to the order; points per amount are attributed to the lines they
        // count; a multiplier multiplies every line's earnings and the order-level points so far.
        if (kind === 'points') shares = [{ index: -1, points: fixed }];
        else if (kind === 'pointsPer') {
          let eligible = new Decimal(0);
          order.lines.forEach((line, i) => {
            if (!lineMatches(json, line)) return;
            eligible = eligible.plus(amounts[i]!);
            shares.push({ index: i, points: (amountShares[i]! * perPoints * SCALE) / per });
          });
          if (eligible.isZero()) shares = [];
        } else if (earned !== 0n) {
          lineEarned.forEach((value, i) => {
            if (value !== 0n) shares.push({ index: i, points: mulDiv(value, extra, SCALE) });
          });
          if (orderPoints !== 0n) shares.push({ index: -1, points: mulDiv(orderPoints, extra, SCALE) });
        }
      }
      if (shares.length === 0) continue;
      let values = shares.map((s) => s.points);
      let contribution = values.reduce((s, v) => s + v, 0n);
      const perCustomer = json.cap?.perCustomer;
      if (perCustomer && (history.usage[`earn:${json.id}:${month}`] ?? 0) >= perCustomer.count) continue;
      if (json.cap?.perOrder !== undefined && contribution > BigInt(json.cap.perOrder) * SCALE) {
        values = scaleTo(values, contribution, BigInt(json.cap.perOrder) * SCALE);
        contribution = BigInt(json.cap.perOrder) * SCALE;
      }
      if (json.cap?.budget) {
        const remaining = BigInt(Math.max(0, json.cap.budget.points - (history.campaignUsage?.[json.id] ?? 0))) * SCALE;
        if (remaining === 0n) continue;
        if (contribution > remaining) {
          values = scaleTo(values, contribution, remaining);
          contribution = remaining;
        }
      }
      shares.forEach((share, i) => {
        if (share.index >= 0) lineEarned[share.index] = lineEarned[share.index]! + values[i]!;
        else orderPoints += values[i]!;
      });
      earned += contribution;
      contributions[json.id] = contribution;
    }
    // The tier multiplier on the whole order at once, truncated; then one floor rounding.
    const multiplier = this.#tierMultiplier(history, placed);
    const exact = multiplier === SCALE ? earned : mulDiv(earned, multiplier, SCALE);
    return { points: Number(exact / SCALE), contributions };
  }

  /** The multiplier of the tier held just before the order: spend over the rolling window, with the grace period. */
  #tierMultiplier(history: CustomerHistory, placed: DateTime): bigint {
    const tiers = this.#program.tiers;
    if (!tiers) return SCALE;
    if (tiers.basis !== 'spend' || tiers.window.type !== 'rolling') unsupported('a tier basis other than spend over a rolling window');
    const zone = this.#program.timezone;
    const at = placed.toMillis();
    const orders = history.orders
      .map((o) => {
        const from = DateTime.fromISO(o.placedAt, { zone });
        return { from: from.toMillis(), until: from.plus({ months: tiers.window.months ?? 12 }).toMillis(), spend: new Decimal(o.tierSpend) };
      })
      .filter((o) => o.from <= at);
    const graceStart = placed.minus({ months: tiers.downgrade?.graceMonths ?? 0 }).toMillis();
    const moments = [graceStart, ...orders.filter((o) => o.from > graceStart).map((o) => o.from)];
    let best = -1;
    for (const t of moments) {
      const spend = orders.reduce((s, o) => (o.from <= t && t < o.until ? s.plus(o.spend) : s), new Decimal(0));
      for (let i = tiers.levels.length - 1; i > best; i -= 1) {
        if (spend.gte(tiers.levels[i]!.threshold)) {
          best = i;
          break;
        }
      }
    }
    return toShare(best >= 0 ? (tiers.levels[best]!.multiplier ?? '1') : '1');
  }
}
