/**
 * The MongoDB adapter (mongoose), for MongoDB or any wire-compatible server such as FerretDB.
 *
 * It relies on one guarantee only: a unique index is enforced atomically. FerretDB v1 does not make a conditional
 * `updateOne({ version: v })` atomic (two concurrent updates of one version both match), so compare-and-set is
 * built on the unique index instead: every version of a document is its own row `(tenantId, key, version)`, and
 * replacing version `v` means inserting row `v + 1`. Exactly one writer can insert it; the current document is the
 * row with the highest version. After inserting, the writer checks that the lowest rows at or above `v` are `v`
 * and its own `v + 1` (old rows are pruned, so a very stale writer could insert a row where `v` is gone; the check
 * sees it, and the writer removes its row and reports a lost race; rows above `v + 1` are writers that already
 * built on this one). No multi-document transactions, no TTL indexes, no aggregation.
 *
 * The mongoose instance is private (`new Mongoose(...)`), so no global setting is touched; it runs with
 * `sanitizeFilter` (query-selector injection is impossible; the adapter's own operators are marked `trusted`) and
 * `strictQuery: 'throw'`. The document body is stored as a JSON string in `body`: customer and event attributes
 * are user-supplied objects whose names may contain `$` or `.`, which MongoDB would read as operators or paths.
 */
import type { CommandStartedEvent } from 'mongodb';
import { Mongoose, trusted, Types, type Model } from 'mongoose';
import {
  checkAddress,
  checkListQuery,
  coldOf,
  COLLECTIONS,
  KEY_END,
  withoutCold,
  type CollectionName,
  type GetOptions,
  type InsertResult,

  type ListQuery,
  type Store,
  type Versioned,
} from './store.js';

interface Row {
  tenantId: string;
  key: string;
  version: number;
  /** The document as JSON, without its `cold` field. */
  body: string;
  /** The document's `cold` string, left out of reads that do not ask for it (a projection). */
  cold?: string;
}

/** Options of the MongoDB adapter. */
export interface MongoStoreOptions {
  /** Connection string, e.g. `MONGODB_URI`. */
  uri: string;
  /** Database name; defaults to the one in the URI, else `purna`. */
  dbName?: string;
  /**
   * Called with every command the driver sends (MongoDB command monitoring), for tests that prove what reaches the
   * server (test/reliability/injection.test.ts).
   */
  onCommandStarted?: (event: CommandStartedEvent) => void;
}

const DUPLICATE_KEY = 11000;
/** Tries of one insert whose failure left no row behind (a transient backend error). */
const INSERT_ATTEMPTS = 5;
/** Rows kept below the newest version of a document; older ones are pruned. */
const KEEP_VERSIONS = 4;
/** How many rows a list reads per round trip while skipping older versions. */
const LIST_BATCH = 200;

/** A `Store` on a MongoDB-wire-compatible server. */
export class MongoStore implements Store {
  readonly kind = 'mongo';

  private constructor(
    private readonly mongoose: Mongoose,
    private readonly models: Record<CollectionName, Model<Row>>,
  ) {}

  /** Connects and creates every index before answering. */
  static async open(options: MongoStoreOptions): Promise<MongoStore> {
    if (typeof options.uri !== 'string' || options.uri.length === 0) {
      throw new TypeError('store: the mongo store needs a connection string ({ kind: "mongo", uri }, or MONGODB_URI)');
    }
    const mongoose = new Mongoose({ sanitizeFilter: true, strictQuery: 'throw', autoIndex: false, autoCreate: false });
    const monitor = options.onCommandStarted;
    await mongoose.connect(options.uri, {
      ...(options.dbName ? { dbName: options.dbName } : {}),
      serverSelectionTimeoutMS: 10_000,
      ...(monitor ? { monitorCommands: true } : {}),
    });
    if (monitor) mongoose.connection.getClient().on('commandStarted', monitor);
    const models = {} as Record<CollectionName, Model<Row>>;
    for (const name of COLLECTIONS) {
      const schema = new mongoose.Schema<Row>(
        {
          tenantId: { type: String, required: true },
          key: { type: String, required: true },
          version: { type: Number, required: true },
          body: { type: String, required: true },
          cold: { type: String, required: false },
        },
        { versionKey: false, strict: 'throw', strictQuery: 'throw' },
      );
      schema.index({ tenantId: 1, key: 1, version: 1 }, { unique: true, name: 'tenant_key_version_unique' });
      models[name] = mongoose.model<Row>(name, schema, name);
    }
    try {
      for (const name of COLLECTIONS) await models[name].createIndexes();
    } catch (error) {
      await mongoose.disconnect();
      throw error;
    }
    return new MongoStore(mongoose, models);
  }

  async get<T extends object>(collection: CollectionName, tenantId: string, key: string, options: GetOptions = {}): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const query = this.models[collection].findOne({ tenantId, key }, options.cold === false ? { cold: 0 } : undefined);
    const row = await query.sort({ version: -1 }).lean<Row>().exec();
    return row ? toRecord<T>(row) : undefined;
  }

  async insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    checkAddress(collection, tenantId, key);
    const row = rowOf(collection, tenantId, key, 1, doc);
    if (await this.insertRow(collection, row)) {
      // Version 1 may have been pruned from a document that has moved on: then this row is not the document. Pruning
      // leaves a version of at least 1 + KEEP_VERSIONS behind, which tells that case from a document that others
      // moved on to versions 2, 3, ... after this very insert (an operation claimed here and at once reserved and
      // done by another writer: this insert did create it).
      const newer = await this.models[collection].exists({ tenantId, key, version: trusted({ $gte: 1 + KEEP_VERSIONS }) }).exec();
      if (!newer) return { inserted: true, record: toRecord<T>(row) };
      await this.models[collection].deleteOne({ tenantId, key, version: 1 }).exec();
    }
    const existing = await this.get<T>(collection, tenantId, key);
    if (!existing) throw new Error(`store: ${collection} ${tenantId}/${key} reported a duplicate but cannot be read`);
    return { inserted: false, record: existing };
  }

  async replace<T extends object>(
    collection: CollectionName,
    tenantId: string,
    key: string,
    expectedVersion: number,
    doc: T,
  ): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const model = this.models[collection];
    const row = rowOf(collection, tenantId, key, expectedVersion + 1, doc);
    if (!(await this.insertRow(collection, row))) return undefined;
    // Won when the row below is still the expected version: a stale writer whose expected version was pruned finds
    // it missing. Rows above this one are writers that already built on it, not a lost race.
    const around = await model
      .find({ tenantId, key, version: trusted({ $gte: expectedVersion }) }, { version: 1 })
      .sort({ version: 1 })
      .limit(2)
      .lean<Array<Pick<Row, 'version'>>>()
      .exec();
    const versions = around.map((r) => r.version);
    if (versions.length !== 2 || versions[0] !== expectedVersion || versions[1] !== row.version) {
      await model.deleteOne({ tenantId, key, version: row.version }).exec();
      return undefined;
    }
    if (row.version % KEEP_VERSIONS === 0) {
      await model.deleteMany({ tenantId, key, version: trusted({ $lte: row.version - KEEP_VERSIONS }) }).exec();
    }
    return toRecord<T>(row);
  }

  async remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean> {
    checkAddress(collection, tenantId, key);
    const result = await this.models[collection].deleteMany({ tenantId, key }).exec();
    return result.deletedCount > 0;
  }

  async dropHistory(collection: CollectionName, tenantId: string, key: string): Promise<void> {
    checkAddress(collection, tenantId, key);
    const newest = await this.models[collection].findOne({ tenantId, key }, { version: 1 }).sort({ version: -1 }).lean<Pick<Row, 'version'>>().exec();
    if (newest) await this.models[collection].deleteMany({ tenantId, key, version: trusted({ $lt: newest.version }) }).exec();
  }

  async list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    checkAddress(collection, tenantId, 'list');
    checkListQuery(query);
    const prefix = query.prefix ?? '';
    const out: Array<Versioned<T>> = [];
    let low = prefix;
    let high = prefix + KEY_END;
    let lowOpen = false;
    let highOpen = true;
    if (query.after !== undefined) {
      if (query.reverse) high = query.after < high ? query.after : high;
      else if (query.after >= low) {
        low = query.after;
        lowOpen = true;
      }
    }
    // Rows come newest version first within a key; the first row of each key is the document.
    for (;;) {
      const range: Record<string, string> = { [lowOpen ? '$gt' : '$gte']: low, [highOpen ? '$lt' : '$lte']: high };
      const rows = await this.models[collection]
        .find({ tenantId, key: trusted(range) })
        .sort({ key: query.reverse ? -1 : 1, version: -1 })
        .limit(LIST_BATCH)
        .lean<Row[]>()
        .exec();
      let last: string | undefined;
      for (const row of rows) {
        if (row.key === last) continue;
        last = row.key;
        out.push(toRecord<T>(row));
        if (out.length >= query.limit) return out;
      }
      if (rows.length < LIST_BATCH || last === undefined) return out;
      // Continue after the last whole key seen (a key cut by the batch is read again from its newest row).
      const lastRow = rows[rows.length - 1] as Row;
      if (lastRow.key === last && rows.filter((r) => r.key === last).length < LIST_BATCH) {
        out.pop();
        if (query.reverse) {
          high = last;
          highOpen = false;
        } else {
          low = last;
          lowOpen = false;
        }
      } else if (query.reverse) {
        high = last;
        highOpen = true;
      } else {
        low = last;
        lowOpen = true;
      }
    }
  }

  /**
   * Inserts one version row; false when that version already exists.
   *
   * MongoDB reports a lost race on the unique index as E11000. FerretDB v1 does so only for `_id`: when its batch
   * insert fails and it retries the document alone, a violation of another unique index (or a busy SQLite
   * backend) comes back as an internal error instead. So after any other error the row is looked up: if it is
   * there, this insert lost the race unless the row carries this write's `_id` (stored, its reply lost); if not,
   * the failure was transient and the insert is tried again, under the same `_id`.
   */
  private async insertRow(collection: CollectionName, row: Row): Promise<boolean> {
    // The row's own _id names this write, so that a row the server stored before its reply was lost (the connection
    // dropped) is known as this write's, not taken for another writer's.
    const _id = new Types.ObjectId();
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.models[collection].collection.insertOne({ _id, ...row });
        return true;
      } catch (error) {
        if ((error as { code?: unknown }).code === DUPLICATE_KEY && attempt === 1) return false;
        const { tenantId, key, version } = row;
        const stored = await this.models[collection].findOne({ tenantId, key, version }, { _id: 1 }).lean<{ _id: Types.ObjectId }>().exec();
        if (stored) return stored._id.equals(_id);
        if (attempt >= INSERT_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, (attempt * 5) + (Math.random() * 10)));
      }
    }
  }

  async close(): Promise<void> {
    await this.mongoose.disconnect();
  }
}

/** The row of one version of a document: its body as JSON, its `cold` string beside it. */
function rowOf(collection: CollectionName, tenantId: string, key: string, version: number, doc: object): Row {
  const cold = coldOf(collection, key, doc);
  return { tenantId, key, version, body: JSON.stringify(withoutCold(doc)), ...(cold === undefined ? {} : { cold }) };
}

function toRecord<T extends object>(row: Row): Versioned<T> {
  // The adapter stores whatever JSON object the caller gave under this collection; the caller's type is the contract.
  const doc = JSON.parse(row.body) as T;
  return { tenantId: row.tenantId, key: row.key, version: row.version, doc: row.cold === undefined ? doc : { ...doc, cold: row.cold } };
}
