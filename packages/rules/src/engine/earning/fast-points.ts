/**
 * The fast path of an order's points: the same steps as computePricedOrderPoints (compute-order-points.ts), in
 * float64 instead of 10^-20 fixed-point BigInts, which cost an allocation per operation.
 *
 * Why it is exact when it answers: amounts are exact integers of the order's smallest decimal unit; every other
 * value is a sum or product of non-negative terms, so its relative error stays far below {@link TOLERANCE}
 * (≤ 10^-10 for the largest order the API accepts), and the exact path's truncations are below 10^-15 points.
 * Every decision that could go either way inside that margin (a cap met almost exactly, a total within a hair
 * of a rounding boundary, a share too small to tell from zero) makes it give up and return undefined: the
 * caller then runs the exact path. Programs whose multipliers are below 1 (negative extra factors), orders with
 * more than 15 significant digits in a price and orders too large for safe integers always take the exact path.
 * A property test checks both paths give the same answer on random and boundary-hugging inputs.
 */
import type { CustomerFacts, EvaluationFacts, LineFacts, OrderFacts, TimeFacts } from '../../conditions/facts.js';
import type { CustomerInput } from '../../input/customer-input.js';
import type { OrderInput, OrderLineInput } from '../../input/order-input.js';
import { Decimal, type RoundingMode } from '../../money/money.js';
import { formatUnits, lastRead, readUnits, roundUnits } from '../../money/decimal-units.js';
import type { CompiledProgram, CompiledRule, CompiledTierLevel } from '../compiled-program.js';
import type { CampaignUsageDelta, OrderPoints, UsageDelta } from './compute-order-points.js';
import { customerFacts, timeFacts } from '../evaluation-facts.js';
import type { LocalFields } from '../zone-clock.js';

/** Relative margin inside which a comparison or a rounding is left to the exact path. */
const TOLERANCE = 1e-9;
/** Absolute margin: a share this close to zero may be zero on the exact path (its 10^-20 truncation). */
const TINY = 1e-12;
/** Above this many line × rule steps the error bound is not worth proving: exact path. */
const MAX_STEPS = 1_000_000;
const NO_TAGS: readonly string[] = Object.freeze([]);

/** Whether `a` and `b` (both ≥ 0) are too close to compare in float. */
function near(a: number, b: number): boolean {
  return Math.abs(a - b) <= (TOLERANCE * Math.max(a, b)) + TINY;
}

const POWERS = Array.from({ length: 31 }, (_, i) => 10 ** i);

/** `value` units of 10^-decimals as a number when it is whole. */
function wholeOf(value: number, decimals: number): number | undefined {
  if (decimals === 0) return value;
  const power = POWERS[decimals]!;
  return value % power === 0 ? value / power : undefined;
}

/** Line facts whose decimals are only made when a condition reads them. */
class FastLineFacts implements LineFacts {
  readonly sku: string;
  readonly category: string | undefined;
  readonly brand: string | undefined;
  readonly tags: readonly string[];
  readonly quantity: number;
  readonly wholeAmount: number | undefined;
  readonly #line: OrderLineInput;
  readonly #units: number;
  readonly #decimals: number;
  #amount: Decimal | undefined;
  #unitPrice: Decimal | undefined;

  constructor(line: OrderLineInput, amountUnits: number, decimals: number) {
    this.sku = line.sku;
    this.category = line.category;
    this.brand = line.brand;
    this.tags = line.tags ?? NO_TAGS;
    this.quantity = line.quantity;
    this.wholeAmount = wholeOf(amountUnits, decimals);
    this.#line = line;
    this.#units = amountUnits;
    this.#decimals = decimals;
  }

  get amount(): Decimal {
    return (this.#amount ??= new Decimal(formatUnits(this.#units, this.#decimals)));
  }

  get unitPrice(): Decimal {
    return (this.#unitPrice ??= new Decimal(this.#line.unitPrice));
  }
}

/** Order facts whose total is only made when a condition reads it. */
class FastOrderFacts implements OrderFacts {
  readonly lineCount: number;
  readonly channel: string | undefined;
  readonly currency: string;
  readonly tags: readonly string[];
  readonly wholeTotal: number | undefined;
  readonly #units: number;
  readonly #decimals: number;
  #total: Decimal | undefined;

  constructor(order: OrderInput, totalUnits: number, decimals: number) {
    this.lineCount = order.lines.length;
    this.channel = order.channel;
    this.currency = order.currency;
    this.tags = order.tags ?? NO_TAGS;
    this.wholeTotal = wholeOf(totalUnits, decimals);
    this.#units = totalUnits;
    this.#decimals = decimals;
  }

  get total(): Decimal {
    return (this.#total ??= new Decimal(formatUnits(this.#units, this.#decimals)));
  }
}

/** An order priced in integer units of 10^-decimals. */
export interface FastPricedOrder {
  readonly facts: OrderFacts;
  readonly lines: readonly FastLineFacts[];
  /** Each line's amount in units. */
  readonly amounts: readonly number[];
  readonly decimals: number;
}

/**
 * Prices an order in safe integers, or undefined when it is not a valid order or does not fit: then priceOrder
 * (which reports every problem) takes over.
 */
export function priceOrderFast(compiled: CompiledProgram, order: OrderInput): FastPricedOrder | undefined {
  const lines = order.lines;
  if (order.currency !== compiled.program.currency || !Array.isArray(lines) || lines.length === 0) return undefined;
  if (lines.length * compiled.rules.length > MAX_STEPS) return undefined;
  let decimals = 0;
  // Per line: price units and decimals, discount units and decimals.
  const parsed = new Array<number>(lines.length * 4);
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    if (typeof line !== 'object' || line === null || typeof line.sku !== 'string' || line.sku === '') return undefined;
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 0 || !readUnits(line.unitPrice)) return undefined;
    parsed[4 * i] = lastRead.units;
    parsed[(4 * i) + 1] = lastRead.decimals;
    if (lastRead.decimals > decimals) decimals = lastRead.decimals;
    parsed[(4 * i) + 2] = 0;
    parsed[(4 * i) + 3] = 0;
    if (line.discount !== undefined) {
      if (!readUnits(line.discount)) return undefined;
      parsed[(4 * i) + 2] = lastRead.units;
      parsed[(4 * i) + 3] = lastRead.decimals;
      if (lastRead.decimals > decimals) decimals = lastRead.decimals;
    }
  }
  const amounts = new Array<number>(lines.length);
  let total = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const gross = lines[i]!.quantity * parsed[4 * i]! * POWERS[decimals - parsed[(4 * i) + 1]!]!;
    const off = parsed[(4 * i) + 2]! * POWERS[decimals - parsed[(4 * i) + 3]!]!;
    const amount = gross - off;
    if (!Number.isSafeInteger(gross) || !Number.isSafeInteger(off) || amount < 0) return undefined;
    amounts[i] = amount;
    total += amount;
  }
  if (!Number.isSafeInteger(total)) return undefined;
  if (order.total !== undefined) {
    if (!readUnits(order.total)) return undefined;
    if (lastRead.decimals > decimals || lastRead.units * POWERS[decimals - lastRead.decimals]! !== total) return undefined;
  }
  const facts = new FastOrderFacts(order, total, decimals);
  const lineFacts = new Array<FastLineFacts>(lines.length);
  for (let i = 0; i < lines.length; i += 1) lineFacts[i] = new FastLineFacts(lines[i]!, amounts[i]!, decimals);
  return { facts, lines: lineFacts, amounts, decimals };
}

/** The part of an order's points the fast path decides (the rest is written from the exact path on demand). */
export type FastPoints = Pick<OrderPoints, 'points' | 'usage' | 'campaignUsage' | 'ruleIds' | 'usageRead' | 'campaignUsageRead'>;

/** What the fast path reads of an evaluation. */
export interface FastPointsInput {
  readonly customer?: CustomerInput | undefined;
  readonly tierId?: string | null | undefined;
  readonly usage?: Readonly<Record<string, number>> | undefined;
  readonly campaignUsage?: Readonly<Record<string, number>> | undefined;
}

/** Why a mode gave up. Two instances made once, thrown without a new stack each time; never escapes this module. */
class GiveUp extends Error {}
/** Thrown in float mode when a decision is too close to call. */
const TOO_CLOSE = new GiveUp('too close to call in float');
/** Thrown in whole-unit mode when a value is not a whole number of units or not a safe integer. */
const NOT_WHOLE = new GiveUp('not a whole number of units');

/** One point in whole-unit mode: values are safe integers of 10^-8 points. */
export const POINT_UNITS = 1e8;

function checkShare(value: number): number {
  if (value !== 0 && value <= TINY) throw TOO_CLOSE;
  return value;
}

/** `value × num ÷ den` exactly, in safe integers, or a throw. */
function mulRatio(value: number, num: number, den: number): number {
  const product = value * num;
  if (!Number.isSafeInteger(product) || !Number.isSafeInteger(den) || product % den !== 0) throw NOT_WHOLE;
  return product / den;
}

/** Integer points of `exact` (≥ 0, float) with the program's mode, or a throw when it sits near a boundary. */
function roundFloat(exact: number, mode: RoundingMode): number {
  const whole = Math.floor(exact);
  const fraction = exact - whole;
  const margin = (TOLERANCE * exact) + TINY;
  if (fraction <= margin || 1 - fraction <= margin || !Number.isSafeInteger(whole + 1)) throw TOO_CLOSE;
  if (mode === 'floor') return whole;
  if (mode === 'ceil') return whole + 1;
  if (Math.abs(fraction - 0.5) <= margin) throw TOO_CLOSE;
  return fraction > 0.5 ? whole + 1 : whole;
}

/**
 * The points of a priced order without BigInts, or undefined when neither cheap mode can answer for sure (then
 * run the exact path). Float mode first, which answers unless a decision falls inside its margins (a total on a
 * whole point, a cap met exactly). Then whole-unit mode: every value a safe integer of 10^-8 points and every
 * division exact, so every decision is exact (short decimal prices, rates and multipliers: the usual case). When
 * a value leaves that grid too (a rate like 1/3 with a total on a boundary), the exact path.
 */
export function fastOrderPoints(compiled: CompiledProgram, input: FastPointsInput, priced: FastPricedOrder, placedAt: number): FastPoints | undefined {
  return fastOrderPointsIn('float', compiled, input, priced, placedAt) ?? fastOrderPointsIn('whole', compiled, input, priced, placedAt);
}

/** One mode of {@link fastOrderPoints} alone (tests compare each with the exact path). */
export function fastOrderPointsIn(mode: 'float' | 'whole', compiled: CompiledProgram, input: FastPointsInput, priced: FastPricedOrder, placedAt: number): FastPoints | undefined {
  if (!compiled.fastPath) return undefined;
  try {
    return evaluate(compiled, input, priced, placedAt, mode === 'whole');
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

/** A line amount's points under a pointsPer rule. */
function perShare(rule: CompiledRule, amount: number, scale: number, whole: boolean): number {
  return whole ? mulRatio(amount, rule.ratio.perNum, rule.ratio.perDen * scale) : checkShare((amount * rule.ratio.rate) / scale);
}

/** What a multiplier adds to `earned`. */
function extraShare(rule: CompiledRule, earned: number, whole: boolean, offGrid = false): number {
  if (offGrid) {
    // A float approximation of a share of an off-grid value: the rule's sum is then only usable if a cap brings
    // it back to an exact target (see `approximate`).
    approximate = true;
    return (earned * rule.ratio.extraNum) / rule.ratio.extraDen;
  }
  return whole ? mulRatio(earned, rule.ratio.extraNum, rule.ratio.extraDen) : checkShare(earned * rule.ratio.extra);
}

/** a > b; in float mode a throw when they are too close to tell. */
function above(a: number, b: number, whole: boolean): boolean {
  if (!whole && near(a, b)) throw TOO_CLOSE;
  return a > b;
}

/** {@link above} for a rule's sum, which in whole-unit mode may be a float approximation (`exact` false). */
function beyond(sum: number, target: number, exact: boolean, whole: boolean): boolean {
  if (!exact && near(sum, target)) throw NOT_WHOLE;
  return above(sum, target, whole);
}

/** Whole points as a value of the mode. */
function pointValue(points: number, whole: boolean): number {
  if (!whole) return points;
  const value = points * POINT_UNITS;
  if (!Number.isSafeInteger(value)) throw NOT_WHOLE;
  return value;
}

/**
 * Scales the shares in place so they add up to `target` (as scaleTo does on the exact path). In whole-unit mode
 * it returns false when a share left the grid: the shares then hold float approximations, which only matter if a
 * later multiplier reads them (the caller marks them so); their sum, `target`, stays exact.
 */
function scaleShares(values: number[], count: number, total: number, target: number, whole: boolean): boolean {
  if (!whole) {
    for (let i = 0; i < count; i += 1) values[i] = checkShare((values[i]! * target) / total);
    return true;
  }
  let exact = true;
  for (let i = 0; i < count; i += 1) {
    const product = values[i]! * target;
    if (Number.isSafeInteger(product) && product % total === 0) values[i] = product / total;
    else {
      values[i] = product / total;
      exact = false;
    }
  }
  return exact;
}

// Whole-unit mode: set when the rule being evaluated read an off-grid value, so its sum is a float approximation.
let approximate = false;

// Scratch space reused by every evaluation (one at a time: evaluation is synchronous and never re-entered).
const indexes: number[] = [];
const values: number[] = [];
let filters = new Uint8Array(256);

/** Per-line scratch arrays, zeroed for `n` lines (reused: an evaluation is synchronous and never re-entered). */
const scratch = {
  earnedBuffer: new Float64Array(64),
  blockedBuffer: new Uint8Array(64),
  earned(n: number): Float64Array {
    if (this.earnedBuffer.length < n) this.earnedBuffer = new Float64Array(n * 2);
    this.earnedBuffer.fill(0, 0, n);
    return this.earnedBuffer;
  },
  blocked(n: number): Uint8Array {
    if (this.blockedBuffer.length < n) this.blockedBuffer = new Uint8Array(n * 2);
    this.blockedBuffer.fill(0, 0, n);
    return this.blockedBuffer;
  },
};

/** A line's sku, category or brand, read by name (one shape per read site, not a keyed lookup). */
function fieldOf(line: FastLineFacts, field: 'sku' | 'category' | 'brand'): string | undefined {
  if (field === 'category') return line.category;
  if (field === 'brand') return line.brand;
  return line.sku;
}

/** Whether a line's value is one of a rule's candidate values. */
function isCandidate(value: string | undefined, wanted: readonly string[]): boolean {
  if (value === undefined) return false;
  if (wanted.length === 1) return wanted[0] === value;
  return wanted.includes(value);
}

/** The filter memo, zeroed, with room for `size` answers. */
function scratchFilters(size: number): Uint8Array {
  if (filters.length < size) filters = new Uint8Array(Math.max(size, filters.length * 2));
  filters.fill(0, 0, size);
  return filters;
}

function evaluate(compiled: CompiledProgram, input: FastPointsInput, priced: FastPricedOrder, placedAt: number, whole: boolean): FastPoints | undefined {
  const tierId = input.tierId ?? undefined;
  let tier: CompiledTierLevel | undefined;
  if (tierId !== undefined) {
    tier = compiled.tiers?.byId.get(tierId);
    if (!tier) return undefined;
  }
  const usage = input.usage ?? {};
  const campaignUsage = input.campaignUsage ?? {};
  const customer = customerFacts(compiled, input.customer, tierId);
  const time = timeFacts(compiled, placedAt);
  const orderFacts: EvaluationFacts = { order: priced.facts, customer, time };
  const lines = priced.lines;
  const amounts = priced.amounts;
  const lineCount = lines.length;
  // One view for every line's conditions, pointed at the line before each test (conditions are synchronous).
  const lineView: { order: OrderFacts; customer: CustomerFacts; time: TimeFacts; line: LineFacts } = { order: priced.facts, customer, time, line: lines[0]! };
  const scale = POWERS[priced.decimals]!;

  const lineEarned = scratch.earned(lineCount);
  const lineBlocked = scratch.blocked(lineCount);
  let orderBlocked = false;
  let phase: CompiledRule['phase'] = 'base';
  let earnedTotal = 0;
  let orderLevelTotal = 0;
  // Whole-unit mode: lines (and the order level) holding a share that a cap scaled off the 10^-8 grid.
  let offGrid: boolean[] | undefined;
  let orderOffGrid = false;
  // Eligible amount (in price units) per line filter, for order pointsPer rules.
  const eligibleUnits: Array<number | undefined> = [];
  // Whether line i passes filter f, at [f × lineCount + i]: 0 not asked yet, 1 yes, 2 no. Rules share filters.
  const passes = scratchFilters(compiled.filterCount * lineCount);
  const eligible = (rule: CompiledRule, i: number): boolean => {
    if (rule.everyLine) return true;
    const k = (rule.filterId * lineCount) + i;
    let known = passes[k]!;
    if (known === 0) {
      known = rule.lineEligible(lines[i]!) ? 1 : 2;
      passes[k] = known;
    }
    return known === 1;
  };
  let local: LocalFields | undefined;

  const usageOut: UsageDelta[] = [];
  const campaignOut: CampaignUsageDelta[] = [];
  const usageRead: Record<string, number> = {};
  const campaignRead: Record<string, number> = {};
  const ruleIds: string[] = [];

  for (const rule of compiled.rules) {
    if (rule.phase !== phase) {
      phase = rule.phase;
      lineBlocked.fill(0, 0, lineCount);
      orderBlocked = false;
    }
    if (rule.validFrom !== undefined && placedAt < rule.validFrom) continue;
    if (rule.validUntil !== undefined && placedAt >= rule.validUntil) continue;
    // Shares of this rule in the scratch arrays: line indexes and values, the order-level share last.
    let count = 0;
    approximate = false;
    let orderShare = -1;
    if (rule.scope === 'order') {
      if (orderBlocked) continue;
      if (rule.when && !rule.when.test(orderFacts)) continue;
      if (rule.kind === 'points') orderShare = pointValue(rule.ratio.fixed, whole);
      else if (rule.kind === 'pointsPer') {
        let counted = eligibleUnits[rule.filterId];
        if (counted === undefined) {
          counted = 0;
          for (let i = 0; i < lineCount; i += 1) if (eligible(rule, i)) counted += amounts[i]!;
          eligibleUnits[rule.filterId] = counted;
        }
        if (counted === 0) continue;
        for (let i = 0; i < lineCount; i += 1) {
          if (!eligible(rule, i)) continue;
          indexes[count] = i;
          values[count++] = perShare(rule, amounts[i]!, scale, whole);
        }
      } else {
        if (earnedTotal === 0) continue;
        for (let i = 0; i < lineCount; i += 1) {
          const earned = lineEarned[i]!;
          if (earned === 0) continue;
          indexes[count] = i;
          values[count++] = extraShare(rule, earned, whole, offGrid?.[i]);
        }
        if (orderLevelTotal !== 0) orderShare = extraShare(rule, orderLevelTotal, whole, orderOffGrid);
      }
    } else {
      // The parts of `when` that read no line fact hold or fail for every line alike: tested once.
      let when = rule.when;
      if (when && when.readsLine !== true) {
        if (!when.test(orderFacts)) continue;
        when = undefined;
      } else if (when?.split) {
        if (!when.split.order.test(orderFacts)) continue;
        when = when.split.line;
      }
      // Only lines that can match the rule's required sku, category or brand (a string comparison or two, before
      // the filter and the conditions).
      const wanted = rule.candidates;
      for (let i = 0; i < lineCount; i += 1) {
        if (wanted && !isCandidate(fieldOf(lines[i]!, wanted.field), wanted.values)) continue;
        if (lineBlocked[i] || !eligible(rule, i)) continue;
        if (when) {
          lineView.line = lines[i]!;
          if (!when.test(lineView)) continue;
        }
        let share: number;
        if (rule.kind === 'pointsPer') share = perShare(rule, amounts[i]!, scale, whole);
        else if (rule.kind === 'points') share = pointValue(rule.ratio.fixed, whole);
        else {
          share = extraShare(rule, lineEarned[i]!, whole, offGrid?.[i]);
          if (share === 0) continue;
        }
        indexes[count] = i;
        values[count++] = share;
      }
      if (count === 0) continue;
    }
    const lineShareCount = count;
    if (orderShare >= 0) values[count++] = orderShare;
    let contribution = 0;
    for (let k = 0; k < count; k += 1) contribution += values[k]!;
    // An approximate sum may still be decided by a cap that replaces it with its exact target, when it is not
    // near that target; anything else needs it exact.
    let exactSum = !approximate;
    if (whole && exactSum && !Number.isSafeInteger(contribution)) throw NOT_WHOLE;

    let usageKey: string | undefined;
    if (rule.capPerCustomer) {
      local ??= compiled.clock.local(placedAt);
      usageKey = rule.capPerCustomer.usageKey(local);
      const used = usage[usageKey] ?? 0;
      usageRead[usageKey] = used;
      if (used >= rule.capPerCustomer.count) continue;
    }
    let onGrid = exactSum;
    if (rule.capPerOrder !== undefined) {
      const cap = pointValue(rule.ratio.capPerOrder, whole);
      if (beyond(contribution, cap, exactSum, whole)) {
        onGrid = scaleShares(values, count, contribution, cap, whole) && onGrid;
        contribution = cap;
        exactSum = true;
      }
    }
    if (rule.budget !== undefined) {
      const spent = campaignUsage[rule.id] ?? 0;
      campaignRead[rule.id] = spent;
      const remaining = Math.max(0, rule.budget - spent);
      if (remaining === 0) continue;
      const budget = pointValue(remaining, whole);
      if (beyond(contribution, budget, exactSum, whole)) {
        onGrid = scaleShares(values, count, contribution, budget, whole) && onGrid;
        contribution = budget;
        exactSum = true;
        campaignOut.push({ ruleId: rule.id, points: remaining });
      } else if (whole) {
        if (!exactSum) throw NOT_WHOLE;
        campaignOut.push({ ruleId: rule.id, points: roundUnits(contribution, POINT_UNITS, 'ceil') });
      } else {
        if (near(contribution, Math.round(contribution))) throw TOO_CLOSE;
        campaignOut.push({ ruleId: rule.id, points: Math.ceil(contribution) });
      }
    }
    if (!exactSum) throw NOT_WHOLE;
    if (usageKey !== undefined) usageOut.push({ key: usageKey, count: 1 });

    const blocks = rule.exclusive && rule.scope === 'line';
    for (let k = 0; k < lineShareCount; k += 1) {
      const index = indexes[k]!;
      lineEarned[index] = lineEarned[index]! + values[k]!;
      if (!onGrid) (offGrid ??= new Array<boolean>(lineCount).fill(false))[index] = true;
      if (blocks) lineBlocked[index] = 1;
    }
    if (orderShare >= 0) {
      orderLevelTotal += values[lineShareCount]!;
      if (!onGrid) orderOffGrid = true;
    }
    earnedTotal += contribution;
    if (rule.exclusive && rule.scope === 'order') orderBlocked = true;
    ruleIds.push(rule.id);
  }

  if (whole && !Number.isSafeInteger(earnedTotal)) throw NOT_WHOLE;
  let exact = earnedTotal;
  if (tier) exact = whole ? mulRatio(earnedTotal, tier.ratio.num, tier.ratio.den) : earnedTotal * tier.ratio.value;
  let capped = false;
  if (compiled.maxPerOrder !== undefined) {
    const cap = pointValue(compiled.maxPerOrder.toNumber(), whole);
    if (above(exact, cap, whole)) {
      exact = cap;
      capped = true;
    }
  }
  let rounded: number;
  if (whole) rounded = roundUnits(exact, POINT_UNITS, compiled.rounding);
  else rounded = capped ? exact : roundFloat(exact, compiled.rounding);
  return { points: rounded, usage: usageOut, campaignUsage: campaignOut, ruleIds, usageRead, campaignUsageRead: campaignRead };
}

/** The tier basis contribution of the order's lines not excluded from it, as a decimal string. */
export function fastTierSpend(compiled: CompiledProgram, priced: FastPricedOrder): string {
  const tiers = compiled.tiers;
  let spend = 0;
  for (let i = 0; i < priced.lines.length; i += 1) if (!tiers?.excluded(priced.lines[i]!)) spend += priced.amounts[i]!;
  return formatUnits(spend, priced.decimals);
}
