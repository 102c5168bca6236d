/**
 * Redemption records (the `redemptions` collection): what each redemption took from which lot, keyed by its order
 * and then its id, so that an order's cancellation lists the redemptions tied to it with one prefix scan, and a
 * redemption's cancellation finds its record from the redemption's operation (which names the order).
 */
import type { OperationDoc, RedemptionDoc } from '../account/account-doc.js';
import { getAccount } from '../account/account-store.js';
import { Conflict, NotFound } from '../errors.js';
import type { Versioned } from '../store/store.js';
import { flush } from '../write-protocol.js';
import type { LedgerContext } from './ledger-context.js';
import { operationId } from '@purna/rules';

const SEP = '\u0001';

/** The key of a redemption's record: its order, then its id. */
export function redemptionKey(orderId: string, redemptionId: string): string {
  return `${orderId}${SEP}${redemptionId}`;
}

/** The redemptions of `customerId` tied to `orderId`, in key order. */
export async function redemptionsOfOrder(ctx: LedgerContext, tenantId: string, orderId: string, customerId: string): Promise<Array<Versioned<RedemptionDoc>>> {
  const found: Array<Versioned<RedemptionDoc>> = [];
  let after: string | undefined;
  for (;;) {
    const page = await ctx.store.list<RedemptionDoc>('redemptions', tenantId, { prefix: `${orderId}${SEP}`, limit: 100, ...(after !== undefined ? { after } : {}) });
    found.push(...page.filter((record) => record.doc.customerId === customerId));
    if (page.length < 100) return found;
    after = page[page.length - 1]?.key;
  }
}

/**
 * Where a redemption's record is: its customer and key, from the redemption's operation (completing it first when
 * a crash left it committed but unflushed). NotFound when there is no such redemption; Conflict when it was refused.
 */
export async function locateRedemption(ctx: LedgerContext, tenantId: string, redemptionId: string): Promise<{ customerId: string; key: string }> {
  const opId = operationId.redemption(redemptionId);
  let op = await ctx.store.get<OperationDoc>('operations', tenantId, opId);
  if (op && op.doc.status !== 'done') {
    const account = await getAccount(ctx.store, tenantId, op.doc.customerId);
    for (const item of account?.doc.unflushed ?? []) await flush(ctx.protocol, tenantId, op.doc.customerId, item);
    op = await ctx.store.get<OperationDoc>('operations', tenantId, opId);
  }
  if (!op || op.doc.status !== 'done') throw new NotFound('redemption', redemptionId);
  if (op.doc.refused === true) throw new Conflict(`redemption "${redemptionId}" was refused: there is nothing to cancel`);
  const orderId = (op.doc.answer as { orderId?: unknown } | undefined)?.orderId;
  if (typeof orderId !== 'string') throw new NotFound('redemption', redemptionId);
  const key = redemptionKey(orderId, redemptionId);
  // Redemptions made before their records were kept cannot say which lots to put the points back into.
  if (!(await ctx.store.get<RedemptionDoc>('redemptions', tenantId, key))) throw new NotFound('redemption record', redemptionId);
  return { customerId: op.doc.customerId, key };
}
