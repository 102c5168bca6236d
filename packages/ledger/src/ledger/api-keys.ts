/**
 * API keys of every tenant (only their hashes). `findByKeyId` is the one read not scoped by tenant: a request's
 * tenant is only known once its key is found. Keys live under a reserved store tenant, with the owner's `tenantId`
 * in each record, and `list` keeps only the asking tenant's.
 *
 * `findByKeyId` runs on every request, so each instance keeps the keys it found for `staleMs` of wall time (at most
 * `MAX_CACHED_KEYS` of them, the least recently used leaving first): a key revoked on this instance stops working at
 * once, one revoked on another instance within `staleMs`. Unknown key ids are never kept, so ids made up by a
 * caller cannot grow the cache (docs/ledger.md "What an instance caches").
 */
import { Conflict, NotFound } from '../errors.js';
import type { Store } from '../store/store.js';
import { setNewest } from '../bounded-map.js';
import { cacheBound, type CacheBound } from './programs.js';

/** One API key as stored. */
export interface ApiKeyRecord {
  tenantId: string;
  keyId: string;
  hash: string;
  scopes: string[];
  name: string;
  createdAt: string;
  revokedAt?: string;
}

const KEYS_TENANT = '_api-keys';
const PAGE = 500;

/** How many keys an instance keeps in memory at most. */
export const MAX_CACHED_KEYS = 10_000;

/** The API keys repository (`ledger.apiKeys`). */
export class ApiKeys {
  /** Keys found, by key id, least recently used first (a Map keeps insertion order). */
  private readonly found = new Map<string, { record: ApiKeyRecord; checkedAt: number }>();
  /** Counts this instance's changes to keys: a read that overlapped one keeps nothing (it may hold the old key). */
  private changes = 0;
  /** The reads of keys under way, by key id, with the count of changes when each began. */
  private readonly finding = new Map<string, { record: Promise<ApiKeyRecord | undefined>; changes: number }>();
  private readonly bound: Required<CacheBound>;

  constructor(
    private readonly store: Store,
    bound: CacheBound = {},
  ) {
    this.bound = cacheBound(bound);
  }

  /** Stores a new key; a key id already used is a Conflict. */
  async insert(record: ApiKeyRecord): Promise<ApiKeyRecord> {
    for (const field of ['tenantId', 'keyId', 'hash', 'name', 'createdAt'] as const) {
      if (typeof record[field] !== 'string' || record[field].length === 0) throw new TypeError(`apiKeys.insert: ${field} must be a non-empty string`);
    }
    const clean: ApiKeyRecord = {
      tenantId: record.tenantId,
      keyId: record.keyId,
      hash: record.hash,
      scopes: [...record.scopes],
      name: record.name,
      createdAt: record.createdAt,
      ...(record.revokedAt ? { revokedAt: record.revokedAt } : {}),
    };
    this.forget(record.keyId);
    const { inserted } = await this.store.insert<ApiKeyRecord>('apiKeys', KEYS_TENANT, record.keyId, clean);
    if (!inserted) throw new Conflict(`API key id "${record.keyId}" is already in use`);
    return clean;
  }

  /** The key with this id, whatever its tenant: as this instance read it less than `staleMs` ago, or from the store. */
  async findByKeyId(keyId: string): Promise<ApiKeyRecord | undefined> {
    if (typeof keyId !== 'string' || keyId.length === 0) return undefined;
    const checkedAt = this.bound.wallClock();
    const cached = this.found.get(keyId);
    if (cached) {
      this.found.delete(keyId);
      if (checkedAt - cached.checkedAt < this.bound.staleMs) {
        this.found.set(keyId, cached);
        return cached.record;
      }
    }
    // One read of a key at a time: requests that arrive while it is under way wait for it (under load every request
    // of a key whose entry went stale read it again, dozens at once), unless this instance changed a key since it
    // began (it may hold the old key). With `staleMs` 0 every request reads for itself.
    const changes = this.changes;
    const pending = this.bound.staleMs > 0 ? this.finding.get(keyId) : undefined;
    if (pending && pending.changes === changes) return pending.record;
    const finding = (async () => {
      const record = await this.findStoredKey(keyId);
      if (record && this.bound.staleMs > 0 && changes === this.changes) this.keep(keyId, record, checkedAt);
      return record;
    })();
    this.finding.set(keyId, { record: finding, changes });
    try {
      return await finding;
    } finally {
      if (this.finding.get(keyId)?.record === finding) this.finding.delete(keyId);
    }
  }

  /** Reads the key from the store, whatever this instance holds (the readiness probe, which must reach the store). */
  async findStoredKey(keyId: string): Promise<ApiKeyRecord | undefined> {
    return (await this.store.get<ApiKeyRecord>('apiKeys', KEYS_TENANT, keyId))?.doc;
  }

  /** Every key of one tenant, revoked ones included. */
  async list(tenantId: string): Promise<ApiKeyRecord[]> {
    const out: ApiKeyRecord[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.store.list<ApiKeyRecord>('apiKeys', KEYS_TENANT, { limit: PAGE, ...(after ? { after } : {}) });
      for (const record of page) if (record.doc.tenantId === tenantId) out.push(record.doc);
      if (page.length < PAGE) return out;
      after = page[page.length - 1]?.key;
    }
  }

  /** Marks a key revoked at `at` (the first revocation time stays). NotFound for another tenant's key. */
  async revoke(tenantId: string, keyId: string, at: string): Promise<ApiKeyRecord> {
    for (;;) {
      const found = await this.store.get<ApiKeyRecord>('apiKeys', KEYS_TENANT, keyId);
      if (!found || found.doc.tenantId !== tenantId) throw new NotFound('API key', keyId);
      if (found.doc.revokedAt) return found.doc;
      const next = { ...found.doc, revokedAt: at };
      if (await this.store.replace<ApiKeyRecord>('apiKeys', KEYS_TENANT, keyId, found.version, next)) {
        this.forget(keyId);
        return next;
      }
    }
  }

  private forget(keyId: string): void {
    this.changes += 1;
    this.found.delete(keyId);
  }

  /** Keeps a found key, frozen (callers share it), dropping the least recently used past `MAX_CACHED_KEYS`. */
  private keep(keyId: string, record: ApiKeyRecord, checkedAt: number): void {
    Object.freeze(record.scopes);
    setNewest(this.found, keyId, { record: Object.freeze(record), checkedAt }, MAX_CACHED_KEYS);
  }
}
