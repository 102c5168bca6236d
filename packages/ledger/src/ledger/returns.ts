/**
 * Returns: decided once on the order document (the point of truth for what was returned), with the order's own
 * program version, tier and counters (`decideReturn`), then applied to the customer's account (`returnActions`).
 * However a return is split, the clawbacks add up to what was awarded.
 */
import { operationId, viewPoints } from '@purna/rules';
import type { OrderDoc, ReturnDecision } from '../account/account-doc.js';
import type { ReturnAnswer } from '../contract/answers.js';
import { ReturnRequestSchema, type ReturnLine, type ReturnRequest } from '../contract/requests.js';
import { IdempotencyMismatch, NotFound } from '../errors.js';
import { cancellationsOnReturn } from '../warranty/warranty-cancellations.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';
import { checkReturnable, decideReturn, returnActions } from './rules-port.js';

/**
 * Records a return of some of an order's lines and claws back what they earned, computed with the order's own
 * program version, tier and counters.
 */
export async function returnOrder(ctx: LedgerContext, tenantId: string, orderId: string, request: ReturnRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<ReturnAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(orderId, '/orderId', 'order id');
  const { id: returnId, lines } = checkInput(ReturnRequestSchema, request, '', 'return');
  const at = ctx.at(options);
  const opId = operationId.return(returnId);
  const requestHash = hashRequest({ orderId, lines });
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const order = await ctx.findOrder(tenantId, orderId);
  // Lines the order does not have left are refused before the operation is claimed, so a corrected request can
  // still use the same return id (the decision on the order checks again, against its latest version).
  if (!order.doc.returns.some((r) => r.returnId === returnId)) checkReturnable(order.doc, lines);
  // The return is decided with the order's program version; the account forgets and summarizes with the current one.
  const current = await ctx.programs.load(tenantId);
  const result = await runOperation<Omit<ReturnAnswer, 'replayed'>>(ctx.protocol, tenantId, {
    opId,
    kind: 'return',
    customerId: order.doc.customerId,
    requestHash,
    at,
    createAccount: true,
    program: current,
    decide: async () => {
      const { doc, decision } = await decideOnOrder(ctx, tenantId, orderId, returnId, opId, lines, requestHash, at);
      // The units that came back take their warranty contracts with them (warranty-cancellations.ts).
      const { documents, cancelled } = await cancellationsOnReturn(ctx.store, ctx.programs, tenantId, doc, decision);
      return {
        commit: {
          actions: returnActions(doc, decision),
          answer: (applied) => ({
            returnId,
            orderId,
            clawedBack: decision.clawedBack,
            balance: viewPoints(applied.state.points, at).balance,
            ...(cancelled.length > 0 ? { warrantyContractsCancelled: cancelled } : {}),
          }),
          documents,
        },
      };
    },
  });
  return { ...result.answer, replayed: result.replayed };
}

/** Decides a return once, on the order document: a return already there is answered as decided. */
async function decideOnOrder(ctx: LedgerContext, tenantId: string, orderId: string, returnId: string, opId: string, lines: ReturnLine[], requestHash: string, at: string): Promise<{ doc: OrderDoc; decision: ReturnDecision }> {
  for (;;) {
    const order = await ctx.store.get<OrderDoc>('orders', tenantId, orderId);
    if (!order) throw new NotFound('order', orderId);
    const existing = order.doc.returns.find((r) => r.returnId === returnId);
    if (existing) {
      if (existing.requestHash !== requestHash) throw new IdempotencyMismatch(opId);
      return { doc: order.doc, decision: existing };
    }
    const loaded = await ctx.programs.load(tenantId, order.doc.programVersion);
    const decision: ReturnDecision = { ...decideReturn(loaded.compiled, order.doc, { returnId, lines }, { at }), opId, requestHash };
    const next: OrderDoc = { ...order.doc, returns: [...order.doc.returns, decision] };
    if (await ctx.store.replace<OrderDoc>('orders', tenantId, orderId, order.version, next)) return { doc: next, decision };
  }
}
