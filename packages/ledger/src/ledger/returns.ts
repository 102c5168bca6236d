/**
 * Returns: decided once on the order document (the point of truth for what was returned), with the order's own
 * program version, tier and counters (`decideReturn`), then applied to the customer's account (`returnActions`).
 * However a return is split, the clawbacks add up to what was awarded. A return after the window of the program's
 * `returns` section is refused with `return-window-ended`, unless it carries an (admin) override, which is recorded.
 */
import { operationId, viewPoints } from '@purna/rules';
import type { OrderDoc, ReturnDecision } from '../account/account-doc.js';
import type { ReturnAnswer } from '../contract/answers.js';
import { ReturnRequestSchema, type ReturnLine, type ReturnRequest } from '../contract/requests.js';
import { IdempotencyMismatch, NotFound, ReturnRefused, refusalReasons } from '../errors.js';
import { cancellationsOnReturn } from '../warranty/warranty-cancellations.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';
import { checkReturnable, checkReturnWindow, decideReturn, returnActions } from './rules-port.js';

/**
 * Records a return of some of an order's lines and claws back what they earned, computed with the order's own
 * program version, tier and counters.
 */
export async function returnOrder(ctx: LedgerContext, tenantId: string, orderId: string, request: ReturnRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<ReturnAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(orderId, '/orderId', 'order id');
  const { id: returnId, lines, override } = checkInput(ReturnRequestSchema, request, '', 'return');
  const at = ctx.at(options);
  const opId = operationId.return(returnId);
  const requestHash = hashRequest({ orderId, lines, override });
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const order = await ctx.findOrder(tenantId, orderId);
  // A return the window refuses, or with lines the order does not have left, is refused before the operation is
  // claimed, so the same return id may come back corrected or with an override (the decision on the order checks
  // again, against its latest version). The window first: it does not change when the order is later cancelled,
  // so a refused return sent again is refused alike.
  if (!order.doc.returns.some((r) => r.returnId === returnId)) {
    await checkWindow(ctx, tenantId, order.doc, returnId, at, override);
    checkReturnable(order.doc, lines);
  }
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
      const { doc, decision } = await decideOnOrder(ctx, tenantId, orderId, { returnId, lines, ...(override ? { override } : {}) }, opId, requestHash, at);
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
async function decideOnOrder(
  ctx: LedgerContext,
  tenantId: string,
  orderId: string,
  request: { returnId: string; lines: ReturnLine[]; override?: { reason: string } },
  opId: string,
  requestHash: string,
  at: string,
): Promise<{ doc: OrderDoc; decision: ReturnDecision }> {
  const { returnId } = request;
  for (;;) {
    const order = await ctx.store.get<OrderDoc>('orders', tenantId, orderId);
    if (!order) throw new NotFound('order', orderId);
    const existing = order.doc.returns.find((r) => r.returnId === returnId);
    if (existing) {
      if (existing.requestHash !== requestHash) throw new IdempotencyMismatch(opId);
      return { doc: order.doc, decision: existing };
    }
    await checkWindow(ctx, tenantId, order.doc, returnId, at, request.override);
    const loaded = await ctx.programs.load(tenantId, order.doc.programVersion);
    const decision: ReturnDecision = { ...decideReturn(loaded.compiled, order.doc, request, { at }), opId, requestHash };
    const next: OrderDoc = { ...order.doc, returns: [...order.doc.returns, decision] };
    if (await ctx.store.replace<OrderDoc>('orders', tenantId, orderId, order.version, next)) return { doc: next, decision };
  }
}

/**
 * Throws ReturnRefused, with every reason, when the return window of the program the order was sold under has
 * ended at `at` and no override was sent (the API accepts one from admin keys only).
 */
async function checkWindow(ctx: LedgerContext, tenantId: string, order: OrderDoc, returnId: string, at: string, override: { reason: string } | undefined): Promise<void> {
  if (override) return;
  const loaded = await ctx.programs.load(tenantId, order.programVersion);
  const reasons = checkReturnWindow(loaded.compiled, order, at);
  if (reasons.length > 0) throw new ReturnRefused(returnId, refusalReasons(reasons));
}
