/**
 * The part of `@purna/ledger`'s `Ledger` this API calls. Every method is tenant-scoped by its first argument.
 */
import type { ApiKeyStore } from './auth/api-key-store.js';

/** What the app needs from the ledger. */
export interface LedgerPort {
  readonly apiKeys: ApiKeyStore;
}
