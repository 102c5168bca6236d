import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'lmdb';
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

describe('LmdbStore.open: the data folder', () => {
  const folders: string[] = [];
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('keeps the database inside an existing empty folder whose name has a dot, and reads it back after a reopen', async () => {
    // lmdb-js alone takes "purna.data" for the database file's own name and fails on the folder that exists.
    const parent = mkdtempSync(join(tmpdir(), 'purna-lmdb-dot-'));
    folders.push(parent);
    const folder = join(parent, 'purna.data');
    mkdirSync(folder);
    const store = LmdbStore.open({ path: folder });
    await store.insert('accounts', 't', 'ayu', { id: 'ayu' });
    await store.close();
    expect(readdirSync(folder)).to.include('data.mdb');
    const again = LmdbStore.open({ path: folder });
    expect((await again.get<{ id: string }>('accounts', 't', 'ayu'))?.doc).to.deep.equal({ id: 'ayu' });
    await again.close();
  });

  it('opens a path that is a database file already as that file', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'purna-lmdb-file-'));
    folders.push(parent);
    const file = join(parent, 'ledger.mdb');
    // Made as lmdb-js makes a path with an extension when nothing is there: the file itself.
    const first = open({ path: file });
    await first.put('x', 1);
    await first.close();
    const store = LmdbStore.open({ path: file });
    await store.insert('accounts', 't', 'budi', { id: 'budi' });
    expect((await store.get<{ id: string }>('accounts', 't', 'budi'))?.doc).to.deep.equal({ id: 'budi' });
    await store.close();
    expect(readdirSync(parent)).to.include('ledger.mdb');
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
