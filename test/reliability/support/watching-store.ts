/**
 * A `Store` wrapper that records every write the ledger asks for and what it changed, so tests can assert what a
 * request wrote (nothing, only inserts of entries, ...) whatever the adapter underneath.
 */
import { ForwardingStore, type CollectionName, type InsertResult, type Versioned } from '@purna/ledger';

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
export class WatchingStore extends ForwardingStore {
  readonly writes: WatchedWrite[] = [];

  /** The writes since `mark` (an index into `writes`) that changed something. */
  changesSince(mark: number): WatchedWrite[] {
    return this.writes.slice(mark).filter((w) => w.changed);
  }

  override async insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    const result = await super.insert(collection, tenantId, key, doc);
    this.writes.push({ method: 'insert', collection, tenantId, key, changed: result.inserted });
    return result;
  }

  override async replace<T extends object>(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: T): Promise<Versioned<T> | undefined> {
    const result = await super.replace(collection, tenantId, key, expectedVersion, doc);
    this.writes.push({ method: 'replace', collection, tenantId, key, changed: result !== undefined });
    return result;
  }
}
