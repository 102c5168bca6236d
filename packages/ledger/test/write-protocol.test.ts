import { expect } from 'chai';
import type { Entry } from '../src/account/entry.js';
import { IdempotencyMismatch } from '../src/errors.js';
import { FaultyStore } from '../src/store/faulty-store.js';
import type { Store } from '../src/store/store.js';
import { entryPrefix } from '../src/write-protocol.js';
import { crashBeforeEachWrite } from './support/crash-steps.js';
import { balanceOf, credit, debit, protocolOf } from './support/points-book.js';
import { forEachStore } from './support/store-targets.js';

async function entriesOf(store: Store, tenantId: string, customerId: string): Promise<Entry[]> {
  return (await store.list<Entry>('entries', tenantId, { prefix: entryPrefix(customerId), limit: 1000 })).map((r) => r.doc);
}

forEachStore('write protocol', (open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('200 concurrent debits of 60 against a balance of 100: exactly one succeeds', async function () {
    this.timeout(120_000);
    const ctx = protocolOf(store);
    await credit(ctx, 't1', 'ayu', 'credit-1', 100);
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => debit(ctx, 't1', 'ayu', `debit-${i}`, 60)));
    expect(results.filter((r) => !r.refused)).to.have.length(1);
    expect(results.filter((r) => r.refused)).to.have.length(199);
    // 100 credited - 60 debited once.
    expect(await balanceOf(store, 't1', 'ayu')).to.equal(40);
    const entries = await entriesOf(store, 't1', 'ayu');
    expect(entries.map((e) => e.points).sort((a, b) => a - b)).to.deep.equal([-60, 100]);
  });

  it('100 concurrent copies of one operation: exactly one effect, and every copy gets the same answer', async function () {
    this.timeout(120_000);
    const ctx = protocolOf(store);
    const results = await Promise.all(Array.from({ length: 100 }, () => credit(ctx, 't1', 'ayu', 'order:o-1', 25)));
    expect(results.filter((r) => !r.replayed)).to.have.length(1);
    for (const r of results) expect(r.answer).to.deep.equal({ credited: 25 });
    expect(await balanceOf(store, 't1', 'ayu')).to.equal(25);
    expect(await entriesOf(store, 't1', 'ayu')).to.have.length(1);
  });

  it('a replay with different content is an IdempotencyMismatch and changes nothing', async () => {
    const ctx = protocolOf(store);
    await credit(ctx, 't1', 'ayu', 'order:o-1', 25);
    let error: unknown;
    try {
      await credit(ctx, 't1', 'ayu', 'order:o-1', 26);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(IdempotencyMismatch);
    expect((error as IdempotencyMismatch).code).to.equal('idempotency-mismatch');
    expect(await balanceOf(store, 't1', 'ayu')).to.equal(25);
  });

  it('keeps tenants apart: the same customer and operation ids in two tenants are two ledgers', async () => {
    const ctx = protocolOf(store);
    await credit(ctx, 'shop-a', 'ayu', 'order:o-1', 10);
    const other = await credit(ctx, 'shop-b', 'ayu', 'order:o-1', 30);
    expect(other.replayed).to.equal(false);
    expect(await balanceOf(store, 'shop-a', 'ayu')).to.equal(10);
    expect(await balanceOf(store, 'shop-b', 'ayu')).to.equal(30);
  });

  it('a crash before any write step, then a retry, leaves exactly one effect', async function () {
    this.timeout(120_000);
    const faulty = new FaultyStore(store);
    const ctx = protocolOf(faulty);
    await credit(ctx, 't1', 'ayu', 'seed', 100);
    const steps = await crashBeforeEachWrite(faulty, {
      run: (n) => debit(ctx, 't1', 'ayu', `debit-${n}`, 10),
      check: async (n, retry) => {
        expect(retry.refused).to.equal(false);
        expect(retry.answer).to.deep.equal({ debited: 10 });
        // 100 credited, then debits of 10 for rounds 0..n, each applied exactly once.
        expect(await balanceOf(store, 't1', 'ayu'), `after crash at ${n}`).to.equal(100 - (10 * (n + 1)));
      },
    });
    const entries = await entriesOf(store, 't1', 'ayu');
    // The dry run and one retried round per write step.
    expect(entries.filter((e) => e.type === 'redeem')).to.have.length(steps + 1);
  });
});
