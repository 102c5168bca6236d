/**
 * Returns: decided once on the order document (the point of truth for what was returned), with the order's own
 * program version, tier and counters (`decideReturn`), then applied to the customer's account (`returnActions`).
 * However a return is split, the clawbacks add up to what was awarded.
 */
import { InputError, operationId, viewPoints } from '@purna/rules';
import type { OrderDoc, ReturnDecision } from '../account/account-doc.js';
import { IdempotencyMismatch, NotFound } from '../errors.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { checkId, checkInteger } from './input-check.js';
import { asRecord, type LedgerContext, type WriteOptions } from './ledger-context.js';
import { checkReturnable, decideReturn, returnActions } from './rules-port.js';

/** A return request: which quantities of which skus came back. */
export interface ReturnRequest {
  id: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** The answer of `returnOrder`. */
export interface ReturnAnswer {
  returnId: string;
  orderId: string;
  clawedBack: number;
  balance: number;
  replayed: boolean;
}

/**
 * Records a return of some of an order's lines and claws back what they earned, computed with the order's own
 * program version, tier and counters.
 */
export async function returnOrder(ctx: LedgerContext, tenantId: string, orderId: string, request: ReturnRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<ReturnAnswer> {
  const input = asRecord(request, 'return');
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(orderId, '/orderId', 'order id');
  const returnId = checkId(input.id, '/id', 'return id');
  const lines = checkReturnLines(input.lines);
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
      return {
        commit: {
          actions: returnActions(doc, decision),
          answer: (applied) => ({ returnId, orderId, clawedBack: decision.clawedBack, balance: viewPoints(applied.state.points, at).balance }),
        },
      };
    },
  });
  return { ...result.answer, replayed: result.replayed };
}

/** Decides a return once, on the order document: a return already there is answered as decided. */
async function decideOnOrder(ctx: LedgerContext, tenantId: string, orderId: string, returnId: string, opId: string, lines: ReturnRequest['lines'], requestHash: string, at: string): Promise<{ doc: OrderDoc; decision: ReturnDecision }> {
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

function checkReturnLines(lines: unknown): ReturnRequest['lines'] {
  if (!Array.isArray(lines) || lines.length === 0) {
    throw new InputError([{ pointer: '/lines', code: 'invalid-lines', message: 'a return needs a list of 1 or more lines { sku, quantity }' }]);
  }
  return lines.map((line: unknown, i) => {
    const l = line as { sku?: unknown; quantity?: unknown };
    const sku = checkId(l?.sku, `/lines/${i}/sku`, `lines[${i}].sku`);
    const quantity = checkInteger(l?.quantity, `/lines/${i}/quantity`, `lines[${i}].quantity`);
    if (quantity < 1) throw new InputError([{ pointer: `/lines/${i}/quantity`, code: 'invalid-quantity', message: `lines[${i}].quantity must be 1 or more` }]);
    return { sku, quantity };
  });
}
