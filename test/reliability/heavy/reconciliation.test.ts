/**
 * Guarantee (heavy): over a large seeded ledger (thousands of entries: orders, partial returns, redemptions,
 * adjustments both ways, events, expiry sweeps, spread over weeks), the materialized balances equal the balances
 * recomputed from the entries — zero differences — and, once due expiries are recorded, every customer's balance
 * equals the sum of their entries.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { entriesOf, forEachWorldStore, orderOf, pointsOf, type World } from '../support/world.js';

forEachWorldStore('reconciliation over a large seeded ledger', (open, kind) => {
  let world: World;
  before(async function () {
    this.timeout(60_000);
    world = await open();
  });
  after(async () => {
    await world.close();
  });

  // FerretDB on SQLite is slow: fewer customers there (the heavy step must stay under ~4 minutes).
  const customers = kind === 'mongo' ? 4 : 60;
  it(`zero differences between stored and recomputed balances (${customers} customers)`, async function () {
    this.timeout(300_000);
    const { ledger } = world;
    const rng = fc.sample(fc.integer({ min: 0, max: 1_000_000 }), { seed: 42, numRuns: customers * 40 });
    let r = 0;
    const next = (n: number): number => (rng[r++ % rng.length] as number) % n;
    let ops = 0;
    for (let day = 0; day < 8; day++) {
      const at = world.clock.iso();
      const writes: Array<Promise<unknown>> = [];
      for (let c = 0; c < customers; c++) {
        const id = `rec-${c}`;
        const step = async (): Promise<void> => {
          if (day === 0) await ledger.upsertCustomer('shop-a', { id, enrolledAt: at });
          await ledger.recordOrder('shop-a', orderOf(`rec-o${c}-${day}`, id, at, [
            { sku: 'A', quantity: 1 + next(3), unitPrice: String(1000 * (1 + next(200))) },
            { sku: 'B', quantity: 1 + next(2), unitPrice: String(1000 * (1 + next(50))) },
          ]), { at });
          ops++;
          if (next(3) === 0) {
            await ledger.returnOrder('shop-a', `rec-o${c}-${day}`, { id: `rec-ret${c}-${day}`, lines: [{ sku: 'A', quantity: 1 }] }, { at });
            ops++;
          }
          await ledger.adjust('shop-a', { id: `rec-adj${c}-${day}`, customerId: id, points: next(4) === 0 ? -(1 + next(300)) : 1 + next(300), reason: 'seed', actor: 'test' }, { at });
          await ledger.recordEvent('shop-a', { id: `rec-ev${c}-${day}`, customerId: id, type: 'review.published' }, { at });
          ops += 2;
          const view = await ledger.getCustomer('shop-a', id, { at });
          if (view.points.available > 10 && next(2) === 0) {
            await ledger.redeem('shop-a', { id: `rec-red${c}-${day}`, customerId: id, orderId: `rec-b${c}-${day}`, orderTotal: '10000000', points: 1 + next(view.points.available) }, { at });
            ops++;
          }
        };
        writes.push(step());
        if (writes.length >= 10) await Promise.all(writes.splice(0));
      }
      await Promise.all(writes);
      world.clock.advance(6);
      await ledger.runExpirySweep('shop-a', { at: world.clock.iso() });
    }
    const reconciled = await ledger.reconcile('shop-a');
    expect(reconciled.checked).to.equal(customers);
    expect(reconciled.differences).to.deep.equal([]);
    // Over HTTP too, and balance = sum of entries for every customer (every due expiry is recorded by the sweep).
    await world.call('post', '/v1/jobs/expiry', world.keys.admin, {});
    const http = await world.call('post', '/v1/jobs/reconcile', world.keys.admin, {});
    expect(http.body.differences).to.deep.equal([]);
    let entries = 0;
    let mismatches = 0;
    for (let c = 0; c < customers; c++) {
      const list = await entriesOf(world, world.keys.crm, `rec-${c}`);
      entries += list.length;
      const sum = list.reduce((s, e) => s + e.points, 0);
      if (sum !== (await pointsOf(world, world.keys.crm, `rec-${c}`)).balance) mismatches++;
    }
    expect(mismatches).to.equal(0);
    expect(entries).to.be.greaterThan(customers * 20);
    console.log(`      [figures] ${kind}: ${customers} customers, ${ops} operations, ${entries} entries, reconcile differences ${reconciled.differences.length}, balance ≠ sum of entries: ${mismatches}`);
  });
}, ['lmdb', 'mongo']);
