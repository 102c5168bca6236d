/**
 * `Idempotency-Key` on POST: the first answer to a key is kept for a day; the same key with the same request
 * answers it again with `Idempotency-Replayed: true`; the same key with another request is a 409. Keys are scoped
 * to the tenant. Answers of 500 and above are not kept, so a retry after a crash runs again (the ledger's natural
 * ids make that retry safe). The app keeps them in the ledger's store (`StoreIdempotencyKeys` of @purna/ledger),
 * shared by every instance on it; `MemoryIdempotencyStore` keeps them in one process, for tests.
 */
import { createHash } from 'node:crypto';
import { setNewest, type IdempotencyBegin as StoreBegin, type IdempotencyKeyStore } from '@purna/ledger';
import type { Reply } from './problem.js';

/** What a store answers when a request with a key begins. */
export type IdempotencyBegin = StoreBegin<Reply>;

/** Where the answers to keyed requests are kept, by tenant and key. */
export type IdempotencyStore = IdempotencyKeyStore<Reply>;

/**
 * The header values a key may take: 1 to 200 characters (what the ledger keeps with a write) from the alphabet of
 * UUIDs, ULIDs and base64/base64url tokens. No `$`, braces or quotes, so operator syntax never reaches storage.
 */
export const IDEMPOTENCY_KEY_PATTERN = '^[A-Za-z0-9._:/+=-]{1,200}$';

/**
 * A fingerprint of what makes two requests "the same": method, path and the body's canonical JSON.
 *
 * @example
 * requestFingerprint('POST', '/v1/orders', body)
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n`)
    .update(canonicalJson(body))
    .digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, child]) => child !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, child]) => `${JSON.stringify(key)}:${canonicalJson(child)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

interface Entry {
  fingerprint: string;
  reply: Reply | undefined;
  expiresAt: number;
}

/**
 * Keeps answers in this process's memory, bounded in count and age: for tests and for apps on a ledger stand-in
 * without a store. The app's default on a real ledger is `StoreIdempotencyKeys`, shared by every instance.
 *
 * @example
 * const store = new MemoryIdempotencyStore({ ttlMs: 86_400_000 });
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#ttlMs = options.ttlMs ?? 86_400_000;
    this.#maxEntries = options.maxEntries ?? 100_000;
    this.#now = options.now ?? Date.now;
  }

  begin(tenantId: string, key: string, fingerprint: string): Promise<IdempotencyBegin> {
    const scopeKey = `${tenantId}\u0000${key}`;
    const now = this.#now();
    const existing = this.#entries.get(scopeKey);
    if (existing && existing.expiresAt > now) {
      if (existing.fingerprint !== fingerprint) return Promise.resolve({ state: 'mismatch' });
      if (!existing.reply) return Promise.resolve({ state: 'in-progress' });
      return Promise.resolve({ state: 'replay', reply: existing.reply });
    }
    setNewest(this.#entries, scopeKey, { fingerprint, reply: undefined, expiresAt: now + this.#ttlMs }, this.#maxEntries);
    return Promise.resolve({ state: 'new' });
  }

  complete(tenantId: string, key: string, fingerprint: string, reply: Reply): Promise<void> {
    const entry = this.#entries.get(`${tenantId}\u0000${key}`);
    if (entry?.fingerprint === fingerprint) entry.reply = reply;
    return Promise.resolve();
  }

  abandon(tenantId: string, key: string, fingerprint: string): Promise<void> {
    const scopeKey = `${tenantId}\u0000${key}`;
    const entry = this.#entries.get(scopeKey);
    if (entry?.fingerprint === fingerprint && !entry.reply) this.#entries.delete(scopeKey);
    return Promise.resolve();
  }
}
