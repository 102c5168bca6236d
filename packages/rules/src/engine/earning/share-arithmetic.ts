/**
 * The exact path's numbers for the rule loop (rule-loop.ts): shares of 10^-20 points as BigInts (money/shares.ts),
 * as SEMANTICS.md prescribes. Sums are exact; products and quotients truncate, so caps are never exceeded and more
 * spend never earns less; nothing is ever too close to call. One instance per evaluation: it keeps what each line and
 * the order earned, which the trace reads after the loop.
 */
import { mulDiv, roundShare, SCALE, scaleTo, sum } from '../../money/shares.js';
import type { CompiledProgram, CompiledRule, CompiledTierLevel } from '../compiled-program.js';
import type { PointsArithmetic } from './rule-loop.js';

/** Exact shares of one evaluation. */
export class ShareArithmetic implements PointsArithmetic {
  /** Each line's amount as a share. */
  readonly amounts: readonly bigint[];
  /** The current rule's shares: one per line it gave points to, then the order's. */
  readonly values: bigint[] = [];
  count = 0;
  /** What each line earned so far, before the tier multiplier. */
  readonly lineEarned: bigint[];
  /** Everything earned so far, before the tier multiplier: what an order-scope multiplier multiplies. */
  earnedTotal = 0n;
  /** What order-level shares (fixed order points, and multipliers of them) add up to so far. */
  orderLevel = 0n;
  /** The current rule's points after its caps so far. */
  contribution = 0n;
  /** The current rule's points before the last cap that reduced them. */
  uncapped = 0n;
  /** After {@link finish}: the points before the program's per-order cap, and after it. */
  beforeCap = 0n;
  exact = 0n;

  constructor(amounts: readonly bigint[]) {
    this.amounts = amounts;
    this.lineEarned = new Array<bigint>(amounts.length).fill(0n);
  }

  startRule(): void {
    this.count = 0;
  }

  amountIsZero(i: number): boolean {
    return this.amounts[i] === 0n;
  }

  pushPerShare(rule: CompiledRule, i: number): void {
    // `amount ÷ per × points`: amount and per are both shares, so the scale is put back once.
    this.values[this.count++] = (this.amounts[i]! * rule.fixedPoint.perPoints * SCALE) / rule.fixedPoint.per;
  }

  pushFixed(rule: CompiledRule): void {
    this.values[this.count++] = rule.fixedPoint.fixed;
  }

  pushExtra(rule: CompiledRule, i: number): void {
    this.values[this.count++] = mulDiv(this.lineEarned[i]!, rule.fixedPoint.extraFactor, SCALE);
  }

  pushExtraIfAny(rule: CompiledRule, i: number): boolean {
    const share = mulDiv(this.lineEarned[i]!, rule.fixedPoint.extraFactor, SCALE);
    if (share === 0n) return false;
    this.values[this.count++] = share;
    return true;
  }

  pushOrderExtra(rule: CompiledRule): void {
    this.values[this.count++] = mulDiv(this.orderLevel, rule.fixedPoint.extraFactor, SCALE);
  }

  lineEarnedIsZero(i: number): boolean {
    return this.lineEarned[i] === 0n;
  }

  earnedIsZero(): boolean {
    return this.earnedTotal === 0n;
  }

  orderLevelIsZero(): boolean {
    return this.orderLevel === 0n;
  }

  sumShares(): void {
    let total = 0n;
    for (let k = 0; k < this.count; k += 1) total += this.values[k]!;
    this.contribution = total;
  }

  capAt(points: number): boolean {
    const target = BigInt(points) * SCALE;
    if (this.contribution <= target) return false;
    this.uncapped = this.contribution;
    const scaled = scaleTo(this.values.slice(0, this.count), this.contribution, target);
    for (let k = 0; k < scaled.length; k += 1) this.values[k] = scaled[k]!;
    this.contribution = sum(scaled);
    return true;
  }

  ceilPoints(): number {
    return Number((this.contribution + SCALE - 1n) / SCALE);
  }

  commit(indexes: readonly number[], lineShares: number, orderShare: boolean): void {
    for (let k = 0; k < lineShares; k += 1) {
      const index = indexes[k]!;
      this.lineEarned[index] = this.lineEarned[index]! + this.values[k]!;
    }
    if (orderShare) this.orderLevel += this.values[lineShares]!;
    this.earnedTotal += this.contribution;
  }

  finish(compiled: CompiledProgram, tier: CompiledTierLevel | undefined): number {
    // One product for the whole order (subtotal × multiplier); the trace spreads it over the shares in proportion.
    const multiplier = tier?.multiplierShare ?? SCALE;
    let exact = multiplier === SCALE ? this.earnedTotal : mulDiv(this.earnedTotal, multiplier, SCALE);
    this.beforeCap = exact;
    if (compiled.maxPerOrderShare !== undefined && exact > compiled.maxPerOrderShare) exact = compiled.maxPerOrderShare;
    this.exact = exact;
    return roundShare(exact, compiled.rounding);
  }
}
