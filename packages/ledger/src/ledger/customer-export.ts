/**
 * One customer's whole record (docs/data.md, "Export"): what Purna keeps about them, for the customer's right to
 * see it (UU PDP 2022, the Data Privacy Act 2012) and for moving them to another tenant or system. The `import` part is
 * the customer as one line of an import file: profile, the points still held as lots with their own availability and
 * expiry, and the tier held with the date its threshold stops being met (or its hold by hand ends), before the grace.
 */
import { heldTier, utcInstant } from '@purna/rules';
import type { MomentPage } from '../contract/moments.js';
import type { CaseView } from '../cases/case-schemas.js';
import type { CustomerImportLine, CustomerView, CustomerVouchersAnswer, TransactionPage } from '../contract/answers.js';
import type { Entry } from '../account/entry.js';
import type { AccountDoc, OrderDoc, RedemptionDoc } from '../account/account-doc.js';
import type { WarrantyContractView } from '../warranty/warranty-contract-doc.js';
import { redemptionKey } from './redemption-records.js';
import type { LedgerContext } from './ledger-context.js';
import type { LoadedProgram } from './programs.js';

/** Everything kept about one customer, as of `exportedAt`. */
export interface CustomerExport {
  exportedAt: string;
  customer: CustomerView;
  import: CustomerImportLine;
  /** Every ledger entry, oldest first. */
  transactions: TransactionPage['items'];
  orders: OrderDoc[];
  redemptions: RedemptionDoc[];
  moments: MomentPage['items'];
  cases: CaseView[];
  vouchers: CustomerVouchersAnswer['items'];
  warrantyContracts: WarrantyContractView[];
}

/** What the export reads beyond the ledger's context (the façade's rooms). */
export interface ExportSources {
  getCustomer(customerId: string, at: string): Promise<CustomerView>;
  listTransactions(customerId: string, at: string, cursor: string | undefined): Promise<TransactionPage>;
  listMoments(customerId: string, after: string | undefined): Promise<MomentPage>;
  listCases(customerId: string, cursor: string | undefined): Promise<{ items: CaseView[]; nextCursor?: string }>;
  listContracts(customerId: string, at: string, cursor: string | undefined): Promise<{ items: WarrantyContractView[]; nextCursor?: string }>;
  vouchers(customerId: string, at: string): Promise<CustomerVouchersAnswer>;
}

/** Reads every page of a list. */
async function whole<T>(read: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string }>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await read(cursor);
    all.push(...page.items);
    if (page.nextCursor === undefined || page.items.length === 0) return all;
    cursor = page.nextCursor;
  }
}

/**
 * The customer as one line of an import file as of `at`: the profile (every field but `referredBy`, which an import
 * line has no field for), the points still held as lots, the debt, and the tier held with the date its threshold
 * stops being met (or its hold by hand ends), before the grace: an import holds it by hand until then and adds the
 * same grace, so the tier ends where it would have.
 */
export function importLineOf(account: AccountDoc, program: LoadedProgram | undefined, at: string): CustomerImportLine {
  const { id: _id, referredBy: _referredBy, ...profile } = account.profile ?? { id: account.customerId };
  const lots = account.points.lots
    .filter((lot) => lot.remaining > 0 && lot.expiresAt > at)
    .map((lot) => ({ points: lot.remaining, availableAt: lot.availableAt, expiresAt: lot.expiresAt, reason: lot.source }));
  const held = program ? heldTier(program.compiled, account, at) : undefined;
  const tier = held?.tierId && held.metUntil !== null ? { id: held.tierId, until: utcInstant(held.metUntil, '/tier/until') } : undefined;
  return {
    id: account.customerId,
    ...profile,
    lots,
    ...(account.points.debt > 0 ? { debt: account.points.debt } : {}),
    ...(tier ? { tier } : {}),
  };
}

/**
 * Every customer of the tenant as a line of an import file as of `at`, in id order, one account in memory at a time
 * (`purna export`).
 */
export async function* exportTenant(ctx: LedgerContext, tenantId: string, at: string): AsyncGenerator<CustomerImportLine> {
  const program = await ctx.programInForce(tenantId);
  for await (const account of ctx.accounts(tenantId)) yield importLineOf(account, program, at);
}

/** One customer's whole record as of `at` (NotFound when there is no such customer). */
export async function exportCustomer(ctx: LedgerContext, sources: ExportSources, tenantId: string, customerId: string, at: string): Promise<CustomerExport> {
  const customer = await sources.getCustomer(customerId, at);
  const account = await ctx.account(tenantId, customerId);
  const transactions = (await whole((cursor) => sources.listTransactions(customerId, at, cursor))).reverse();
  const orders: OrderDoc[] = [];
  const redemptions: RedemptionDoc[] = [];
  const seenOrders = new Set<string>();
  const seenRedemptions = new Set<string>();
  for (const entry of transactions as Array<TransactionPage['items'][number] & Partial<Pick<Entry, 'orderId' | 'redemptionId'>>>) {
    if (entry.orderId !== undefined && !seenOrders.has(entry.orderId)) {
      seenOrders.add(entry.orderId);
      const order = await ctx.store.get<OrderDoc>('orders', tenantId, entry.orderId);
      if (order && order.doc.customerId === customerId) orders.push(order.doc);
    }
    if (entry.redemptionId !== undefined && entry.orderId !== undefined) {
      const key = redemptionKey(entry.orderId, entry.redemptionId);
      if (seenRedemptions.has(key)) continue;
      seenRedemptions.add(key);
      const redemption = await ctx.store.get<RedemptionDoc>('redemptions', tenantId, key);
      if (redemption && redemption.doc.customerId === customerId) redemptions.push(redemption.doc);
    }
  }
  const line = importLineOf(account, await ctx.programInForce(tenantId), at);
  return {
    exportedAt: at,
    customer,
    import: line,
    transactions,
    orders,
    redemptions,
    moments: await whole((after) => sources.listMoments(customerId, after)),
    cases: await whole((cursor) => sources.listCases(customerId, cursor)),
    vouchers: (await sources.vouchers(customerId, at)).items,
    warrantyContracts: await whole((cursor) => sources.listContracts(customerId, at, cursor)),
  };
}
