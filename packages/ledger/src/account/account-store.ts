/**
 * Reading and writing accounts in the store: every write stores format 2 with a fresh read summary
 * (stored-account.ts), every full read decodes either format, and a balance read takes the head alone.
 */
import type { InsertResult, ListQuery, Store, Versioned } from '../store/store.js';
import { emptyAccount, type AccountDoc } from './account-doc.js';
import { summarizePoints } from './points-summary.js';
import { decodeAccount, encodeAccount, type AccountHead, type AccountSummary, type StoredAccount, type TierSummary } from './stored-account.js';

/** Computes the tier summary of an account about to be written, with the program version the write evaluated. */
export interface TierSummarizer {
  programId: string;
  programVersion: number;
  summarize: (account: AccountDoc) => TierSummary | undefined;
}

/**
 * The read summary of `next`, written over `before`. The points part is always computed again. The tier depends on
 * nothing but the tier-window orders and the program, so while the orders are unchanged the tier part of `before`
 * is kept: when the write knows no program, or the same version, unless its hold ended by `next`'s clock. Otherwise
 * `tier` computes it again, or it is left out when the write knows no program.
 */
export function summarize(next: AccountDoc, before: AccountDoc | undefined, tier?: TierSummarizer): AccountSummary {
  const previous = before?.summary?.tier;
  const ordersKept = previous !== undefined && next.orders === before?.orders;
  const sameProgram = previous !== undefined && (!tier || (tier.programId === previous.programId && tier.programVersion === previous.programVersion));
  const stillHeld = previous !== undefined && (previous.until === '' || next.points.clock < previous.until);
  const tierSummary = ordersKept && sameProgram && stillHeld ? previous : tier?.summarize(next);
  return { points: summarizePoints(next.points), ...(tierSummary ? { tier: tierSummary } : {}) };
}

/** How an account is read: `erased: true` answers an erased account too (erasure.ts), which is otherwise absent. */
export interface AccountReadOptions {
  erased?: boolean;
}

/** The whole account, decoded from either format; undefined for an erased one unless asked for. */
export async function getAccount(store: Store, tenantId: string, customerId: string, options: AccountReadOptions = {}): Promise<Versioned<AccountDoc> | undefined> {
  const found = await store.get<StoredAccount | AccountDoc>('accounts', tenantId, customerId);
  if (!found || (found.doc.erasedAt !== undefined && options.erased !== true)) return undefined;
  return { ...found, doc: decodeAccount(found.doc) };
}

/** The account without its cold part: what a balance read needs (a format-1 account comes whole); undefined when erased. */
export async function getAccountHead(store: Store, tenantId: string, customerId: string): Promise<Versioned<AccountHead> | undefined> {
  const found = await store.get<AccountHead>('accounts', tenantId, customerId, { cold: false });
  return found?.doc.erasedAt === undefined ? found : undefined;
}

/** Creates an empty account unless one exists; answers the stored one, decoded. */
export async function insertAccount(store: Store, tenantId: string, customerId: string): Promise<InsertResult<AccountDoc>> {
  const empty = emptyAccount(customerId);
  return insertAccountDoc(store, tenantId, empty, summarize(empty, undefined));
}

/** Creates the account as `doc` (an imported customer, whole at once) unless one exists; answers the stored one, decoded. */
export async function insertAccountDoc(store: Store, tenantId: string, doc: AccountDoc, summary: AccountSummary): Promise<InsertResult<AccountDoc>> {
  const result = await store.insert<StoredAccount | AccountDoc>('accounts', tenantId, doc.customerId, encodeAccount(doc, summary));
  return { inserted: result.inserted, record: { ...result.record, doc: decodeAccount(result.record.doc) } };
}

/** Compare-and-set of the account on `expectedVersion`, stored with `summary`; false when another write won. */
export async function replaceAccount(store: Store, tenantId: string, expectedVersion: number, next: AccountDoc, summary: AccountSummary): Promise<boolean> {
  return (await store.replace<StoredAccount>('accounts', tenantId, next.customerId, expectedVersion, encodeAccount(next, summary))) !== undefined;
}

/** One page of a tenant's accounts in key order, decoded. */
export async function listAccounts(store: Store, tenantId: string, query: ListQuery): Promise<Array<Versioned<AccountDoc>>> {
  const page = await store.list<StoredAccount | AccountDoc>('accounts', tenantId, query);
  return page.map((record) => ({ ...record, doc: decodeAccount(record.doc) }));
}
