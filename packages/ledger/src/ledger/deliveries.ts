/**
 * Deliveries: decided once, on the order document (`decideDelivery`: the follow-up's due instant, and the life of
 * the order's points when they waited for this first delivery), then applied to the customer's account
 * (`deliveryActions`: `order.delivered`, the follow-up kept until its moment, the pending lot moved).
 */
import { deliveryActions, operationId } from '@purna/rules';
import type { OrderDelivery, OrderDoc } from '../account/account-doc.js';
import type { DeliveryAnswer } from '../contract/answers.js';
import { DeliveryRequestSchema, type DeliveryRequest } from '../contract/requests.js';
import { Conflict, IdempotencyMismatch, NotFound } from '../errors.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';
import type { LoadedProgram } from './programs.js';
import { decideDelivery } from './rules-port.js';

/** Records a delivery of an order at `options.at`. A cancelled order cannot be delivered (Conflict). */
export async function deliverOrder(ctx: LedgerContext, tenantId: string, orderId: string, request: DeliveryRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<DeliveryAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(orderId, '/orderId', 'order id');
  const { id: deliveryId } = checkInput(DeliveryRequestSchema, request, '', 'delivery');
  const at = ctx.at(options);
  const opId = operationId.delivery(deliveryId);
  const requestHash = hashRequest({ orderId });
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const order = await ctx.findOrder(tenantId, orderId);
  const current = await ctx.programs.load(tenantId);
  // Refused before anything is claimed, so the id stays free.
  if (order.doc.cancellation && !(order.doc.deliveries ?? []).some((d) => d.deliveryId === deliveryId)) await decideOnOrder(ctx, tenantId, orderId, current, { deliveryId, at, opId, requestHash }, false);
  const result = await runOperation<Omit<DeliveryAnswer, 'replayed'>>(ctx.protocol, tenantId, {
    opId,
    kind: 'delivery',
    customerId: order.doc.customerId,
    requestHash,
    at,
    createAccount: true,
    program: current,
    decide: async (account) => {
      const { doc, record } = await decideOnOrder(ctx, tenantId, orderId, current, { deliveryId, at, opId, requestHash }, true);
      return {
        commit: {
          actions: deliveryActions(account, doc, record),
          answer: () => ({ deliveryId, orderId, followUpAt: record.followUpAt, ...(record.schedule ? { pointsAvailableAt: record.schedule.availableAt } : {}) }),
        },
      };
    },
  });
  return { ...result.answer, replayed: result.replayed };
}

/** Decides a delivery once, on the order document: one already there is answered as decided. */
async function decideOnOrder(
  ctx: LedgerContext,
  tenantId: string,
  orderId: string,
  current: LoadedProgram,
  request: { deliveryId: string; at: string; opId: string; requestHash: string },
  write: boolean,
): Promise<{ doc: OrderDoc; record: OrderDelivery }> {
  for (;;) {
    const order = await ctx.store.get<OrderDoc>('orders', tenantId, orderId);
    if (!order) throw new NotFound('order', orderId);
    const deliveries = order.doc.deliveries ?? [];
    const existing = deliveries.find((d) => d.deliveryId === request.deliveryId);
    if (existing) {
      if (existing.requestHash !== request.requestHash) throw new IdempotencyMismatch(request.opId);
      return { doc: order.doc, record: existing };
    }
    const own = await ctx.programs.load(tenantId, order.doc.programVersion);
    const decision = decideDelivery({ current: current.compiled, order: own.compiled }, order.doc, request);
    if (!decision.accepted) throw new Conflict(decision.reason.message);
    const record: OrderDelivery = { ...decision.record, opId: request.opId, requestHash: request.requestHash };
    // The order's points now have a date: later returns read it (a referral is reversed only before it).
    const next: OrderDoc = { ...order.doc, deliveries: [...deliveries, record], ...(record.schedule ? { availableAt: record.schedule.availableAt } : {}) };
    if (!write) return { doc: next, record };
    if (await ctx.store.replace<OrderDoc>('orders', tenantId, orderId, order.version, next)) return { doc: next, record };
  }
}
