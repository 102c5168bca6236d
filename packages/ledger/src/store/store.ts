/**
 * The `Store` port: the few storage primitives the ledger's write protocol needs, and nothing more.
 *
 * Every adapter (memory, LMDB, MongoDB) is a set of named collections of JSON documents, each document addressed by
 * `(tenantId, key)` and carrying a version counter. The ledger never needs more than:
 * - `insert`: create a document unless one exists under that address (a unique index), returning the one that won;
 * - `replace`: compare-and-set one document on its version (a single-document atomic update);
 * - `get` and `list`: point reads and ordered prefix scans, always inside one tenant;
 * - `writeMany`: many of those inserts and compare-and-sets at once, each atomic on its own and none ordered among
 *   the others (one LMDB commit for all of them, concurrent round trips on MongoDB): an import's thousands of new
 *   accounts (imports.ts) without a commit per document;
 * - `remove`: drop a document (only index rows and expired entries are ever removed: the moments run's due index,
 *   momentsDue, and idempotency keys past their day, idempotencyKeys; and what an erasure moves or drops, erasure.ts).
 * A document may keep a large part apart as one string in its top-level `cold` field; `get` with `{ cold: false }`
 * answers the document without it, and the adapter neither reads nor decodes it (a balance read skips the lots).
 * No adapter offers multi-document transactions, and the ledger never asks for one (see docs/ledger.md).
 */

/** A JSON value as the store keeps it: what survives `JSON.stringify` unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** A JSON object: the body of a stored document. */
export type JsonObject = { [key: string]: JsonValue | undefined };

/** The collections every adapter keeps. Each has a unique index on `(tenantId, key)`. */
export const COLLECTIONS = [
  'accounts',
  /** The tenant's erasure secret and one record per erasure, keyed by a keyed hash of the old id (erasure.ts). */
  'erasures',
  'operations',
  'entries',
  'orders',
  'programs',
  'apiKeys',
  'referralCodes',
  'counters',
  'warrantyContracts',
  'warrantyContractOwners',
  'cases',
  'caseCustomers',
  'warrantyContractOrders',
  'warrantyCancellations',
  'warrantyClaims',
  'redemptions',
  'vouchers',
  'moments',
  'momentFeed',
  'momentsDue',
  'webhookCursors',
  'webhookQueues',
  'webhookDeliveries',
  'webhookEndpoints',
  'idempotencyKeys',
  'rateLimits',
  'leases',
  'audit',
  'imports',
] as const;

/** The name of one collection. */
export type CollectionName = (typeof COLLECTIONS)[number];

/** A stored document with its address and version (1 when first inserted, +1 per successful `replace`). */
export interface Versioned<T> {
  tenantId: string;
  key: string;
  version: number;
  doc: T;
}

/** What `insert` answers: the document now stored, and whether this call created it. */
export interface InsertResult<T> {
  inserted: boolean;
  record: Versioned<T>;
}

/**
 * The top-level field a document may keep its large, rarely read part in, as one string: stored beside the rest of
 * the document and written with it atomically, but left unread by `get(..., { cold: false })`.
 */
export const COLD_FIELD = 'cold';

/** How `get` reads a document. */
export interface GetOptions {
  /** `false`: leave out the document's `cold` field without reading it. Default true. */
  cold?: boolean;
}

/** An ordered scan of one tenant's documents in a collection. */
export interface ListQuery {
  /** Only keys that start with this string. */
  prefix?: string;
  /** Continue after this key (exclusive), in the scan's direction. */
  after?: string;
  /** At most this many documents (at least 1). */
  limit: number;
  /** Newest (highest key) first. */
  reverse?: boolean;
}

/** One write of a {@link Store.writeMany} batch: an insert-if-absent or a compare-and-set, as the single methods. */
export type StoreWrite =
  | { readonly op: 'insert'; readonly collection: CollectionName; readonly key: string; readonly doc: object }
  | { readonly op: 'replace'; readonly collection: CollectionName; readonly key: string; readonly expectedVersion: number; readonly doc: object };

/**
 * What one write of a batch did: `written` (inserted, or replaced on its version) and the version it left; a write
 * that did not happen says only that (the caller reads the document that stood in its way if it needs it).
 */
export type StoreWriteOutcome = { readonly written: true; readonly version: number } | { readonly written: false };

/**
 * The storage port. Every method is scoped by `tenantId`: an adapter never returns another tenant's document.
 *
 * @example
 * const { inserted, record } = await store.insert('operations', 't1', 'order:o-1', { status: 'pending' });
 * const next = await store.replace('accounts', 't1', 'ayu', record.version, { ...record.doc, points: 10 });
 */
export interface Store {
  /** `memory`, `lmdb` or `mongo`. */
  readonly kind: string;
  /** The document at `(tenantId, key)`, or undefined; without its `cold` field when `options.cold` is false. */
  get<T extends object>(collection: CollectionName, tenantId: string, key: string, options?: GetOptions): Promise<Versioned<T> | undefined>;
  /** Creates the document at version 1 unless one exists; either way answers the stored document. */
  insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>>;
  /** Replaces the document if its version is still `expectedVersion`; answers the new record, or undefined if not. */
  replace<T extends object>(
    collection: CollectionName,
    tenantId: string,
    key: string,
    expectedVersion: number,
    doc: T,
  ): Promise<Versioned<T> | undefined>;
  /**
   * Applies independent writes of one tenant: each is checked and conditional exactly as `insert` or `replace`, and
   * atomic on its own, but the adapter may apply them in any order or all in one commit, so a caller never puts two
   * writes in one batch when one must be durable before the other (it sends them in two batches). Answers each
   * write's outcome in the order given, once every write is durable. An address error refuses the whole batch
   * before anything is written.
   */
  writeMany(tenantId: string, writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]>;
  /** Removes the document (every version of it); answers whether there was one. */
  remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean>;
  /**
   * Drops what an adapter keeps of the versions a document had before its current one (MongoDB keeps a few rows
   * below the newest, mongo-store.ts), so that nothing replaced can be read back from storage: an erasure's
   * rewrite (erasure.ts) must leave no earlier text behind. Nothing to drop where only the current version is kept.
   */
  dropHistory(collection: CollectionName, tenantId: string, key: string): Promise<void>;
  /** Documents ordered by key (bytewise on UTF-16 code units for the ASCII keys the ledger writes). */
  list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>>;
  /** Releases files and connections. */
  close(): Promise<void>;
}

/** Checks every write of a batch (address and `cold` field) before any is applied. */
export function checkWrites(tenantId: string, writes: readonly StoreWrite[]): void {
  for (const write of writes) {
    checkAddress(write.collection, tenantId, write.key);
    const op: string = write.op;
    if (op !== 'insert' && op !== 'replace') throw new TypeError(`store: a batch write is "insert" or "replace", got ${JSON.stringify(op)} (collection ${write.collection}, key ${write.key})`);
    coldOf(write.collection, write.key, write.doc);
  }
}

/**
 * `writeMany` through a store's single writes, all at once: what an adapter without a batch of its own answers
 * (MongoDB: concurrent round trips), and what a wrapper answers so that its own `insert` and `replace` see every
 * write (the crash tests' FaultyStore).
 */
export async function writeEach(store: Store, tenantId: string, writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]> {
  checkWrites(tenantId, writes);
  return Promise.all(
    writes.map(async (write): Promise<StoreWriteOutcome> => {
      if (write.op === 'insert') {
        const { inserted, record } = await store.insert(write.collection, tenantId, write.key, write.doc);
        return inserted ? { written: true, version: record.version } : { written: false };
      }
      const replaced = await store.replace(write.collection, tenantId, write.key, write.expectedVersion, write.doc);
      return replaced ? { written: true, version: replaced.version } : { written: false };
    }),
  );
}

/** Throws a clear error when an address is unusable, the same way on every adapter. */
export function checkAddress(collection: string, tenantId: string, key: string): void {
  if (!(COLLECTIONS as readonly string[]).includes(collection)) {
    throw new TypeError(`store: unknown collection "${collection}"`);
  }
  if (typeof tenantId !== 'string' || tenantId.length === 0) {
    throw new TypeError(`store: tenantId must be a non-empty string (collection ${collection})`);
  }
  if (typeof key !== 'string' || key.length === 0) {
    throw new TypeError(`store: key must be a non-empty string (collection ${collection}, tenant ${tenantId})`);
  }
}

/**
 * The document's `cold` field, which must be a string when present; throws a clear error otherwise, so that a
 * document is never stored half apart.
 */
export function coldOf(collection: string, key: string, doc: object): string | undefined {
  const cold = (doc as { cold?: unknown }).cold;
  if (cold === undefined) return undefined;
  if (typeof cold !== 'string') throw new TypeError(`store: the "${COLD_FIELD}" field must be a string (collection ${collection}, key ${key}), got ${cold === null ? 'null' : typeof cold}`);
  return cold;
}

/** The document without its `cold` field (the same object when it has none). */
export function withoutCold<T extends object>(doc: T): T {
  if (!(COLD_FIELD in doc)) return doc;
  const { cold: _cold, ...rest } = doc as T & { cold?: unknown };
  return rest as T;
}

/**
 * A deep copy of a document as JSON would carry it. The `cold` string is shared, not copied: strings cannot be
 * changed, and escaping a large one into JSON and back was most of the cost of copying an account.
 */
export function jsonCopy<T extends object>(doc: T): T {
  const cold = (doc as { cold?: unknown }).cold;
  if (typeof cold !== 'string') return JSON.parse(JSON.stringify(doc)) as T;
  return { ...(JSON.parse(JSON.stringify(withoutCold(doc))) as T), cold };
}

/** Throws a clear error when a list query is malformed. */
export function checkListQuery(query: ListQuery): void {
  if (!Number.isInteger(query.limit) || query.limit < 1) {
    throw new RangeError(`store: list limit must be a positive integer, got ${String(query.limit)}`);
  }
}

/** The highest code unit, used to close a prefix range. Keys the ledger writes never contain it. */
export const KEY_END = '\uffff';
