import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { FERRETDB_CLIENT_POOL, ferretClientUri, mongoUriWithDatabase } from '../scripts/ferretdb/ferretdb.js';
import { describeMongo } from './support/mongo.js';

describe('FerretDB client URIs', () => {
  it('bound the driver pool and put a database name before the options', () => {
    expect(ferretClientUri('mongodb://127.0.0.1:27017/')).to.equal(`mongodb://127.0.0.1:27017/?maxPoolSize=${FERRETDB_CLIENT_POOL}`);
    expect(ferretClientUri('mongodb://127.0.0.1:27017/', 'purna')).to.equal(`mongodb://127.0.0.1:27017/purna?maxPoolSize=${FERRETDB_CLIENT_POOL}`);
  });

  it('name a database in any MongoDB URI, keeping its hosts and options, or refuse what is not one', () => {
    expect(mongoUriWithDatabase('mongodb://db1:27017,db2:27017/old?replicaSet=rs0&w=majority', 'purna_x')).to.equal('mongodb://db1:27017,db2:27017/purna_x?replicaSet=rs0&w=majority');
    expect(mongoUriWithDatabase('mongodb+srv://cluster.example', 'purna')).to.equal('mongodb+srv://cluster.example/purna');
    expect(mongoUriWithDatabase('mongodb://u:p@127.0.0.1:27017/', 'a')).to.equal('mongodb://u:p@127.0.0.1:27017/a');
    expect(() => mongoUriWithDatabase('postgres://127.0.0.1/db', 'a')).to.throw(TypeError, 'not a MongoDB URI');
  });
});

describeMongo('the MongoDB test server', (ctx) => {
  it('enforces unique indexes and single-document atomic updates', async () => {
    const client = new MongoClient(ctx().uri);
    await client.connect();
    try {
      const col = client.db(ctx().dbName).collection<{ key: string; n?: number }>('probe');
      await col.createIndex({ key: 1 }, { unique: true });
      await col.insertOne({ key: 'a' });
      let duplicateCode: unknown;
      try {
        await col.insertOne({ key: 'a' });
      } catch (error) {
        duplicateCode = (error as { code?: unknown }).code;
      }
      expect(duplicateCode).to.equal(11000);
      const updated = await col.findOneAndUpdate({ key: 'a' }, { $inc: { n: 2 } }, { returnDocument: 'after' });
      expect(updated?.n).to.equal(2);
    } finally {
      await client.close();
    }
  });

  it('answers 200 concurrent updates of one document from three clients, each on the URI the harness gives', async function () {
    // FerretDB v1 holds a connection for an update's query while it takes a second one for the write; 200 at once
    // through the driver's default pool (100) wedged it (docs/development.md, "FerretDB's connection pools").
    this.timeout(120_000);
    const clients = await Promise.all([0, 1, 2].map(() => MongoClient.connect(ctx().uri)));
    try {
      const cols = clients.map((c) => c.db(ctx().dbName).collection<{ _id: string; n: number; by?: number[] }>('storm'));
      await cols[0]!.insertOne({ _id: 'one', n: 0 });
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) => cols[i % 3]!.updateOne({ _id: 'one', n: { $gte: 0 } }, { $set: { n: i + 1 } })),
      );
      expect(results.every((r) => r.matchedCount === 1)).to.equal(true);
      const after = await cols[1]!.findOne({ _id: 'one' });
      expect(after!.n).to.be.within(1, 200);
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
