/**
 * The one contract every `Store` adapter must pass. Each adapter's test file calls `storeContract` with a way to
 * open a fresh store (and, for durable adapters, to reopen the same data).
 */
import { expect } from 'chai';
import type { Store } from '../../src/store/store.js';

export interface ContractTarget {
  /** A store with no data. */
  open: () => Promise<Store>;
  /** Closes `store` and opens the same data again (durable adapters only). */
  reopen?: (store: Store) => Promise<Store>;
}

/** The message of the error `work` throws, or 'no error'. */
async function failure(work: () => Promise<unknown>): Promise<string> {
  try {
    await work();
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

type Doc = { n: number; tags?: string[]; nested?: { [key: string]: string | number }; cold?: string };

export function storeContract(target: ContractTarget): void {
  let store: Store;
  beforeEach(async () => {
    store = await target.open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('answers undefined for a document that does not exist', async () => {
    expect(await store.get('accounts', 't1', 'nobody')).to.equal(undefined);
  });

  it('inserts at version 1 and keeps the first document when the key is inserted again', async () => {
    const first = await store.insert<Doc>('operations', 't1', 'order:o-1', { n: 1 });
    expect(first.inserted).to.equal(true);
    expect(first.record).to.deep.equal({ tenantId: 't1', key: 'order:o-1', version: 1, doc: { n: 1 } });
    const second = await store.insert<Doc>('operations', 't1', 'order:o-1', { n: 2 });
    expect(second.inserted).to.equal(false);
    expect(second.record.doc).to.deep.equal({ n: 1 });
    expect((await store.get<Doc>('operations', 't1', 'order:o-1'))?.doc).to.deep.equal({ n: 1 });
  });

  it('replaces only on the expected version (compare-and-set)', async () => {
    await store.insert<Doc>('accounts', 't1', 'ayu', { n: 1 });
    const next = await store.replace<Doc>('accounts', 't1', 'ayu', 1, { n: 2 });
    expect(next).to.deep.equal({ tenantId: 't1', key: 'ayu', version: 2, doc: { n: 2 } });
    expect(await store.replace<Doc>('accounts', 't1', 'ayu', 1, { n: 99 })).to.equal(undefined);
    expect(await store.replace<Doc>('accounts', 't1', 'nobody', 1, { n: 99 })).to.equal(undefined);
    expect(await store.get<Doc>('accounts', 't1', 'ayu')).to.deep.equal({ tenantId: 't1', key: 'ayu', version: 2, doc: { n: 2 } });
  });

  it('refuses a version the document never had: ahead of it, or of the document before it was removed', async () => {
    await store.insert<Doc>('accounts', 't1', 'ahead', { n: 1 });
    expect(await store.replace<Doc>('accounts', 't1', 'ahead', 5, { n: 99 }), 'version 5 was never stored').to.equal(undefined);
    expect(await store.get<Doc>('accounts', 't1', 'ahead')).to.deep.equal({ tenantId: 't1', key: 'ahead', version: 1, doc: { n: 1 } });
    expect((await store.replace<Doc>('accounts', 't1', 'ahead', 1, { n: 2 }))?.version, 'the version it has still works').to.equal(2);
    // Removed at version 3 and made again: a writer holding version 2 or 3 of the old one changes nothing.
    await store.insert<Doc>('momentsDue', 't1', 'again', { n: 1 });
    await store.replace<Doc>('momentsDue', 't1', 'again', 1, { n: 2 });
    await store.replace<Doc>('momentsDue', 't1', 'again', 2, { n: 3 });
    expect(await store.remove('momentsDue', 't1', 'again')).to.equal(true);
    await store.insert<Doc>('momentsDue', 't1', 'again', { n: 10 });
    for (const stale of [2, 3]) expect(await store.replace<Doc>('momentsDue', 't1', 'again', stale, { n: -1 }), `version ${stale}`).to.equal(undefined);
    expect(await store.get<Doc>('momentsDue', 't1', 'again')).to.deep.equal({ tenantId: 't1', key: 'again', version: 1, doc: { n: 10 } });
    expect((await store.replace<Doc>('momentsDue', 't1', 'again', 1, { n: 11 }))?.version).to.equal(2);
  });

  it('lets exactly one of many concurrent inserts of one key win', async () => {
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.insert<Doc>('operations', 't1', 'race', { n: i })),
    );
    const winners = results.filter((r) => r.inserted);
    expect(winners).to.have.length(1);
    const winner = winners[0]?.record.doc.n;
    for (const r of results) expect(r.record.doc.n).to.equal(winner);
  });

  it('lets exactly one of many concurrent replaces of one version win', async () => {
    await store.insert<Doc>('accounts', 't1', 'race', { n: 0 });
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.replace<Doc>('accounts', 't1', 'race', 1, { n: i + 1 })),
    );
    const winners = results.filter((r) => r !== undefined);
    expect(winners).to.have.length(1);
    const stored = await store.get<Doc>('accounts', 't1', 'race');
    expect(stored?.version).to.equal(2);
    expect(stored?.doc.n).to.equal(winners[0]?.doc.n);
  });

  it('after many replaces, lists each document once at its newest version and refuses any stale version', async () => {
    await store.insert<Doc>('accounts', 't1', 'a', { n: 0 });
    await store.insert<Doc>('accounts', 't1', 'c', { n: 0 });
    for (let v = 1; v <= 11; v++) expect(await store.replace<Doc>('accounts', 't1', 'b', v, { n: v })).to.equal(undefined);
    await store.insert<Doc>('accounts', 't1', 'b', { n: 0 });
    for (let v = 1; v <= 11; v++) expect((await store.replace<Doc>('accounts', 't1', 'b', v, { n: v }))?.version).to.equal(v + 1);
    for (let v = 1; v <= 11; v++) expect(await store.replace<Doc>('accounts', 't1', 'b', v, { n: -1 })).to.equal(undefined);
    expect((await store.insert<Doc>('accounts', 't1', 'b', { n: -1 })).inserted).to.equal(false);
    const listed = await store.list<Doc>('accounts', 't1', { limit: 10 });
    expect(listed.map((r) => [r.key, r.version, r.doc.n])).to.deep.equal([['a', 1, 0], ['b', 12, 11], ['c', 1, 0]]);
    const backwards = await store.list<Doc>('accounts', 't1', { limit: 2, reverse: true });
    expect(backwards.map((r) => [r.key, r.version])).to.deep.equal([['c', 1], ['b', 12]]);
    expect((await store.get<Doc>('accounts', 't1', 'b'))?.doc.n).to.equal(11);
  });

  it('never shows one tenant another tenant\'s documents', async () => {
    await store.insert<Doc>('accounts', 'shop-a', 'ayu', { n: 1 });
    await store.insert<Doc>('accounts', 'shop-b', 'budi', { n: 2 });
    expect(await store.get('accounts', 'shop-b', 'ayu')).to.equal(undefined);
    expect(await store.replace<Doc>('accounts', 'shop-b', 'ayu', 1, { n: 3 })).to.equal(undefined);
    const listed = await store.list<Doc>('accounts', 'shop-b', { limit: 10 });
    expect(listed.map((r) => r.key)).to.deep.equal(['budi']);
    const inserted = await store.insert<Doc>('accounts', 'shop-b', 'ayu', { n: 4 });
    expect(inserted.inserted).to.equal(true);
    expect((await store.get<Doc>('accounts', 'shop-a', 'ayu'))?.doc.n).to.equal(1);
  });

  it('keeps collections apart', async () => {
    await store.insert<Doc>('orders', 't1', 'same', { n: 1 });
    expect(await store.get('operations', 't1', 'same')).to.equal(undefined);
  });

  it('lists by prefix in key order, both ways, with a cursor and a limit', async () => {
    const keys = ['ayu|0003', 'ayu|0001', 'ayu|0002', 'ayu2|0001', 'ay|0001', 'budi|0001'];
    for (const [i, key] of keys.entries()) await store.insert<Doc>('entries', 't1', key, { n: i });
    const page = async (q: Parameters<Store['list']>[2]) => (await store.list<Doc>('entries', 't1', q)).map((r) => r.key);
    expect(await page({ prefix: 'ayu|', limit: 10 })).to.deep.equal(['ayu|0001', 'ayu|0002', 'ayu|0003']);
    expect(await page({ prefix: 'ayu|', limit: 10, reverse: true })).to.deep.equal(['ayu|0003', 'ayu|0002', 'ayu|0001']);
    expect(await page({ prefix: 'ayu|', limit: 2 })).to.deep.equal(['ayu|0001', 'ayu|0002']);
    expect(await page({ prefix: 'ayu|', limit: 2, after: 'ayu|0002' })).to.deep.equal(['ayu|0003']);
    expect(await page({ prefix: 'ayu|', limit: 2, reverse: true, after: 'ayu|0002' })).to.deep.equal(['ayu|0001']);
    expect(await page({ limit: 10 })).to.deep.equal([...keys].sort());
    expect(await page({ prefix: 'zed', limit: 10 })).to.deep.equal([]);
  });

  it('keeps JSON bodies exactly, including names MongoDB would treat as operators or paths', async () => {
    const doc = {
      n: 7,
      tags: ['vip', 'ünïcödé', ''],
      nested: { '$where': 'x', 'a.b': 'y', amount: '268.28', count: 3 },
    };
    await store.insert('orders', 't1', 'o-1', doc);
    expect((await store.get('orders', 't1', 'o-1'))?.doc).to.deep.equal(doc);
  });

  it('hands out copies: changing what was read or written does not change what is stored', async () => {
    const doc: Doc = { n: 1, tags: ['a'] };
    await store.insert('accounts', 't1', 'copy', doc);
    doc.tags?.push('mutated');
    const read = await store.get<Doc>('accounts', 't1', 'copy');
    read?.doc.tags?.push('mutated');
    const [listed] = await store.list<Doc>('accounts', 't1', { prefix: 'copy', limit: 1 });
    listed?.doc.tags?.push('mutated');
    const again = await store.insert<Doc>('accounts', 't1', 'copy', { n: 2 });
    again.record.doc.tags?.push('mutated');
    expect((await store.get<Doc>('accounts', 't1', 'copy'))?.doc.tags).to.deep.equal(['a']);
  });

  it('answers a write with the document as written, whatever the caller changes afterwards', async () => {
    const doc: Doc = { n: 1, tags: ['a'] };
    const inserted = await store.insert<Doc>('accounts', 't1', 'answer', doc);
    doc.tags?.push('later');
    expect(inserted.record.doc).to.deep.equal({ n: 1, tags: ['a'] });
    const next = { n: 2, tags: ['b'], cold: 'kept apart' };
    const replaced = await store.replace<Doc & { cold: string }>('accounts', 't1', 'answer', 1, next);
    next.tags.push('later');
    expect(replaced?.doc).to.deep.equal({ n: 2, tags: ['b'], cold: 'kept apart' });
    expect(replaced?.version).to.equal(2);
  });

  it('keeps a document\'s cold string with it, and leaves it out of a read that says cold: false', async () => {
    const cold = JSON.stringify({ lots: Array.from({ length: 50 }, (_, i) => ({ id: `l-${i}`, note: 'quote " and \\ back' })) });
    const first = await store.insert<Doc>('accounts', 't1', 'split', { n: 1, tags: ['a'], cold });
    expect(first.record.doc).to.deep.equal({ n: 1, tags: ['a'], cold });
    expect(await store.get<Doc>('accounts', 't1', 'split')).to.deep.equal({ tenantId: 't1', key: 'split', version: 1, doc: { n: 1, tags: ['a'], cold } });
    expect(await store.get<Doc>('accounts', 't1', 'split', { cold: false })).to.deep.equal({ tenantId: 't1', key: 'split', version: 1, doc: { n: 1, tags: ['a'] } });
    expect((await store.insert<Doc>('accounts', 't1', 'split', { n: 9 })).record.doc).to.deep.equal({ n: 1, tags: ['a'], cold });

    // A replace writes both parts at once: the new cold string, or none.
    expect(await store.replace<Doc>('accounts', 't1', 'split', 1, { n: 2, cold: 'second' })).to.deep.equal({ tenantId: 't1', key: 'split', version: 2, doc: { n: 2, cold: 'second' } });
    expect((await store.get<Doc>('accounts', 't1', 'split'))?.doc).to.deep.equal({ n: 2, cold: 'second' });
    const [listed] = await store.list<Doc>('accounts', 't1', { prefix: 'split', limit: 1 });
    expect(listed?.doc).to.deep.equal({ n: 2, cold: 'second' });
    await store.replace<Doc>('accounts', 't1', 'split', 2, { n: 3 });
    expect(await store.get<Doc>('accounts', 't1', 'split')).to.deep.equal({ tenantId: 't1', key: 'split', version: 3, doc: { n: 3 } });
    expect(await store.get<Doc>('accounts', 't1', 'split', { cold: false })).to.deep.equal({ tenantId: 't1', key: 'split', version: 3, doc: { n: 3 } });

    // A document without one reads the same either way.
    await store.insert<Doc>('accounts', 't1', 'whole', { n: 4 });
    expect((await store.get<Doc>('accounts', 't1', 'whole', { cold: false }))?.doc).to.deep.equal({ n: 4 });
  });

  it('keeps every document of one commit whole, large and small, in any script', async () => {
    // Writes made together share one commit on LMDB, where each is encoded into the same reused buffer: a large
    // document then small ones (and back) must each keep exactly their own bytes.
    const text = (n: number, unit: string) => Array.from({ length: n }, (_, i) => `${unit}${i}`).join(' ');
    const docs: Array<[string, Doc]> = [
      ['big', { n: 1, tags: [text(20_000, 'ğü')], cold: text(40_000, 'Tết 🎉') }],
      ['small', { n: 2, tags: ['Āyu'] }],
      ['mid', { n: 3, nested: { name: text(500, 'ब') }, cold: 'c' }],
      ['tiny', { n: 4 }],
    ];
    await Promise.all(docs.map(([key, doc]) => store.insert<Doc>('accounts', 't1', key, doc)));
    await store.writeMany('t1', [...docs].reverse().map(([key, doc]) => ({ op: 'replace' as const, collection: 'accounts' as const, key, expectedVersion: 1, doc: { ...doc, n: doc.n + 10 } })));
    for (const [key, doc] of docs) expect((await store.get<Doc>('accounts', 't1', key))?.doc, key).to.deep.equal({ ...doc, n: doc.n + 10 });
  });

  it('refuses a cold field that is not a string, and stores nothing', async () => {
    const bad = { n: 1, cold: { lots: [] } } as unknown as Doc;
    expect(await failure(() => store.insert<Doc>('accounts', 't1', 'bad-cold', bad))).to.equal('store: the "cold" field must be a string (collection accounts, key bad-cold), got object');
    expect(await store.get('accounts', 't1', 'bad-cold')).to.equal(undefined);
    await store.insert<Doc>('accounts', 't1', 'kept', { n: 1, cold: 'kept' });
    expect(await failure(() => store.replace<Doc>('accounts', 't1', 'kept', 1, { n: 2, cold: 5 } as unknown as Doc))).to.match(/"cold" field must be a string .*got number/);
    expect(await store.get<Doc>('accounts', 't1', 'kept')).to.deep.equal({ tenantId: 't1', key: 'kept', version: 1, doc: { n: 1, cold: 'kept' } });
  });

  it('drops what it keeps of earlier versions, leaving the document and its compare-and-set as they were', async () => {
    await store.insert<Doc>('cases', 't1', 'c-1', { n: 1, tags: ['SECRET-BEFORE'] });
    for (let v = 1; v < 3; v++) await store.replace<Doc>('cases', 't1', 'c-1', v, { n: v + 1 });
    await store.dropHistory('cases', 't1', 'c-1');
    await store.dropHistory('cases', 't1', 'nobody');
    expect(await store.get<Doc>('cases', 't1', 'c-1')).to.deep.equal({ tenantId: 't1', key: 'c-1', version: 3, doc: { n: 3 } });
    expect(await store.replace<Doc>('cases', 't1', 'c-1', 2, { n: 99 })).to.equal(undefined);
    expect(await store.replace<Doc>('cases', 't1', 'c-1', 3, { n: 4 })).to.deep.equal({ tenantId: 't1', key: 'c-1', version: 4, doc: { n: 4 } });
    expect((await store.list<Doc>('cases', 't1', { limit: 10 })).map((r) => [r.key, r.version])).to.deep.equal([['c-1', 4]]);
  });

  it('removes a document with every version and its cold string, and answers whether there was one', async () => {
    await store.insert<Doc>('momentsDue', 't1', 'gone', { n: 1, cold: 'lots' });
    await store.replace<Doc>('momentsDue', 't1', 'gone', 1, { n: 2, cold: 'more' });
    await store.insert<Doc>('momentsDue', 't1', 'kept', { n: 3 });
    await store.insert<Doc>('momentsDue', 't2', 'gone', { n: 4 });
    expect(await store.remove('momentsDue', 't1', 'gone')).to.equal(true);
    expect(await store.remove('momentsDue', 't1', 'gone')).to.equal(false);
    expect(await store.get('momentsDue', 't1', 'gone')).to.equal(undefined);
    expect((await store.list<Doc>('momentsDue', 't1', { limit: 10 })).map((r) => r.key)).to.deep.equal(['kept']);
    expect((await store.get<Doc>('momentsDue', 't2', 'gone'))?.doc).to.deep.equal({ n: 4 });
    // The key can be used again, from version 1.
    const again = await store.insert<Doc>('momentsDue', 't1', 'gone', { n: 5 });
    expect(again).to.deep.equal({ inserted: true, record: { tenantId: 't1', key: 'gone', version: 1, doc: { n: 5 } } });
  });

  it('writes a batch: each insert and compare-and-set on its own, answered in order, readable as single writes', async () => {
    await store.insert<Doc>('accounts', 't1', 'taken', { n: 1 });
    await store.replace<Doc>('accounts', 't1', 'taken', 1, { n: 2 });
    await store.insert<Doc>('accounts', 't1', 'moving', { n: 1, cold: 'old lots' });
    const outcomes = await store.writeMany('t1', [
      { op: 'insert', collection: 'accounts', key: 'fresh', doc: { n: 10, cold: 'fresh lots' } },
      { op: 'insert', collection: 'accounts', key: 'taken', doc: { n: 99 } },
      { op: 'insert', collection: 'entries', key: 'fresh\u0001a', doc: { n: 11, nested: { $gt: 'kept as text' } } },
      { op: 'replace', collection: 'accounts', key: 'moving', expectedVersion: 1, doc: { n: 2 } },
      { op: 'replace', collection: 'accounts', key: 'taken', expectedVersion: 1, doc: { n: 98 } },
      { op: 'replace', collection: 'accounts', key: 'nobody', expectedVersion: 1, doc: { n: 97 } },
      // The same key twice in one batch: exactly one of the two is written, whichever the adapter applies first.
      { op: 'insert', collection: 'operations', key: 'twice', doc: { n: 1 } },
      { op: 'insert', collection: 'operations', key: 'twice', doc: { n: 2 } },
    ]);
    expect(outcomes.slice(0, 6)).to.deep.equal([
      { written: true, version: 1 },
      { written: false },
      { written: true, version: 1 },
      { written: true, version: 2 },
      { written: false },
      { written: false },
    ]);
    expect(outcomes.slice(6).filter((o) => o.written)).to.deep.equal([{ written: true, version: 1 }]);
    const twice = await store.get<Doc>('operations', 't1', 'twice');
    expect(twice?.doc.n).to.equal(outcomes[6]!.written ? 1 : 2);
    expect(await store.get<Doc>('accounts', 't1', 'fresh')).to.deep.equal({ tenantId: 't1', key: 'fresh', version: 1, doc: { n: 10, cold: 'fresh lots' } });
    expect((await store.get<Doc>('accounts', 't1', 'fresh', { cold: false }))?.doc).to.deep.equal({ n: 10 });
    expect(await store.get<Doc>('accounts', 't1', 'taken')).to.deep.equal({ tenantId: 't1', key: 'taken', version: 2, doc: { n: 2 } });
    expect(await store.get<Doc>('entries', 't1', 'fresh\u0001a')).to.deep.equal({ tenantId: 't1', key: 'fresh\u0001a', version: 1, doc: { n: 11, nested: { $gt: 'kept as text' } } });
    // The replaced document lost its cold string, and goes on from its new version.
    expect(await store.get<Doc>('accounts', 't1', 'moving')).to.deep.equal({ tenantId: 't1', key: 'moving', version: 2, doc: { n: 2 } });
    expect(await store.replace<Doc>('accounts', 't1', 'moving', 2, { n: 3 })).to.deep.equal({ tenantId: 't1', key: 'moving', version: 3, doc: { n: 3 } });
    expect(await store.get('accounts', 't1', 'nobody')).to.equal(undefined);
    expect(await store.writeMany('t1', [])).to.deep.equal([]);
  });

  it('writes a large batch whole, and keeps a batch inside its tenant', async () => {
    const writes = Array.from({ length: 2500 }, (_, i) => ({ op: 'insert' as const, collection: 'momentsDue' as const, key: `k${String(i).padStart(5, '0')}`, doc: { n: i } }));
    const outcomes = await store.writeMany('t2', writes);
    expect(outcomes.every((o) => o.written)).to.equal(true);
    const page = await store.list<Doc>('momentsDue', 't2', { limit: 3000 });
    expect(page.length).to.equal(2500);
    expect(page[2499]).to.deep.equal({ tenantId: 't2', key: 'k02499', version: 1, doc: { n: 2499 } });
    expect(await store.list('momentsDue', 't1', { limit: 10 })).to.deep.equal([]);
  });

  it('refuses a batch with an unusable write before writing any of it', async () => {
    const good = { op: 'insert' as const, collection: 'accounts' as const, key: 'good', doc: { n: 1 } };
    expect(await failure(() => store.writeMany('t1', [good, { op: 'insert', collection: 'accounts', key: '', doc: { n: 2 } }]))).to.equal('store: key must be a non-empty string (collection accounts, tenant t1)');
    expect(await failure(() => store.writeMany('t1', [good, { op: 'insert', collection: 'accounts', key: 'c', doc: { n: 2, cold: 3 } as unknown as Doc }]))).to.equal('store: the "cold" field must be a string (collection accounts, key c), got number');
    expect(await failure(() => store.writeMany('t1', [good, { op: 'upsert', collection: 'accounts', key: 'u', doc: {} } as never]))).to.equal('store: a batch write is "insert" or "replace", got "upsert" (collection accounts, key u)');
    expect(await failure(() => store.writeMany('', [good]))).to.match(/tenantId must be a non-empty string/);
    expect(await store.get('accounts', 't1', 'good')).to.equal(undefined);
  });

  it('refuses unusable addresses and queries with a clear error', async () => {
    expect(await failure(() => store.get('accounts', '', 'x'))).to.match(/tenantId/);
    expect(await failure(() => store.get('accounts', 't1', ''))).to.match(/key/);
    expect(await failure(() => store.list('accounts', 't1', { limit: 0 }))).to.match(/limit/);
    expect(await failure(() => store.get('nope' as 'accounts', 't1', 'x'))).to.match(/unknown collection/);
  });

  if (target.reopen) {
    const reopen = target.reopen;
    it('keeps data across a restart', async () => {
      await store.insert<Doc>('accounts', 't1', 'durable', { n: 1 });
      await store.replace<Doc>('accounts', 't1', 'durable', 1, { n: 2 });
      await store.insert<Doc>('accounts', 't1', 'durable-split', { n: 1, cold: 'lots' });
      store = await reopen(store);
      expect(await store.get<Doc>('accounts', 't1', 'durable')).to.deep.equal({ tenantId: 't1', key: 'durable', version: 2, doc: { n: 2 } });
      expect((await store.get<Doc>('accounts', 't1', 'durable-split'))?.doc).to.deep.equal({ n: 1, cold: 'lots' });
      expect((await store.get<Doc>('accounts', 't1', 'durable-split', { cold: false }))?.doc).to.deep.equal({ n: 1 });
    });
  }
}
