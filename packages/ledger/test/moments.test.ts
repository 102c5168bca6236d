/**
 * The moments outbox: every write stores the moments its decision made in the same commit, numbered per customer,
 * and the feed lists each once, oldest first, resumable, behind its horizon, whatever crash happens in between.
 */
import { expect } from 'chai';
import { Ledger } from '../src/ledger/ledger.js';
import { FaultyStore, SimulatedCrash } from '../src/store/faulty-store.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { CollectionName, InsertResult } from '../src/store/store.js';
import { FEED_HORIZON_MS } from '../src/moments/moment-store.js';
import { forEachStore } from './support/store-targets.js';
import { momentsProgram } from './support/moments-program.js';

const program = momentsProgram;

function tv(id: string, quantity = 1) {
  return { id, customerId: 'ayu', currency: 'IDR', lines: [{ sku: 'TV', category: 'tv', quantity, unitPrice: '2500000' }] };
}

/** A wall clock the test moves by hand. */
function handClock(start = Date.parse('2026-06-01T00:00:00Z')): { now: () => number; pass: (ms: number) => void } {
  let ms = start;
  return { now: () => ms, pass: (d) => (ms += d) };
}

forEachStore('the moments outbox', (open) => {
  it("stores each write's moments in commit order with the balance after, and a replay adds none", async () => {
    const clock = handClock();
    const ledger = new Ledger(await open(), { wallClock: clock.now });
    try {
      await ledger.publishProgram('t', program);
      await ledger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' });
      await ledger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' });
      await ledger.recordEvent('t', { id: 'ev-1', customerId: 'ayu', type: 'review.published' }, { at: '2026-03-11T10:00:00Z' });
      await ledger.redeem('t', { id: 'rd-1', customerId: 'ayu', orderId: 'o-9', orderTotal: '100000', points: 300 }, { at: '2026-04-01T00:00:00Z' });
      await ledger.returnOrder('t', 'o-1', { id: 'r-1', lines: [{ sku: 'TV', quantity: 1 }] }, { at: '2026-04-02T00:00:00Z' });

      const { items } = await ledger.listMoments('t', { customerId: 'ayu' });
      expect(items.map((m) => m.type)).to.deep.equal(['points.awarded', 'tier.changed', 'points.awarded', 'redemption.created', 'return.recorded']);
      // o-1 earns 250 points, pending 14 days; the review's 50 are available at once; on 1 April the 300 redeemed
      // are o-1's 250 and the review's 50; the return of o-1 then finds no points left and owes its 250 as debt.
      expect(items[0]).to.deep.include({ customerId: 'ayu', occurredAt: '2026-03-10T10:00:00.000Z' });
      expect(items[0]?.data).to.deep.equal({ points: 250, source: 'order', orderId: 'o-1', availableAt: '2026-03-24T10:00:00.000Z', expiresAt: '2027-03-24T10:00:00.000Z', balanceAfter: { available: 0, pending: 250, debt: 0 } });
      expect(items[1]?.data).to.deep.equal({ from: 'bronze', to: 'silver', cause: 'order', orderId: 'o-1', balanceAfter: { available: 0, pending: 250, debt: 0 } });
      expect(items[2]?.data).to.deep.include({ points: 50, source: 'event', eventId: 'ev-1', eventType: 'review.published', balanceAfter: { available: 50, pending: 250, debt: 0 } });
      expect(items[3]?.data).to.deep.equal({ redemptionId: 'rd-1', orderId: 'o-9', points: 300, discount: '30000', balanceAfter: { available: 0, pending: 0, debt: 0 } });
      expect(items[4]?.data).to.deep.equal({ orderId: 'o-1', returnId: 'r-1', lines: [{ sku: 'TV', quantity: 1 }], clawedBack: 250, fullyReturned: true, balanceAfter: { available: 0, pending: 0, debt: 250 } });
      expect(new Set(items.map((m) => m.id)).size).to.equal(5);
      for (const m of items) expect(m.id).to.match(/^mo_[A-Za-z0-9_-]{22}$/);
    } finally {
      await ledger.close();
    }
  });

  it('lists the feed oldest first behind its horizon, resumes after a cursor, and filters by type', async () => {
    const clock = handClock();
    const ledger = new Ledger(await open(), { wallClock: clock.now });
    try {
      await ledger.publishProgram('t', program);
      await ledger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' });
      // Within the horizon, nothing shows yet.
      expect((await ledger.listMoments('t')).items).to.deep.equal([]);
      clock.pass(FEED_HORIZON_MS + 1);
      const first = await ledger.listMoments('t');
      expect(first.items.map((m) => m.type)).to.deep.equal(['points.awarded', 'tier.changed']);
      clock.pass(10);
      await ledger.recordEvent('t', { id: 'ev-1', customerId: 'ayu', type: 'review.published' }, { at: '2026-03-11T10:00:00Z' });
      clock.pass(FEED_HORIZON_MS + 1);
      const next = await ledger.listMoments('t', { after: first.nextCursor! });
      expect(next.items.map((m) => [m.type, m.data.eventId])).to.deep.equal([['points.awarded', 'ev-1']]);
      const empty = await ledger.listMoments('t', { after: next.nextCursor! });
      expect(empty).to.deep.equal({ items: [], nextCursor: next.nextCursor });
      expect((await ledger.listMoments('t', { type: 'tier.changed' })).items.map((m) => m.data.to)).to.deep.equal(['silver']);
      const paged = await ledger.listMoments('t', { limit: 2 });
      expect(paged.items).to.have.length(2);
      expect((await ledger.listMoments('t', { after: paged.nextCursor! })).items.map((m) => m.data.eventId)).to.deep.equal(['ev-1']);
    } finally {
      await ledger.close();
    }
  });

  it('refuses a cursor it did not hand out, and an unknown type, saying where', async () => {
    const ledger = new Ledger(await open());
    try {
      await ledger.publishProgram('t', program);
      await ledger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' });
      for (const [query, pointer] of [
        [{ after: 'nonsense' }, '/after'],
        [{ customerId: 'ayu', after: 'bob\u0001000000000001' }, '/after'],
        [{ type: 'points.sent' }, '/type'],
        [{ limit: 0 }, '/limit'],
      ] as const) {
        const error = await ledger.listMoments('t', query).then(
          () => undefined,
          (e: unknown) => e as { code?: string; errors?: Array<{ pointer: string }> },
        );
        expect(error?.code, JSON.stringify(query)).to.equal('invalid-input');
        expect(error?.errors?.map((p) => p.pointer)).to.include(pointer);
      }
    } finally {
      await ledger.close();
    }
  });
});

describe('the moments outbox when a writer stalls', () => {
  it('stamps a moment again when writing it took more than half the horizon, and the feed lists it once', async () => {
    const start = Date.parse('2026-06-01T00:00:00Z');
    let stall = 0;
    // Every reading of the clock from the moment the first moment's stamp was written comes 1.5 s later (the
    // ledger's caches read the same clock, so the stall is tied to the write, not to a count of readings).
    const wallClock = (): number => start + stall;
    const store = new (class extends MemoryStore {
      override insert<T extends object>(collection: CollectionName, tenantId: string, key: string, doc: T): Promise<InsertResult<T>> {
        const inserted = super.insert(collection, tenantId, key, doc);
        if (collection === 'momentFeed' && stall === 0) stall = 1500;
        return inserted;
      }
    })();
    const ledger = new Ledger(store, { wallClock });
    await ledger.publishProgram('t', program);
    await ledger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' });
    const entries = await store.list<{ key: string }>('momentFeed', 't', { limit: 10 });
    expect(entries.map((e) => e.key.slice(0, 24))).to.deep.equal(['2026-06-01T00:00:00.000Z', '2026-06-01T00:00:01.500Z', '2026-06-01T00:00:01.500Z']);
    stall += FEED_HORIZON_MS + 1;
    expect((await ledger.listMoments('t')).items.map((m) => m.type)).to.deep.equal(['points.awarded', 'tier.changed']);
  });
});

describe('the moments outbox under crashes', () => {
  it('a crash before each write of an order, then a retry: every moment is in the feed exactly once', async () => {
    // Count the writes of one order with its moments, then crash before each of them in turn and retry.
    const probe = new FaultyStore(new MemoryStore());
    const probeLedger = new Ledger(probe);
    await probeLedger.publishProgram('t', program);
    probe.reset();
    await probeLedger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' });
    const steps = probe.writes.length;
    expect(probe.writes.filter((w) => w.collection === 'moments')).to.have.length(2);

    for (let n = 1; n <= steps; n++) {
      const clock = handClock();
      const faulty = new FaultyStore(new MemoryStore());
      const ledger = new Ledger(faulty, { wallClock: clock.now });
      await ledger.publishProgram('t', program);
      faulty.crashAt(n);
      const crashed = await ledger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(crashed, `step ${n}`).to.be.instanceOf(SimulatedCrash);
      faulty.reset();
      // Committed moments are the customer's at once, flushed or not.
      clock.pass(1000);
      await ledger.recordOrder('t', tv('o-1'), { at: '2026-03-10T10:00:00Z' });
      clock.pass(FEED_HORIZON_MS + 1);
      const feed = await ledger.listMoments('t');
      expect(feed.items.map((m) => m.type), `step ${n}`).to.deep.equal(['points.awarded', 'tier.changed']);
      expect((await ledger.listMoments('t', { customerId: 'ayu' })).items.map((m) => m.id)).to.deep.equal(feed.items.map((m) => m.id));
    }
  });
});
