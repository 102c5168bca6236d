/**
 * Guarantee: one tenant can never see or change another's data. Every operation of /openapi.json is called with
 * tenant shop-b's key (of the scope the operation needs) against tenant shop-a's ids: an operation that names a
 * shop-a resource answers 404 exactly as for an id that does not exist; every other one works on shop-b's own data.
 * Either way, shop-a's stored state is byte-for-byte unchanged and no answer carries a string only shop-a's data
 * holds.
 */
import { expect } from 'chai';
import { COLLECTIONS, type ApiKeyRecord } from '@purna/ledger';
import { caseOf, documentOperations, keyFor, seedTenantA, TENANT_A_MARKERS, type Seed } from './support/route-catalog.js';
import { forEachWorldStore, type World } from './support/world.js';

/** Everything tenant shop-a has stored: every collection, and its API keys. */
async function snapshotOfA(world: World): Promise<string> {
  const parts: unknown[] = [];
  for (const collection of COLLECTIONS) parts.push(await world.store.list(collection, 'shop-a', { limit: 100_000 }));
  const keys: ApiKeyRecord[] = await world.ledger.apiKeys.list('shop-a');
  parts.push(keys);
  return JSON.stringify(parts);
}

forEachWorldStore('tenant isolation on every route of /openapi.json', (open) => {
  let world: World;
  let seed: Seed;
  before(async function () {
    this.timeout(60_000);
    world = await open();
    seed = await seedTenantA(world);
  });
  after(async () => {
    await world.close();
  });

  it("another tenant's key gets 404 for every shop-a id, and never reads or changes shop-a's data", async function () {
    this.timeout(120_000);
    // Routes that name a shop-a id first: the upserts among the others create shop-b's own customer of that id.
    const operations = (await documentOperations(world)).sort(
      (a, b) => Number(caseOf(a.id).otherTenant !== 'not-found') - Number(caseOf(b.id).otherTenant !== 'not-found'),
    );
    expect(operations.length).to.be.greaterThan(20);
    let notFound = 0;
    for (const op of operations) {
      const route = caseOf(op.id);
      const before = await snapshotOfA(world);
      const { path, body, headers } = route.request(seed, 1, world);
      const res = await world.call(op.method, path, keyFor(world, route.scope, true), body, headers);
      const what = `${op.id} with shop-b's ${route.scope} key: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`;
      if (route.otherTenant === 'not-found') {
        notFound++;
        expect(res.status, what).to.equal(404);
        expect(res.headers['content-type'], what).to.match(/^application\/problem\+json/);
        // The same answer as for an id that exists nowhere: nothing tells shop-b that shop-a has it.
        const missing = route.request({ customerId: 'nobody-anywhere', orderId: 'no-such-order', keyId: 'nokey0000', webhookId: 'we_nowhere', deletableWebhookIds: ['we_nowhere'] }, 1, world);
        const control = await world.call(op.method, missing.path, keyFor(world, route.scope, true), missing.body);
        expect(control.status, `${op.id} on a missing id`).to.equal(404);
        expect(res.body.code, what).to.equal(control.body.code);
      } else if (route.otherTenant === 'unknown-voucher') {
        // Shop-a's code is refused to shop-b exactly as a code issued nowhere: nothing says it exists elsewhere.
        expect(res.status, what).to.equal(422);
        expect((res.body as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code), what).to.deep.equal(['voucher-unknown']);
      } else {
        expect(res.status, what).to.be.oneOf([...route.ok, 404]);
      }
      const text = JSON.stringify(res.body);
      for (const marker of TENANT_A_MARKERS) expect(text, `${op.id} leaked "${marker}"`).not.to.include(marker);
      // A 404 may echo the id it was asked for; any other answer naming shop-a's key id leaks it.
      if (route.otherTenant !== 'public' && !path.includes(seed.keyId)) expect(text, `${op.id} leaked shop-a's key id`).not.to.include(seed.keyId);
      expect(await snapshotOfA(world), `${op.id} with shop-b's key changed shop-a's data`).to.equal(before);
    }
    // Every route that names a customer, an order or a key was checked for 404 (9 in the document of today).
    expect(notFound).to.be.greaterThanOrEqual(9);
  });

  it("shop-a's own keys still see the data (the 404s above are isolation, not missing data)", async () => {
    const res = await world.call('get', `/v1/customers/${seed.customerId}`, world.keys.crm);
    expect(res.status).to.equal(200);
    const tx = await world.call('get', `/v1/customers/${seed.customerId}/transactions`, world.keys.crm);
    // The seeded order (6 × Rp100.000 / Rp1.000 = 600 points) and the 1,000-point adjustment.
    expect((tx.body as { items: Array<{ points: number }> }).items.map((e) => e.points).sort((a, b) => a - b)).to.deep.equal([600, 1000]);
  });
});
