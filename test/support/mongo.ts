/**
 * `describeMongo` wraps a suite that needs a MongoDB-wire-compatible server. Each call gets its own database
 * name, so suites never see each other's data.
 */
import { randomBytes } from 'node:crypto';
import { mongoTarget } from './mongo-target.js';

let warned = false;

export interface MongoContext {
  /** Connection string of the server, without a database. */
  uri: string;
  /** A fresh database name for this suite. */
  dbName: string;
}

export function describeMongo(title: string, body: (ctx: () => MongoContext) => void): void {
  let current: MongoContext | undefined;
  const ctx = (): MongoContext => {
    if (!current) throw new Error('describeMongo context read outside a running test');
    return current;
  };
  describe(`${title} [mongo]`, function () {
    before(function () {
      if (!mongoTarget.uri) {
        const reason = mongoTarget.skipReason ?? 'no MongoDB server was found';
        if (process.env.CI === 'true') {
          throw new Error(`MongoDB suites are required in CI but cannot run: ${reason}`);
        }
        if (!warned) {
          warned = true;
          console.error(`\n!!! SKIPPING every MongoDB suite: ${reason}. Set MONGODB_URI or install Go. !!!\n`);
        }
        this.skip();
      }
      current = { uri: mongoTarget.uri, dbName: `${mongoTarget.dbPrefix ?? 'purna_test'}_${randomBytes(6).toString('hex')}` };
    });
    body(ctx);
  });
}
