/**
 * The memory adapter: for tests and quick experiments. Documents are deep-copied on the way in and out, so callers
 * can never change stored state by mutating what they read (as with a real database), and every call yields to the
 * event loop first, so concurrent callers really interleave.
 */
import {
  checkAddress,
  checkListQuery,
  checkWrites,
  coldOf,
  jsonCopy,
  KEY_END,
  withoutCold,
  type CollectionName,
  type GetOptions,
  type InsertResult,

  type ListQuery,
  type Store,
  type StoreWrite,
  type StoreWriteOutcome,
  type Versioned,
} from './store.js';

interface Slot {
  version: number;
  doc: object;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A `Store` held in this process's memory; nothing survives the process. */
export class MemoryStore implements Store {
  readonly kind = 'memory';
  private readonly tables = new Map<string, Map<string, Slot>>();
  private closed = false;

  private table(collection: CollectionName, tenantId: string): Map<string, Slot> {
    if (this.closed) throw new Error('store: the memory store is closed');
    const name = `${collection}\u0000${tenantId}`;
    let table = this.tables.get(name);
    if (!table) {
      table = new Map();
      this.tables.set(name, table);
    }
    return table;
  }

  async get<T extends object>(collection: CollectionName, tenantId: string, key: string, options: GetOptions = {}): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    await tick();
    const slot = this.table(collection, tenantId).get(key);
    if (!slot) return undefined;
    return options.cold === false ? record<T>(tenantId, key, { version: slot.version, doc: withoutCold(slot.doc) }) : record<T>(tenantId, key, slot);
  }

  async insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    checkAddress(collection, tenantId, key);
    coldOf(collection, key, doc);
    const copy = jsonCopy(doc);
    await tick();
    const table = this.table(collection, tenantId);
    const existing = table.get(key);
    if (existing) return { inserted: false, record: record<T>(tenantId, key, existing) };
    const slot = { version: 1, doc: copy };
    table.set(key, slot);
    return { inserted: true, record: record<T>(tenantId, key, slot) };
  }

  async replace<T extends object>(
    collection: CollectionName,
    tenantId: string,
    key: string,
    expectedVersion: number,
    doc: T,
  ): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    coldOf(collection, key, doc);
    const copy = jsonCopy(doc);
    await tick();
    const table = this.table(collection, tenantId);
    const existing = table.get(key);
    if (!existing || existing.version !== expectedVersion) return undefined;
    const slot = { version: expectedVersion + 1, doc: copy };
    table.set(key, slot);
    return record<T>(tenantId, key, slot);
  }

  async writeMany(tenantId: string, writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]> {
    checkWrites(tenantId, writes);
    const copies = writes.map((write) => jsonCopy(write.doc));
    await tick();
    return writes.map((write, i): StoreWriteOutcome => {
      const table = this.table(write.collection, tenantId);
      const existing = table.get(write.key);
      const version = write.op === 'insert' ? 1 : write.expectedVersion + 1;
      if (write.op === 'insert' ? existing !== undefined : existing?.version !== write.expectedVersion) return { written: false };
      table.set(write.key, { version, doc: copies[i]! });
      return { written: true, version };
    });
  }

  async remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean> {
    checkAddress(collection, tenantId, key);
    await tick();
    return this.table(collection, tenantId).delete(key);
  }

  /** Only the current version of a document is kept: nothing to drop. */
  async dropHistory(collection: CollectionName, tenantId: string, key: string): Promise<void> {
    checkAddress(collection, tenantId, key);
    await tick();
  }

  async list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    checkAddress(collection, tenantId, 'list');
    checkListQuery(query);
    await tick();
    const prefix = query.prefix ?? '';
    const keys = [...this.table(collection, tenantId).keys()]
      .filter((key) => key >= prefix && key < prefix + KEY_END)
      .filter((key) => {
        if (query.after === undefined) return true;
        return query.reverse ? key < query.after : key > query.after;
      })
      .sort();
    if (query.reverse) keys.reverse();
    const table = this.table(collection, tenantId);
    return keys.slice(0, query.limit).map((key) => record<T>(tenantId, key, table.get(key) as Slot));
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
}

function record<T extends object>(tenantId: string, key: string, slot: Slot): Versioned<T> {
  // The adapter stores whatever JSON object the caller gave under this collection; the caller's type is the contract.
  return { tenantId, key, version: slot.version, doc: jsonCopy(slot.doc) as T };
}
