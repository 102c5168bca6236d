/**
 * Order cancellations before delivery: decided once, on the order document (`decideOrderCancellation`: refused once
 * the order was delivered, else the full return of every line left, with the order's own program version), then
 * applied to the account with every redemption tied to the order released (`releaseRedemption`), in one commit.
 */
import { cancellationActions, operationId, viewPoints, voucherReleases } from '@purna/rules';
import type { OrderCancellation, OrderDoc } from '../account/account-doc.js';
import type { CancellationAnswer } from '../contract/answers.js';
import { CancellationRequestSchema, type CancellationRequest } from '../contract/requests.js';
import { Conflict, IdempotencyMismatch, NotFound } from '../errors.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';
import { releaseRedemption } from './redemption-cancellations.js';
import { redemptionsOfOrder } from './redemption-records.js';
import { cancellationsOnReturn } from '../warranty/warranty-cancellations.js';
import { decideOrderCancellation } from './rules-port.js';

/**
 * Cancels an order before its delivery: claws back what it earned exactly as a full return would and releases the
 * redemptions tied to it. After a delivery it is a Conflict (what comes back is a return).
 */
export async function cancelOrder(ctx: LedgerContext, tenantId: string, orderId: string, request: CancellationRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<CancellationAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(orderId, '/orderId', 'order id');
  const { id: cancellationId, reason } = checkInput(CancellationRequestSchema, request, '', 'cancellation');
  const at = ctx.at(options);
  const opId = operationId.cancellation(cancellationId);
  const requestHash = hashRequest({ orderId, reason });
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const order = await ctx.findOrder(tenantId, orderId);
  // Refused before anything is claimed: the same id may still cancel another order.
  if (order.doc.cancellation?.cancellationId !== cancellationId) await decideOnOrder(ctx, tenantId, orderId, { cancellationId, reason, opId, requestHash, at }, false);
  const current = await ctx.programs.load(tenantId);
  const customerId = order.doc.customerId;
  const result = await runOperation<Omit<CancellationAnswer, 'replayed'>>(ctx.protocol, tenantId, {
    opId,
    kind: 'cancellation',
    customerId,
    requestHash,
    at,
    createAccount: true,
    program: current,
    decide: async (account) => {
      const { doc, record } = await decideOnOrder(ctx, tenantId, orderId, { cancellationId, reason, opId, requestHash, at }, true);
      const open = (await redemptionsOfOrder(ctx, tenantId, orderId, customerId)).filter((r) => r.doc.cancellation === undefined);
      const releases = open.map((r) => releaseRedemption(current.compiled, r, { at, reason, opId, cancellationId }));
      const redemptionsReleased = releases.map(({ restore }) => ({ redemptionId: restore.redemptionId, restored: restore.restored, expired: restore.expired }));
      // As its full return would, the cancellation takes the order's warranty contracts with it (warranty-cancellations.ts).
      const warranty = record.return ? await cancellationsOnReturn(ctx.store, ctx.programs, tenantId, doc, { ...record.return, opId, requestHash }) : { documents: [], cancelled: [] };
      // Vouchers used on the order come back while still valid (they live on the account: rewards.ts).
      const vouchers = voucherReleases(account, orderId, at);
      return {
        commit: {
          actions: cancellationActions(doc, record, releases.map((r) => r.restore), vouchers),
          documents: [...releases.map((r) => r.document), ...warranty.documents],
          answer: (applied) => ({
            cancellationId,
            orderId,
            clawedBack: record.return?.clawedBack ?? 0,
            redemptionsReleased,
            balance: viewPoints(applied.state.points, at).balance,
            ...(warranty.cancelled.length > 0 ? { warrantyContractsCancelled: warranty.cancelled } : {}),
            ...(vouchers.codes.length > 0 ? { vouchersReleased: vouchers.codes } : {}),
          }),
        },
      };
    },
  });
  return { ...result.answer, replayed: result.replayed };
}

/**
 * Decides the cancellation once, on the order document: one already there is answered as decided; a refusal is a
 * Conflict. With `write` false it only checks.
 */
async function decideOnOrder(
  ctx: LedgerContext,
  tenantId: string,
  orderId: string,
  request: { cancellationId: string; reason: string; opId: string; requestHash: string; at: string },
  write: boolean,
): Promise<{ doc: OrderDoc; record: OrderCancellation }> {
  for (;;) {
    const order = await ctx.store.get<OrderDoc>('orders', tenantId, orderId);
    if (!order) throw new NotFound('order', orderId);
    const existing = order.doc.cancellation;
    if (existing?.cancellationId === request.cancellationId) {
      if (existing.requestHash !== request.requestHash) throw new IdempotencyMismatch(request.opId);
      return { doc: order.doc, record: existing };
    }
    const loaded = await ctx.programs.load(tenantId, order.doc.programVersion);
    const decision = decideOrderCancellation(loaded.compiled, order.doc, request);
    if (!decision.accepted) throw new Conflict(decision.reason.message);
    const record: OrderCancellation = { ...decision.record, opId: request.opId, requestHash: request.requestHash };
    const next: OrderDoc = { ...order.doc, cancellation: record, ...(record.return ? { returns: [...order.doc.returns, { ...record.return, opId: request.opId, requestHash: request.requestHash }] } : {}) };
    if (!write) return { doc: next, record };
    if (await ctx.store.replace<OrderDoc>('orders', tenantId, orderId, order.version, next)) return { doc: next, record };
  }
}
