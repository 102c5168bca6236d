/**
 * A `Store` wrapper that records every write the ledger asks for and what it changed, so tests can assert what a
 * request wrote (nothing, only inserts of entries, ...) whatever the adapter underneath.
 */
import type { CollectionName, GetOptions, InsertResult, ListQuery, Store, Versioned } from '@purna/ledger';

/** One write as the ledger asked for it. */
export interface WatchedWrite {
  method: 'insert' | 'replace';
  collection: CollectionName;
  tenantId: string;
  key: string;
  /** True when the write changed the store (a new document, or a compare-and-set that won). */
  changed: boolean;
}

/** Forwards everything to `inner` and keeps a log of writes. */
export class WatchingStore implements Store {
  readonly kind: string;
  readonly writes: WatchedWrite[] = [];

  constructor(readonly inner: Store) {
    this.kind = inner.kind;
  }

  /** The writes since `mark` (an index into `writes`) that changed something. */
  changesSince(mark: number): WatchedWrite[] {
    return this.writes.slice(mark).filter((w) => w.changed);
  }

  get<T extends object>(collection: CollectionName, tenantId: string, key: string, options?: GetOptions): Promise<Versioned<T> | undefined> {
    return this.inner.get<T>(collection, tenantId, key, options);
  }

  async insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    const result = await this.inner.insert(collection, tenantId, key, doc);
    this.writes.push({ method: 'insert', collection, tenantId, key, changed: result.inserted });
    return result;
  }

  async replace<T extends object>(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: T): Promise<Versioned<T> | undefined> {
    const result = await this.inner.replace(collection, tenantId, key, expectedVersion, doc);
    this.writes.push({ method: 'replace', collection, tenantId, key, changed: result !== undefined });
    return result;
  }

  list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    return this.inner.list<T>(collection, tenantId, query);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
