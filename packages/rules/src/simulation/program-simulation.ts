/**
 * ProgramSimulation: replays an order history through a program, one order at a time, and totals what it would
 * have issued. Pure (no clock, no I/O): the caller streams the orders in; `purna simulate` reads them from a file,
 * `POST /v1/program/simulate` from a request. Each order is quoted by `quoteOrder` with the history the ledger would
 * have passed (the customer's earlier orders inside the tier window, their cap counters, the program's budget
 * usage), so the totals are exactly the sum of per-order quotes.
 *
 * Memory is bounded per customer: only what the tier window and the caps can still read is kept (see
 * customer-window.ts), and customers with nothing left are dropped.
 */
import { InputError, inputError } from '../errors.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { evaluateTier } from '../engine/evaluate-tier.js';
import { quoteOrder, type OrderQuote } from '../engine/quote-order.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal } from '../money.js';
import { CustomerWindow, retentionPolicy, type RetentionPolicy } from './customer-window.js';
import type { SimulationReport, TierMovement, TierTotals } from './simulation-report.js';

/** How often (in orders) every customer's window is pruned. Pruning is also done for a customer at each of their orders. */
const SWEEP_EVERY = 50_000;
const NONE = 'none';

interface MutableTierTotals {
  orders: number;
  spend: Decimal;
  points: number;
}

/**
 * An accumulator fed one order at a time, in time order.
 *
 * @example
 * const simulation = new ProgramSimulation(compileProgram(parseProgram(json)));
 * for (const order of orders) simulation.add(order);
 * simulation.report().liability; // '1234500'
 */
export class ProgramSimulation {
  readonly #compiled: CompiledProgram;
  readonly #policy: RetentionPolicy;
  readonly #customers = new Map<string, CustomerWindow>();
  readonly #seen = new Set<string>();
  readonly #campaignUsage: Record<string, number> = {};
  readonly #baseTier: string | null;
  #orders = 0;
  #first: string | null = null;
  #last: string | null = null;
  #lastMs = Number.NEGATIVE_INFINITY;
  #spend = new Decimal(0);
  #points = 0;
  #rounding = new Decimal(0);
  readonly #byRule = new Map<string, { orders: number; points: Decimal }>();
  readonly #byTier = new Map<string, MutableTierTotals>();
  readonly #movements = new Map<string, TierMovement & { count: number }>();

  constructor(compiled: CompiledProgram) {
    this.#compiled = compiled;
    this.#policy = retentionPolicy(compiled);
    for (const rule of compiled.program.earning) this.#byRule.set(rule.id, { orders: 0, points: new Decimal(0) });
    this.#baseTier = evaluateTier(compiled, { orders: [] }, { at: '2000-01-01T00:00:00Z' }).tierId;
  }

  /** Orders added so far. */
  get orders(): number {
    return this.#orders;
  }

  /** Customers whose window is held right now (for memory bounds). */
  get customersHeld(): number {
    return this.#customers.size;
  }

  /** Entries held over every customer window (orders + counters), for memory bounds. */
  get entriesHeld(): number {
    let n = 0;
    for (const window of this.#customers.values()) n += window.size;
    return n;
  }

  /**
   * Quotes one order with the customer's history so far and adds it to the totals. Orders must come in time order
   * with a `customerId` and a `placedAt`. Throws an InputError (and changes nothing) when the order cannot be quoted;
   * its pointers are relative to the order (`/lines/0/unitPrice`, `/currency`).
   */
  add(order: OrderInput, customer?: CustomerInput): OrderQuote {
    const customerId = order.customerId;
    if (typeof customerId !== 'string' || customerId === '') return inputError('/customerId', 'missing-customer', 'a simulated order needs a "customerId": tiers and caps are per customer');
    if (order.placedAt === undefined) return inputError('/placedAt', 'missing-placed-at', 'a simulated order needs a "placedAt": orders are replayed in time order');
    const at = this.#compiled.clock.millis(order.placedAt, '/placedAt');
    if (at < this.#lastMs) {
      return inputError('/placedAt', 'out-of-order', `orders must be in time order: ${order.placedAt} comes before the previous order (${this.#last ?? ''})`);
    }
    if (customer !== undefined && customer.id !== customerId) return inputError('/customerId', 'customer-mismatch', `the order is for "${customerId}" but the customer given is "${customer.id}"`);

    const window = this.#customers.get(customerId) ?? new CustomerWindow(this.#baseTier);
    window.prune(at, this.#cutoff(at));
    let quote: OrderQuote;
    try {
      quote = quoteOrder(
        this.#compiled,
        { customer: customer ?? { id: customerId }, order, history: { orders: window.orders, usage: window.usage(), campaignUsage: this.#campaignUsage } },
        { at: order.placedAt },
      );
    } catch (error) {
      // quoteOrder points into its input ("/order/currency"); a simulation's caller has the order itself.
      if (error instanceof InputError) throw new InputError(error.errors.map((p) => ({ ...p, pointer: p.pointer.replace(/^\/order(?=\/|$)/, '') })));
      throw error;
    }

    // The quote succeeded: from here on, nothing throws.
    this.#customers.set(customerId, window);
    this.#seen.add(customerId);
    this.#orders++;
    this.#first ??= order.placedAt;
    this.#last = order.placedAt;
    this.#lastMs = at;
    this.#points += quote.points;
    const exact = new Decimal(quote.trace.exact);
    this.#rounding = this.#rounding.plus(new Decimal(quote.points).minus(exact));
    const spend = quote.trace.lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
    this.#spend = this.#spend.plus(spend);
    this.#addRuleShares(quote);
    const tierKey = quote.tierBefore ?? NONE;
    const tier = this.#byTier.get(tierKey) ?? { orders: 0, spend: new Decimal(0), points: 0 };
    tier.orders++;
    tier.spend = tier.spend.plus(spend);
    tier.points += quote.points;
    this.#byTier.set(tierKey, tier);
    this.#move(window.tier, quote.tierBefore);
    this.#move(quote.tierBefore, quote.tierAfter);
    window.tier = quote.tierAfter;

    window.addOrder({ id: order.id, placedAt: order.placedAt, tierSpend: quote.tierSpend, points: quote.points }, at);
    for (const { key, count } of quote.usage) window.addUsage(key, count, at, this.#policy);
    for (const { ruleId, points } of quote.campaignUsage) this.#campaignUsage[ruleId] = (this.#campaignUsage[ruleId] ?? 0) + points;
    if (this.#orders % SWEEP_EVERY === 0) this.#sweep(at);
    return quote;
  }

  /** The totals so far; tiers at the end are evaluated at the last order's instant. */
  report(): SimulationReport {
    const movements = new Map(this.#movements);
    const tiersAtEnd: Record<string, number> = {};
    let held = 0;
    for (const window of this.#customers.values()) {
      const end = this.#last === null ? window.tier : evaluateTier(this.#compiled, { orders: window.orders }, { at: this.#last }).tierId;
      if (end !== window.tier) this.#countMove(movements, window.tier, end);
      tiersAtEnd[end ?? NONE] = (tiersAtEnd[end ?? NONE] ?? 0) + 1;
      held++;
    }
    // Customers dropped from memory had no order left in the window: they hold the base tier.
    const dropped = this.#seen.size - held;
    if (dropped > 0) tiersAtEnd[this.#baseTier ?? NONE] = (tiersAtEnd[this.#baseTier ?? NONE] ?? 0) + dropped;

    const pointValue = this.#compiled.program.points.redemption?.pointValue ?? null;
    const liability = pointValue === null ? null : new Decimal(this.#points).times(pointValue);
    const byTier: Record<string, TierTotals> = {};
    for (const [id, t] of this.#byTier) byTier[id] = { orders: t.orders, spend: t.spend.toString(), points: t.points };
    const byRule: Record<string, { orders: number; points: string }> = {};
    for (const [id, r] of this.#byRule) byRule[id] = { orders: r.orders, points: r.points.toString() };
    return {
      programId: this.#compiled.id,
      programVersion: this.#compiled.version ?? null,
      currency: this.#compiled.program.currency,
      orders: this.#orders,
      customers: this.#seen.size,
      from: this.#first,
      until: this.#last,
      spend: this.#spend.toString(),
      points: this.#points,
      pointsPerSpend: this.#spend.isZero() ? '0' : new Decimal(this.#points).div(this.#spend).toSignificantDigits(6).toString(),
      pointValue,
      liability: liability === null ? null : liability.toString(),
      rewardRate: liability === null || this.#spend.isZero() ? null : liability.div(this.#spend).toSignificantDigits(6).toString(),
      byRule,
      rounding: this.#rounding.toString(),
      byTier,
      tierMovements: [...movements.values()].sort((a, b) => b.count - a.count),
      tiersAtEnd,
    };
  }

  /** Splits the order's exact points over the rules that gave them: each rule's pre-tier points scaled to the final exact points. */
  #addRuleShares(quote: OrderQuote): void {
    const subtotal = new Decimal(quote.trace.subtotal);
    if (subtotal.isZero()) return;
    const scale = new Decimal(quote.trace.exact).div(subtotal);
    for (const rule of quote.trace.rules) {
      const points = new Decimal(rule.points);
      if (!rule.applied || points.isZero()) continue;
      const totals = this.#byRule.get(rule.ruleId) ?? { orders: 0, points: new Decimal(0) };
      totals.orders++;
      totals.points = totals.points.plus(points.times(scale));
      this.#byRule.set(rule.ruleId, totals);
    }
  }

  /**
   * Orders placed before this instant can no longer affect the tier. Months are counted as 31 days, so the cutoff is
   * a little early (keeping slightly more is never wrong) and needs no calendar arithmetic per order.
   */
  #cutoff(at: number): number | undefined {
    const months = this.#policy.historyMonths;
    return months === undefined ? undefined : at - (months * 31 * 86_400_000);
  }

  #move(from: string | null, to: string | null): void {
    if (from !== to) this.#countMove(this.#movements, from, to);
  }

  #countMove(into: Map<string, TierMovement & { count: number }>, from: string | null, to: string | null): void {
    const key = `${from ?? ''}\u0000${to ?? ''}`;
    const existing = into.get(key);
    into.set(key, { from, to, count: (existing?.count ?? 0) + 1 });
  }

  /** Prunes every window; drops customers with nothing left (their tier is then the base tier, a downgrade if it was not). */
  #sweep(at: number): void {
    const cutoff = this.#cutoff(at);
    for (const [id, window] of this.#customers) {
      if (window.prune(at, cutoff)) {
        this.#move(window.tier, this.#baseTier);
        this.#customers.delete(id);
      }
    }
  }
}
