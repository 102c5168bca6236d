import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { describeMongo } from './support/mongo.js';

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
});
