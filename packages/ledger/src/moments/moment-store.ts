/**
 * The moments outbox: every moment a commit produced, stored where a CRM's feed and the webhook deliveries read it.
 *
 * A moment is committed inside the account's compare-and-set (in the operation's `unflushed` item, numbered by the
 * account's moment count), so a crash can neither lose it nor commit it twice; flushing it here is idempotent, like
 * the entries. Two collections, both insert-if-absent:
 * - `moments`, keyed `<customerId>\u0001<seq>`: one customer's moments in commit order, exact and gapless (a commit
 *   is made only after the one before it was flushed).
 * - `momentFeed`, keyed `<stamp>\u0001<id>`: the tenant's feed in the order moments were flushed. The stamp is the
 *   flusher's wall clock; the index entry is written before the moment, and the moment keeps the stamp it was first
 *   stored with (`feedKey`), so an entry whose moment does not name it (a flush that lost a race, or crashed in
 *   between) is skipped. A flush takes a moment or two between its stamp and its write, so the feed reads only
 *   stamps older than a horizon (`FEED_HORIZON_MS`): a cursor never passes a moment still being written.
 */
import { createHash } from 'node:crypto';
import type { MomentData, MomentType, RecordedMoment } from '@purna/rules';
import type { Store } from '../store/store.js';

/** A moment as the API shows it and a webhook carries it. */
export interface Moment {
  id: string;
  type: MomentType;
  occurredAt: string;
  customerId: string;
  data: MomentData;
}

/** A moment as it is committed on the account (in `unflushed`) and stored. */
export interface MomentDoc extends Moment {
  /** Its place among the customer's moments, from 1. */
  seq: number;
  /** Its key in `momentFeed`, set by the first flush that stored it. */
  feedKey?: string;
}

/** How long a feed read stays behind the wall clock, so that it never passes a moment still being flushed. */
export const FEED_HORIZON_MS = 2000;

const SEP = '\u0001';

/**
 * The public id of a moment: a hash of its deterministic key, so every retry and every instance names it alike.
 *
 * @example momentId('order:o-1~0') // 'mo_…' (22 characters of base64url after the prefix)
 */
export function momentId(key: string): string {
  return `mo_${createHash('sha256').update(key).digest('base64url').slice(0, 22)}`;
}

/** The key of a customer's `seq`-th moment in `moments`. */
export function momentKey(customerId: string, seq: number): string {
  return `${customerId}${SEP}${String(seq).padStart(12, '0')}`;
}

/** The prefix of one customer's moment keys. */
export function momentPrefix(customerId: string): string {
  return `${customerId}${SEP}`;
}

/** The moments a commit stores: the reducer's, numbered after the `count` the account had. */
export function momentDocs(customerId: string, moments: readonly RecordedMoment[], count: number): MomentDoc[] {
  return moments.map((moment, n) => ({ id: momentId(moment.key), type: moment.type, occurredAt: moment.occurredAt, customerId, data: moment.data, seq: count + n + 1 }));
}

/** The moment as the API shows it (without its bookkeeping). */
export function publicMoment(doc: MomentDoc): Moment {
  return { id: doc.id, type: doc.type, occurredAt: doc.occurredAt, customerId: doc.customerId, data: doc.data };
}

/** A feed key: the wall-clock stamp (ISO, so keys sort by time) and the id. */
export function feedKey(stampMs: number, id: string): string {
  return `${new Date(stampMs).toISOString()}${SEP}${id}`;
}

/** True for a key `feedKey` made (a cursor of the feed). */
export function isFeedKey(key: string): boolean {
  const [stamp, id, ...rest] = key.split(SEP);
  return rest.length === 0 && id !== undefined && id.length > 0 && stamp !== undefined && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(stamp);
}

/** The feed keys a read may see at `nowMs`: those before this bound. */
export function feedBound(nowMs: number, horizonMs = FEED_HORIZON_MS): string {
  return new Date(nowMs - horizonMs).toISOString();
}

/**
 * Stores one committed moment (idempotent: any number of flushes, by anyone, store it once). `now` is the wall
 * clock: a stamp older than half the horizon by the time the moment can be written is replaced by a fresh one, so
 * a feed read (which stops a whole horizon behind) has not passed the stamp the moment keeps.
 */
export async function storeMoment(store: Store, tenantId: string, moment: MomentDoc, now: () => number): Promise<void> {
  await storeMoments(store, tenantId, [moment], now);
}

/**
 * Stores the moments of one commit, in sequence order, as `storeMoment` stores each: the feed entries of all of them
 * first and together (they are independent index rows, and each is written before its moment), then the moments one
 * after the other, so that a customer's stored moments stay a prefix of the sequence (a listing after a stored
 * moment never looks for an earlier one, moment-feed.ts).
 */
export async function storeMoments(store: Store, tenantId: string, moments: readonly MomentDoc[], now: () => number): Promise<void> {
  const feeds = await Promise.all(moments.map((moment) => feedEntry(store, tenantId, moment, now)));
  for (const [n, moment] of moments.entries()) {
    const key = momentKey(moment.customerId, moment.seq);
    const result = await store.insert<MomentDoc>('moments', tenantId, key, { ...moment, feedKey: feeds[n]! });
    if (result.inserted) continue;
    // Stored by another flush: its feed entry again, since that flush may have crashed before writing it.
    const stored = result.record;
    if (stored.doc.feedKey) await store.insert('momentFeed', tenantId, stored.doc.feedKey, { key });
  }
}

/**
 * Writes the feed entry of a moment about to be stored and answers its key. Not read first: a flush normally finds
 * nothing stored, and when another flush stored the moment already, the feed entry written here names a moment
 * that does not name it back, which the feed skips.
 */
async function feedEntry(store: Store, tenantId: string, moment: MomentDoc, now: () => number): Promise<string> {
  const key = momentKey(moment.customerId, moment.seq);
  for (;;) {
    const stampedAt = now();
    const feed = feedKey(stampedAt, moment.id);
    await store.insert('momentFeed', tenantId, feed, { key });
    if (now() - stampedAt <= FEED_HORIZON_MS / 2) return feed;
  }
}
