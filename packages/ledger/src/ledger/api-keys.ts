/**
 * API keys of every tenant (only their hashes). `findByKeyId` is the one read not scoped by tenant: a request's
 * tenant is only known once its key is found. Keys live under a reserved store tenant, with the owner's `tenantId`
 * in each record, and `list` keeps only the asking tenant's.
 */
import { Conflict, NotFound } from '../errors.js';
import type { Store } from '../store/store.js';

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

/** The API keys repository (`ledger.apiKeys`). */
export class ApiKeys {
  constructor(private readonly store: Store) {}

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
    const { inserted } = await this.store.insert<ApiKeyRecord>('apiKeys', KEYS_TENANT, record.keyId, clean);
    if (!inserted) throw new Conflict(`API key id "${record.keyId}" is already in use`);
    return clean;
  }

  /** The key with this id, whatever its tenant. */
  async findByKeyId(keyId: string): Promise<ApiKeyRecord | undefined> {
    if (typeof keyId !== 'string' || keyId.length === 0) return undefined;
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
      if (await this.store.replace<ApiKeyRecord>('apiKeys', KEYS_TENANT, keyId, found.version, next)) return next;
    }
  }
}
