/**
 * The one loop over an order's earning rules (SEMANTICS rules 1-3), for the fast path and the exact path alike:
 * rules valid at `placedAt` (a rule with `valid.earlyAccess` opening the early-access perk's hours sooner for the
 * tier held before the order) whose `when` holds; base rules (pointsPer, points) by priority, then multiplier rules by
 * priority (a multiplier multiplies what the line, or the order, earned so far); per rule its caps (per customer per
 * calendar period, per order, campaign budget); the tier multiplier of the tier held before the order; the
 * program's per-order cap; one rounding.
 *
 * The loop decides which rule gives points to which line; how much is the injected {@link PointsArithmetic}'s
 * business, as dinero.js leaves its arithmetic to an injected calculator: float64 or safe integers of 10^-8 points on
 * the fast path (FastArithmetic in fast-points.ts), which throws to give up when a decision is too close to call, and BigInt
 * shares of 10^-20 points on the exact path (share-arithmetic.ts), which never gives up. Both paths therefore take
 * the same decisions in the same order by construction. An optional {@link RuleRecorder} (the exact path's trace)
 * is told why each rule applied or not, as data.
 */
import type { CustomerFacts, EvaluationFacts, LineFacts, OrderFacts, TimeFacts } from '../../conditions/facts.js';
import { inputError } from '../../errors.js';
import type { CustomerInput } from '../../input/customer-input.js';
import type { CompiledProgram, CompiledRule, CompiledTierLevel } from '../compiled-program.js';
import type { CampaignUsageDelta, OrderPoints, UsageDelta } from './compute-order-points.js';
import { customerFacts, timeFacts } from '../evaluation-facts.js';
import type { LocalFields } from '../zone-clock.js';

/** What the loop reads of an evaluation besides the order. */
export interface RuleLoopInput {
  readonly customer?: CustomerInput | undefined;
  /** The tier held just before the order (null or undefined: no tier, multiplier 1). */
  readonly tierId?: string | null | undefined;
  /** Counters keyed as earlier evaluations returned them. */
  readonly usage?: Readonly<Record<string, number>> | undefined;
  /** Program-wide points granted per rule id. */
  readonly campaignUsage?: Readonly<Record<string, number>> | undefined;
}

/** What the loop decides: the points and the counters (the trace is the recorder's). */
export type DecidedPoints = Pick<OrderPoints, 'points' | 'usage' | 'campaignUsage' | 'ruleIds' | 'usageRead' | 'campaignUsageRead'>;

/**
 * The numbers of one evaluation: every share, sum, cap and rounding, in the arithmetic's own representation. The loop
 * only asks questions (is it zero, is it above) and gives orders (add this share, cap at that); the values never
 * leave the arithmetic, so each path keeps its own unboxed storage. A share is pushed per line a rule gives points
 * to, then at most one for the order as a whole; shares are counted from the last {@link PointsArithmetic.startRule}.
 */
export interface PointsArithmetic {
  /** Forgets the previous rule's shares. */
  startRule(): void;
  /** Whether line `i`'s amount is zero. */
  amountIsZero(i: number): boolean;
  /** Pushes what line `i`'s amount earns under `rule` (a pointsPer rule). */
  pushPerShare(rule: CompiledRule, i: number): void;
  /** Pushes `rule`'s fixed points (a points rule). */
  pushFixed(rule: CompiledRule): void;
  /** Pushes what `rule` (a multiplier) adds to line `i`'s earnings so far, even when that is zero. */
  pushExtra(rule: CompiledRule, i: number): void;
  /** Pushes what `rule` (a multiplier) adds to line `i`'s earnings so far, only when it is not zero; whether it did. */
  pushExtraIfAny(rule: CompiledRule, i: number): boolean;
  /** Pushes what `rule` (a multiplier) adds to the order-level points so far. */
  pushOrderExtra(rule: CompiledRule): void;
  /** Whether line `i` has earned nothing so far. */
  lineEarnedIsZero(i: number): boolean;
  /** Whether the order has earned nothing so far. */
  earnedIsZero(): boolean;
  /** Whether the order-level shares (fixed order points, and multipliers of them) add up to nothing so far. */
  orderLevelIsZero(): boolean;
  /** Adds up the rule's shares: its contribution. */
  sumShares(): void;
  /** When the contribution is above `points` whole points, scales the shares down to exactly that; whether it did. */
  capAt(points: number): boolean;
  /** The contribution rounded up to whole points (what a campaign budget is charged). */
  ceilPoints(): number;
  /** Adds the rule's shares to what the lines (`indexes`, the first `lineShares` shares) and the order earned. */
  commit(indexes: readonly number[], lineShares: number, orderShare: boolean): void;
  /** The order's points: what it earned, times the tier's multiplier, capped by the program, rounded once. */
  finish(compiled: CompiledProgram, tier: CompiledTierLevel | undefined): number;
}

/** Why a rule gave nothing, as data: the sentence is only written when the trace is read. */
export const enum Miss {
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

/** Told what each rule did, for the trace. Only the exact path keeps one. */
export interface RuleRecorder {
  /** The facts conditions were tested against. */
  begin(orderFacts: EvaluationFacts): void;
  /** Rule `r` gave nothing; `line` (or -1) is the line a line-rule miss is about, `blockedBy` the exclusive rule. */
  missed(r: number, miss: Miss, line: number, blockedBy: string | undefined): void;
  /** The current rule's per-customer cap: read, and blocking the rule or not. */
  perCustomerCap(limit: number, used: number, key: string, blocked: boolean): void;
  /** The current rule's per-order cap reduced its points. */
  perOrderCapped(limit: number): void;
  /** The current rule's campaign budget blocked it, reduced its points, or counted them. */
  budgetCap(limit: number, used: number, effect: 'blocked' | 'reduced' | 'counted'): void;
  /** Rule `r` gave points to the lines `indexes` (its first `lineShares` shares) and, with `orderShare`, the order. */
  applied(r: number, indexes: readonly number[], lineShares: number, orderShare: boolean): void;
}

// Scratch space reused by every evaluation (one at a time: evaluation is synchronous and never re-entered).
const indexes: number[] = [];
let filters = new Uint8Array(256);
let blockedBy: Array<string | undefined> = new Array<string | undefined>(64).fill(undefined);

/** The filter memo, zeroed, with room for `size` answers. */
function scratchFilters(size: number): Uint8Array {
  if (filters.length < size) filters = new Uint8Array(Math.max(size, filters.length * 2));
  filters.fill(0, 0, size);
  return filters;
}

/** Per line, the exclusive rule that blocks it in the current phase: cleared for `n` lines. */
function scratchBlockedBy(n: number): Array<string | undefined> {
  if (blockedBy.length < n) blockedBy = new Array<string | undefined>(n * 2).fill(undefined);
  else blockedBy.fill(undefined, 0, n);
  return blockedBy;
}

/** A line's sku, category or brand, read by name (one shape per read site, not a keyed lookup). */
function fieldOf(line: LineFacts, field: 'sku' | 'category' | 'brand'): string | undefined {
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

/**
 * Runs the earning rules over an order. Pure apart from the arithmetic's and the recorder's state. Throws an
 * InputError for a tier the program does not have; an arithmetic may throw to give up (its caller catches that).
 *
 * @example
 * const points = runRules(compiled, { tierId: 'silver', usage: {} }, priced.facts, lineFacts, placedAt, arithmetic).points;
 */
export function runRules(
  compiled: CompiledProgram,
  input: RuleLoopInput,
  order: OrderFacts,
  lines: readonly LineFacts[],
  placedAt: number,
  arithmetic: PointsArithmetic,
  recorder?: RuleRecorder,
): DecidedPoints {
  const tierId = input.tierId ?? undefined;
  let tier: CompiledTierLevel | undefined;
  if (tierId !== undefined) {
    tier = compiled.tiers?.byId.get(tierId);
    if (!tier) return inputError('/tierId', 'unknown-tier', `tier "${tierId}" is not a tier of program "${compiled.id}"`);
  }
  const earlyMs = tier?.earlyAccessMs ?? 0;
  const usage = input.usage ?? {};
  const campaignUsage = input.campaignUsage ?? {};
  const customer = customerFacts(compiled, input.customer, tierId);
  const time = timeFacts(compiled, placedAt);
  const orderFacts: EvaluationFacts = { order, customer, time };
  recorder?.begin(orderFacts);
  const lineCount = lines.length;
  // One view for every line's conditions, pointed at the line before each test (conditions are synchronous). Pricing
  // refuses an order without lines, so line 0 exists whenever a line is tested.
  const lineView: { order: OrderFacts; customer: CustomerFacts; time: TimeFacts; line: LineFacts } = { order, customer, time, line: lines[0]! };

  // Exclusive rules block lower-priority rules of the same phase on the same line (or order).
  const lineBlockedBy = scratchBlockedBy(lineCount);
  let orderBlockedBy: string | undefined;
  let phase: CompiledRule['phase'] = 'base';
  // Whether any line an order pointsPer filter lets through has an amount, per filter: rules share filters.
  const anyAmount: Array<boolean | undefined> = [];
  // Whether line i passes filter f, at [f × lineCount + i]: 0 not asked yet, 1 yes, 2 no.
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
  const rules = compiled.rules;

  for (let r = 0; r < rules.length; r += 1) {
    const rule = rules[r]!;
    if (rule.phase !== phase) {
      phase = rule.phase;
      lineBlockedBy.fill(undefined, 0, lineCount);
      orderBlockedBy = undefined;
    }
    // A rule with `valid.earlyAccess` opens earlier for a tier with an early-access perk; its end does not move.
    if (rule.validFrom !== undefined && placedAt < (rule.earlyAccess ? rule.validFrom - earlyMs : rule.validFrom)) {
      recorder?.missed(r, Miss.NotValidYet, -1, undefined);
      continue;
    }
    if (rule.validUntil !== undefined && placedAt >= rule.validUntil) {
      recorder?.missed(r, Miss.Expired, -1, undefined);
      continue;
    }
    arithmetic.startRule();
    // Line shares first (their line indexes in `indexes`), then at most one share for the order as a whole.
    let lineShares = 0;
    let orderShare = false;
    if (rule.scope === 'order') {
      if (orderBlockedBy !== undefined) {
        recorder?.missed(r, Miss.OrderBlocked, -1, orderBlockedBy);
        continue;
      }
      if (rule.when && !rule.when.test(orderFacts)) {
        recorder?.missed(r, Miss.OrderCondition, -1, undefined);
        continue;
      }
      if (rule.kind === 'points') {
        arithmetic.pushFixed(rule);
        orderShare = true;
      } else if (rule.kind === 'pointsPer') {
        // Attributed to the lines it counts, so each line's share says what its own spend earned.
        let any = anyAmount[rule.filterId];
        if (any === undefined) {
          any = false;
          for (let i = 0; i < lineCount && !any; i += 1) any = eligible(rule, i) && !arithmetic.amountIsZero(i);
          anyAmount[rule.filterId] = any;
        }
        if (!any) {
          recorder?.missed(r, Miss.NoEligibleAmount, -1, undefined);
          continue;
        }
        for (let i = 0; i < lineCount; i += 1) {
          if (!eligible(rule, i)) continue;
          indexes[lineShares++] = i;
          arithmetic.pushPerShare(rule, i);
        }
      } else {
        // Multiplies each line's earnings and the order-level points so far.
        if (arithmetic.earnedIsZero()) {
          recorder?.missed(r, Miss.OrderNothingToMultiply, -1, undefined);
          continue;
        }
        for (let i = 0; i < lineCount; i += 1) {
          if (arithmetic.lineEarnedIsZero(i)) continue;
          indexes[lineShares++] = i;
          arithmetic.pushExtra(rule, i);
        }
        if (!arithmetic.orderLevelIsZero()) {
          arithmetic.pushOrderExtra(rule);
          orderShare = true;
        }
      }
    } else {
      // The parts of `when` that read no line fact hold or fail for every line alike: tested once.
      let when = rule.when;
      let lineWhen = true;
      if (when && when.readsLine !== true) {
        lineWhen = when.test(orderFacts);
        when = undefined;
      } else if (when?.split) {
        lineWhen = when.split.order.test(orderFacts);
        when = when.split.line;
      }
      // Only lines that can match the rule's required sku, category or brand (a string comparison or two, before
      // the filter and the conditions).
      const wanted = rule.candidates;
      for (let i = 0; lineWhen && i < lineCount; i += 1) {
        if (wanted && !isCandidate(fieldOf(lines[i]!, wanted.field), wanted.values)) continue;
        if (lineBlockedBy[i] !== undefined || !eligible(rule, i)) continue;
        if (when) {
          lineView.line = lines[i]!;
          if (!when.test(lineView)) continue;
        }
        if (rule.kind === 'pointsPer') arithmetic.pushPerShare(rule, i);
        else if (rule.kind === 'points') arithmetic.pushFixed(rule);
        else if (!arithmetic.pushExtraIfAny(rule, i)) continue;
        indexes[lineShares++] = i;
      }
      if (lineShares === 0) {
        if (recorder) recordLineMiss(recorder, r, rule, lines, lineBlockedBy, lineView);
        continue;
      }
    }
    arithmetic.sumShares();

    // Per customer per calendar period: one application per order.
    let usageKey: string | undefined;
    const perCustomer = rule.capPerCustomer;
    if (perCustomer) {
      local ??= compiled.clock.local(placedAt);
      usageKey = perCustomer.usageKey(local);
      const used = usage[usageKey] ?? 0;
      usageRead[usageKey] = used;
      const blocked = used >= perCustomer.count;
      recorder?.perCustomerCap(perCustomer.count, used, usageKey, blocked);
      if (blocked) {
        recorder?.missed(r, Miss.CapReached, -1, undefined);
        continue;
      }
    }
    if (rule.capPerOrder !== undefined && arithmetic.capAt(rule.ratio.capPerOrder)) recorder?.perOrderCapped(rule.ratio.capPerOrder);
    if (rule.budget !== undefined) {
      const spent = campaignUsage[rule.id] ?? 0;
      campaignRead[rule.id] = spent;
      const remaining = Math.max(0, rule.budget - spent);
      if (remaining === 0) {
        if (recorder) {
          recorder.budgetCap(rule.budget, spent, 'blocked');
          recorder.missed(r, Miss.BudgetExhausted, -1, undefined);
        }
        continue;
      }
      if (arithmetic.capAt(remaining)) {
        recorder?.budgetCap(rule.budget, spent, 'reduced');
        campaignOut.push({ ruleId: rule.id, points: remaining });
      } else {
        recorder?.budgetCap(rule.budget, spent, 'counted');
        campaignOut.push({ ruleId: rule.id, points: arithmetic.ceilPoints() });
      }
    }
    arithmetic.commit(indexes, lineShares, orderShare);
    if (usageKey !== undefined) usageOut.push({ key: usageKey, count: 1 });
    if (rule.exclusive) {
      if (rule.scope === 'line') for (let k = 0; k < lineShares; k += 1) lineBlockedBy[indexes[k]!] = rule.id;
      else orderBlockedBy = rule.id;
    }
    ruleIds.push(rule.id);
    recorder?.applied(r, indexes, lineShares, orderShare);
  }

  const points = arithmetic.finish(compiled, tier);
  return { points, usage: usageOut, campaignUsage: campaignOut, ruleIds, usageRead, campaignUsageRead: campaignRead };
}

/**
 * Why a line rule that gave nothing missed: the first line missed it (every line did), for the first reason in the
 * order the loop checks them. Only the trace asks, so the fast checks above (candidates, the condition's order part)
 * need not say which reason they skipped a line for.
 */
function recordLineMiss(recorder: RuleRecorder, r: number, rule: CompiledRule, lines: readonly LineFacts[], lineBlockedBy: ReadonlyArray<string | undefined>, lineView: { line: LineFacts } & EvaluationFacts): void {
  if (lines.length === 0) return recorder.missed(r, Miss.NoLines, -1, undefined);
  const blocker = lineBlockedBy[0];
  if (blocker !== undefined) return recorder.missed(r, Miss.LineBlocked, 0, blocker);
  if (!rule.lineEligible(lines[0]!)) return recorder.missed(r, Miss.LineFilter, 0, undefined);
  lineView.line = lines[0]!;
  if (rule.when && !rule.when.test(lineView)) return recorder.missed(r, Miss.LineCondition, 0, undefined);
  // It passed every check: a multiplier with nothing to multiply on that line.
  return recorder.missed(r, Miss.LineNothingToMultiply, 0, undefined);
}
