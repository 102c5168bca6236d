/**
 * `openStore` picks an adapter from a small description, so callers (the ledger, the API's server entry) never
 * import an adapter directly.
 */
import { LmdbStore } from './lmdb-store.js';
import { MemoryStore } from './memory-store.js';
import { MongoStore } from './mongo-store.js';
import type { Store } from './store.js';

/** Which store to open: `'memory'`, an LMDB folder, or a MongoDB connection. */
export type StoreConfig = 'memory' | { kind: 'memory' } | { kind: 'lmdb'; path: string } | { kind: 'mongo'; uri: string; dbName?: string };

/**
 * Opens the store that `config` describes.
 *
 * @example
 * const store = await openStore({ kind: 'lmdb', path: './data' });
 */
export async function openStore(config: StoreConfig): Promise<Store> {
  if (config === 'memory') return new MemoryStore();
  if (typeof config !== 'object' || config === null) {
    throw new TypeError(`store: expected 'memory', { kind: 'lmdb', path } or { kind: 'mongo', uri }, got ${String(config)}`);
  }
  switch (config.kind) {
    case 'memory':
      return new MemoryStore();
    case 'lmdb':
      return LmdbStore.open({ path: config.path });
    case 'mongo':
      return MongoStore.open(config.dbName ? { uri: config.uri, dbName: config.dbName } : { uri: config.uri });
    default: {
      const kind = (config as { kind?: unknown }).kind;
      throw new TypeError(`store: unknown kind ${JSON.stringify(kind)} (expected memory, lmdb or mongo)`);
    }
  }
}
