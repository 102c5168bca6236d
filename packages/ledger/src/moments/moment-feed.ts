/**
 * Reading the moments outbox (moment-store.ts): a tenant's feed in the order moments were stored, resumable with a
 * cursor, or one customer's moments in the order they were committed.
 */
import { inputError, type MomentType } from '@purna/rules';
import type { Store } from '../store/store.js';
import type { AccountDoc } from '../account/account-doc.js';
import { feedBound, isFeedKey, momentPrefix, type MomentDoc } from './moment-store.js';

/** What a feed read asks for. */
export interface MomentQuery {
  /** Only moments of this type. */
  type?: MomentType;
  /** Only this customer's moments (in commit order; the cursor is then the customer's own). */
  customerId?: string;
  /** The `nextCursor` of an earlier read: resume after it. */
  after?: string;
  /** At most this many moments (1 to 500, default 100). */
  limit?: number;
}

/**
 * One page of moments as stored (with their numbers, for the delivery worker; the ledger answers them public),
 * oldest first, and where to resume (absent only when the feed has nothing yet).
 */
export interface MomentFeedPage {
  items: MomentDoc[];
  nextCursor?: string;
}

/** How many index entries one read looks at, at most, when a filter skips most of them. */
const SCAN_LIMIT = 2000;
const PAGE = 200;

/**
 * A page of the tenant's feed, or of one customer's moments (`account` is that customer's, for the moments
 * committed but not flushed yet).
 */
export async function readMoments(store: Store, tenantId: string, query: MomentQuery, nowMs: number, account?: AccountDoc): Promise<MomentFeedPage> {
  const limit = Math.min(Math.max(query.limit ?? 100, 1), 500);
  if (query.customerId !== undefined) return customerMoments(store, tenantId, query.customerId, query, limit, account);
  return feedMoments(store, tenantId, query, limit, nowMs);
}

function matches(doc: MomentDoc, type: MomentType | undefined): boolean {
  return type === undefined || doc.type === type;
}

async function feedMoments(store: Store, tenantId: string, query: MomentQuery, limit: number, nowMs: number): Promise<MomentFeedPage> {
  if (query.after !== undefined && !isFeedKey(query.after)) {
    inputError('/after', 'invalid-cursor', 'after is not a cursor of the moments feed: pass the nextCursor of the previous page, or none for the first page');
  }
  const bound = feedBound(nowMs);
  const items: MomentDoc[] = [];
  let cursor = query.after;
  let scanned = 0;
  for (;;) {
    const page = await store.list<{ key: string }>('momentFeed', tenantId, { limit: PAGE, ...(cursor !== undefined ? { after: cursor } : {}) });
    for (const entry of page) {
      // Stamps within the horizon may still be joined by moments being flushed right now: stop before them.
      if (entry.key >= bound) return page_(items, cursor);
      scanned += 1;
      cursor = entry.key;
      const moment = await store.get<MomentDoc>('moments', tenantId, entry.doc.key);
      if (moment && moment.doc.feedKey === entry.key && matches(moment.doc, query.type)) items.push(moment.doc);
      if (items.length >= limit || scanned >= SCAN_LIMIT) return page_(items, cursor);
    }
    if (page.length < PAGE) return page_(items, cursor);
  }
}

async function customerMoments(store: Store, tenantId: string, customerId: string, query: MomentQuery, limit: number, account: AccountDoc | undefined): Promise<MomentFeedPage> {
  const prefix = momentPrefix(customerId);
  if (query.after !== undefined && !query.after.startsWith(prefix)) {
    inputError('/after', 'invalid-cursor', `after is not a cursor of customer ${customerId}'s moments: pass the nextCursor of the previous page of the same customer`);
  }
  const items: MomentDoc[] = [];
  let cursor = query.after;
  let scanned = 0;
  let lastSeq = cursor === undefined ? 0 : Number(cursor.slice(prefix.length));
  for (;;) {
    const page = await store.list<MomentDoc>('moments', tenantId, { prefix, limit: PAGE, ...(cursor !== undefined ? { after: cursor } : {}) });
    for (const record of page) {
      scanned += 1;
      cursor = record.key;
      lastSeq = record.doc.seq;
      if (matches(record.doc, query.type)) items.push(record.doc);
      if (items.length >= limit || scanned >= SCAN_LIMIT) return page_(items, cursor);
    }
    if (page.length < PAGE) break;
  }
  // Committed, not flushed yet: they follow every stored one.
  for (const item of account?.unflushed ?? []) {
    for (const moment of item.moments ?? []) {
      if (moment.seq <= lastSeq) continue;
      cursor = `${prefix}${String(moment.seq).padStart(12, '0')}`;
      lastSeq = moment.seq;
      if (matches(moment, query.type)) items.push(moment);
      if (items.length >= limit) return page_(items, cursor);
    }
  }
  return page_(items, cursor);
}

function page_(items: MomentDoc[], cursor: string | undefined): MomentFeedPage {
  return { items, ...(cursor !== undefined ? { nextCursor: cursor } : {}) };
}
