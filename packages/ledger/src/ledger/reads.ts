/**
 * Reads: a customer's balances, tier and the tier's perks as of an instant (from the read summary when it covers the instant), the
 * customer's transactions, and a warranty check with the customer's tier. Nothing here writes.
 */
import { applyEntry, emptyPointsState, viewPoints, type PointsState, type PointsView, type WarrantyEligibility } from '@purna/rules';
import type { AccountDoc } from '../account/account-doc.js';
import { getAccountHead } from '../account/account-store.js';
import type { Entry } from '../account/entry.js';
import { viewFromSummary } from '../account/points-summary.js';
import { summaryOf } from '../account/stored-account.js';
import type { CustomerView, TransactionPage } from '../contract/answers.js';
import { WarrantyRequestSchema, type WarrantyRequest } from '../contract/requests.js';
import { NotFound } from '../errors.js';
import { entryPrefix } from '../write-protocol.js';
import { customerOf, tierAt, tierFromSummary } from './account-view.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, ReadOptions } from './ledger-context.js';
import { PAGE } from './paging.js';
import { checkWarrantyEligibility, tierPerks } from './rules-port.js';

/**
 * A customer's points, tier and the tier's perks as of `at`. From the latest write on, the account's read summary answers without
 * reading its lots or orders (docs/ledger.md "Balance reads"); an instant it does not cover reads the account.
 */
export async function getCustomer(ctx: LedgerContext, tenantId: string, customerId: string, options: ReadOptions = {}): Promise<CustomerView> {
  const at = ctx.at(options);
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(customerId, '/customerId', 'customer id');
  const head = await getAccountHead(ctx.store, tenantId, customerId);
  if (!head) throw new NotFound('customer', customerId);
  const loaded = await ctx.programs.load(tenantId);
  const summary = summaryOf(head.doc);
  let view = summary ? viewFromSummary(summary.points, at) : undefined;
  let tier = tierFromSummary(summary?.tier, loaded, at);
  let source: Pick<AccountDoc, 'customerId' | 'profile' | 'referral'> = head.doc;
  if (!view || !tier) {
    const account = await ctx.account(tenantId, customerId);
    source = account;
    // The materialized state answers any instant from the latest write on; an earlier instant replays the
    // entries committed up to it (the only read whose cost grows with the number of entries).
    view ??= viewPoints(at < account.points.clock ? await pointsAsOf(ctx, tenantId, account, at) : account.points, at);
    tier ??= { tier: tierAt(loaded.compiled, account, at) ?? null };
  }
  return {
    id: customerId,
    profile: customerOf(source),
    points: pointsOf(view),
    tier: tier.tier,
    expiring: view.expiring,
    perks: [...tierPerks(loaded.compiled, tier.tier?.id)],
    ...(source.referral ? { referral: { status: source.referral.status, ...(source.referral.reason ? { reason: source.referral.reason } : {}) } } : {}),
  };
}

/** A customer's transactions, newest first, as of `at` (entries after `at` are left out). */
export async function listTransactions(ctx: LedgerContext, tenantId: string, customerId: string, options: ReadOptions & { cursor?: string; limit?: number } = {}): Promise<TransactionPage> {
  const at = ctx.at(options);
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const account = await ctx.account(tenantId, customerId);
  // Entries committed but not yet flushed are part of the ledger already.
  const pending = new Map<string, Entry>();
  for (const item of account.unflushed) for (const entry of item.entries) pending.set(entry.seq, entry);
  const items: Entry[] = [];
  let after = options.cursor;
  for (;;) {
    const page = await ctx.store.list<Entry>('entries', tenantId, { prefix: entryPrefix(customerId), reverse: true, limit: PAGE, ...(after ? { after } : {}) });
    for (const record of page) pending.set(record.key, record.doc);
    const merged = [...pending.values()].filter((e) => after === undefined || e.seq < after).sort((a, b) => (a.seq < b.seq ? 1 : -1));
    const last = page[page.length - 1]?.key;
    const settledUpTo = page.length < PAGE ? '' : (last ?? '');
    for (const entry of merged) {
      if (entry.seq < settledUpTo) break;
      pending.delete(entry.seq);
      if (entry.at > at) continue;
      items.push(entry);
      if (items.length >= limit) return { items, nextCursor: entry.seq };
    }
    if (page.length < PAGE) return { items };
    after = last;
  }
}

/** Extended-warranty plans for a product, with the tier of `customerId` or the given `customerTier`. */
export async function checkWarranty(ctx: LedgerContext, tenantId: string, request: WarrantyRequest | Record<string, unknown>, options: ReadOptions = {}): Promise<WarrantyEligibility> {
  const input = checkInput(WarrantyRequestSchema, request, '', 'warranty check');
  const at = ctx.at(options);
  const loaded = await ctx.programs.load(tenantId);
  let tier = input.customerTier;
  if (input.customerId !== undefined) {
    const account = await ctx.account(tenantId, input.customerId);
    tier = tierAt(loaded.compiled, account, at)?.id;
  }
  return checkWarrantyEligibility(loaded.compiled, { product: input.product, ...(tier ? { tier } : {}) }, { at });
}

/** The points state after every commit made at or before `at`: a replay of the ledger's prefix. */
async function pointsAsOf(ctx: LedgerContext, tenantId: string, account: AccountDoc, at: string): Promise<PointsState> {
  const stored = new Map<string, Entry>();
  for (const item of account.unflushed) for (const entry of item.entries) stored.set(entry.seq, entry);
  for await (const entry of ctx.storedEntries(tenantId, account.customerId)) stored.set(entry.seq, entry);
  let state = emptyPointsState();
  for (const entry of [...stored.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))) {
    // A prefix of the commits, so every debit finds the lot it takes from.
    if (entry.at > at) break;
    state = applyEntry(state, entry);
  }
  return state;
}

function pointsOf(view: PointsView): CustomerView['points'] {
  return { available: view.available, pending: view.pending, expired: view.expired, redeemed: view.redeemed, balance: view.balance };
}
