/**
 * The answers to requests sent with an `Idempotency-Key`, kept in the store so that every API instance on it
 * answers a retry alike, whichever instance the first request reached (collection `idempotencyKeys`, one document
 * per tenant and key).
 *
 * - `begin`: insert-if-absent of `{ fingerprint, state: 'in-progress', startedAt, expiresAt }`. The one request that
 *   inserts runs; any other finds the document and is told `replay`, `mismatch` or `in-progress`.
 * - `complete`: compare-and-set of the in-progress document to `done` with the reply (as one JSON string, so field
 *   names of an answer never meet a database's rules on them).
 * - `abandon`: removes an in-progress document (the request failed with a 5xx: its retry must run again).
 * - An expired document is replaced by the next `begin` with a compare-and-set, and so is an in-progress document
 *   older than `takeoverMs` with the same fingerprint: an instance that crashed mid-request never blocks its key
 *   for longer than that. An instance that is alive but could not settle a key (the store failed during `begin`,
 *   `complete` or `abandon`: an outage) remembers it, and lets the same request take it over at once when it comes
 *   back to that instance, so a retry after an outage runs instead of finding its own key "in progress".
 * - Expired documents nobody sends again are pruned by a bounded sweep: every `sweepEvery`-th new key an instance
 *   writes, it reads the next `sweepPage` keys of that tenant (a cursor kept in memory, wrapping round) and removes
 *   the expired ones. Each new key pays for reading a couple of old ones, so the collection stays near one TTL's
 *   worth of keys without a TTL index (which FerretDB v1 lacks).
 *
 * A removal is not a compare-and-set: a key sent again in the instant between the sweep's read and its removal
 * loses its fresh document, and that retry runs again. The ledger's natural ids and its own idempotency records
 * (every write carries the key) still stop a second effect; only the byte-identical replay is lost.
 */
import { setNewest } from '../bounded-map.js';
import type { Store, Versioned } from '../store/store.js';

/** What a store answers when a request with a key begins. */
export type IdempotencyBegin<R> =
  | { readonly state: 'new' }
  | { readonly state: 'replay'; readonly reply: R }
  | { readonly state: 'mismatch' }
  | { readonly state: 'in-progress' };

/** Where the answers to keyed requests are kept (tenant, key): in the store, or in a process for tests. */
export interface IdempotencyKeyStore<R> {
  begin(tenantId: string, key: string, fingerprint: string): Promise<IdempotencyBegin<R>>;
  complete(tenantId: string, key: string, fingerprint: string, reply: R): Promise<void>;
  abandon(tenantId: string, key: string, fingerprint: string): Promise<void>;
}

/** The stored document. */
interface KeyDoc {
  fingerprint: string;
  state: 'in-progress' | 'done';
  /** Epoch ms the request began (by the app's clock). */
  startedAt: number;
  /** Epoch ms after which the key may be used afresh. */
  expiresAt: number;
  /** The reply as JSON, once done. */
  reply?: string;
}

/** Options of {@link StoreIdempotencyKeys}. */
export interface StoreIdempotencyKeysOptions {
  /** How long an answer is kept (ms, default one day). */
  ttlMs?: number;
  /** An in-progress key older than this (ms, default two minutes) is taken over by a request with its fingerprint. */
  takeoverMs?: number;
  /** The clock (epoch ms; default `Date.now`). */
  now?: () => number;
  /** A sweep every this many new keys (default 64) ... */
  sweepEvery?: number;
  /** ... of this many keys (default 128). */
  sweepPage?: number;
}

const ATTEMPTS = 5;
/** Unsettled and running keys remembered at most (the oldest go first; an unsettled one then waits for `takeoverMs`). */
const MAX_UNSETTLED = 10_000;

/**
 * Idempotency keys in the store.
 *
 * @example
 * const keys = new StoreIdempotencyKeys<Reply>(ledger.store);
 * const begun = await keys.begin('t1', 'k-1', fingerprint);
 * if (begun.state === 'new') await keys.complete('t1', 'k-1', fingerprint, reply);
 */
export class StoreIdempotencyKeys<R> implements IdempotencyKeyStore<R> {
  readonly #store: Store;
  readonly #ttlMs: number;
  readonly #takeoverMs: number;
  readonly #now: () => number;
  readonly #sweepEvery: number;
  readonly #sweepPage: number;
  /** The documents this instance's requests running now inserted, so `complete` needs no read first. */
  readonly #running = new Map<string, Versioned<KeyDoc>>();
  /** Keys whose request is over but whose document the store failed to settle, with their fingerprint. */
  readonly #unsettled = new Map<string, string>();
  /** Where each tenant's sweep goes on from ('' = the start). */
  readonly #cursors = new Map<string, string>();
  #created = 0;

  constructor(store: Store, options: StoreIdempotencyKeysOptions = {}) {
    this.#store = store;
    this.#ttlMs = options.ttlMs ?? 86_400_000;
    this.#takeoverMs = options.takeoverMs ?? 120_000;
    this.#now = options.now ?? Date.now;
    this.#sweepEvery = options.sweepEvery ?? 64;
    this.#sweepPage = options.sweepPage ?? 128;
  }

  async begin(tenantId: string, key: string, fingerprint: string): Promise<IdempotencyBegin<R>> {
    const address = `${tenantId}\u0000${key}`;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      const now = this.#now();
      const fresh: KeyDoc = { fingerprint, state: 'in-progress', startedAt: now, expiresAt: now + this.#ttlMs };
      const { inserted, record } = await this.#settling(address, fingerprint, () => this.#store.insert<KeyDoc>('idempotencyKeys', tenantId, key, fresh));
      if (inserted) {
        this.#began(address, record);
        await this.#countCreated(tenantId);
        return { state: 'new' };
      }
      const found = record.doc;
      const ownUnsettled = this.#unsettled.get(address) === fingerprint;
      const stale = found.state === 'in-progress' && found.fingerprint === fingerprint && (ownUnsettled || found.startedAt + this.#takeoverMs <= now);
      if (found.expiresAt <= now || stale) {
        // Taken over with a compare-and-set: of two instances only one wins; the other reads what won.
        const taken = await this.#store.replace<KeyDoc>('idempotencyKeys', tenantId, key, record.version, fresh);
        if (taken) {
          this.#began(address, taken);
          return { state: 'new' };
        }
        continue;
      }
      if (found.fingerprint !== fingerprint) return { state: 'mismatch' };
      if (found.state === 'in-progress' || found.reply === undefined) return { state: 'in-progress' };
      return { state: 'replay', reply: JSON.parse(found.reply) as R };
    }
    // Every attempt lost a race on an expired key: someone else is running it now.
    return { state: 'in-progress' };
  }

  async complete(tenantId: string, key: string, fingerprint: string, reply: R): Promise<void> {
    const address = `${tenantId}\u0000${key}`;
    const begun = this.#running.get(address);
    this.#running.delete(address);
    await this.#settling(address, fingerprint, async () => {
      const done = (record: Versioned<KeyDoc>): Promise<Versioned<KeyDoc> | undefined> =>
        this.#store.replace<KeyDoc>('idempotencyKeys', tenantId, key, record.version, { ...record.doc, state: 'done', reply: JSON.stringify(reply) });
      // The document as begun, unless another instance took it over meanwhile: then read it, and complete it only
      // while it is still a running request of this fingerprint.
      if (begun?.doc.fingerprint === fingerprint && (await done(begun))) return;
      const record = await this.#ours(tenantId, key, fingerprint);
      if (record) await done(record);
    });
  }

  async abandon(tenantId: string, key: string, fingerprint: string): Promise<void> {
    const address = `${tenantId}\u0000${key}`;
    this.#running.delete(address);
    await this.#settling(address, fingerprint, async () => {
      if (await this.#ours(tenantId, key, fingerprint)) await this.#store.remove('idempotencyKeys', tenantId, key);
    });
    this.#unsettled.delete(address);
  }

  /**
   * Reads the next `limit` keys of the tenant after the sweep's cursor and removes the expired ones; answers how
   * many it removed. Called by `begin` every `sweepEvery` new keys; callable by hand.
   */
  async sweep(tenantId: string, limit = this.#sweepPage): Promise<number> {
    const after = this.#cursors.get(tenantId) ?? '';
    const page = await this.#store.list<KeyDoc>('idempotencyKeys', tenantId, after === '' ? { limit } : { after, limit });
    this.#cursors.set(tenantId, page.length < limit ? '' : (page.at(-1)?.key ?? ''));
    const now = this.#now();
    let removed = 0;
    for (const record of page) {
      if (record.doc.expiresAt <= now && (await this.#store.remove('idempotencyKeys', tenantId, record.key))) removed += 1;
    }
    return removed;
  }

  /** Records a document this instance's request now holds. */
  #began(address: string, record: Versioned<KeyDoc>): void {
    this.#unsettled.delete(address);
    // Bounded like the unsettled keys: a request that never completes (its process died) leaves nothing behind,
    // but one that threw between begin and complete would.
    setNewest(this.#running, address, record, MAX_UNSETTLED);
  }

  /** Runs a step on the key's document; when the store fails, remembers the key as this instance's to take over. */
  async #settling<T>(address: string, fingerprint: string, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      setNewest(this.#unsettled, address, fingerprint, MAX_UNSETTLED);
      throw error;
    }
  }

  async #countCreated(tenantId: string): Promise<void> {
    this.#created += 1;
    if (this.#created % this.#sweepEvery === 0) await this.sweep(tenantId);
  }

  /** The key's document while it is this request's and still running. */
  async #ours(tenantId: string, key: string, fingerprint: string): Promise<Versioned<KeyDoc> | undefined> {
    const record = await this.#store.get<KeyDoc>('idempotencyKeys', tenantId, key);
    return record?.doc.fingerprint === fingerprint && record.doc.state === 'in-progress' ? record : undefined;
  }
}
