/**
 * The embedded adapter: LMDB through lmdb-js, a folder on disk and no server.
 *
 * Why LMDB: it is ACID and crash-safe (copy-on-write B+tree, a committed transaction survives a process or power
 * crash), ships prebuilt binaries on npm (nothing to compile or install), and serialises writers with one lock, so
 * a `transaction` callback (read, compare, write) gives us the two conditional writes the ledger needs
 * (insert-if-absent, compare-and-set on a version) atomically, even across processes sharing the folder. The
 * asynchronous `transaction` batches concurrent callers into one commit (each still atomic), which is what makes
 * a burst of writes on one customer fast; its promise resolves once the commit is durable.
 *
 * A document's `cold` string is kept under a key of its own (`<collection>.cold`), written in the same transaction
 * as the rest, so a read that leaves it out never reads or parses it. It is stored as raw UTF-8 after its version
 * (`<version>\n<text>`), not as JSON: escaping 100 KB of JSON into a JSON string and back cost more than the rest.
 */
import { statSync } from 'node:fs';
import { asBinary, open, type Database, type RootDatabase } from 'lmdb';
import {
  checkAddress,
  checkListQuery,
  checkWrites,
  coldOf,
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

interface Slot {
  version: number;
  /** The document without its `cold` field. */
  doc: object;
  /** The document has a `cold` string, stored at the `.cold` address at the same version. */
  split?: true;
}

type Key = [string, string, string];

/** Options of the LMDB adapter. */
export interface LmdbStoreOptions {
  /** The folder that holds the database (created if missing). */
  path: string;
}

/** A `Store` in an LMDB environment on local disk. */
export class LmdbStore implements Store {
  readonly kind = 'lmdb';
  private readonly db: Database<Slot, Key>;

  private constructor(private readonly root: RootDatabase<Slot, Key>) {
    this.db = root;
  }

  /** Opens (or creates) the database folder at `options.path`. */
  static open(options: LmdbStoreOptions): LmdbStore {
    if (typeof options.path !== 'string' || options.path.length === 0) {
      throw new TypeError('store: the lmdb store needs a folder path ({ kind: "lmdb", path })');
    }
    // A folder, whatever its name: lmdb-js takes a path with an extension ("/var/lib/purna.data") for the database
    // file itself, and fails on such a folder that exists. A path that is a file already is opened as the file it is.
    const noSubdir = statSync(options.path, { throwIfNoEntry: false })?.isFile() ?? false;
    const root = open<Slot, Key>({ path: options.path, noSubdir, encoding: 'json', compression: false });
    return new LmdbStore(root);
  }

  get<T extends object>(collection: CollectionName, tenantId: string, key: string, options: GetOptions = {}): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const slot = this.db.get([collection, tenantId, key]);
    if (!slot) return Promise.resolve(undefined);
    return Promise.resolve(decoded<T>(tenantId, key, options.cold === false ? slot : this.whole(collection, tenantId, key, slot)));
  }

  insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
    checkAddress(collection, tenantId, key);
    const cold = coldOf(collection, key, doc);
    return this.db.transaction((): InsertResult<T> => {
      const existing = this.db.get([collection, tenantId, key]);
      if (existing) return { inserted: false, record: decoded<T>(tenantId, key, this.whole(collection, tenantId, key, existing)) };
      const text = this.put(collection, tenantId, key, 1, doc, cold, false);
      return { inserted: true, record: writtenRecord<T>(tenantId, key, 1, text, cold) };
    });
  }

  replace<T extends object>(
    collection: CollectionName,
    tenantId: string,
    key: string,
    expectedVersion: number,
    doc: T,
  ): Promise<Versioned<T> | undefined> {
    checkAddress(collection, tenantId, key);
    const cold = coldOf(collection, key, doc);
    return this.db.transaction((): Versioned<T> | undefined => {
      const text = this.replaceIn(collection, tenantId, key, expectedVersion, doc, cold);
      return text === undefined ? undefined : writtenRecord<T>(tenantId, key, expectedVersion + 1, text, cold);
    });
  }

  /** Every write in one transaction: one commit, however many documents (an import's batch of new customers). */
  writeMany(tenantId: string, writes: readonly StoreWrite[]): Promise<StoreWriteOutcome[]> {
    checkWrites(tenantId, writes);
    return this.db.transaction((): StoreWriteOutcome[] =>
      writes.map((write): StoreWriteOutcome => {
        const cold = coldOf(write.collection, write.key, write.doc);
        if (write.op === 'insert') {
          if (this.db.doesExist([write.collection, tenantId, write.key])) return { written: false };
          this.put(write.collection, tenantId, write.key, 1, write.doc, cold, false);
          return { written: true, version: 1 };
        }
        const written = this.replaceIn(write.collection, tenantId, write.key, write.expectedVersion, write.doc, cold) !== undefined;
        return written ? { written, version: write.expectedVersion + 1 } : { written };
      }),
    );
  }

  /** The compare-and-set inside a transaction: the JSON text written, or undefined when the version moved on. */
  private replaceIn(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: object, cold: string | undefined): string | undefined {
    const existing = this.db.get([collection, tenantId, key]);
    if (!existing || existing.version !== expectedVersion) return undefined;
    return this.put(collection, tenantId, key, expectedVersion + 1, doc, cold, existing.split === true);
  }

  /** A key holds the current version alone (a commit writes over it; LMDB reuses the freed pages): nothing to drop. */
  dropHistory(collection: CollectionName, tenantId: string, key: string): Promise<void> {
    checkAddress(collection, tenantId, key);
    return Promise.resolve();
  }

  remove(collection: CollectionName, tenantId: string, key: string): Promise<boolean> {
    checkAddress(collection, tenantId, key);
    const address: Key = [collection, tenantId, key];
    return this.db.transaction((): boolean => {
      const existing = this.db.get(address);
      if (!existing) return false;
      this.db.removeSync(address);
      if (existing.split === true) this.db.removeSync([`${collection}.cold`, tenantId, key]);
      return true;
    });
  }

  list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    checkAddress(collection, tenantId, 'list');
    checkListQuery(query);
    const prefix = query.prefix ?? '';
    let low = prefix;
    let high = prefix + KEY_END;
    if (query.after !== undefined) {
      if (query.reverse) high = query.after < high ? query.after : high;
      else low = query.after > low ? query.after : low;
    }
    const out: Array<Versioned<T>> = [];
    const range = query.reverse
      ? this.db.getRange({ start: [collection, tenantId, high], end: [collection, tenantId, low], reverse: true })
      : this.db.getRange({ start: [collection, tenantId, low], end: [collection, tenantId, high] });
    for (const { key, value } of range) {
      const docKey = key[2];
      if (docKey === query.after) continue;
      if (!docKey.startsWith(prefix)) continue;
      out.push(decoded<T>(tenantId, docKey, this.whole(collection, tenantId, docKey, value)));
      if (out.length >= query.limit) break;
    }
    return Promise.resolve(out);
  }

  /**
   * Counts this database's commits from now on (for benchmarks: a commit costs about twenty writes); answers a
   * function that reads the count.
   *
   * @example
   * const commits = store.countCommits(); await work(); console.log(commits());
   */
  countCommits(): () => number {
    let commits = 0;
    this.root.on('aftercommit', () => {
      commits += 1;
    });
    return () => commits;
  }

  async close(): Promise<void> {
    await this.root.close();
  }

  /**
   * Writes a document inside a transaction: the slot, and its `cold` string at its own address when it has one.
   * Answers the JSON text of the document as written (without `cold`), which the record is read back from.
   */
  private put(collection: CollectionName, tenantId: string, key: string, version: number, doc: object, cold: string | undefined, hadCold: boolean): string {
    const coldAddress: Key = [`${collection}.cold`, tenantId, key];
    // The slot as the database's JSON encoding writes it (plain UTF-8 JSON), stringified here once: the same text
    // is the snapshot the record answers, instead of a second stringify and a parse to copy the document.
    const text = JSON.stringify(withoutCold(doc));
    const slot = `{"version":${version},"doc":${text}${cold === undefined ? '' : ',"split":true'}}`;
    // lmdb-js writes a Binary's bytes as they are, whatever the database's encoding (its types only know Slot).
    this.db.putSync([collection, tenantId, key], asBinary(utf8(slot)) as unknown as Slot);
    if (cold !== undefined) this.db.putSync(coldAddress, asBinary(utf8(`${version}\n${cold}`)) as unknown as Slot);
    else if (hadCold) this.db.removeSync(coldAddress);
    return text;
  }

  /** The slot with its document's `cold` string put back, read at the same version as the slot. */
  private whole(collection: CollectionName, tenantId: string, key: string, slot: Slot): Slot {
    if (!slot.split) return slot;
    const bytes = this.db.getBinary([`${collection}.cold`, tenantId, key]);
    const newline = bytes ? bytes.indexOf(10) : -1;
    const version = bytes && newline > 0 ? Number(bytes.toString('latin1', 0, newline)) : undefined;
    // Both are written in one transaction and read in one snapshot, so a different version is a damaged database.
    if (!bytes || version !== slot.version) {
      throw new Error(`store: ${collection} ${tenantId}/${key} version ${slot.version} has no cold part of its version (found ${bytes ? `version ${String(version)}` : 'none'})`);
    }
    return { version: slot.version, doc: { ...slot.doc, cold: bytes.toString('utf8', newline + 1) } };
  }
}

/** The buffer {@link utf8} encodes into, grown to the largest text written so far. */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * The UTF-8 bytes of `text` in a buffer reused by every write. `putSync` inside a write transaction hands the bytes
 * to LMDB, which copies them before it returns, so the next write may reuse the buffer: a fresh `Buffer.from` per
 * write was a fifth of `put`'s time and left a copy of every slot (an account's cold part runs to 100 KB) to the
 * garbage collector.
 */
function utf8(text: string): Buffer {
  // A UTF-16 unit is at most 3 bytes of UTF-8.
  if (text.length * 3 > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(text.length * 3, scratch.length * 2));
  return scratch.subarray(0, scratch.write(text, 0, 'utf8'));
}

/**
 * The record of a document just written, from the JSON text written: the caller's object and the answer never
 * alias, and the text is parsed only when the answer's document is read (most writers only look at the version).
 */
function writtenRecord<T extends object>(tenantId: string, key: string, version: number, text: string, cold: string | undefined): Versioned<T> {
  let doc: T | undefined;
  return {
    tenantId,
    key,
    version,
    // The adapter stores whatever JSON object the caller gave under this collection; the caller's type is the contract.
    get doc(): T {
      doc ??= (cold === undefined ? JSON.parse(text) : { ...(JSON.parse(text) as object), cold }) as T;
      return doc;
    },
  };
}

/**
 * A record of a slot read from LMDB: lmdb-js decodes the stored JSON into a new object on every read (no cache is
 * configured), so it is the caller's own already; copying it again doubled the cost of reading a large account.
 */
function decoded<T extends object>(tenantId: string, key: string, slot: Slot): Versioned<T> {
  return { tenantId, key, version: slot.version, doc: slot.doc as T };
}
