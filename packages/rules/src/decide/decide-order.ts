/**
 * decideOrder: what a paid order does to its customer's account (SEMANTICS rules 2-5 and 8). The quote with the tier
 * held before it and the customer's counters; the award of its points as one lot, pending then expiring; its
 * counters and campaign budget; the order in the tier window; the tier it reaches; and, on a first order that
 * qualifies a pending referral, the referee's lot and the referrer's reward.
 */
import type { AccountAction, AwardAction } from '../account/account-action.js';
import { historyOf, type AccountState } from '../account/account-state.js';
import { quoteOrder, type OrderQuote } from '../engine/earning/quote-order.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { evaluateReferralOrder, type ReferralOrderReasonCode } from '../referral/evaluate-referral-order.js';
import { lotLife, programFields, recordedTier, tierChange } from './decision-parts.js';
import { awardedMoments, momentAction } from './moment-actions.js';
import { warrantyOfferActions } from './warranty-offers.js';
import { pendingUntilDelivery } from './decide-delivery.js';
import { NEVER } from '../account/lot.js';

/** Input of {@link decideOrder}. */
export interface DecideOrderInput {
  readonly customer: CustomerInput;
  /** The order; its `placedAt` a UTC ISO instant (`utcInstant`). */
  readonly order: OrderInput & { readonly placedAt: string };
  /** Program-wide points per rule so far, for campaign budgets. */
  readonly campaignUsage?: Readonly<Record<string, number>>;
  /** The owner of the code of the customer's pending referral: their profile and counters (the per-referrer limit). */
  readonly referrer?: { readonly customer: CustomerInput; readonly usage: Readonly<Record<string, number>> };
}

/** The referral a first order qualified. */
export interface QualifiedReferral {
  readonly referrerId: string;
  readonly referrer: number;
  readonly referee: number;
}

/** The answer of {@link decideOrder}. */
export interface OrderDecision {
  readonly quote: OrderQuote;
  readonly awarded: number;
  /** When the order's points become available (UTC ISO). */
  readonly availableAt: string;
  readonly tierBefore: string | null;
  readonly tierAfter: string | null;
  readonly referral?: QualifiedReferral;
  /** Why a pending referral this first order was asked to qualify does not. */
  readonly referralRefused?: ReferralOrderReasonCode;
  readonly actions: readonly AccountAction[];
}

/**
 * Decides an order (its `placedAt` decides the rules, periods and tier; the entries take the instant the reducer
 * applies them at). Pass `{ trace: true }` when the quote's trace, lines or exact points will be read (an answer
 * that shows the trace, a simulation's per-rule totals): the exact path then answers at once.
 *
 * @example
 * const decision = decideOrder(compiled, state, { customer, order }, { trace: true });
 * decision.awarded; // 1425 for o-1001 of the toko scenario
 */
export function decideOrder(compiled: CompiledProgram, state: AccountState, input: DecideOrderInput, options: { readonly trace?: boolean } = {}): OrderDecision {
  const { customer, order } = input;
  const history = { ...historyOf(state, order.placedAt), ...(input.campaignUsage ? { campaignUsage: { ...input.campaignUsage } } : {}) };
  const quote = quoteOrder(compiled, { customer, order, history }, { at: order.placedAt, ...(options.trace ? { trace: true } : {}) });
  const program = programFields(compiled);
  // Points pending from delivery have no life yet: their first delivery gives them one (decideDelivery).
  const life = pendingUntilDelivery(compiled) ? { availableAt: NEVER, expiresAt: NEVER } : lotLife(compiled, 'order', order.placedAt);
  const award: AwardAction = {
    type: 'award',
    entry: { type: 'earn', ...program, ruleIds: [...quote.ruleIds], orderId: order.id, lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) },
    source: 'order',
    points: quote.points,
    ...life,
    orderId: order.id,
    role: 'order',
  };
  const actions: AccountAction[] = [award, ...awardedMoments(award)];
  let referral: QualifiedReferral | undefined;
  let referralRefused: ReferralOrderReasonCode | undefined;
  const pending = state.referral?.status === 'pending' ? state.referral.referrerId : undefined;
  if (pending !== undefined && state.firstOrderId === undefined && input.referrer) {
    const decision = evaluateReferralOrder(compiled, { referee: customer, referrer: input.referrer.customer, order, isFirstOrder: true, history: { usage: input.referrer.usage } }, { at: order.placedAt });
    if (decision.qualifies) {
      const referralLife = lotLife(compiled, 'referral', order.placedAt);
      if (decision.refereePoints > 0) {
        const refereeAward: AwardAction = { type: 'award', entry: { type: 'referral', ...program, ruleIds: ['referral'], orderId: order.id, reason: 'referee' }, source: 'referral', points: decision.refereePoints, ...referralLife, orderId: order.id, role: 'referee' };
        actions.push(refereeAward, ...awardedMoments(refereeAward));
      }
      if (decision.referrerPoints > 0) {
        actions.push({ type: 'referrer-reward', referrerId: pending, refereeId: customer.id, orderId: order.id, points: decision.referrerPoints, ...referralLife, ...program, usage: decision.usage.map((u) => ({ key: u.key, count: u.count })) });
      }
      actions.push(
        { type: 'referral-status', status: 'qualified', orderId: order.id },
        momentAction('referral.qualified', { role: 'referee', referrerId: pending, orderId: order.id, points: decision.refereePoints, referrerPoints: decision.referrerPoints }),
      );
      referral = { referrerId: pending, referrer: decision.referrerPoints, referee: decision.refereePoints };
    } else {
      referralRefused = decision.reason ?? 'referral-disabled';
    }
  }
  if (quote.usage.length > 0) actions.push({ type: 'counters', deltas: quote.usage.map((u) => ({ key: u.key, count: u.count })) });
  if (quote.campaignUsage.length > 0) actions.push({ type: 'campaign', programId: compiled.id, deltas: quote.campaignUsage.map((c) => ({ ruleId: c.ruleId, points: c.points })) });
  actions.push({ type: 'order', order: { id: order.id, placedAt: order.placedAt, tierSpend: quote.tierSpend, points: quote.points } });
  // The recorded tier catches up with the tier held before the order (a grace may have ended since), then moves
  // to the tier the order reaches.
  const recorded = recordedTier(compiled, state);
  if (recorded !== quote.tierBefore) actions.push(...tierChange(recorded, quote.tierBefore, order.placedAt, { cause: 'grace-ended' }));
  if (quote.tierAfter !== quote.tierBefore) actions.push(...tierChange(quote.tierBefore, quote.tierAfter, order.placedAt, { cause: 'order', orderId: order.id }));
  actions.push(...warrantyOfferActions(compiled, order, quote.tierAfter));
  return {
    quote,
    awarded: quote.points,
    availableAt: life.availableAt,
    tierBefore: quote.tierBefore,
    tierAfter: quote.tierAfter,
    ...(referral ? { referral } : {}),
    ...(referralRefused ? { referralRefused } : {}),
    actions,
  };
}
