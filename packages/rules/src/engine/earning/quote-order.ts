/**
 * quoteOrder: the tier held just before the order, the order's points with that tier and the customer's counters,
 * the tier after it, and the snapshot a return needs to reverse exactly what was granted.
 */
import type { CustomerHistory } from '../../input/customer-history.js';
import type { CustomerInput } from '../../input/customer-input.js';
import type { OrderInput } from '../../input/order-input.js';
import { checkHistory } from '../check-history.js';
import type { CompiledProgram } from '../compiled-program.js';
import { evaluateOrderPoints, type CampaignUsageDelta, type OrderPoints, type OrderPointsOptions, type UsageDelta } from './compute-order-points.js';
import type { LineShare, OrderTrace } from './order-trace.js';
import { pointsLifeMillis, type PointsLife } from '../points-life.js';
import { basisValue, heldLevel, levelWith, tierEntries } from '../tiers/tier-window.js';
import { InputError } from '../../errors.js';

/** Input of {@link quoteOrder}. */
export interface QuoteOrderInput {
  readonly customer?: CustomerInput;
  readonly order: OrderInput;
  readonly history: CustomerHistory;
}

/** What a return needs to recompute the order as it was granted. */
export interface OrderSnapshot {
  readonly programId: string;
  readonly programVersion: number | null;
  readonly tierBefore: string | null;
  /** The counters the order read (keys it touched, values before it). */
  readonly usage: Readonly<Record<string, number>>;
  readonly campaignUsage: Readonly<Record<string, number>>;
}

/** The answer of {@link quoteOrder}. */
export interface OrderQuote {
  readonly points: number;
  /** Exact points before rounding. */
  readonly exact: string;
  readonly tierBefore: string | null;
  readonly tierAfter: string | null;
  /** When the order's points become available and when they expire (ISO instants in the program's zone). */
  readonly life: PointsLife;
  readonly usage: readonly UsageDelta[];
  readonly campaignUsage: readonly CampaignUsageDelta[];
  /** The order's contribution to the tier basis: spend of lines not excluded by `tiers.exclude`. */
  readonly tierSpend: string;
  readonly ruleIds: readonly string[];
  readonly lines: readonly LineShare[];
  readonly snapshot: OrderSnapshot;
  readonly trace: OrderTrace & { readonly tierBefore: string | null; readonly tierAfter: string | null };
}

/**
 * An order's quote. `exact`, `lines` and `trace` are written on first read (see computeOrderPoints): a quote for
 * points alone skips them. A class, not an object literal with getters, for the reason given at FastOrderPoints
 * (compute-order-points.ts); `JSON.stringify` includes the lazy fields through {@link Quote.toJSON}.
 */
class Quote implements OrderQuote {
  readonly points: number;
  readonly tierBefore: string | null;
  readonly tierAfter: string | null;
  readonly life: PointsLife;
  readonly usage: readonly UsageDelta[];
  readonly campaignUsage: readonly CampaignUsageDelta[];
  readonly tierSpend: string;
  readonly ruleIds: readonly string[];
  readonly snapshot: OrderSnapshot;
  readonly #result: OrderPoints;
  #trace: OrderQuote['trace'] | undefined;

  constructor(result: OrderPoints, tierBefore: string | null, tierAfter: string | null, life: PointsLife, tierSpend: string, snapshot: OrderSnapshot) {
    this.points = result.points;
    this.tierBefore = tierBefore;
    this.tierAfter = tierAfter;
    this.life = life;
    this.usage = result.usage;
    this.campaignUsage = result.campaignUsage;
    this.tierSpend = tierSpend;
    this.ruleIds = result.ruleIds;
    this.snapshot = snapshot;
    this.#result = result;
  }

  get exact(): string {
    return this.#result.exact;
  }

  get lines(): readonly LineShare[] {
    return this.#result.lines;
  }

  get trace(): OrderQuote['trace'] {
    return (this.#trace ??= { ...this.#result.trace, tierBefore: this.tierBefore, tierAfter: this.tierAfter });
  }

  /** Every field, the lazy ones included. */
  toJSON(): OrderQuote {
    const { exact, lines, trace } = this;
    return { points: this.points, exact, tierBefore: this.tierBefore, tierAfter: this.tierAfter, life: this.life, usage: this.usage, campaignUsage: this.campaignUsage, tierSpend: this.tierSpend, ruleIds: this.ruleIds, lines, snapshot: this.snapshot, trace };
  }
}

/**
 * Quotes (or records the decision for) an order. Pure: no clock, no I/O. `at` is when the question is asked; the
 * order's `placedAt` (default `at`) decides which rules are valid, the calendar periods of caps and the tier. Pass
 * `trace: true` when you will read `exact`, `lines` or `trace` (see OrderPointsOptions): the quote then takes the
 * exact path at once instead of the fast path first and the exact path again on the first read.
 *
 * @example
 * const quote = quoteOrder(compiled, { customer, order, history: { orders: [], usage: {} } }, { at: order.placedAt });
 * quote.points; // 1425 for o-1001 of the scenario
 * quoteOrder(compiled, { customer, order, history }, { at: order.placedAt, trace: true }).trace.rules; // why each rule applied or not
 */
export function quoteOrder(compiled: CompiledProgram, input: QuoteOrderInput, options: OrderPointsOptions): OrderQuote {
  const { order, history } = input;
  if (typeof order !== 'object' || order === null || Array.isArray(order)) {
    throw new InputError([{ pointer: '/order', code: 'invalid-order', message: `the order must be an object with lines, got ${order === null ? 'null' : typeof order}` }]);
  }
  checkHistory(history);
  const atMs = compiled.clock.millis(options.at, '/at');
  const placedAt = order.placedAt !== undefined ? compiled.clock.millis(order.placedAt, '/order/placedAt') : atMs;
  const tiers = compiled.tiers;
  const entries = tiers ? tierEntries(tiers, compiled.clock, history.orders, placedAt, order.id) : [];
  const before = tiers ? heldLevel(tiers, compiled.clock, entries, placedAt, history.tierHold).index : -1;
  const tierBefore = tiers && before >= 0 ? tiers.levels[before]!.id : null;

  const evaluated = evaluateOrderPoints(compiled, { customer: input.customer, tierId: tierBefore, usage: history.usage, campaignUsage: history.campaignUsage }, order, placedAt, options.trace === true);
  const result = evaluated.result;
  const tierSpend = evaluated.tierSpend();

  let tierAfter = tierBefore;
  if (tiers) {
    const after = levelWith(tiers, compiled.clock, entries, placedAt, before, order.id, basisValue(tiers, tierSpend, result.points, '/order'));
    tierAfter = after >= 0 ? tiers.levels[after]!.id : null;
  }

  const lifeMs = pointsLifeMillis(compiled, 'order', placedAt);
  const life: PointsLife = { availableAt: compiled.clock.format(lifeMs.availableAt), expiresAt: lifeMs.expiresAt === null ? null : compiled.clock.format(lifeMs.expiresAt) };

  const snapshot: OrderSnapshot = {
    programId: compiled.id,
    programVersion: compiled.version ?? null,
    tierBefore,
    usage: result.usageRead,
    campaignUsage: result.campaignUsageRead,
  };
  return new Quote(result, tierBefore, tierAfter, life, tierSpend, snapshot);
}
