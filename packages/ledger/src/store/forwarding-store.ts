/**
 * A `Store` that hands every call to another one, with all its arguments: the base of wrappers that watch, count,
 * delay or fail some calls (FaultyStore, the tests' and the bench's). A wrapper overrides only what it changes, so a
 * new argument of the port (such as `get`'s options) reaches the adapter without every wrapper having to learn it.
 */
import { writeEach, type CollectionName, type GetOptions, type InsertResult, type ListQuery, type Store, type StoreWrite, type StoreWriteOutcome, type Versioned } from './store.js';

/** Forwards every call to `inner`. */
export class ForwardingStore implements Store {
  readonly kind: string;

  constructor(protected readonly inner: Store) {
    this.kind = inner.kind;
  }

  get<T extends object>(collection: CollectionName, tenantId: string, key: string, options?: GetOptions): Promise<Versioned<T> | undefined> {
    return this.inner.get<T>(collection, tenantId, key, options);
  }

  insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    return this.inner.insert(collection, tenantId, key, doc);
  }

  replace<T extends object>(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: T): Promise<Versioned<T> | undefined> {
    return this.inner.replace(collection, tenantId, key, expectedVersion, doc);
  }

  /** Through this wrapper's own `insert` and `replace`, so that a subclass overriding them sees every write. */
  writeMany(tenantId: string, writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]> {
    return writeEach(this, tenantId, writes);
  }

  remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean> {
    return this.inner.remove(collection, tenantId, key);
  }

  dropHistory(collection: CollectionName, tenantId: string, key: string): Promise<void> {
    return this.inner.dropHistory(collection, tenantId, key);
  }

  list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    return this.inner.list<T>(collection, tenantId, query);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
