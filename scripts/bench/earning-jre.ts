/**
 * The same earning program, run the way a team would build it on json-rules-engine: the engine decides which rules
 * fire (conditions, line filters, validity windows, all expressed as json-rules-engine conditions over flat facts),
 * and hand-written code applies what fired — points per amount, fixed points, multipliers, caps per order, per
 * customer per month and campaign budgets, the tier multiplier from the customer's order history, one rounding.
 *
 * It covers the features scripts/bench/rules.ts's generator uses and refuses anything else, so the two contenders
 * always compute the same program. Money is decimal.js here too (the engine only compares numbers), so both sides
 * give identical points, which run.ts checks on a sample before timing.
 */
import { Engine, type NestedCondition, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { DateTime } from 'luxon';
import { Decimal, type CustomerHistory, type OrderInput } from '@purna/rules';

type DecimalValue = InstanceType<typeof Decimal>;

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

/** Shares scaled to add up to `target` exactly; the last non-zero share takes the remainder (as Purna does). */
function scaleTo(values: DecimalValue[], total: DecimalValue, target: DecimalValue): DecimalValue[] {
  const factor = target.div(total);
  const scaled = values.map((v) => v.times(factor));
  const last = values.map((v) => !v.isZero()).lastIndexOf(true);
  if (last >= 0) scaled[last] = scaled.reduce((rest, v, i) => (i === last ? rest : rest.minus(v)), target);
  return scaled;
}

interface PreparedRule {
  readonly json: EarningRuleJson;
  readonly kind: 'pointsPer' | 'points' | 'multiplier';
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
      return { json, kind };
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
  async quoteWithShares(input: JreQuoteInput): Promise<{ points: number; contributions: Record<string, string> }> {
    const contributions: Record<string, string> = {};
    const { order, customer, history } = input;
    const zone = this.#program.timezone;
    const placed = DateTime.fromISO(order.placedAt ?? unsupported('an order without placedAt'), { zone });
    if (!placed.isValid) throw new Error(`earning-jre: invalid placedAt ${order.placedAt}`);
    const placedAt = placed.toMillis();
    const month = placed.toFormat('yyyy-MM');
    const amounts = order.lines.map((l) => new Decimal(l.unitPrice).times(l.quantity).minus(l.discount ?? '0'));
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

    const lineEarned = amounts.map(() => new Decimal(0));
    let earned = new Decimal(0);
    let orderPoints = new Decimal(0);
    for (const { json, kind } of this.#rules) {
      let shares: Array<{ index: number; points: DecimalValue }> = [];
      if (json.scope === 'line') {
        order.lines.forEach((_, i) => {
          if (!lineFired[i]!.has(json.id)) return;
          const points =
            kind === 'pointsPer' ? amounts[i]!.times(json.award.pointsPer!.points).div(json.award.pointsPer!.amount) : kind === 'points' ? new Decimal(json.award.points!) : lineEarned[i]!.times(new Decimal(json.award.multiplier!).minus(1));
          if (kind === 'multiplier' && points.isZero()) return;
          shares.push({ index: i, points });
        });
      } else if (orderFired.has(json.id)) {
        // Order-level awards: fixed points belong to the order; points per amount are attributed to the lines they
        // count; a multiplier multiplies every line's earnings and the order-level points so far.
        if (kind === 'points') shares = [{ index: -1, points: new Decimal(json.award.points!) }];
        else if (kind === 'pointsPer') {
          order.lines.forEach((line, i) => {
            if (lineMatches(json, line)) shares.push({ index: i, points: amounts[i]!.times(json.award.pointsPer!.points).div(json.award.pointsPer!.amount) });
          });
          if (shares.every((share) => share.points.isZero())) shares = [];
        } else if (!earned.isZero()) {
          const extra = new Decimal(json.award.multiplier!).minus(1);
          lineEarned.forEach((value, i) => {
            if (!value.isZero()) shares.push({ index: i, points: value.times(extra) });
          });
          if (!orderPoints.isZero()) shares.push({ index: -1, points: orderPoints.times(extra) });
        }
      }
      if (shares.length === 0) continue;
      let values = shares.map((s) => s.points);
      let contribution = values.reduce((s, v) => s.plus(v), new Decimal(0));
      const perCustomer = json.cap?.perCustomer;
      if (perCustomer && (history.usage[`earn:${json.id}:${month}`] ?? 0) >= perCustomer.count) continue;
      if (json.cap?.perOrder !== undefined && contribution.gt(json.cap.perOrder)) {
        values = scaleTo(values, contribution, new Decimal(json.cap.perOrder));
        contribution = new Decimal(json.cap.perOrder);
      }
      if (json.cap?.budget) {
        const remaining = new Decimal(Math.max(0, json.cap.budget.points - (history.campaignUsage?.[json.id] ?? 0)));
        if (remaining.isZero()) continue;
        if (contribution.gt(remaining)) {
          values = scaleTo(values, contribution, remaining);
          contribution = remaining;
        }
      }
      shares.forEach((share, i) => {
        if (share.index >= 0) lineEarned[share.index] = lineEarned[share.index]!.plus(values[i]!);
        else orderPoints = orderPoints.plus(values[i]!);
      });
      earned = earned.plus(contribution);
      contributions[json.id] = contribution.toString();
    }
    const multiplier = this.#tierMultiplier(history, placed);
    const exact = lineEarned.reduce((s, v) => s.plus(v.times(multiplier)), orderPoints.times(multiplier));
    return { points: exact.floor().toNumber(), contributions };
  }

  /** The multiplier of the tier held just before the order: spend over the rolling window, with the grace period. */
  #tierMultiplier(history: CustomerHistory, placed: DateTime): DecimalValue {
    const tiers = this.#program.tiers;
    if (!tiers) return new Decimal(1);
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
    return new Decimal(best >= 0 ? (tiers.levels[best]!.multiplier ?? '1') : '1');
  }
}
