/**
 * What each instance caches (docs/ledger.md "What an instance caches"): the newest program version of a tenant and
 * the API keys it found, each for `staleMs` of wall time. Two instances are two `Ledger`s over one store, each with
 * a wall clock the test moves by hand, so no assertion depends on how fast anything runs. Requests that find an
 * entry stale at once share one read of it, unless this instance changed it meanwhile.
 */
import { expect } from 'chai';
import { MAX_CACHED_KEYS, type ApiKeyRecord } from '../src/ledger/api-keys.js';
import { Ledger } from '../src/ledger/ledger.js';
import { NotFound } from '../src/errors.js';
import { ForwardingStore } from '../src/store/forwarding-store.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { CollectionName, GetOptions, ListQuery, Versioned } from '../src/store/store.js';
import { errorOf } from './support/error-of.js';
import { simpleProgram } from './support/programs.js';

const STALE_MS = 500;

/** Counts the reads of one collection, to tell a cached answer from one read from the store. */
class ReadCountingStore extends ForwardingStore {
  readonly reads: Record<string, number> = {};
  /** When set, the next list answers only once this settles (what it answers is read before). */
  holdNextList: Promise<void> | undefined;
  /** The same for the next get. */
  holdNextGet: Promise<void> | undefined;

  override async get<T extends object>(collection: CollectionName, tenantId: string, key: string, options?: GetOptions): Promise<Versioned<T> | undefined> {
    this.reads[collection] = (this.reads[collection] ?? 0) + 1;
    const hold = this.holdNextGet;
    this.holdNextGet = undefined;
    const found = await super.get<T>(collection, tenantId, key, options);
    if (hold) await hold;
    return found;
  }

  override async list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    this.reads[collection] = (this.reads[collection] ?? 0) + 1;
    const hold = this.holdNextList;
    this.holdNextList = undefined;
    const page = await super.list<T>(collection, tenantId, query);
    if (hold) await hold;
    return page;
  }
}

/** One instance: a ledger over the shared store with its own hand-moved wall clock. */
function instance(store: ReadCountingStore): { ledger: Ledger; advance: (ms: number) => void } {
  let wall = 1_000_000;
  const ledger = new Ledger(store, { wallClock: () => wall, staleMs: STALE_MS });
  return { ledger, advance: (ms) => (wall += ms) };
}

const key = (keyId: string, tenantId = 't'): ApiKeyRecord => ({ tenantId, keyId, hash: `hash-${keyId}`, scopes: ['checkout'], name: keyId, createdAt: '2026-01-01T00:00:00Z' });

describe('instance caches', () => {
  let store: ReadCountingStore;
  let a: ReturnType<typeof instance>;
  let b: ReturnType<typeof instance>;
  beforeEach(() => {
    store = new ReadCountingStore(new MemoryStore());
    a = instance(store);
    b = instance(store);
  });
  afterEach(() => store.close());

  describe('the newest program version of a tenant', () => {
    it('is used at once by the instance that published it, and by another one once its head is older than the bound', async () => {
      await a.ledger.publishProgram('t', simpleProgram);
      expect((await b.ledger.getProgram('t')).version).to.equal(1);
      await a.ledger.publishProgram('t', { ...simpleProgram, name: 'Simple 2' });
      expect((await a.ledger.getProgram('t')).version, 'the publishing instance').to.equal(2);
      b.advance(STALE_MS - 1);
      expect((await b.ledger.getProgram('t')).version, 'another instance, within the bound').to.equal(1);
      b.advance(1);
      expect((await b.ledger.getProgram('t')).version, 'another instance, once the bound has passed').to.equal(2);
    });

    it('is read from the store at most once per bound while fresh', async () => {
      await a.ledger.publishProgram('t', simpleProgram);
      const before = store.reads.programs ?? 0;
      for (let i = 0; i < 5; i += 1) await b.ledger.getProgram('t');
      expect((store.reads.programs ?? 0) - before, 'five loads within the bound').to.equal(1);
      b.advance(STALE_MS);
      await b.ledger.getProgram('t');
      expect((store.reads.programs ?? 0) - before, 'one more once it is stale').to.equal(2);
    });

    it('is never cached as missing: a first publish on another instance is seen by the next read', async () => {
      expect(await errorOf(b.ledger.getProgram('t'))).to.be.instanceOf(NotFound);
      await a.ledger.publishProgram('t', simpleProgram);
      expect((await b.ledger.getProgram('t')).version).to.equal(1);
    });

    it('does not go back to an older version when a read that started before a publish ends after it', async () => {
      await a.ledger.publishProgram('t', simpleProgram);
      a.advance(STALE_MS);
      let release = (): void => undefined;
      store.holdNextList = new Promise((resolve) => (release = resolve));
      const slowRead = a.ledger.getProgram('t');
      await a.ledger.publishProgram('t', { ...simpleProgram, name: 'Simple 2' });
      release();
      expect((await slowRead).version, 'the read that found version 1 answers the newer head').to.equal(2);
      expect((await a.ledger.getProgram('t')).version).to.equal(2);
    });

    it('is read once for many requests that find it stale at once: they wait for that read', async () => {
      await a.ledger.publishProgram('t', simpleProgram);
      await b.ledger.getProgram('t');
      b.advance(STALE_MS);
      const before = store.reads.programs ?? 0;
      const versions = await Promise.all(Array.from({ length: 20 }, () => b.ledger.getProgram('t')));
      expect(versions.map((p) => p.version)).to.deep.equal(versions.map(() => 1));
      expect((store.reads.programs ?? 0) - before).to.equal(1);
    });

    it('serves a version asked by number whatever the head', async () => {
      await a.ledger.publishProgram('t', simpleProgram);
      await a.ledger.publishProgram('t', { ...simpleProgram, name: 'Simple 2' });
      expect(((await b.ledger.getProgram('t', 1)).program as { name: string }).name).to.equal('Simple');
    });

    it('is the program a write on another instance decides with, once the bound has passed', async () => {
      await a.ledger.publishProgram('t', simpleProgram);
      const order = (id: string) => ({ id, customerId: 'c', placedAt: '2026-03-01T10:00:00Z', currency: 'IDR', lines: [{ sku: 'S', quantity: 1, unitPrice: '1000' }] });
      const at = { at: '2026-03-01T10:00:00Z' };
      expect((await b.ledger.recordOrder('t', order('o-1'), at)).awarded).to.equal(1000);
      // Version 2 awards 2 points per Rp1.
      await a.ledger.publishProgram('t', { ...simpleProgram, earning: [{ ...simpleProgram.earning[0], award: { pointsPer: { amount: '1', points: 2 } } }] });
      expect((await a.ledger.recordOrder('t', order('o-2'), at)).awarded, 'the publishing instance').to.equal(2000);
      expect((await b.ledger.recordOrder('t', order('o-3'), at)).awarded, 'another instance, within the bound').to.equal(1000);
      b.advance(STALE_MS);
      expect((await b.ledger.recordOrder('t', order('o-4'), at)).awarded, 'another instance, after it').to.equal(2000);
    });
  });

  describe('API keys', () => {
    it('a key revoked on this instance stops working at once; on another instance once the bound has passed', async () => {
      await a.ledger.apiKeys.insert(key('k1'));
      expect((await a.ledger.apiKeys.findByKeyId('k1'))?.revokedAt).to.equal(undefined);
      expect((await b.ledger.apiKeys.findByKeyId('k1'))?.revokedAt).to.equal(undefined);
      await a.ledger.apiKeys.revoke('t', 'k1', '2026-02-01T00:00:00Z');
      expect((await a.ledger.apiKeys.findByKeyId('k1'))?.revokedAt, 'the revoking instance').to.equal('2026-02-01T00:00:00Z');
      b.advance(STALE_MS - 1);
      expect((await b.ledger.apiKeys.findByKeyId('k1'))?.revokedAt, 'another instance, within the bound').to.equal(undefined);
      b.advance(1);
      expect((await b.ledger.apiKeys.findByKeyId('k1'))?.revokedAt, 'another instance, once the bound has passed').to.equal('2026-02-01T00:00:00Z');
    });

    it('is read once for many requests that find it stale at once, but not for a request after a revoke here', async () => {
      await a.ledger.apiKeys.insert(key('k1'));
      await a.ledger.apiKeys.findByKeyId('k1');
      a.advance(STALE_MS);
      const before = store.reads.apiKeys ?? 0;
      const found = await Promise.all(Array.from({ length: 20 }, () => a.ledger.apiKeys.findByKeyId('k1')));
      expect(found.map((k) => k?.keyId)).to.deep.equal(found.map(() => 'k1'));
      expect((store.reads.apiKeys ?? 0) - before).to.equal(1);
      // A read under way when this instance revokes the key: a request after the revoke reads for itself.
      a.advance(STALE_MS);
      let release = (): void => undefined;
      store.holdNextGet = new Promise((resolve) => (release = resolve));
      const slowRead = a.ledger.apiKeys.findByKeyId('k1');
      await a.ledger.apiKeys.revoke('t', 'k1', '2026-02-01T00:00:00Z');
      expect((await a.ledger.apiKeys.findByKeyId('k1'))?.revokedAt).to.equal('2026-02-01T00:00:00Z');
      release();
      expect((await slowRead)?.revokedAt, 'the read that began before the revoke').to.equal(undefined);
      expect((await a.ledger.apiKeys.findByKeyId('k1'))?.revokedAt).to.equal('2026-02-01T00:00:00Z');
    });

    it('reads a found key from the store at most once per bound', async () => {
      await a.ledger.apiKeys.insert(key('k1'));
      const before = store.reads.apiKeys ?? 0;
      for (let i = 0; i < 5; i += 1) await b.ledger.apiKeys.findByKeyId('k1');
      expect((store.reads.apiKeys ?? 0) - before).to.equal(1);
    });

    it('keeps no unknown key id: each is read from the store, and a key created later is found at once', async () => {
      const before = store.reads.apiKeys ?? 0;
      expect(await b.ledger.apiKeys.findByKeyId('nobody')).to.equal(undefined);
      expect(await b.ledger.apiKeys.findByKeyId('nobody')).to.equal(undefined);
      expect((store.reads.apiKeys ?? 0) - before).to.equal(2);
      await a.ledger.apiKeys.insert(key('nobody'));
      expect((await b.ledger.apiKeys.findByKeyId('nobody'))?.keyId).to.equal('nobody');
    });

    it('holds at most MAX_CACHED_KEYS keys, dropping the least recently used first', async () => {
      for (let i = 0; i <= MAX_CACHED_KEYS; i += 1) await a.ledger.apiKeys.insert(key(`k${i}`));
      await b.ledger.apiKeys.findByKeyId('k0');
      for (let i = 1; i <= MAX_CACHED_KEYS; i += 1) await b.ledger.apiKeys.findByKeyId(`k${i}`);
      const before = store.reads.apiKeys ?? 0;
      await b.ledger.apiKeys.findByKeyId(`k${MAX_CACHED_KEYS}`);
      expect((store.reads.apiKeys ?? 0) - before, 'the most recent is kept').to.equal(0);
      await b.ledger.apiKeys.findByKeyId('k0');
      expect((store.reads.apiKeys ?? 0) - before, 'the least recent was dropped').to.equal(1);
    });

    it('answers keys others cannot change through the cache', async () => {
      await a.ledger.apiKeys.insert(key('k1'));
      const found = await a.ledger.apiKeys.findByKeyId('k1');
      expect(Object.isFrozen(found) && Object.isFrozen(found?.scopes)).to.equal(true);
    });

    it('findStoredKey reads the store whatever the cache holds', async () => {
      await a.ledger.apiKeys.insert(key('k1'));
      await b.ledger.apiKeys.findByKeyId('k1');
      await a.ledger.apiKeys.revoke('t', 'k1', '2026-02-01T00:00:00Z');
      expect((await b.ledger.apiKeys.findStoredKey('k1'))?.revokedAt).to.equal('2026-02-01T00:00:00Z');
    });

    it('with staleMs 0, reads the store every time', async () => {
      const fresh = new Ledger(store, { staleMs: 0 });
      await fresh.apiKeys.insert(key('k1'));
      const before = store.reads.apiKeys ?? 0;
      await fresh.apiKeys.findByKeyId('k1');
      await fresh.apiKeys.findByKeyId('k1');
      expect((store.reads.apiKeys ?? 0) - before).to.equal(2);
    });

    it('refuses a staleMs that is not a number of milliseconds, saying which option', () => {
      expect(() => new Ledger(store, { staleMs: -1 })).to.throw(/staleMs/);
      expect(() => new Ledger(store, { staleMs: Number.NaN })).to.throw(/staleMs/);
    });
  });
});
