import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMongo } from '../../../test/support/mongo.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { MongoStore } from '../src/store/mongo-store.js';
import { storeContract } from './support/store-contract.js';

describe('Store contract: memory', () => {
  storeContract({ open: () => Promise.resolve(new MemoryStore()) });
});

describe('Store contract: lmdb', () => {
  const folders: string[] = [];
  const paths = new Map<unknown, string>();
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  storeContract({
    open: () => {
      const folder = mkdtempSync(join(tmpdir(), 'purna-lmdb-'));
      folders.push(folder);
      const store = LmdbStore.open({ path: folder });
      paths.set(store, folder);
      return Promise.resolve(store);
    },
    reopen: async (store) => {
      const folder = paths.get(store) as string;
      await store.close();
      const again = LmdbStore.open({ path: folder });
      paths.set(again, folder);
      return again;
    },
  });
});

describeMongo('Store contract', (ctx) => {
  let n = 0;
  storeContract({
    open: () => MongoStore.open({ uri: ctx().uri, dbName: `${ctx().dbName}_${++n}` }),
    reopen: async (store) => {
      await store.close();
      return MongoStore.open({ uri: ctx().uri, dbName: `${ctx().dbName}_${n}` });
    },
  });
});
