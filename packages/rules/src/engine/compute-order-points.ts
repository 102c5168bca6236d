/**
 * computeOrderPoints: the points of one order for a given tier and cap state (SEMANTICS rules 1-3). quoteOrder
 * calls it after determining the tier; a return re-runs it with the order's stored snapshot.
 *
 * Order of work: rules valid at `placedAt` whose `when` holds; base rules (pointsPer, points) by priority, then
 * multiplier rules by priority (a multiplier multiplies what the line, or the order, earned so far); per rule its
 * caps (per order, per customer per calendar period, campaign budget); the sum times the multiplier of the tier
 * held before the order; the program's per-order cap; rounded once.
 */
import type { EvaluationFacts } from '../conditions/facts.js';
import { inputError } from '../errors.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { roundPoints } from '../money.js';
import type { InstantLike } from '../time.js';
import type { CompiledProgram, CompiledRule } from './compiled-program.js';
import { customerFacts, timeFacts } from './evaluation-facts.js';
import type { LineShare, OrderShare, OrderTrace, RuleReasonCode, RuleTrace, CapTrace } from './order-trace.js';
import { describePeriod, periodKey } from './period-key.js';
import { priceOrder, type PricedOrder } from './price-order.js';
import { mulDiv, SCALE, scaleTo, shareToDecimal, shareToString, sum } from './shares.js';

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

interface RuleOutcome {
  applied: boolean;
  reason?: RuleReasonCode;
  detail?: string;
  /** Line index -> share (line rules and order pointsPer's counted lines). */
  lineShares?: Array<{ index: number; points: bigint }>;
  orderShare?: bigint;
  lines?: number[];
}

function validityReason(rule: CompiledRule, placedAt: number): RuleReasonCode | undefined {
  if (rule.validFrom !== undefined && placedAt < rule.validFrom) return 'not-valid-yet';
  if (rule.validUntil !== undefined && placedAt >= rule.validUntil) return 'expired';
  return undefined;
}

/**
 * The points of one order with a given tier and counters. Pure.
 *
 * @example
 * const r = computeOrderPoints(compiled, { order, tierId: 'silver', usage: {} }, { at: order.placedAt });
 * r.points; // 231 for o-1003 of the scenario: 185 × 1.25 = 231.25, floored
 */
export function computeOrderPoints(compiled: CompiledProgram, input: ComputeOrderPointsInput, options: { readonly at: InstantLike }): OrderPoints {
  const atMs = compiled.clock.millis(options.at, '/at');
  const placedAt = input.order.placedAt !== undefined ? compiled.clock.millis(input.order.placedAt, '/order/placedAt') : atMs;
  return computePricedOrderPoints(compiled, input, priceOrder(compiled, input.order), placedAt);
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
  const lineFacts: EvaluationFacts[] = priced.lines.map((line) => ({ order: priced.facts, customer, time, line: line.facts }));
  const local = compiled.clock.local(placedAt);

  const lineCount = priced.lines.length;
  const lineEarned: bigint[] = new Array<bigint>(lineCount).fill(0n);
  const lineRuleShares: Array<Array<{ ruleId: string; points: bigint }>> = priced.lines.map(() => []);
  const orderShares: Array<{ ruleId: string; points: bigint }> = [];
  // Exclusive rules block lower-priority rules of the same phase on the same line (or order).
  const lineBlockedBy: Array<string | undefined> = new Array<string | undefined>(lineCount).fill(undefined);
  let orderBlockedBy: string | undefined;
  let phase: CompiledRule['phase'] = 'base';
  // Everything earned so far (before the tier multiplier): what an order-scope multiplier multiplies.
  const earned = { total: 0n };
  // What order-level shares (fixed order points, and multipliers of them) add up to so far.
  const orderLevel = { total: 0n };
  // Order pointsPer rules with the same line filter count the same amount: computed once per filter.
  const eligibleByFilter: Array<{ amount: bigint; lines: number[] } | undefined> = [];

  const usageOut: UsageDelta[] = [];
  const campaignOut: CampaignUsageDelta[] = [];
  const usageRead: Record<string, number> = {};
  const campaignRead: Record<string, number> = {};
  const ruleIds: string[] = [];
  const traces: RuleTrace[] = [];

  for (const rule of compiled.rules) {
    if (rule.phase !== phase) {
      phase = rule.phase;
      lineBlockedBy.fill(undefined);
      orderBlockedBy = undefined;
    }
    // Most rules have no cap: they share one empty list instead of allocating one per rule and quote.
    const caps: CapTrace[] = rule.capPerCustomer || rule.capPerOrder || rule.budget !== undefined ? [] : NO_CAPS;
    const outcome = evaluateRule(rule, placedAt, priced, orderFacts, lineFacts, lineEarned, earned.total, orderLevel.total, eligibleByFilter, lineBlockedBy, orderBlockedBy);
    if (!outcome.applied) {
      traces.push(ruleTrace(rule, outcome, 0n, caps));
      continue;
    }
    const shareValues = [...(outcome.lineShares ?? []).map((share) => share.points), ...(outcome.orderShare !== undefined ? [outcome.orderShare] : [])];
    let contribution = sum(shareValues);
    let values = shareValues;

    // Per customer per calendar period: one application per order.
    if (rule.capPerCustomer) {
      const key = `earn:${rule.id}:${periodKey(rule.capPerCustomer.period, local)}`;
      const used = usage[key] ?? 0;
      usageRead[key] = used;
      if (used >= rule.capPerCustomer.count) {
        caps.push({ kind: 'perCustomer', limit: rule.capPerCustomer.count, used, key, effect: 'blocked' });
        const detail = `already applied ${used} time${used === 1 ? '' : 's'} this ${describePeriod(rule.capPerCustomer.period)} (limit ${rule.capPerCustomer.count})`;
        traces.push(ruleTrace(rule, { applied: false, reason: 'cap-reached', detail }, 0n, caps));
        continue;
      }
      caps.push({ kind: 'perCustomer', limit: rule.capPerCustomer.count, used, key, effect: 'counted' });
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
        traces.push(ruleTrace(rule, { applied: false, reason: 'budget-exhausted', detail: `its budget of ${rule.budget} points is used up` }, 0n, caps));
        continue;
      }
      if (contribution > remaining) {
        caps.push({ kind: 'budget', limit: rule.budget, used: spent, effect: 'reduced', uncapped: shareToString(contribution) });
        values = scaleTo(values, contribution, remaining);
        contribution = sum(values);
      } else caps.push({ kind: 'budget', limit: rule.budget, used: spent, effect: 'counted' });
      campaignOut.push({ ruleId: rule.id, points: Number((contribution + SCALE - 1n) / SCALE) });
    }
    if (rule.capPerCustomer) usageOut.push({ key: caps.find((c) => c.kind === 'perCustomer')!.key!, count: 1 });

    const lineShareCount = outcome.lineShares?.length ?? 0;
    outcome.lineShares?.forEach((share, i) => {
      const points = values[i]!;
      lineEarned[share.index] = lineEarned[share.index]! + points;
      lineRuleShares[share.index]!.push({ ruleId: rule.id, points });
      if (rule.exclusive && rule.scope === 'line') lineBlockedBy[share.index] = rule.id;
    });
    if (outcome.orderShare !== undefined) {
      orderShares.push({ ruleId: rule.id, points: values[lineShareCount]! });
      orderLevel.total += values[lineShareCount]!;
    }
    earned.total += contribution;
    if (rule.exclusive && rule.scope === 'order') orderBlockedBy = rule.id;
    ruleIds.push(rule.id);
    traces.push(ruleTrace(rule, outcome, contribution, caps));
  }

  // Tier multiplier on every share, then the program's per-order cap; the total is the sum of the final shares.
  const subtotal = earned.total;
  // One product for the whole order (subtotal × multiplier), spread over the shares in proportion.
  const raw = [...lineEarned, ...orderShares.map((s) => s.points)];
  let finals = tierMultiplier === SCALE ? raw : scaleTo(raw, subtotal, mulDiv(subtotal, tierMultiplier, SCALE));
  let exact = sum(finals);
  let maxPerOrder: OrderTrace['maxPerOrder'];
  if (compiled.maxPerOrderShare !== undefined && exact > compiled.maxPerOrderShare) {
    maxPerOrder = { limit: compiled.maxPerOrder!.toNumber(), uncapped: shareToString(exact) };
    finals = scaleTo(finals, exact, compiled.maxPerOrderShare);
    exact = sum(finals);
  }
  const points = roundPoints(shareToDecimal(exact), compiled.rounding);
  const exactText = shareToString(exact);
  const lines: LineShare[] = priced.lines.map((line, i) => ({
    index: i,
    sku: line.facts.sku,
    amount: line.facts.amount.toString(),
    points: shareToString(finals[i]!),
    rules: lineRuleShares[i]!.map((s) => ({ ruleId: s.ruleId, points: shareToString(s.points) })),
  }));
  const orderShareOut: OrderShare[] = orderShares.map((s, i) => ({ ruleId: s.ruleId, points: shareToString(finals[lineCount + i]!) }));
  return {
    points,
    exact: exactText,
    usage: usageOut,
    campaignUsage: campaignOut,
    ruleIds,
    lines,
    orderShares: orderShareOut,
    usageRead,
    campaignUsageRead: campaignRead,
    trace: {
      placedAt: compiled.clock.format(placedAt),
      rules: traces,
      lines,
      orderShares: orderShareOut,
      subtotal: shareToString(subtotal),
      tier: { id: tierId ?? null, multiplier: tierMultiplierText },
      ...(maxPerOrder ? { maxPerOrder } : {}),
      exact: exactText,
      rounding: { mode: compiled.rounding, exact: exactText, points },
    },
  };
}

/** `amount ÷ per × points` as a share: amount and per are both shares, so the scale is put back once. */
function pointsPerShare(amount: bigint, rule: CompiledRule): bigint {
  return (amount * rule.fixedPoint.perPoints * SCALE) / rule.fixedPoint.per;
}

function ruleTrace(rule: CompiledRule, outcome: RuleOutcome, points: bigint, caps: readonly CapTrace[]): RuleTrace {
  return {
    ruleId: rule.id,
    name: rule.name,
    scope: rule.scope,
    award: rule.kind,
    applied: outcome.applied,
    ...(outcome.reason ? { reason: outcome.reason } : {}),
    ...(outcome.detail ? { detail: outcome.detail } : {}),
    points: shareToString(points),
    ...(outcome.lines ? { lines: outcome.lines } : {}),
    ...(caps.length > 0 ? { caps } : {}),
  };
}

function evaluateRule(
  rule: CompiledRule,
  placedAt: number,
  priced: PricedOrder,
  orderFacts: EvaluationFacts,
  lineFacts: readonly EvaluationFacts[],
  lineEarned: readonly bigint[],
  earnedSoFar: bigint,
  orderLevelSoFar: bigint,
  eligibleByFilter: Array<{ amount: bigint; lines: number[] } | undefined>,
  lineBlockedBy: ReadonlyArray<string | undefined>,
  orderBlockedBy: string | undefined,
): RuleOutcome {
  const invalid = validityReason(rule, placedAt);
  if (invalid) return { applied: false, reason: invalid, detail: invalid === 'expired' ? 'the order was placed after valid.until' : 'the order was placed before valid.from' };
  if (rule.scope === 'order') {
    if (orderBlockedBy !== undefined) return { applied: false, reason: 'excluded-by-exclusive-rule', detail: `exclusive rule "${orderBlockedBy}" applied first` };
    if (rule.when && !rule.when.test(orderFacts)) return { applied: false, reason: 'condition-false', detail: rule.when.explain(orderFacts) };
    switch (rule.kind) {
      case 'points':
        return { applied: true, orderShare: rule.fixedPoint.fixed };
      case 'pointsPer': {
        // Attributed to the lines it counts, so each line's share says what its own spend earned.
        let eligible = eligibleByFilter[rule.filterId];
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
          eligibleByFilter[rule.filterId] = eligible;
        }
        if (eligible.amount === 0n) return { applied: false, reason: 'no-eligible-amount', detail: 'no line counts towards this rule' };
        const lineShares = eligible.lines.map((index) => ({ index, points: pointsPerShare(priced.lines[index]!.amountShare, rule) }));
        return { applied: true, lineShares, lines: eligible.lines };
      }
      case 'multiplier': {
        // Multiplies each line's earnings and the order-level points so far.
        if (earnedSoFar === 0n) return { applied: false, reason: 'nothing-to-multiply', detail: 'the order earned nothing to multiply' };
        const lineShares: Array<{ index: number; points: bigint }> = [];
        lineEarned.forEach((value, index) => {
          if (value !== 0n) lineShares.push({ index, points: mulDiv(value, rule.fixedPoint.extraFactor, SCALE) });
        });
        return {
          applied: true,
          lineShares,
          lines: lineShares.map((share) => share.index),
          ...(orderLevelSoFar === 0n ? {} : { orderShare: mulDiv(orderLevelSoFar, rule.fixedPoint.extraFactor, SCALE) }),
        };
      }
    }
  }
  const shares: Array<{ index: number; points: bigint }> = [];
  // Why the first line missed, as a closure: the sentence is only built when no line matched.
  let firstMiss: (() => string) | undefined;
  for (const line of priced.lines) {
    const i = line.index;
    const blockedBy = lineBlockedBy[i];
    if (blockedBy !== undefined) {
      firstMiss ??= () => `line ${i}: exclusive rule "${blockedBy}" applied first`;
      continue;
    }
    if (!rule.lineEligible(line.facts)) {
      firstMiss ??= () => `line ${i} (${line.facts.sku}) is excluded by the rule's line filter`;
      continue;
    }
    const facts = lineFacts[i]!;
    const when = rule.when;
    if (when && !when.test(facts)) {
      firstMiss ??= () => `line ${i} (${line.facts.sku}): ${when.explain(facts)}`;
      continue;
    }
    let points: bigint;
    if (rule.kind === 'pointsPer') points = pointsPerShare(line.amountShare, rule);
    else if (rule.kind === 'points') points = rule.fixedPoint.fixed;
    else points = mulDiv(lineEarned[i]!, rule.fixedPoint.extraFactor, SCALE);
    if (rule.kind === 'multiplier' && points === 0n) {
      firstMiss ??= () => `line ${i} (${line.facts.sku}) earned nothing to multiply`;
      continue;
    }
    shares.push({ index: i, points });
  }
  if (shares.length === 0) {
    const detail = firstMiss ? firstMiss() : 'the order has no lines';
    const reason: RuleReasonCode = rule.kind === 'multiplier' && detail.includes('nothing to multiply') ? 'nothing-to-multiply' : 'no-matching-line';
    return { applied: false, reason, detail };
  }
  return { applied: true, lineShares: shares, lines: shares.map((s) => s.index) };
}
