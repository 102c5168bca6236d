/**
 * The reference a simulation is checked against: every order quoted by `quoteOrder` with the customer's complete,
 * never-pruned history, exactly as the ledger would pass it. Shared by the rules tests and the CLI tests.
 */
import { quoteOrder, type CompiledProgram, type HistoryOrder, type OrderInput } from '../../src/index.js';

/** Totals of per-order quotes. */
export interface ReferenceTotals {
  readonly points: number;
  /** Points by the tier held before each order (`none` without a tier). */
  readonly byTier: Record<string, number>;
}

/** Quotes `orders` one by one (in the order given) with full histories and sums them. */
export function referenceTotals(compiled: CompiledProgram, orders: readonly OrderInput[]): ReferenceTotals {
  const histories = new Map<string, { orders: HistoryOrder[]; usage: Record<string, number> }>();
  const campaignUsage: Record<string, number> = {};
  let points = 0;
  const byTier: Record<string, number> = {};
  for (const order of orders) {
    const customerId = order.customerId ?? '';
    const history = histories.get(customerId) ?? { orders: [], usage: {} };
    const quote = quoteOrder(compiled, { customer: { id: customerId }, order, history: { orders: history.orders, usage: { ...history.usage }, campaignUsage: { ...campaignUsage } } }, { at: order.placedAt ?? '' });
    points += quote.points;
    byTier[quote.tierBefore ?? 'none'] = (byTier[quote.tierBefore ?? 'none'] ?? 0) + quote.points;
    history.orders.push({ id: order.id, placedAt: order.placedAt ?? '', tierSpend: quote.tierSpend, points: quote.points });
    for (const { key, count } of quote.usage) history.usage[key] = (history.usage[key] ?? 0) + count;
    for (const { ruleId, points: p } of quote.campaignUsage) campaignUsage[ruleId] = (campaignUsage[ruleId] ?? 0) + p;
    histories.set(customerId, history);
  }
  return { points, byTier };
}
