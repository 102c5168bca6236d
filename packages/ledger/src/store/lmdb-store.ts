/**
 * The embedded adapter: LMDB through lmdb-js, a folder on disk and no server.
 *
 * Why LMDB: it is ACID and crash-safe (copy-on-write B+tree, a committed transaction survives a process or power
 * crash), ships prebuilt binaries on npm (nothing to compile or install), and serialises writers with one lock, so
 * a `transaction` callback (read, compare, write) gives us the two conditional writes the ledger needs
 * (insert-if-absent, compare-and-set on a version) atomically, even across processes sharing the folder. The
 * asynchronous `transaction` batches concurrent callers into one commit (each still atomic), which is what makes
 * a burst of writes on one customer fast; its promise resolves once the commit is durable.
 */
import { open, type Database, type RootDatabase } from 'lmdb';
import {
  checkAddress,
  checkListQuery,
  KEY_END,
  type CollectionName,
  type InsertResult,

  type ListQuery,
  type Store,
  type Versioned,
} from './store.js';

interface Slot {
  version: number;
  doc: object;
}

type Key = [string, string, string];

/** Options of the LMDB adapter. */
export interface LmdbStoreOptions {
  /** The folder that holds the database (created if missing). */
  path: string;
}

/** A `Store` in an LMDB environment on local disk. */
export class LmdbStore implements Store {
  readonly kind = 'lmdb';
  private readonly db: Database<Slot, Key>;

  private constructor(private readonly root: RootDatabase<Slot, Key>) {
    this.db = root;
  }

  /** Opens (or creates) the database folder at `options.path`. */
  static open(options: LmdbStoreOptions): LmdbStore {
    if (typeof options.path !== 'string' || options.path.length === 0) {
      throw new TypeError('store: the lmdb store needs a folder path ({ kind: "lmdb", path })');
    }
    const root = open<Slot, Key>({ path: options.path, encoding: 'json', compression: false });
    return new LmdbStore(root);
  }

  get<T extends object>(collection: CollectionName, tenantId: string, key: string): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const slot = this.db.get([collection, tenantId, key]);
    return Promise.resolve(slot ? decoded<T>(tenantId, key, slot) : undefined);
  }

  insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    checkAddress(collection, tenantId, key);
    const address: Key = [collection, tenantId, key];
    return this.db.transaction((): InsertResult<T> => {
      const existing = this.db.get(address);
      if (existing) return { inserted: false, record: decoded<T>(tenantId, key, existing) };
      const slot: Slot = { version: 1, doc };
      this.db.putSync(address, slot);
      return { inserted: true, record: toRecord<T>(tenantId, key, slot) };
    });
  }

  replace<T extends object>(
    collection: CollectionName,
    tenantId: string,
    key: string,
    expectedVersion: number,
    doc: T,
  ): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const address: Key = [collection, tenantId, key];
    return this.db.transaction((): Versioned<T> | undefined => {
      const existing = this.db.get(address);
      if (!existing || existing.version !== expectedVersion) return undefined;
      const slot: Slot = { version: expectedVersion + 1, doc };
      this.db.putSync(address, slot);
      return toRecord<T>(tenantId, key, slot);
    });
  }

  list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    checkAddress(collection, tenantId, 'list');
    checkListQuery(query);
    const prefix = query.prefix ?? '';
    let low = prefix;
    let high = prefix + KEY_END;
    if (query.after !== undefined) {
      if (query.reverse) high = query.after < high ? query.after : high;
      else low = query.after > low ? query.after : low;
    }
    const out: Array<Versioned<T>> = [];
    const range = query.reverse
      ? this.db.getRange({ start: [collection, tenantId, high], end: [collection, tenantId, low], reverse: true })
      : this.db.getRange({ start: [collection, tenantId, low], end: [collection, tenantId, high] });
    for (const { key, value } of range) {
      const docKey = key[2];
      if (docKey === query.after) continue;
      if (!docKey.startsWith(prefix)) continue;
      out.push(decoded<T>(tenantId, docKey, value));
      if (out.length >= query.limit) break;
    }
    return Promise.resolve(out);
  }

  async close(): Promise<void> {
    await this.root.close();
  }
}

/** A record of a slot the caller gave us: copied, so the caller's object and the answer never alias. */
function toRecord<T extends object>(tenantId: string, key: string, slot: Slot): Versioned<T> {
  // The adapter stores whatever JSON object the caller gave under this collection; the caller's type is the contract.
  return { tenantId, key, version: slot.version, doc: JSON.parse(JSON.stringify(slot.doc)) as T };
}

/**
 * A record of a slot read from LMDB: lmdb-js decodes the stored JSON into a new object on every read (no cache is
 * configured), so it is the caller's own already; copying it again doubled the cost of reading a large account.
 */
function decoded<T extends object>(tenantId: string, key: string, slot: Slot): Versioned<T> {
  return { tenantId, key, version: slot.version, doc: slot.doc as T };
}
