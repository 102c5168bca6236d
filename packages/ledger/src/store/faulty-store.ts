/**
 * A `Store` wrapper with an injectable fault hook, to simulate a crash between any two steps of a write.
 *
 * The hook runs before every write (`insert`, `replace`) and may throw; a write it throws on never reaches the
 * store, exactly as if the process had died just before it. Tests count the writes of an operation, then replay it
 * once per step with a crash there, and retry.
 */
import { ForwardingStore } from './forwarding-store.js';
import type { CollectionName, InsertResult, Store, Versioned } from './store.js';

/** What the fault hook learns about the write about to happen. */
export interface WriteStep {
  /** 1 for the first write through this wrapper since the last `reset`, then 2, 3, ... */
  index: number;
  method: 'insert' | 'replace' | 'remove';
  collection: CollectionName;
  tenantId: string;
  key: string;
}

/** The error a crash hook throws, so tests can tell a simulated crash from a real failure. */
export class SimulatedCrash extends Error {
  readonly code = 'simulated-crash';
  constructor(step: WriteStep) {
    super(`simulated crash before write #${step.index} (${step.method} ${step.collection} ${step.key})`);
    this.name = 'SimulatedCrash';
  }
}

/** A store that calls `hook` before each write; `writes` lists every write that went through. */
export class FaultyStore extends ForwardingStore {
  /** Called before each write; throw to simulate a crash there. */
  hook: ((step: WriteStep) => void) | undefined;
  /** Every write attempted since the last `reset`, in order. */
  readonly writes: WriteStep[] = [];

  constructor(inner: Store) {
    super(inner);
  }

  /** Crash before the `n`-th write from now (1-based), once. */
  crashAt(n: number): void {
    this.reset();
    this.hook = (step) => {
      if (step.index === n) throw new SimulatedCrash(step);
    };
  }

  /** Forget the hook and the count. */
  reset(): void {
    this.hook = undefined;
    this.writes.length = 0;
  }

  private before(method: WriteStep['method'], collection: CollectionName, tenantId: string, key: string): void {
    const step: WriteStep = { index: this.writes.length + 1, method, collection, tenantId, key };
    this.writes.push(step);
    this.hook?.(step);
  }

  override async insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    this.before('insert', collection, tenantId, key);
    return super.insert(collection, tenantId, key, doc);
  }

  override async replace<T extends object>(
    collection: CollectionName,
    tenantId: string,
    key: string,
    expectedVersion: number,
    doc: T,
  ): Promise<Versioned<T> | undefined> {
    this.before('replace', collection, tenantId, key);
    return super.replace(collection, tenantId, key, expectedVersion, doc);
  }

  override async remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean> {
    this.before('remove', collection, tenantId, key);
    return super.remove(collection, tenantId, key);
  }
}
