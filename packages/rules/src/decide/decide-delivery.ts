/**
 * decideDelivery: an order delivered. The delivery is decided once, on its order (`decideDelivery`: when its
 * follow-up call is due, and, when the order's points wait for its first delivery, when they become available and
 * expire), then applied to the account (`deliveryActions`): `order.delivered`, the follow-up kept until its
 * `follow-up.due` moment (decide-due-moments.ts), and the order's pending lot moved to its new life.
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import { NEVER } from '../account/lot.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { momentLeadTimes } from '../program/moments-section.js';
import { formatUtc } from '../time.js';
import { lotLife } from './decision-parts.js';
import type { RecordedDelivery, RecordedOrder } from './decide-return.js';
import { momentAction } from './moment-actions.js';
import { type Reason } from '../messages/sentence.js';
import { reasonOf } from '../messages/english.js';

/** Why an order cannot be delivered. */
export type DeliveryRefusal = Reason<'order-cancelled'>;

/** The answer of {@link decideDelivery}. */
export type DeliveryDecision = { readonly accepted: true; readonly record: RecordedDelivery } | { readonly accepted: false; readonly reason: DeliveryRefusal };

/**
 * True when `order`'s points wait for its first delivery (`points.pendingFrom: "delivery"` in the program it was
 * sold under): its lot was created pending without an end, and the first delivery gives it its life.
 */
export function pendingUntilDelivery(orderProgram: CompiledProgram): boolean {
  return orderProgram.program.points.pendingFrom === 'delivery';
}

/**
 * Decides a delivery of `order` at `at` (UTC ISO): the follow-up is due `moments.followUp.daysAfterDelivery` after
 * it (the same local time N calendar days later, with the program in force), and the first delivery of an order
 * whose points wait for it schedules them `pendingDays` after it (with the order's own program version).
 *
 * @example decideDelivery({ current, order: orderProgram }, o3001, { deliveryId: 'd-1', at: '2026-02-06T03:00:00.000Z' }).record.followUpAt // 7 days later
 */
export function decideDelivery(
  programs: { readonly current: CompiledProgram; readonly order: CompiledProgram },
  order: Pick<RecordedOrder, 'orderId' | 'deliveries' | 'cancellation' | 'availableAt' | 'lotId'>,
  request: { readonly deliveryId: string; readonly at: string },
): DeliveryDecision {
  if (order.cancellation) {
    return { accepted: false, reason: reasonOf('delivery.order-cancelled', { orderId: order.orderId, cancellationId: order.cancellation.cancellationId }) };
  }
  const { current } = programs;
  const days = momentLeadTimes(current.program.moments).followUpAfterDelivery;
  const followUpAt = days === undefined ? null : formatUtc(current.clock.plusDays(current.clock.millis(request.at, '/at'), days));
  const first = (order.deliveries ?? []).length === 0;
  const waiting = first && pendingUntilDelivery(programs.order) && order.availableAt === NEVER;
  return {
    accepted: true,
    // The life an order's lot has when its pending days start at this delivery.
    record: { deliveryId: request.deliveryId, at: request.at, followUpAt, ...(waiting ? { schedule: lotLife(programs.order, 'order', request.at) } : {}) },
  };
}

/**
 * The actions that apply a decided delivery to the customer's account: the order's lot moved to its life (while it
 * is still there), `order.delivered`, and the follow-up kept until its moment.
 *
 * @example applyActions(state, deliveryActions(state, order, record), { at: record.at, id: operationId.delivery(record.deliveryId) })
 */
export function deliveryActions(state: AccountState, order: Pick<RecordedOrder, 'orderId' | 'lotId' | 'programId' | 'programVersion'>, record: RecordedDelivery): AccountAction[] {
  const actions: AccountAction[] = [];
  const lot = order.lotId === undefined ? undefined : state.points.lots.find((l) => l.id === order.lotId);
  if (record.schedule && lot) {
    actions.push({
      type: 'schedule-lot',
      entry: { type: 'schedule', programId: order.programId, programVersion: order.programVersion, ruleIds: [], orderId: order.orderId, reason: 'delivered' },
      schedule: { lotId: lot.id, availableAt: record.schedule.availableAt, expiresAt: record.schedule.expiresAt },
    });
  }
  actions.push(
    momentAction('order.delivered', {
      orderId: order.orderId,
      deliveryId: record.deliveryId,
      deliveredAt: record.at,
      followUpAt: record.followUpAt,
      ...(record.schedule && lot ? { pointsAvailableAt: record.schedule.availableAt, points: lot.remaining } : {}),
    }),
  );
  if (record.followUpAt !== null) {
    actions.push({
      type: 'follow-up',
      followUp: { orderId: order.orderId, deliveryId: record.deliveryId, deliveredAt: record.at, dueAt: record.followUpAt, key: `follow-up.due:${order.orderId}:${record.deliveryId}` },
    });
  }
  return actions;
}
