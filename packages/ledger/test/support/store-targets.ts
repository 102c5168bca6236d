/**
 * The three stores every ledger suite runs on. `forEachStore(title, body)` declares the suite once per store; the
 * MongoDB one goes through `describeMongo`, so it is skipped (loudly) only when no server can be found.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMongo } from '../../../../test/support/mongo.js';
import { LmdbStore } from '../../src/store/lmdb-store.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { MongoStore } from '../../src/store/mongo-store.js';
import type { Store } from '../../src/store/store.js';

/** Opens a fresh, empty store of one kind. */
export type OpenStore = () => Promise<Store>;

/** Declares `body` on memory, LMDB and MongoDB; `scale` is 1 on memory and smaller on slower stores. */
export function forEachStore(title: string, body: (open: OpenStore, kind: 'memory' | 'lmdb' | 'mongo') => void): void {
  describe(`${title} [memory]`, () => {
    body(() => Promise.resolve(new MemoryStore()), 'memory');
  });
  describe(`${title} [lmdb]`, () => {
    const folders: string[] = [];
    after(() => {
      for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    });
    body(() => {
      const folder = mkdtempSync(join(tmpdir(), 'purna-ledger-'));
      folders.push(folder);
      return Promise.resolve(LmdbStore.open({ path: folder }));
    }, 'lmdb');
  });
  describeMongo(title, (ctx) => {
    let n = 0;
    body(() => MongoStore.open({ uri: ctx().uri, dbName: `${ctx().dbName}_${++n}` }), 'mongo');
  });
}
