/**
 * A store that counts the calls made through it, for benchmarks that say what one operation costs in store calls:
 * reads (get, list), writes (insert, replace, remove), and each by call and collection (`get webhookQueues`,
 * `list webhookQueues`, and `listed webhookQueues` for the documents lists answered).
 */
import { ForwardingStore, type CollectionName, type GetOptions, type InsertResult, type ListQuery, type Versioned } from '@purna/ledger';

export class CallCountingStore extends ForwardingStore {
  reads = 0;
  writes = 0;
  /** Calls by `<call> <collection>`, and `listed <collection>` for the documents lists answered. */
  readonly byCall = new Map<string, number>();

  private count(call: string, collection: CollectionName, n = 1): void {
    const name = `${call} ${collection}`;
    this.byCall.set(name, (this.byCall.get(name) ?? 0) + n);
  }

  override get<T extends object>(collection: CollectionName, tenantId: string, key: string, options?: GetOptions): Promise<Versioned<T> | undefined> {
    this.reads += 1;
    this.count('get', collection);
    return super.get(collection, tenantId, key, options);
  }

  override async list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    this.reads += 1;
    this.count('list', collection);
    const page = await super.list<T>(collection, tenantId, query);
    this.count('listed', collection, page.length);
    return page;
  }

  override insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    this.writes += 1;
    this.count('insert', collection);
    return super.insert(collection, tenantId, key, doc);
  }

  override replace<T extends object>(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: T): Promise<Versioned<T> | undefined> {
    this.writes += 1;
    this.count('replace', collection);
    return super.replace(collection, tenantId, key, expectedVersion, doc);
  }

  override remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean> {
    this.writes += 1;
    this.count('remove', collection);
    return super.remove(collection, tenantId, key);
  }
}
