/**
 * Moments: the ledger's reads of the outbox its writes fill (../moments/moment-store.ts). A customer's moments
 * include those committed and not flushed yet; the tenant's feed shows what is stored, behind a short horizon.
 */
import { MomentQuerySchema, type MomentPage, type MomentQueryRequest } from '../contract/moments.js';
import { readMoments } from '../moments/moment-feed.js';
import { publicMoment } from '../moments/moment-store.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext } from './ledger-context.js';

/** A page of the moments feed, or of one customer's moments (NotFound for a customer the ledger does not know). */
export async function listMoments(ctx: LedgerContext, tenantId: string, request: MomentQueryRequest | Record<string, unknown>): Promise<MomentPage> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const query = checkInput(MomentQuerySchema, request, '', 'moments query');
  const account = query.customerId !== undefined ? await ctx.account(tenantId, query.customerId) : undefined;
  const page = await readMoments(ctx.store, tenantId, query, ctx.wallClock(), account);
  return { ...page, items: page.items.map(publicMoment) };
}
