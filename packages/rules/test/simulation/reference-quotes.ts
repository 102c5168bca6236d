/**
 * The reference a simulation is checked against: every order quoted by `quoteOrder`, and every return decided by
 * `evaluateReturn`, with the customer's complete, never-pruned history (net of returns), exactly as the ledger would
 * pass it. Nothing of the simulation is used. Shared by the rules tests and the CLI tests.
 */
import { Decimal, evaluateReturn, quoteOrder, type CompiledProgram, type HistoryOrder, type OrderInput, type OrderSnapshot } from '../../src/index.js';

/** Totals of per-order quotes and per-return clawbacks. */
export interface ReferenceTotals {
  /** Sum of the orders' quoted points. */
  readonly points: number;
  /** Points by the tier held before each order (`none` without a tier). */
  readonly byTier: Record<string, number>;
  /**
   * Per earning rule, its exact share of the points, from each quote's trace: the rule's points before the tier
   * multiplier times exact ÷ subtotal (the factor of the tier multiplier and the per-order cap).
   */
  readonly byRule: Record<string, string>;
  readonly orders: number;
  /** Sum of the returns' clawbacks, and how many returns. */
  readonly clawedBack: number;
  readonly returns: number;
}

/** A history line: an order (no `type`, or `"order"`), a return, or anything else (ignored here). */
type ReferenceRecord = (OrderInput & { type?: string }) | { type: string; orderId?: string; at?: string; lines?: Array<{ sku: string; quantity: number }> };

interface RecordedOrder {
  readonly order: OrderInput;
  readonly snapshot: OrderSnapshot;
  readonly summary: HistoryOrder;
  awarded: number;
  returned: Array<{ sku: string; quantity: number }>;
}

/** Quotes the orders and decides the returns of `records` one by one (in the order given) with full histories. */
export function referenceTotals(compiled: CompiledProgram, records: readonly ReferenceRecord[]): ReferenceTotals {
  const histories = new Map<string, { orders: HistoryOrder[]; usage: Record<string, number> }>();
  const recorded = new Map<string, RecordedOrder>();
  const campaignUsage: Record<string, number> = {};
  let points = 0;
  let orders = 0;
  let clawedBack = 0;
  let returns = 0;
  const byTier: Record<string, number> = {};
  const byRule = new Map<string, Decimal>(compiled.program.earning.map((rule) => [rule.id, new Decimal(0)]));
  for (const record of records) {
    if (record.type === 'return') {
      const r = record as { orderId: string; at: string; lines: Array<{ sku: string; quantity: number }> };
      const held = recorded.get(r.orderId);
      if (!held) throw new Error(`reference: return of unknown order ${r.orderId}`);
      const decision = evaluateReturn(compiled, { order: held.order, snapshot: held.snapshot, returnedBefore: held.returned, lines: r.lines, awardedSoFar: held.awarded }, { at: r.at });
      clawedBack += decision.clawback;
      returns++;
      held.awarded -= decision.clawback;
      held.returned.push(...r.lines);
      held.summary.tierSpend = decision.tierSpendAfter;
      held.summary.points -= decision.clawback;
      const history = histories.get(held.order.customerId ?? '')!;
      for (const { key, count } of decision.usage) history.usage[key] = (history.usage[key] ?? 0) + count;
      for (const { ruleId, points: p } of decision.campaignUsage) campaignUsage[ruleId] = (campaignUsage[ruleId] ?? 0) + p;
      continue;
    }
    if (record.type !== undefined && record.type !== 'order') continue;
    const { type: _type, ...order } = record as OrderInput & { type?: string };
    const customerId = order.customerId ?? '';
    const history = histories.get(customerId) ?? { orders: [], usage: {} };
    const quote = quoteOrder(compiled, { customer: { id: customerId }, order, history: { orders: history.orders.map((o) => ({ ...o })), usage: { ...history.usage }, campaignUsage: { ...campaignUsage } } }, { at: order.placedAt ?? '' });
    points += quote.points;
    orders++;
    byTier[quote.tierBefore ?? 'none'] = (byTier[quote.tierBefore ?? 'none'] ?? 0) + quote.points;
    const subtotal = new Decimal(quote.trace.subtotal);
    if (!subtotal.isZero()) {
      for (const rule of quote.trace.rules) {
        if (rule.applied) byRule.set(rule.ruleId, byRule.get(rule.ruleId)!.plus(new Decimal(rule.points).times(quote.trace.exact).div(subtotal)));
      }
    }
    const summary: HistoryOrder = { id: order.id, placedAt: order.placedAt ?? '', tierSpend: quote.tierSpend, points: quote.points };
    history.orders.push(summary);
    recorded.set(order.id, { order, snapshot: quote.snapshot, summary, awarded: quote.points, returned: [] });
    for (const { key, count } of quote.usage) history.usage[key] = (history.usage[key] ?? 0) + count;
    for (const { ruleId, points: p } of quote.campaignUsage) campaignUsage[ruleId] = (campaignUsage[ruleId] ?? 0) + p;
    histories.set(customerId, history);
  }
  return { points, byTier, byRule: Object.fromEntries([...byRule].map(([id, d]) => [id, d.toString()])), orders, clawedBack, returns };
}
