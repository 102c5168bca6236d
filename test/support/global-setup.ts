/**
 * Mocha global fixtures: find a MongoDB-wire-compatible server for the MongoDB suites.
 *
 * Order: `MONGODB_URI` if set; else build (once, cached) and start FerretDB when `go` is on the PATH; else the
 * MongoDB suites are skipped with one loud line, and with `CI=true` that skip is a failure.
 *
 * FerretDB runs on PostgreSQL when the server at 127.0.0.1:5432 takes a write through it (it ran the MongoDB suites
 * in about 60% of the time SQLite took, docs/development.md), else on SQLite; `PURNA_FERRETDB_HANDLER` chooses
 * instead. On PostgreSQL the databases outlive FerretDB, so the teardown drops every database of this run.
 */
import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { goAvailable, startFerretDB, type RunningFerretDB } from '../../scripts/ferretdb/ferretdb.js';
import { mongoTarget } from './mongo-target.js';

let ferret: RunningFerretDB | undefined;
const log = (line: string): void => console.error(`[ferretdb] ${line}`);

/** True when a database on `uri` takes a write and drops it again. */
async function takesWrites(uri: string, dbName: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5000 });
  try {
    await client.connect();
    await client.db(dbName).collection('probe').insertOne({ probe: true });
    await client.db(dbName).dropDatabase();
    return true;
  } catch {
    return false;
  } finally {
    await client.close();
  }
}

/** FerretDB on PostgreSQL when that works here, else on SQLite (or as `PURNA_FERRETDB_HANDLER` says). */
async function startFerret(dbPrefix: string): Promise<{ running: RunningFerretDB; backend: string }> {
  const chosen = process.env.PURNA_FERRETDB_HANDLER;
  if (chosen === undefined || chosen === 'postgresql') {
    try {
      const running = await startFerretDB(log, { handler: 'postgresql' });
      if (await takesWrites(running.uri, `${dbPrefix}_probe`)) return { running, backend: 'PostgreSQL' };
      await running.stop();
    } catch (error) {
      if (chosen === 'postgresql') throw error;
    }
    if (chosen === 'postgresql') throw new Error('FerretDB on PostgreSQL (PURNA_FERRETDB_HANDLER=postgresql) does not take writes');
    log('PostgreSQL at 127.0.0.1:5432 does not answer through FerretDB; using SQLite');
  }
  return { running: await startFerretDB(log, { handler: 'sqlite' }), backend: 'SQLite' };
}

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    mongoTarget.uri = process.env.MONGODB_URI;
    mongoTarget.source = 'MONGODB_URI';
    return;
  }
  if (!goAvailable()) {
    mongoTarget.skipReason = 'no MONGODB_URI and no `go` on the PATH to build FerretDB';
    return;
  }
  try {
    const dbPrefix = `purna_test_${randomBytes(4).toString('hex')}`;
    const { running, backend } = await startFerret(dbPrefix);
    ferret = running;
    mongoTarget.uri = running.uri;
    mongoTarget.dbPrefix = dbPrefix;
    mongoTarget.source = `FerretDB (${backend} backend, started by the test harness)`;
  } catch (error) {
    mongoTarget.skipReason = `FerretDB could not be started: ${(error as Error).message}`;
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  if (!ferret) return;
  const prefix = mongoTarget.dbPrefix;
  if (prefix && mongoTarget.uri) {
    const client = new MongoClient(mongoTarget.uri, { serverSelectionTimeoutMS: 5000 });
    try {
      await client.connect();
      const { databases } = await client.db('admin').admin().listDatabases({ nameOnly: true });
      for (const { name } of databases) if (name.startsWith(prefix)) await client.db(name).dropDatabase();
    } catch (error) {
      log(`could not drop this run's databases: ${(error as Error).message}`);
    } finally {
      await client.close();
    }
  }
  await ferret.stop();
}
