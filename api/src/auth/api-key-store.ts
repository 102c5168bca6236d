/**
 * The part of the ledger's key storage the API uses (`ledger.apiKeys`). Records are tenant-scoped; `findByKeyId`
 * is the one unscoped read, because a request's tenant is only known once its key is found.
 */

/** One stored API key: never the key itself, only its hash. */
export interface ApiKeyRecord {
  readonly tenantId: string;
  readonly keyId: string;
  readonly hash: string;
  readonly scopes: readonly string[];
  readonly name: string;
  readonly createdAt: string;
  readonly revokedAt?: string | undefined;
}

/** Storage of API keys. */
export interface ApiKeyStore {
  insert(record: ApiKeyRecord): Promise<unknown>;
  findByKeyId(keyId: string): Promise<ApiKeyRecord | undefined | null>;
  list(tenantId: string): Promise<readonly ApiKeyRecord[]>;
  revoke(tenantId: string, keyId: string, at: string): Promise<unknown>;
}
