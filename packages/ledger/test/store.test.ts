import { expect } from 'chai';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { open } from 'lmdb';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeMongo } from '../../../test/support/mongo.js';
import { LmdbStore } from '../src/store/lmdb-store.js';
import { MemoryStore } from '../src/store/memory-store.js';
import { MongoClient, ObjectId } from 'mongodb';
import { headId, MongoStore, versionId } from '../src/store/mongo-store.js';
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

describeMongo('MongoStore: documents by _id, version rows beside them', (ctx) => {
  let n = 0;
  let client: MongoClient;
  const stores: MongoStore[] = [];
  const fresh = async (): Promise<{ store: MongoStore; dbName: string }> => {
    const dbName = `${ctx().dbName}_${++n}`;
    const store = await MongoStore.open({ uri: ctx().uri, dbName });
    stores.push(store);
    return { store, dbName };
  };
  before(async () => {
    client = await MongoClient.connect(ctx().uri);
  });
  after(async () => {
    for (const store of stores) await store.close();
    await client.close();
  });

  it('keeps each document under its _id with its fields, and one row per version from 2 on', async () => {
    const { store, dbName } = await fresh();
    await store.insert('accounts', 't1', 'ayu', { points: 1 });
    await store.replace('accounts', 't1', 'ayu', 1, { points: 2 });
    const db = client.db(dbName);
    const doc = await db.collection<{ _id: string }>('accounts').findOne({ _id: headId('t1', 'ayu') });
    expect(doc).to.deep.include({ tenantId: 't1', key: 'ayu', version: 2, doc: { points: 2 } });
    const versions = await db.collection<{ _id: string }>('accounts.versions').find({}).toArray();
    expect(versions.map((row) => row._id)).to.deep.equal([versionId('t1', 'ayu', 2)]);
    // Tenants and keys that would run together stay apart.
    expect(headId('a.b', 'c')).to.not.equal(headId('a', 'b.c'));
  });

  it('shows a version whose writer stopped before copying it onto the document, at the next writer that loses on it', async () => {
    const { store, dbName } = await fresh();
    await store.insert('accounts', 't1', 'ayu', { points: 1 });
    // A writer committed version 2 (its row) and stopped before updating the document.
    await client.db(dbName).collection<{ _id: string; [field: string]: unknown }>('accounts.versions').insertOne({
      _id: versionId('t1', 'ayu', 2), tenantId: 't1', key: 'ayu', version: 2, doc: { points: 7 }, writer: 'stopped',
    });
    expect((await store.get('accounts', 't1', 'ayu'))?.version).to.equal(1);
    expect(await store.replace('accounts', 't1', 'ayu', 1, { points: 2 }), 'version 2 is taken').to.equal(undefined);
    const after = await store.get<{ points: number }>('accounts', 't1', 'ayu');
    expect(after).to.deep.include({ version: 2, doc: { points: 7 } });
    expect((await store.replace('accounts', 't1', 'ayu', 2, { points: 8 }))?.version).to.equal(3);
  });

  it('refuses a writer holding a version from long ago, and one holding a removed document\'s version', async () => {
    const { store, dbName } = await fresh();
    await store.insert('accounts', 't1', 'ayu', { points: 0 });
    for (let v = 1; v <= 20; v += 1) expect((await store.replace('accounts', 't1', 'ayu', v, { points: v }))?.version).to.equal(v + 1);
    expect(await store.replace('accounts', 't1', 'ayu', 3, { points: -1 })).to.equal(undefined);
    expect(await store.get('accounts', 't1', 'ayu')).to.deep.include({ version: 21, doc: { points: 20 } });
    // Old version rows keep no content: the document has it.
    const old = await client.db(dbName).collection<{ _id: string }>('accounts.versions').findOne({ _id: versionId('t1', 'ayu', 3) });
    expect(old).to.include({ version: 3 }).and.not.have.property('doc');

    await store.insert('momentsDue', 't1', 'due-1', { at: 1 });
    await store.replace('momentsDue', 't1', 'due-1', 1, { at: 2 });
    expect(await store.remove('momentsDue', 't1', 'due-1')).to.equal(true);
    expect(await store.replace('momentsDue', 't1', 'due-1', 2, { at: 3 }), 'the document is gone').to.equal(undefined);
    expect(await store.get('momentsDue', 't1', 'due-1')).to.equal(undefined);
    expect(await client.db(dbName).collection('momentsDue.versions').countDocuments({}), 'no version row is left behind').to.equal(0);
    expect((await store.insert('momentsDue', 't1', 'due-1', { at: 4 })).inserted).to.equal(true);
  });

  it('reads and upgrades a database written before documents had their own _id', async () => {
    const dbName = `${ctx().dbName}_${++n}`;
    const db = client.db(dbName);
    const rows = db.collection('accounts');
    await rows.createIndex({ tenantId: 1, key: 1, version: 1 }, { unique: true, name: 'tenant_key_version_unique' });
    await rows.insertMany([
      { _id: new ObjectId(), tenantId: 't1', key: 'ayu', version: 3, body: '{"points":3}' },
      { _id: new ObjectId(), tenantId: 't1', key: 'ayu', version: 4, body: '{"points":4}' },
      { _id: new ObjectId(), tenantId: 't1', key: 'ayu', version: 5, body: '{"points":5}', cold: '{"lots":[]}' },
      { _id: new ObjectId(), tenantId: 't1', key: 'budi', version: 1, body: '{"points":9}' },
    ]);
    const store = await MongoStore.open({ uri: ctx().uri, dbName });
    stores.push(store);
    expect(await store.get('accounts', 't1', 'ayu')).to.deep.include({ version: 5, doc: { points: 5, cold: '{"lots":[]}' } });
    expect(await store.replace('accounts', 't1', 'ayu', 3, { points: -1 }), 'a version the earlier format had').to.equal(undefined);
    expect((await store.replace('accounts', 't1', 'ayu', 5, { points: 6 }))?.version).to.equal(6);
    const listed = await store.list<{ points: number }>('accounts', 't1', { limit: 10 });
    expect(listed.map((r) => [r.key, r.version, r.doc.points])).to.deep.equal([['ayu', 6, 6], ['budi', 1, 9]]);
    expect(await rows.countDocuments({ _id: { $type: 'objectId' } }), 'no row of the earlier format is left').to.equal(0);
    // A second start finds the database upgraded.
    await store.close();
    stores.pop();
    const again = await MongoStore.open({ uri: ctx().uri, dbName });
    stores.push(again);
    expect((await again.get('accounts', 't1', 'budi'))?.doc).to.deep.equal({ points: 9 });
  });
});
