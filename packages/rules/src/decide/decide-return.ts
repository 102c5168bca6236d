/**
 * decideReturn (SEMANTICS rules 3, 4, 6 and 8): a return is decided once, on its order (what the order earned, with
 * the order's own program version, tier and counters: `evaluateReturn`), then applied to the account as actions:
 * the clawback from the order's own lot first, the counters and campaign budget given back, the order's smaller
 * tier spend, and, for a full return before the points became available, the referral reversed on both sides.
 */
import type { AccountAction } from '../account/account-action.js';
import type { OrderSnapshot } from '../engine/earning/quote-order.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal } from '../money/money.js';
import { evaluateReturn } from '../returns/evaluate-return.js';
import { allocateReturn, type ReturnLineInput } from '../returns/return-lines.js';
import { momentAction } from './moment-actions.js';
import { formatUtc } from '../time.js';
import { type Reason } from '../messages/sentence.js';
import { reasonOf } from '../messages/english.js';

/** A return as decided, kept on its order (the point of truth for what was returned). */
export interface RecordedReturn {
  returnId: string;
  at: string;
  lines: Array<{ sku: string; quantity: number }>;
  clawedBack: number;
  /** Change of the order's tier spend (a decimal string, zero or negative). */
  tierSpendDelta: string;
  usage: Array<{ key: string; count: number }>;
  /** Campaign budget given back (negative points per rule). */
  campaignUsage: Array<{ ruleId: string; points: number }>;
  ruleIds: string[];
  /** The order is now returned in full before its points became available: its referral is reversed. */
  reverseReferral: boolean;
  /** Nothing of the order is left after this return (absent on returns recorded before it was kept). */
  fullyReturned?: boolean;
  /** An admin took the return after the window ended, for this reason. */
  override?: { reason: string };
}

/** A delivery of an order, kept on its order (decideDelivery). */
export interface RecordedDelivery {
  deliveryId: string;
  /** UTC ISO. */
  at: string;
  /** When the follow-up call is due (UTC ISO), or null when the program asks for none. */
  followUpAt: string | null;
  /** The order's points, pending until its first delivery, become available then (and expire then). */
  schedule?: { availableAt: string; expiresAt: string };
}

/** An order cancelled before delivery, kept on its order (decideOrderCancellation). */
export interface RecordedCancellation {
  cancellationId: string;
  /** UTC ISO. */
  at: string;
  reason: string;
  /** The full return of every line left that reverses the order's award (absent when nothing was left). */
  return?: RecordedReturn;
}

/** An order as recorded, with what a return needs. */
export interface RecordedOrder {
  orderId: string;
  customerId: string;
  /** UTC ISO. */
  placedAt: string;
  order: OrderInput;
  programId: string;
  programVersion: number;
  /** The quote's snapshot: the tier and counters the order read. */
  snapshot: OrderSnapshot;
  awarded: number;
  /** The lot the order's points went to, when it earned any. */
  lotId?: string;
  availableAt: string;
  /** The order's tier spend as recorded (before any return). */
  tierSpend: string;
  referral?: { referrerId: string; referrerLotId: string; refereeLotId: string; referrer: number; referee: number };
  returns: RecordedReturn[];
  /** Its deliveries, in the order they were recorded (absent on orders recorded before deliveries were kept). */
  deliveries?: RecordedDelivery[];
  /** Its cancellation before delivery. */
  cancellation?: RecordedCancellation;
}

/**
 * Decides a return of `lines` of `order` at `at` (UTC ISO), measured from what the earlier returns left.
 * `compiled` must be the order's own program version. Throws an InputError for lines the order does not have left.
 *
 * @example
 * const record = decideReturn(compiledV1, o1002, { returnId: 'r-1', lines: [{ sku: 'PH-9', quantity: 1 }] }, { at });
 * record.clawedBack; // 1125
 */
export function decideReturn(
  compiled: CompiledProgram,
  order: RecordedOrder,
  request: { readonly returnId: string; readonly lines: readonly ReturnLineInput[]; readonly override?: { readonly reason: string } },
  options: { readonly at: string },
): RecordedReturn {
  const returnedBefore = order.returns.flatMap((r) => r.lines);
  const awardedSoFar = order.awarded - order.returns.reduce((sum, r) => sum + r.clawedBack, 0);
  const answer = evaluateReturn(
    compiled,
    { order: order.order, snapshot: order.snapshot, returnedBefore, lines: request.lines, awardedSoFar, customer: { id: order.customerId }, pointsAvailableAt: order.availableAt },
    { at: options.at },
  );
  const tierSpendBefore = order.returns.reduce((sum, r) => sum.plus(r.tierSpendDelta), new Decimal(order.tierSpend));
  return {
    returnId: request.returnId,
    at: options.at,
    lines: request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    clawedBack: answer.clawback,
    tierSpendDelta: new Decimal(answer.tierSpendAfter).minus(tierSpendBefore).toString(),
    usage: answer.usage.map((u) => ({ key: u.key, count: u.count })),
    campaignUsage: answer.campaignUsage.map((c) => ({ ruleId: c.ruleId, points: c.points })),
    ruleIds: [],
    reverseReferral: order.referral !== undefined && answer.reverseReferral,
    fullyReturned: answer.fullyReturned,
    ...(request.override ? { override: { reason: request.override.reason } } : {}),
  };
}

/** Why a return is refused by the program's return window. */
export interface ReturnRefusalReason extends Reason<'return-window-ended'> {
  /** When the window ended (UTC ISO). */
  readonly windowEndedAt: string;
}

/**
 * When `order`'s return window ends under the program it was sold under (`returns`: `windowDays` after its first
 * delivery, or its purchase while it has none, with `from: "delivery"`; after its purchase with `from: "purchase"`,
 * the default), as a UTC ISO instant; undefined when the program sets no window.
 *
 * @example returnWindowEnd(compiled, order) // '2026-03-08T03:00:00.000Z' (30 days after a delivery on 6 February)
 */
export function returnWindowEnd(compiled: CompiledProgram, order: Pick<RecordedOrder, 'placedAt' | 'deliveries'>): string | undefined {
  const policy = compiled.program.returns;
  if (!policy) return undefined;
  const delivered = order.deliveries?.[0];
  const from = policy.from === 'delivery' && delivered ? delivered.at : order.placedAt;
  return formatUtc(compiled.clock.plusDays(compiled.clock.millis(from, '/from'), policy.windowDays));
}

/**
 * Every reason the program's return window refuses a return of `order` at `at` (UTC ISO): none within the window
 * (a return at the very instant it ends is still in it).
 *
 * @example checkReturnWindow(compiled, order, '2026-04-01T03:00:00.000Z') // [{ code: 'return-window-ended', ... }]
 */
export function checkReturnWindow(compiled: CompiledProgram, order: Pick<RecordedOrder, 'placedAt' | 'deliveries'>, at: string): ReturnRefusalReason[] {
  const end = returnWindowEnd(compiled, order);
  if (end === undefined || at <= end) return [];
  const days = compiled.program.returns?.windowDays ?? 0;
  const from = compiled.program.returns?.from === 'delivery' && order.deliveries?.[0] ? 'delivery' : 'purchase';
  return [{ ...reasonOf('return.return-window-ended', { end, days, from }), windowEndedAt: end }];
}

/**
 * Throws an InputError, with every problem, unless the order has `lines` left to return after its earlier returns.
 *
 * @example checkReturnable(o1002, [{ sku: 'PH-9', quantity: 2 }]) // InputError: only 1 of "PH-9" is left to return
 */
export function checkReturnable(order: RecordedOrder, lines: readonly ReturnLineInput[]): void {
  allocateReturn(order.order, order.returns.flatMap((r) => r.lines), lines);
}

/**
 * The actions that apply a decided return to the customer's account.
 *
 * @example applyActions(state, returnActions(order, record), { at: record.at, id: operationId.return(record.returnId) })
 */
export function returnActions(order: RecordedOrder, record: RecordedReturn, options: { readonly cancellation?: boolean } = {}): AccountAction[] {
  const program = { programId: order.programId, programVersion: order.programVersion };
  const actions: AccountAction[] = [
    {
      type: 'clawback',
      entry: {
        type: 'return',
        ...program,
        ruleIds: [...record.ruleIds],
        orderId: order.orderId,
        returnId: record.returnId,
        lines: record.lines.map((l) => ({ ...l })),
        ...(options.cancellation ? { reason: 'order-cancelled' } : record.override ? { reason: 'return-window-overridden' } : {}),
      },
      points: record.clawedBack,
      firstLotIds: order.lotId ? [order.lotId] : [],
    },
  ];
  if (record.usage.length > 0) actions.push({ type: 'counters', deltas: record.usage });
  if (record.campaignUsage.length > 0) actions.push({ type: 'campaign', programId: order.programId, deltas: record.campaignUsage });
  actions.push({ type: 'order-returned', orderId: order.orderId, tierSpendDelta: record.tierSpendDelta, pointsDelta: -record.clawedBack });
  // A cancellation says what it undid in its own moment (order.cancelled).
  if (!options.cancellation) {
    actions.push(
      momentAction('return.recorded', {
        orderId: order.orderId,
        returnId: record.returnId,
        lines: record.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
        clawedBack: record.clawedBack,
        fullyReturned: record.fullyReturned === true,
        ...(record.override ? { override: { reason: record.override.reason } } : {}),
      }),
    );
  }
  const referral = order.referral;
  if (record.reverseReferral && referral) {
    if (referral.referee > 0) {
      actions.push({
        type: 'clawback',
        entry: { type: 'referral', ...program, ruleIds: ['referral'], orderId: order.orderId, returnId: record.returnId, reason: 'referral-reversed' },
        points: referral.referee,
        firstLotIds: [referral.refereeLotId],
      });
    }
    if (referral.referrer > 0) actions.push({ type: 'referrer-reversal', referrerId: referral.referrerId, orderId: order.orderId, lotId: referral.referrerLotId, points: referral.referrer });
    actions.push({ type: 'referral-status', status: 'reversed' }, momentAction('referral.reversed', { role: 'referee', referrerId: referral.referrerId, orderId: order.orderId, points: referral.referee }));
  }
  return actions;
}
