/**
 * decideOrderCancellation: an order cancelled before it was delivered. It takes back everything the order earned
 * exactly as a full return of every line still kept would (the return decision itself: caps, campaign budget, tier
 * spend and referral included), and releases the redemptions tied to the order (the redemption cancellation's own
 * decision, once per redemption). After a delivery it is refused: what was delivered comes back as a return.
 */
import type { AccountAction } from '../account/account-action.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { ReturnLineInput } from '../returns/return-lines.js';
import type { OrderInput } from '../input/order-input.js';
import { decideReturn, returnActions, type RecordedCancellation, type RecordedOrder } from './decide-return.js';
import type { RedemptionRestore } from './decide-redemption-cancellation.js';
import { momentAction } from './moment-actions.js';
import { type Reason } from '../messages/sentence.js';
import { reasonOf } from '../messages/english.js';

/** Why an order cannot be cancelled. */
export type CancellationRefusal = Reason<'order-delivered' | 'order-cancelled'>;

/** The answer of {@link decideOrderCancellation}. */
export type CancellationDecision = { readonly accepted: true; readonly record: RecordedCancellation } | { readonly accepted: false; readonly reason: CancellationRefusal };

/** The lines `order` still has after its returns, by sku (what a full return would take back). */
export function linesLeft(order: { readonly order: Pick<OrderInput, 'lines'>; readonly returns: ReadonlyArray<{ readonly lines: readonly ReturnLineInput[] }> }): ReturnLineInput[] {
  const left = new Map<string, number>();
  for (const line of order.order.lines) left.set(line.sku, (left.get(line.sku) ?? 0) + line.quantity);
  for (const line of order.returns.flatMap((r) => r.lines)) left.set(line.sku, (left.get(line.sku) ?? 0) - line.quantity);
  return [...left].filter(([, quantity]) => quantity > 0).map(([sku, quantity]) => ({ sku, quantity }));
}

/**
 * Decides the cancellation of `order` at `at` (UTC ISO) with the order's own program version (`compiled`): refused
 * once it was delivered (or cancelled under another id), else the full return of what is left.
 *
 * @example decideOrderCancellation(compiledV1, o1002, { cancellationId: 'c-1', at, reason: 'out-of-stock' }).accepted // true
 */
export function decideOrderCancellation(compiled: CompiledProgram, order: RecordedOrder, request: { readonly cancellationId: string; readonly at: string; readonly reason: string }): CancellationDecision {
  const delivered = order.deliveries?.[0];
  if (delivered) {
    return { accepted: false, reason: reasonOf('cancellation.order-delivered', { orderId: order.orderId, deliveryId: delivered.deliveryId, at: delivered.at }) };
  }
  if (order.cancellation) {
    return { accepted: false, reason: reasonOf('cancellation.order-cancelled', { orderId: order.orderId, cancellationId: order.cancellation.cancellationId }) };
  }
  const lines = linesLeft(order);
  const record: RecordedCancellation = { cancellationId: request.cancellationId, at: request.at, reason: request.reason };
  if (lines.length > 0) record.return = decideReturn(compiled, order, { returnId: cancellationReturnId(request.cancellationId), lines }, { at: request.at });
  return { accepted: true, record };
}

/** The id the return a cancellation decides is kept under on its order. */
export function cancellationReturnId(cancellationId: string): string {
  return `cancellation:${cancellationId}`;
}

/**
 * The actions that apply a decided cancellation to the customer's account: the full return's (without its
 * `return.recorded`), every released redemption's, the vouchers used on the order made usable again
 * (voucherReleases), and `order.cancelled`.
 *
 * @example applyActions(state, cancellationActions(order, record, releases, voucherReleases(state, order.orderId, at)), { at: record.at, id: operationId.cancellation(record.cancellationId) })
 */
export function cancellationActions(
  order: RecordedOrder,
  record: RecordedCancellation,
  releases: readonly RedemptionRestore[],
  vouchers: { readonly codes: readonly string[]; readonly actions: readonly AccountAction[] } = { codes: [], actions: [] },
): AccountAction[] {
  const actions: AccountAction[] = record.return ? returnActions(order, record.return, { cancellation: true }) : [];
  for (const release of releases) actions.push(...release.actions);
  actions.push(...vouchers.actions);
  actions.push(
    momentAction('order.cancelled', {
      orderId: order.orderId,
      cancellationId: record.cancellationId,
      reason: record.reason,
      clawedBack: record.return?.clawedBack ?? 0,
      redemptionsReleased: releases.map((r) => ({ redemptionId: r.redemptionId, restored: r.restored, expired: r.expired })),
      ...(vouchers.codes.length > 0 ? { vouchersReleased: [...vouchers.codes] } : {}),
    }),
  );
  return actions;
}
