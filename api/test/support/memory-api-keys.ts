/**
 * An in-memory ApiKeyStore for the pipeline tests, which exercise authentication before @purna/ledger's own
 * `apiKeys` exists. Like the ledger's, it is tenant-scoped for list and revoke.
 */
import type { ApiKeyRecord, ApiKeyStore } from '../../src/auth/api-key-store.js';

export class MemoryApiKeys implements ApiKeyStore {
  readonly #records = new Map<string, ApiKeyRecord>();

  insert(record: ApiKeyRecord): Promise<void> {
    if (this.#records.has(record.keyId)) return Promise.reject(new Error(`key ${record.keyId} exists`));
    this.#records.set(record.keyId, { ...record });
    return Promise.resolve();
  }

  findByKeyId(keyId: string): Promise<ApiKeyRecord | undefined> {
    return Promise.resolve(this.#records.get(keyId));
  }

  list(tenantId: string): Promise<ApiKeyRecord[]> {
    return Promise.resolve([...this.#records.values()].filter((r) => r.tenantId === tenantId));
  }

  revoke(tenantId: string, keyId: string, at: string): Promise<void> {
    const record = this.#records.get(keyId);
    if (record?.tenantId === tenantId) this.#records.set(keyId, { ...record, revokedAt: at });
    return Promise.resolve();
  }
}
