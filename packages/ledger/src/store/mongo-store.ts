/**
 * The MongoDB adapter (mongoose), for MongoDB or any wire-compatible server such as FerretDB.
 *
 * Every read and write of one document addresses it by `_id` (the only field FerretDB v1 finds without reading the
 * whole collection), and the current document is one row, so a read is one `findOne` by `_id`:
 * - **The document** lives in the collection under its name (`accounts`, `orders`, ...) with `_id` made from its
 *   tenant and key (`headId`), the fields `tenantId`, `key`, `version`, the document's own fields under `doc`
 *   (mongosh and Compass show a customer's `doc.summary.points.balance`), and its `cold` string.
 * - **Its versions** live in `<collection>.versions`, one row per version from 2 on, `_id` made from tenant, key and
 *   version (`versionId`). They are what makes compare-and-set safe without transactions: FerretDB v1 does not make
 *   a conditional `updateOne` atomic (two concurrent updates of one version both match), but it does enforce `_id`
 *   uniqueness. Replacing version `v` inserts version row `v + 1` with the new document: exactly one writer can, and
 *   that insert is the commit. The writer then copies it onto the document (`updateOne` unless it is already there).
 *   A writer that loses on the insert copies the winner's row onto the document first (the winner may have
 *   stopped between its two steps), so a document never stays behind its newest version row for long.
 * - Version rows are never deleted while their document lives (their content is dropped once the document has moved
 *   on: `KEEP_VERSIONS`), so a writer holding any old version always finds `v + 1` taken. Only `remove` deletes them
 *   with the document; a writer that inserts a version of a removed document finds no document to copy it onto and
 *   takes its row back.
 * Databases written by earlier versions (one row per version in the collection, with `ObjectId` ids) are upgraded at
 * start-up (`upgradeRows`). No multi-document transactions, no TTL indexes, no aggregation.
 *
 * The mongoose instance is private (`new Mongoose(...)`), so no global setting is touched; it runs with
 * `sanitizeFilter` (query-selector injection is impossible; the adapter's own operators are marked `trusted`) and
 * `strictQuery: 'throw'`. Customer and event attributes are user-supplied objects whose names may contain `$` or
 * `.`, which MongoDB would read as operators or paths: every name is stored escaped (mongo-fields.ts).
 */
import { randomUUID } from 'node:crypto';
import type { CommandStartedEvent } from 'mongodb';
import { Mongoose, trusted, type Model, type mongo } from 'mongoose';
import {
  checkAddress,
  checkListQuery,
  checkWrites,
  coldOf,
  COLLECTIONS,
  KEY_END,
  withoutCold,
  type CollectionName,
  type GetOptions,
  type InsertResult,
  type ListQuery,
  type Store,
  type StoreWrite,
  type StoreWriteOutcome,
  type Versioned,
} from './store.js';
import { documentFields, documentOf } from './mongo-fields.js';

type Collection<T extends mongo.Document> = mongo.Collection<T>;
type AnyBulkWriteOperation<T extends mongo.Document> = mongo.AnyBulkWriteOperation<T>;

/** A document as stored: its address, its version, its fields and cold string, and the write that made it. */
interface Row {
  _id: string;
  tenantId: string;
  key: string;
  version: number;
  /**
   * The document without its `cold` field, as named fields (names escaped by `toFields`). Absent on a version row
   * whose content was dropped.
   */
  doc?: Record<string, unknown>;
  /** The document's `cold` string, left out of reads that do not ask for it (a projection). */
  cold?: string;
  /** The write that stored this version (a random id): tells this write's row from another's after a lost reply. */
  writer: string;
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
/** Every this many versions, the content of the version rows before the newest is dropped (one command). */
const KEEP_VERSIONS = 8;
/** Rows of one `insertMany` command of a batch (well below the server's 100,000 writes and 48 MB a command). */
const INSERT_BATCH = 1000;
/** The collection of a collection's version rows. */
const VERSIONS_SUFFIX = '.versions';
/** The collection holding the stored format (one document), read once at start-up. */
const META_COLLECTION = 'purnaMeta';
/** The format this adapter writes: 2, documents addressed by `_id` with their version rows beside them. */
const FORMAT = 2;

/** The `_id` of a document: unambiguous for any tenant and key (the tenant's length comes first). */
export function headId(tenantId: string, key: string): string {
  return `${tenantId.length}.${tenantId}.${key}`;
}

/** The `_id` of one version row of a document. */
export function versionId(tenantId: string, key: string, version: number): string {
  return `${headId(tenantId, key)}@${version}`;
}

interface Collections {
  docs: Collection<Row>;
  versions: Collection<Row>;
}

/** A `Store` on a MongoDB-wire-compatible server. */
export class MongoStore implements Store {
  readonly kind = 'mongo';

  private constructor(
    private readonly mongoose: Mongoose,
    private readonly models: Record<CollectionName, Model<Row>>,
    private readonly collections: Record<CollectionName, Collections>,
  ) {}

  /** Connects, upgrades what an earlier version stored, and creates every index before answering. */
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
    const collections = {} as Record<CollectionName, Collections>;
    for (const name of COLLECTIONS) {
      const schema = new mongoose.Schema<Row>(
        {
          _id: { type: String, required: true },
          tenantId: { type: String, required: true },
          key: { type: String, required: true },
          version: { type: Number, required: true },
          doc: { type: mongoose.Schema.Types.Mixed, required: false },
          cold: { type: String, required: false },
          writer: { type: String, required: true },
        },
        { versionKey: false, strict: 'throw', strictQuery: 'throw' },
      );
      // Lists scan one tenant's keys in order; the version is there for databases written before format 2.
      schema.index({ tenantId: 1, key: 1, version: 1 }, { name: 'tenant_key_version' });
      models[name] = mongoose.model<Row>(name, schema, name);
      const db = mongoose.connection.db;
      if (!db) throw new Error('store: the MongoDB connection has no database');
      collections[name] = { docs: db.collection<Row>(name), versions: db.collection<Row>(`${name}${VERSIONS_SUFFIX}`) };
    }
    try {
      await upgradeRows(mongoose, models);
      for (const name of COLLECTIONS) await models[name].createIndexes();
    } catch (error) {
      await mongoose.disconnect();
      throw error;
    }
    return new MongoStore(mongoose, models, collections);
  }

  async get<T extends object>(collection: CollectionName, tenantId: string, key: string, options: GetOptions = {}): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const row = await this.collections[collection].docs.findOne(
      { _id: headId(tenantId, key) },
      options.cold === false ? { projection: { cold: 0 } } : {},
    );
    return row ? toRecord<T>(collection, row) : undefined;
  }

  async insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    checkAddress(collection, tenantId, key);
    const row = rowOf(collection, headId(tenantId, key), tenantId, key, 1, doc);
    for (let attempt = 1; ; attempt += 1) {
      if (await insertRow(this.collections[collection].docs, row)) return { inserted: true, record: toRecord<T>(collection, row) };
      const existing = await this.get<T>(collection, tenantId, key);
      if (existing) return { inserted: false, record: existing };
      // Removed between the two calls: insert again.
      if (attempt >= INSERT_ATTEMPTS) throw new Error(`store: ${collection} ${tenantId}/${key} reported a duplicate but cannot be read`);
    }
  }

  async replace<T extends object>(
    collection: CollectionName,
    tenantId: string,
    key: string,
    expectedVersion: number,
    doc: T,
  ): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const { docs, versions } = this.collections[collection];
    const version = expectedVersion + 1;
    const row = rowOf(collection, versionId(tenantId, key, version), tenantId, key, version, doc);
    if (!(await insertRow(versions, row))) {
      // Another writer holds this version: make sure the document shows it before the caller reads again.
      await this.catchUp(collection, tenantId, key, version);
      return undefined;
    }
    // Committed. Copy the version onto the document unless someone already did (or went further).
    const copied = await docs.updateOne({ _id: headId(tenantId, key), version: { $gte: expectedVersion, $lt: version } }, contentUpdate(row));
    if (copied.matchedCount === 0) {
      const head = await docs.findOne({ _id: headId(tenantId, key) }, { projection: { version: 1 } });
      // The document was removed meanwhile, or is behind the version the caller holds (a version it never had, or
      // one of a document removed and made again): this row belongs to nothing, and the compare-and-set fails.
      if (!head || head.version < expectedVersion) {
        await versions.deleteOne({ _id: row._id, writer: row.writer });
        return undefined;
      }
    }
    if (version % KEEP_VERSIONS === 0) await this.dropContent(versions, tenantId, key, version);
    return toRecord<T>(collection, row);
  }

  /**
   * The inserts of each collection as unordered `insertMany` commands (a duplicate refuses only its own row), the
   * compare-and-sets as `replace` does them, all concurrently. Not as one `bulkWrite` of their copies: FerretDB v1
   * takes a backend connection for every update of a bulk command until it ends, and a batch of a few hundred
   * exhausted its pool (`failed to connect`) and wedged it.
   */
  async writeMany(tenantId: string, writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]> {
    checkWrites(tenantId, writes);
    const outcomes: StoreWriteOutcome[] = new Array<StoreWriteOutcome>(writes.length).fill({ written: false });
    const inserts = new Map<CollectionName, Array<{ index: number; row: Row }>>();
    const pending: Array<Promise<void>> = [];
    writes.forEach((write, index) => {
      if (write.op === 'insert') {
        const rows = inserts.get(write.collection) ?? [];
        rows.push({ index, row: rowOf(write.collection, headId(tenantId, write.key), tenantId, write.key, 1, write.doc) });
        inserts.set(write.collection, rows);
        return;
      }
      pending.push(
        this.replace(write.collection, tenantId, write.key, write.expectedVersion, write.doc).then((replaced) => {
          if (replaced) outcomes[index] = { written: true, version: replaced.version };
        }),
      );
    });
    for (const [collection, rows] of inserts) {
      for (let i = 0; i < rows.length; i += INSERT_BATCH) {
        const slice = rows.slice(i, i + INSERT_BATCH);
        pending.push(
          insertRows(this.collections[collection].docs, slice.map((r) => r.row)).then((written) => {
            slice.forEach((r, j) => {
              if (written[j]) outcomes[r.index] = { written: true, version: 1 };
            });
          }),
        );
      }
    }
    await Promise.all(pending);
    return outcomes;
  }

  async remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean> {
    checkAddress(collection, tenantId, key);
    const { docs, versions } = this.collections[collection];
    const head = await docs.findOne({ _id: headId(tenantId, key) }, { projection: { version: 1 } });
    if (!head) return false;
    await docs.deleteOne({ _id: head._id });
    // Every version row (a writer that inserts one after this finds no document and takes it back).
    const deletes: Array<AnyBulkWriteOperation<Row>> = [];
    for (let v = 2; v <= head.version + 1; v += 1) deletes.push({ deleteOne: { filter: { _id: versionId(tenantId, key, v) } } });
    for (let i = 0; i < deletes.length; i += 1000) await versions.bulkWrite(deletes.slice(i, i + 1000), { ordered: false });
    return true;
  }

  async dropHistory(collection: CollectionName, tenantId: string, key: string): Promise<void> {
    checkAddress(collection, tenantId, key);
    const { docs, versions } = this.collections[collection];
    const head = await docs.findOne({ _id: headId(tenantId, key) }, { projection: { version: 1 } });
    if (!head) return;
    // Every row before the current version loses its content, also rows a failed round of dropContent left; the rows
    // themselves stay, so a writer holding an old version still finds the next one taken.
    const updates: Array<AnyBulkWriteOperation<Row>> = [];
    for (let v = 2; v < head.version; v += 1) {
      updates.push({ updateOne: { filter: { _id: versionId(tenantId, key, v) }, update: { $unset: { doc: '', cold: '' } } } });
    }
    for (let i = 0; i < updates.length; i += 1000) await versions.bulkWrite(updates.slice(i, i + 1000), { ordered: false });
  }

  async list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    checkAddress(collection, tenantId, 'list');
    checkListQuery(query);
    const prefix = query.prefix ?? '';
    let low = prefix;
    let high = prefix + KEY_END;
    let lowOpen = false;
    if (query.after !== undefined) {
      if (query.reverse) high = query.after < high ? query.after : high;
      else if (query.after >= low) {
        low = query.after;
        lowOpen = true;
      }
    }
    const rows = await this.models[collection]
      .find({ tenantId, key: trusted({ [lowOpen ? '$gt' : '$gte']: low, $lt: high }) })
      .sort({ key: query.reverse ? -1 : 1 })
      .limit(query.limit)
      .lean<Row[]>()
      .exec();
    return rows.map((row) => toRecord<T>(collection, row));
  }

  /**
   * Makes the document show `version` when its row holds content and the document is behind it: the writer of that
   * row may have stopped after inserting it, and every later writer would otherwise lose on it forever.
   */
  private async catchUp(collection: CollectionName, tenantId: string, key: string, version: number): Promise<void> {
    const { docs, versions } = this.collections[collection];
    const row = await versions.findOne({ _id: versionId(tenantId, key, version) });
    if (row?.doc === undefined) return;
    await docs.updateOne({ _id: headId(tenantId, key), version: { $lt: version } }, contentUpdate(row));
  }

  /**
   * Drops the content of the version rows before `version` (the document holds it now), keeping each row: a writer
   * that still holds an old version must keep finding the next one taken. One command; a failure only leaves
   * content behind, so it does not fail the write that committed.
   */
  private async dropContent(versions: Collection<Row>, tenantId: string, key: string, version: number): Promise<void> {
    const updates: Array<AnyBulkWriteOperation<Row>> = [];
    for (let v = Math.max(2, version - KEEP_VERSIONS); v < version; v += 1) {
      updates.push({ updateOne: { filter: { _id: versionId(tenantId, key, v) }, update: { $unset: { doc: '', cold: '' } } } });
    }
    if (updates.length === 0) return;
    try {
      await versions.bulkWrite(updates, { ordered: false });
    } catch {
      // Left for the next round: the rows stay correct, only larger.
    }
  }

  async close(): Promise<void> {
    await this.mongoose.disconnect();
  }
}

/** The update that makes a document show a version row's content. */
function contentUpdate(row: Row): { $set: Partial<Row>; $unset?: { cold: '' } } {
  const set: Partial<Row> = { version: row.version, writer: row.writer, ...(row.doc === undefined ? {} : { doc: row.doc }) };
  if (row.cold === undefined) return { $set: set, $unset: { cold: '' } };
  return { $set: { ...set, cold: row.cold } };
}

/**
 * Inserts one row under its `_id`; false when a row with that `_id` exists (another writer's).
 *
 * After any error other than a duplicate on the first try, the row is looked up: if it is there it is this
 * insert's when it carries this write's `writer` (stored, its reply lost: the connection dropped), another's if
 * not; if it is not there the failure was transient and the insert is tried again.
 */
async function insertRow(collection: Collection<Row>, row: Row): Promise<boolean> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await collection.insertOne(row);
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === DUPLICATE_KEY && attempt === 1) return false;
      const stored = await collection.findOne({ _id: row._id }, { projection: { writer: 1, version: 1 } });
      if (stored) return stored.writer === row.writer && stored.version === row.version;
      if (attempt >= INSERT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, (attempt * 5) + (Math.random() * 10)));
    }
  }
}

/**
 * Inserts rows in one unordered command; answers for each whether it is this call's. A duplicate refuses only its
 * row. After any other failure the reply may be lost with some rows stored: each row is then looked up (its own
 * when it carries this write's `writer`) and the rows not there are inserted one by one as {@link insertRow} does.
 */
async function insertRows(collection: Collection<Row>, rows: Row[]): Promise<boolean[]> {
  try {
    await collection.insertMany(rows, { ordered: false });
    return rows.map(() => true);
  } catch (error) {
    const writeErrors = (error as { writeErrors?: Array<{ index?: unknown; code?: unknown }> | { index?: unknown; code?: unknown } }).writeErrors;
    const list = writeErrors === undefined ? [] : Array.isArray(writeErrors) ? writeErrors : [writeErrors];
    if (list.length > 0 && list.every((e) => e.code === DUPLICATE_KEY && typeof e.index === 'number')) {
      const refused = new Set(list.map((e) => e.index as number));
      return rows.map((_, i) => !refused.has(i));
    }
    return Promise.all(
      rows.map(async (row) => {
        const stored = await collection.findOne({ _id: row._id }, { projection: { writer: 1, version: 1 } });
        if (stored) return stored.writer === row.writer && stored.version === row.version;
        return insertRow(collection, row);
      }),
    );
  }
}

/** The row of one version of a document: its fields, its `cold` string beside them. */
function rowOf(collection: CollectionName, _id: string, tenantId: string, key: string, version: number, doc: object): Row {
  const cold = coldOf(collection, key, doc);
  return { _id, tenantId, key, version, doc: documentFields(collection, withoutCold(doc)), ...(cold === undefined ? {} : { cold }), writer: randomUUID() };
}

function toRecord<T extends object>(collection: CollectionName, row: Row): Versioned<T> {
  if (row.doc === undefined) throw new Error(`store: the stored document ${row._id} has no fields`);
  // The adapter stores whatever JSON object the caller gave under this collection; the caller's type is the contract.
  const doc = documentOf(collection, row.doc) as T;
  return { tenantId: row.tenantId, key: row.key, version: row.version, doc: row.cold === undefined ? doc : { ...doc, cold: row.cold } };
}

/** A row as versions before format 2 stored it: one per version, with an `ObjectId`. */
interface LegacyRow {
  _id: unknown;
  tenantId: string;
  key: string;
  version: number;
  body: string;
  cold?: string;
}

/**
 * Upgrades a database written before format 2, once: in each collection, the newest row of each document becomes
 * the document under its `_id`, a version row is made for every version it went through (so a writer still
 * holding one finds the next taken), and the old rows are deleted. Safe to run again after a crash (every step
 * skips what is done) and from several instances at once; instances of an earlier version must be stopped first
 * (docs/mongodb.md). A database marked format 2 is not scanned again.
 */
async function upgradeRows(mongoose: Mongoose, models: Record<CollectionName, Model<Row>>): Promise<void> {
  const db = mongoose.connection.db;
  if (!db) throw new Error('store: the MongoDB connection has no database');
  const meta = db.collection<{ _id: string; format: number }>(META_COLLECTION);
  const marked = await meta.findOne({ _id: 'format' });
  if (marked && marked.format >= FORMAT) return;
  for (const name of COLLECTIONS) {
    const docs = db.collection(name);
    const legacy = { _id: { $type: 'objectId' } } as mongo.Filter<mongo.Document>;
    if (!(await docs.findOne(legacy, { projection: { _id: 1 } }))) continue;
    // The unique index of format 1 would refuse the document beside its own newest row.
    await docs.dropIndex('tenant_key_version_unique').catch(() => undefined);
    await models[name].createIndexes();
    const versions = db.collection(`${name}${VERSIONS_SUFFIX}`);
    const cursor = docs.find<LegacyRow>(legacy).sort({ tenantId: 1, key: 1, version: -1 });
    let last = '';
    let done: unknown[] = [];
    for await (const old of cursor) {
      done.push(old._id);
      const id = headId(old.tenantId, old.key);
      if (id !== last) {
        last = id;
        const row: Row = { _id: id, tenantId: old.tenantId, key: old.key, version: old.version, doc: documentFields(name, JSON.parse(old.body) as object), ...(old.cold === undefined ? {} : { cold: old.cold }), writer: 'upgrade' };
        await docs.insertOne(row as never).catch(ignoreDuplicate);
        const marks: Row[] = [];
        for (let v = 2; v <= old.version; v += 1) marks.push({ _id: versionId(old.tenantId, old.key, v), tenantId: old.tenantId, key: old.key, version: v, writer: 'upgrade' });
        for (let i = 0; i < marks.length; i += 1000) await versions.insertMany(marks.slice(i, i + 1000) as never[], { ordered: false }).catch(ignoreDuplicate);
      }
      if (done.length >= 500) {
        await docs.deleteMany({ _id: { $in: done } } as never);
        done = [];
      }
    }
    if (done.length > 0) await docs.deleteMany({ _id: { $in: done } } as never);
  }
  await meta.updateOne({ _id: 'format' }, { $set: { format: FORMAT } }, { upsert: true });
}

function ignoreDuplicate(error: unknown): void {
  const code = (error as { code?: unknown }).code;
  const writeErrors = (error as { writeErrors?: Array<{ code?: unknown }> }).writeErrors;
  if (code === DUPLICATE_KEY && (!writeErrors || writeErrors.every((e) => e.code === DUPLICATE_KEY))) return;
  throw error;
}
