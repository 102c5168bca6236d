/**
 * @purna/api — the REST API v1 as an Express app, for embedding or testing; `server.ts` is the runnable entry.
 *
 * @example
 * import { createApp } from '@purna/api';
 * import { openLedger } from '@purna/ledger';
 * const app = createApp({ ledger: await openLedger({ store: 'memory' }) });
 * app.listen(3000);
 *
 * @packageDocumentation
 */
export { createApp, type AppOptions, type PurnaApp } from './app.js';
export type { LedgerPort } from './ledger-port.js';
export { loadConfig, ConfigError, type Config } from './config.js';
export { generateApiKey, parseApiKey, hashApiKey, type GeneratedApiKey } from './auth/api-key.js';
export { SCOPES, type Scope } from './auth/scope.js';
export type { ApiKeyRecord, ApiKeyStore } from './auth/api-key-store.js';
export { ERROR_TABLE } from './http/error-table.js';
export { MemoryIdempotencyStore, type IdempotencyStore } from './http/idempotency.js';
