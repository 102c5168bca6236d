/**
 * The due index of the moments run (moments-due.ts): a run that reads only the accounts filed as due emits exactly
 * what a run that reads every account emits. Two ledgers take the same random year of orders, returns,
 * redemptions, reviews, profile changes and runs at random instants; before each of its runs the reference forgets
 * the index (so it reads every account), the other never does. Their feeds must be equal moment for moment.
 */
import { expect } from 'chai';
import { seededRandom } from '../../../scripts/generate-orders.js';
import { DUE_INDEX_KEY } from '../src/moments/moments-due.js';
import { Ledger } from '../src/ledger/ledger.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { Store } from '../src/store/store.js';
import { forEachStore } from './support/store-targets.js';

const program = {
  id: 'care',
  name: 'Care',
  currency: 'IDR',
  timezone: 'Asia/Jakarta',
  points: { rounding: 'floor', pendingDays: 14, expiry: { months: 6 }, redemption: { pointValue: '100', minPoints: 10, maxShareOfOrder: '0.5' } },
  tiers: {
    basis: 'spend',
    window: { type: 'rolling', months: 6 },
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' },
      { id: 'silver', name: 'Silver', threshold: '2000000', multiplier: '1.25' },
      { id: 'gold', name: 'Gold', threshold: '6000000', multiplier: '1.5' },
    ],
    downgrade: { graceMonths: 1 },
  },
  earning: [{ id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }],
  events: [{ id: 'review', name: 'Review', event: 'review.published', award: { points: 50 } }],
  birthday: { award: { points: 100, byTier: { bronze: 0, gold: 300 } }, window: 'week', minMembershipDays: 30 },
  anniversary: { award: { points: 200 }, window: 'day' },
  moments: { pointsExpiring: { daysBefore: [30, 7] }, tierAtRisk: { daysBefore: [14, 3] } },
};

const DAY = 86_400_000;
const zones = [undefined, 'Asia/Manila', 'America/New_York'];

interface World {
  customers: string[];
  orders: Array<{ id: string; customerId: string; sku: string; left: number }>;
}

/** Applies one random step at `at` to a ledger; the same `pick` sequence gives the same step on both ledgers. */
async function step(ledger: Ledger, world: World, pick: () => number, n: number, at: string): Promise<void> {
  const customerId = world.customers[Math.floor(pick() * world.customers.length)] as string;
  const kind = pick();
  const tolerate = (error: unknown): void => {
    // A refusal is part of the story (not enough points, nothing left to return): both ledgers refuse alike.
    if (!(error instanceof Error) || !/refus|not enough|exceed|nothing|insufficient|more than|debt|minimum|at most|cannot/i.test(error.message)) throw error;
  };
  if (kind < 0.5) {
    const quantity = 1 + Math.floor(pick() * 3);
    const price = String((1 + Math.floor(pick() * 40)) * 50_000);
    const id = `o-${n}`;
    await ledger.recordOrder('t', { id, customerId, currency: 'IDR', lines: [{ sku: `sku-${n}`, quantity, unitPrice: price }] }, { at });
    world.orders.push({ id, customerId, sku: `sku-${n}`, left: quantity });
  } else if (kind < 0.62 && world.orders.some((order) => order.left > 0)) {
    const open = world.orders.filter((order) => order.left > 0);
    const order = open[Math.floor(pick() * open.length)] as World['orders'][number];
    order.left -= 1;
    await ledger.returnOrder('t', order.id, { id: `r-${n}`, lines: [{ sku: order.sku, quantity: 1 }] }, { at });
  } else if (kind < 0.72) {
    const points = 10 + Math.floor(pick() * 200);
    await ledger.redeem('t', { id: `x-${n}`, customerId, orderId: `rx-${n}`, orderTotal: '5000000', points }, { at }).catch(tolerate);
  } else if (kind < 0.8) {
    await ledger.recordEvent('t', { id: `ev-${n}`, customerId, type: 'review.published' }, { at });
  } else if (kind < 0.86) {
    const month = 1 + Math.floor(pick() * 12);
    const day = 1 + Math.floor(pick() * 28);
    const timezone = zones[Math.floor(pick() * zones.length)];
    await ledger.upsertCustomer('t', { id: customerId, birthDate: `1990-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, ...(timezone ? { timezone } : {}) }, { at });
  }
}

/** Every moment of every customer, as a CRM would compare them. */
async function feed(ledger: Ledger, customers: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const customerId of customers) {
    let after: string | undefined;
    for (;;) {
      const page = await ledger.listMoments('t', { customerId, limit: 500, ...(after ? { after } : {}) });
      out.push(...page.items.map((m) => JSON.stringify([m.customerId, m.type, m.occurredAt, m.data])));
      if (page.items.length < 500) break;
      after = page.nextCursor;
    }
  }
  return out;
}

async function compareOverAYear(indexedStore: Store, referenceStore: Store, seed: number, customers: number, steps: number): Promise<{ moments: number; runs: number }> {
  const indexed = new Ledger(indexedStore);
  const reference = new Ledger(referenceStore);
  try {
    const world: World = { customers: Array.from({ length: customers }, (_, i) => `c-${i}`), orders: [] };
    const start = Date.parse('2026-01-05T02:00:00Z');
    for (const ledger of [indexed, reference]) {
      await ledger.publishProgram('t', program);
      for (const [i, id] of world.customers.entries()) {
        const month = 1 + (i % 12);
        await ledger.upsertCustomer('t', { id, enrolledAt: '2026-01-01T00:00:00Z', birthDate: `1991-${String(month).padStart(2, '0')}-${String(1 + ((i * 7) % 28)).padStart(2, '0')}` }, { at: '2026-01-01T00:00:00Z' });
      }
    }
    const pickIndexed = seededRandom(seed);
    const pickReference = seededRandom(seed);
    const worldReference: World = { customers: world.customers, orders: [] };
    let clock = start;
    let runs = 0;
    for (let n = 0; n < steps; n++) {
      clock += Math.floor(pickIndexed() * 3 * DAY);
      pickReference();
      const at = new Date(clock).toISOString();
      if (pickIndexed() < 0.2) {
        pickReference();
        runs++;
        await referenceStore.remove('counters', 't', DUE_INDEX_KEY);
        const [mine, theirs] = [await indexed.runMomentsJob('t', { at }), await reference.runMomentsJob('t', { at })];
        expect(mine, `run ${runs} at ${at} (seed ${seed})`).to.deep.equal(theirs);
      } else {
        pickReference();
        await step(indexed, world, pickIndexed, n, at);
        await step(reference, worldReference, pickReference, n, at);
      }
    }
    // Well past the end: everything left falls due (expiries, warnings, downgrades, next year's occasions).
    for (const months of [3, 7, 13]) {
      const at = new Date(clock + (months * 30 * DAY)).toISOString();
      await referenceStore.remove('counters', 't', DUE_INDEX_KEY);
      expect(await indexed.runMomentsJob('t', { at }), `the run ${months} months after the end (seed ${seed})`).to.deep.equal(await reference.runMomentsJob('t', { at }));
      runs++;
    }
    const [mine, theirs] = [await feed(indexed, world.customers), await feed(reference, world.customers)];
    expect(mine.length, `seed ${seed}`).to.equal(theirs.length);
    for (let i = 0; i < mine.length; i++) expect(mine[i], `moment ${i} (seed ${seed})`).to.equal(theirs[i]);
    return { moments: mine.length, runs };
  } finally {
    await indexed.close();
    await reference.close();
  }
}

describe('the due index of the moments run', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`emits what a run over every account emits, moment for moment (seed ${seed})`, async () => {
      const { moments, runs } = await compareOverAYear(new MemoryStore(), new MemoryStore(), seed, 12, 260);
      // The year exercised the index: moments of many kinds came from many runs.
      expect(moments).to.be.greaterThan(150);
      expect(runs).to.be.greaterThan(30);
    });
  }

  it('reads only the accounts that are due: a run with nothing due reads no account', async () => {
    const store = new MemoryStore();
    const reads: string[] = [];
    const watched = new Proxy(store, {
      get(target, name, receiver) {
        if (name === 'get') {
          return (collection: string, tenantId: string, key: string, options?: unknown) => {
            if (collection === 'accounts') reads.push(key);
            return target.get(collection as 'accounts', tenantId, key, options as undefined);
          };
        }
        return Reflect.get(target, name, receiver) as unknown;
      },
    });
    const ledger = new Ledger(watched);
    try {
      await ledger.publishProgram('t', program);
      for (let i = 0; i < 50; i++) {
        await ledger.recordOrder('t', { id: `o-${i}`, customerId: `c-${i}`, currency: 'IDR', lines: [{ sku: 'TV', quantity: 1, unitPrice: String(100_000 * (i + 1)) }] }, { at: `2026-02-${String(1 + (i % 28)).padStart(2, '0')}T03:00:00Z` });
      }
      // The first run builds the index for this program version (reads every account once); it emits the points
      // that became available by then (orders of 1 to 15 February, available two weeks later).
      expect(await ledger.runMomentsJob('t', { at: '2026-03-01T12:00:00Z' })).to.deep.equal({ emitted: 30, customers: 30 });
      reads.length = 0;
      expect(await ledger.runMomentsJob('t', { at: '2026-03-01T13:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
      expect(reads).to.deep.equal([]);
      // The orders of 16 and 17 February (c-15, c-16, c-43, c-44) are available on 2 and 3 March.
      expect(await ledger.runMomentsJob('t', { at: '2026-03-03T04:00:00Z' })).to.deep.equal({ emitted: 4, customers: 4 });
      expect([...new Set(reads)].sort()).to.deep.equal(['c-15', 'c-16', 'c-43', 'c-44']);
    } finally {
      await ledger.close();
    }
  });
});

forEachStore('the due index after a program change', (open) => {
  it('files again the accounts a newly published version makes due sooner', async () => {
    const ledger = new Ledger(await open());
    try {
      await ledger.publishProgram('t', { ...program, moments: { pointsExpiring: { daysBefore: 7 } } });
      await ledger.recordOrder('t', { id: 'o-1', customerId: 'ayu', currency: 'IDR', lines: [{ sku: 'TV', quantity: 1, unitPrice: '1000000' }] }, { at: '2026-03-10T03:00:00Z' });
      expect(await ledger.runMomentsJob('t', { at: '2026-04-01T00:00:00Z' })).to.deep.equal({ emitted: 1, customers: 1 });
      // Available 24 March, expiring 24 September: filed for the 7-day warning (17 September). A version that warns
      // 60 days ahead makes it due on 26 July: the first run under it finds nothing due yet and files it there.
      await ledger.publishProgram('t', { ...program, moments: { pointsExpiring: { daysBefore: [60, 7] } } });
      expect(await ledger.runMomentsJob('t', { at: '2026-06-01T00:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
      expect(await ledger.runMomentsJob('t', { at: '2026-07-28T00:00:00Z' })).to.deep.equal({ emitted: 1, customers: 1 });
      const expiring = (await ledger.listMoments('t', { customerId: 'ayu', type: 'points.expiring' })).items;
      expect(expiring.map((m) => [m.occurredAt, m.data.daysBefore])).to.deep.equal([['2026-07-26T03:00:00.000Z', 60]]);
      // The 7-day warning (17 September) and the expiry (24 September).
      expect(await ledger.runMomentsJob('t', { at: '2026-09-25T00:00:00Z' })).to.deep.equal({ emitted: 2, customers: 1 });
    } finally {
      await ledger.close();
    }
  });
});
