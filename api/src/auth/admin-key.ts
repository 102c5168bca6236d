/**
 * The bootstrap admin key of tenant `default`: `PURNA_ADMIN_KEY` when set (stored by its hash on first start),
 * otherwise a fresh key generated at each start and printed once.
 */
import { generateApiKey, hashApiKey, parseApiKey } from './api-key.js';
import type { ApiKeyStore } from './api-key-store.js';
import { SCOPES } from './scope.js';

/** The admin key to announce. */
export interface AdminKey {
  readonly keyId: string;
  /** The key itself when it was generated now (to print once); undefined when it came from the environment. */
  readonly key: string | undefined;
  readonly generated: boolean;
}

/**
 * Makes sure the admin key exists in `keys`.
 *
 * @throws Error when `configured` names a key id stored with another secret, another tenant or revoked.
 * @example
 * const admin = await ensureAdminKey(ledger.apiKeys, process.env.PURNA_ADMIN_KEY, new Date().toISOString());
 */
export async function ensureAdminKey(keys: ApiKeyStore, configured: string | undefined, now: string): Promise<AdminKey> {
  const record = { tenantId: 'default', scopes: [...SCOPES], createdAt: now };
  if (configured === undefined) {
    const generated = generateApiKey();
    await keys.insert({ ...record, keyId: generated.keyId, hash: generated.hash, name: 'generated at start-up' });
    return { keyId: generated.keyId, key: generated.key, generated: true };
  }
  const parsed = parseApiKey(configured);
  if (!parsed) throw new Error('PURNA_ADMIN_KEY is not a key of the form pk_<keyId>_<secret>');
  const hash = hashApiKey(parsed.keyId, parsed.secret);
  const existing = await keys.findByKeyId(parsed.keyId);
  if (!existing) {
    await keys.insert({ ...record, keyId: parsed.keyId, hash, name: 'PURNA_ADMIN_KEY' });
  } else if (existing.hash !== hash || existing.tenantId !== 'default' || existing.revokedAt) {
    throw new Error(
      `PURNA_ADMIN_KEY: key id ${parsed.keyId} is already stored with another secret, another tenant or as revoked; generate a new key`,
    );
  }
  return { keyId: parsed.keyId, key: undefined, generated: false };
}
