/**
 * The fast path of an order's points: the rule loop (rule-loop.ts) over float64 or safe integers instead of the
 * exact path's 10^-20 fixed-point BigInts, which cost an allocation per operation.
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
import type { LineFacts, OrderFacts } from '../../conditions/facts.js';
import type { OrderInput, OrderLineInput } from '../../input/order-input.js';
import { Decimal, type RoundingMode } from '../../money/money.js';
import { formatUnits, lastRead, readUnits, roundUnits } from '../../money/decimal-units.js';
import type { CompiledProgram, CompiledRule, CompiledTierLevel } from '../compiled-program.js';
import { runRules, type DecidedPoints, type PointsArithmetic, type RuleLoopInput } from './rule-loop.js';

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
export type FastPoints = DecidedPoints;

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
 * The fast path's numbers, in one of two modes. Float mode: float64, throwing {@link TOO_CLOSE} whenever a decision
 * falls inside its margins (a total on a whole point, a cap met exactly). Whole-unit mode: every value a safe integer
 * of 10^-8 points and every division exact, so every decision is exact, throwing {@link NOT_WHOLE} when a value
 * leaves that grid. Values live in typed arrays reused by every evaluation (one at a time: evaluation is synchronous
 * and never re-entered), so nothing here allocates per rule or per line.
 */
class FastArithmetic implements PointsArithmetic {
  readonly whole: boolean;
  #amounts: readonly number[] = [];
  /** 10^decimals of the order's prices: a line amount in units ÷ scale is its amount. */
  #scale = 1;
  #values = new Float64Array(64);
  #count = 0;
  #earned = new Float64Array(64);
  #lineCount = 0;
  #earnedTotal = 0;
  #orderLevel = 0;
  #contribution = 0;
  // Whole-unit mode: lines (and the order level) holding a share that a cap scaled off the 10^-8 grid, whether the
  // current rule read one (its sum is then a float approximation), whether its sum is exact, and whether its shares
  // are all on the grid.
  #offGrid: Uint8Array | undefined;
  #orderOffGrid = false;
  #approximate = false;
  #exactSum = true;
  #onGrid = true;

  constructor(whole: boolean) {
    this.whole = whole;
  }

  /** Starts an evaluation of `priced`. */
  begin(priced: FastPricedOrder): this {
    const n = priced.amounts.length;
    this.#amounts = priced.amounts;
    this.#scale = POWERS[priced.decimals]!;
    if (this.#earned.length < n) this.#earned = new Float64Array(n * 2);
    this.#earned.fill(0, 0, n);
    if (this.#values.length < n + 1) this.#values = new Float64Array((n * 2) + 1);
    this.#lineCount = n;
    this.#earnedTotal = 0;
    this.#orderLevel = 0;
    this.#offGrid = undefined;
    this.#orderOffGrid = false;
    return this;
  }

  startRule(): void {
    this.#count = 0;
    this.#approximate = false;
  }

  amountIsZero(i: number): boolean {
    return this.#amounts[i] === 0;
  }

  pushPerShare(rule: CompiledRule, i: number): void {
    const amount = this.#amounts[i]!;
    this.#values[this.#count++] = this.whole ? mulRatio(amount, rule.ratio.perNum, rule.ratio.perDen * this.#scale) : checkShare((amount * rule.ratio.rate) / this.#scale);
  }

  pushFixed(rule: CompiledRule): void {
    this.#values[this.#count++] = this.#pointValue(rule.ratio.fixed);
  }

  pushExtra(rule: CompiledRule, i: number): void {
    this.#values[this.#count++] = this.#extra(rule, this.#earned[i]!, this.#offGrid !== undefined && this.#offGrid[i] === 1);
  }

  pushExtraIfAny(rule: CompiledRule, i: number): boolean {
    const share = this.#extra(rule, this.#earned[i]!, this.#offGrid !== undefined && this.#offGrid[i] === 1);
    if (share === 0) return false;
    this.#values[this.#count++] = share;
    return true;
  }

  pushOrderExtra(rule: CompiledRule): void {
    this.#values[this.#count++] = this.#extra(rule, this.#orderLevel, this.#orderOffGrid);
  }

  lineEarnedIsZero(i: number): boolean {
    return this.#earned[i] === 0;
  }

  earnedIsZero(): boolean {
    return this.#earnedTotal === 0;
  }

  orderLevelIsZero(): boolean {
    return this.#orderLevel === 0;
  }

  sumShares(): void {
    let contribution = 0;
    for (let k = 0; k < this.#count; k += 1) contribution += this.#values[k]!;
    // An approximate sum may still be decided by a cap that replaces it with its exact target, when it is not near
    // that target; anything else needs it exact.
    this.#exactSum = !this.#approximate;
    this.#onGrid = this.#exactSum;
    if (this.whole && this.#exactSum && !Number.isSafeInteger(contribution)) throw NOT_WHOLE;
    this.#contribution = contribution;
  }

  capAt(points: number): boolean {
    const target = this.#pointValue(points);
    if (!this.#exactSum && near(this.#contribution, target)) throw NOT_WHOLE;
    if (!this.#above(this.#contribution, target)) return false;
    this.#onGrid = this.#scaleShares(target) && this.#onGrid;
    this.#contribution = target;
    this.#exactSum = true;
    return true;
  }

  ceilPoints(): number {
    if (this.whole) {
      if (!this.#exactSum) throw NOT_WHOLE;
      return roundUnits(this.#contribution, POINT_UNITS, 'ceil');
    }
    if (near(this.#contribution, Math.round(this.#contribution))) throw TOO_CLOSE;
    return Math.ceil(this.#contribution);
  }

  commit(indexes: readonly number[], lineShares: number, orderShare: boolean): void {
    if (!this.#exactSum) throw NOT_WHOLE;
    const earned = this.#earned;
    const values = this.#values;
    for (let k = 0; k < lineShares; k += 1) {
      const index = indexes[k]!;
      earned[index] = earned[index]! + values[k]!;
      if (!this.#onGrid) (this.#offGrid ??= new Uint8Array(this.#lineCount))[index] = 1;
    }
    if (orderShare) {
      this.#orderLevel += values[lineShares]!;
      if (!this.#onGrid) this.#orderOffGrid = true;
    }
    this.#earnedTotal += this.#contribution;
  }

  finish(compiled: CompiledProgram, tier: CompiledTierLevel | undefined): number {
    const whole = this.whole;
    const earnedTotal = this.#earnedTotal;
    if (whole && !Number.isSafeInteger(earnedTotal)) throw NOT_WHOLE;
    let exact = earnedTotal;
    if (tier) exact = whole ? mulRatio(earnedTotal, tier.ratio.num, tier.ratio.den) : earnedTotal * tier.ratio.value;
    let capped = false;
    if (compiled.maxPerOrder !== undefined) {
      const cap = this.#pointValue(compiled.maxPerOrder.toNumber());
      if (this.#above(exact, cap)) {
        exact = cap;
        capped = true;
      }
    }
    if (whole) return roundUnits(exact, POINT_UNITS, compiled.rounding);
    return capped ? exact : roundFloat(exact, compiled.rounding);
  }

  /** Whole points as a value of the mode. */
  #pointValue(points: number): number {
    if (!this.whole) return points;
    const value = points * POINT_UNITS;
    if (!Number.isSafeInteger(value)) throw NOT_WHOLE;
    return value;
  }

  /** What a multiplier adds to `earned`. */
  #extra(rule: CompiledRule, earned: number, offGrid: boolean): number {
    if (offGrid) {
      // A float approximation of a share of an off-grid value: the rule's sum is then only usable if a cap brings
      // it back to an exact target (see sumShares).
      this.#approximate = true;
      return (earned * rule.ratio.extraNum) / rule.ratio.extraDen;
    }
    return this.whole ? mulRatio(earned, rule.ratio.extraNum, rule.ratio.extraDen) : checkShare(earned * rule.ratio.extra);
  }

  /** a > b; in float mode a throw when they are too close to tell. */
  #above(a: number, b: number): boolean {
    if (!this.whole && near(a, b)) throw TOO_CLOSE;
    return a > b;
  }

  /**
   * Scales the shares in place so they add up to `target` (as scaleTo does on the exact path). In whole-unit mode
   * it returns false when a share left the grid: the shares then hold float approximations, which only matter if a
   * later multiplier reads them (commit marks them so); their sum, `target`, stays exact.
   */
  #scaleShares(target: number): boolean {
    const values = this.#values;
    const total = this.#contribution;
    if (!this.whole) {
      for (let k = 0; k < this.#count; k += 1) values[k] = checkShare((values[k]! * target) / total);
      return true;
    }
    let exact = true;
    for (let k = 0; k < this.#count; k += 1) {
      const product = values[k]! * target;
      if (Number.isSafeInteger(product) && product % total === 0) values[k] = product / total;
      else {
        values[k] = product / total;
        exact = false;
      }
    }
    return exact;
  }
}

const FLOAT = new FastArithmetic(false);
const WHOLE = new FastArithmetic(true);

/**
 * The points of a priced order without BigInts, or undefined when neither cheap mode can answer for sure (then
 * run the exact path). Float mode first, which answers unless a decision falls inside its margins (a total on a
 * whole point, a cap met exactly). Then whole-unit mode: every value a safe integer of 10^-8 points and every
 * division exact, so every decision is exact (short decimal prices, rates and multipliers: the usual case). When
 * a value leaves that grid too (a rate like 1/3 with a total on a boundary), the exact path.
 */
export function fastOrderPoints(compiled: CompiledProgram, input: RuleLoopInput, priced: FastPricedOrder, placedAt: number): FastPoints | undefined {
  return fastOrderPointsIn('float', compiled, input, priced, placedAt) ?? fastOrderPointsIn('whole', compiled, input, priced, placedAt);
}

/** One mode of {@link fastOrderPoints} alone (tests compare each with the exact path). */
export function fastOrderPointsIn(mode: 'float' | 'whole', compiled: CompiledProgram, input: RuleLoopInput, priced: FastPricedOrder, placedAt: number): FastPoints | undefined {
  if (!compiled.fastPath) return undefined;
  try {
    return runRules(compiled, input, priced.facts, priced.lines, placedAt, (mode === 'whole' ? WHOLE : FLOAT).begin(priced));
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

/** The tier basis contribution of the order's lines not excluded from it, as a decimal string. */
export function fastTierSpend(compiled: CompiledProgram, priced: FastPricedOrder): string {
  const tiers = compiled.tiers;
  let spend = 0;
  for (let i = 0; i < priced.lines.length; i += 1) if (!tiers?.excluded(priced.lines[i]!)) spend += priced.amounts[i]!;
  return formatUnits(spend, priced.decimals);
}
