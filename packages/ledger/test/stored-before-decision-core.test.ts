/**
 * Accounts stored by the version before the decision core (7b14607) are read as they are and upgraded by their next
 * write. The fixture is what that version stored for three customers: ayu referred citra (her account keeps the
 * `referrals` list that version wrote), a tier review ran, and budi's first order, which qualifies his referral by
 * ayu, crashed right after its account commit, so budi's account holds an unflushed item whose follow-up to ayu is
 * in that version's shape (`grant`).
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { getAccount } from '../src/account/account-store.js';
import { Ledger } from '../src/ledger/ledger.js';
import { MemoryStore } from '../src/store/memory-store.js';
import type { CollectionName } from '../src/store/store.js';

interface Fixture {
  dump: Partial<Record<CollectionName, Array<{ key: string; doc: object }>>>;
}

const fixture = JSON.parse(readFileSync(new URL('./fixtures/stored-before-decision-core.json', import.meta.url), 'utf8')) as Fixture;
const LATER = '2026-02-10T00:00:00.000Z';

async function storeOfFixture(): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const [collection, rows] of Object.entries(fixture.dump) as Array<[CollectionName, Array<{ key: string; doc: object }>]>) {
    for (const row of rows) await store.insert(collection, 't', row.key, row.doc);
  }
  return store;
}

function order(id: string, customerId: string, price: string, at: string) {
  return { id, customerId, placedAt: at, currency: 'IDR', lines: [{ sku: 'S', category: 'c', quantity: 1, unitPrice: price }] };
}

describe('accounts stored before the decision core', () => {
  it('are read as they were stored, and the crashed order completes with its old-shape follow-up, once', async () => {
    const store = await storeOfFixture();
    const ledger = new Ledger(store);
    // ayu: o-2 (150 + the once-ever 10) and citra's referral (50); budi's referral reward is still unflushed.
    expect((await ledger.getCustomer('t', 'ayu', { at: LATER })).points).to.deep.include({ available: 210, balance: 210 });
    // The crashed order answers as committed (a replay), and its flush runs the `grant` follow-up for ayu.
    const replay = await ledger.recordOrder('t', order('o-3', 'budi', '30', '2026-01-21T00:00:00.000Z'), { at: '2026-01-21T00:00:00.000Z' });
    expect(replay).to.deep.include({ replayed: true, awarded: 40, referral: { referrer: 50, referee: 20 } });
    await ledger.recordOrder('t', order('o-3', 'budi', '30', '2026-01-21T00:00:00.000Z'), { at: '2026-01-21T00:00:00.000Z' });
    expect((await ledger.getCustomer('t', 'ayu', { at: LATER })).points.balance).to.equal(260);
    expect((await ledger.getCustomer('t', 'budi', { at: LATER })).points.balance).to.equal(60);
    expect(await ledger.reconcile('t')).to.deep.equal({ checked: 3, differences: [] });
  });

  it('keep their counters, tier record and lots through the next write, which drops the referees list', async () => {
    const store = await storeOfFixture();
    const ledger = new Ledger(store);
    // The once-ever counter written by that version still holds: no second 10 points.
    expect((await ledger.recordOrder('t', order('o-4', 'ayu', '20', LATER), { at: LATER })).awarded).to.equal(20);
    const ayu = (await getAccount(store, 't', 'ayu'))?.doc as unknown as Record<string, unknown>;
    expect(ayu).to.not.have.property('referrals');
    expect(JSON.parse((await store.get<{ cold: string }>('accounts', 't', 'ayu'))?.doc.cold ?? '{}')).to.not.have.property('referrals');
    expect(ayu).to.have.nested.property('tier.id', 'silver');
    expect(ayu).to.have.nested.property('tier.period', '2026-01');
    expect((await ledger.getCustomer('t', 'ayu', { at: LATER })).points.balance).to.equal(160 + 50 + 20);
    expect(await ledger.reconcile('t')).to.deep.equal({ checked: 3, differences: [] });
  });
});
