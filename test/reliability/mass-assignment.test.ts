/**
 * Guarantee: a client cannot set what only the ledger may set. `balance`, `tenantId`, `_id` and `version` added to
 * any body of /openapi.json (and to the query of every authenticated route) are refused, and nothing is written.
 * Two routes have one of these names as a real field: POST /v1/keys takes `tenantId` (for the operator tenant) and
 * refuses another tenant with 403; a program document may carry its author's `version`, which never sets the
 * version the ledger publishes it under (that is always the next one).
 */
import { expect } from 'chai';
import { caseOf, documentOperations, keyFor, seedTenantA, type Seed } from './support/route-catalog.js';
import { WatchingStore } from './support/watching-store.js';
import { forEachWorldStore, type World } from './support/world.js';

const FORBIDDEN_FIELDS: Record<string, unknown> = { balance: 1_000_000, tenantId: 'shop-b', _id: 'aaaaaaaaaaaaaaaaaaaaaaaa', version: 99 };

forEachWorldStore('mass assignment on every route of /openapi.json', (open) => {
  let world: World;
  let watch: WatchingStore;
  let seed: Seed;
  before(async function () {
    this.timeout(60_000);
    world = await open({ wrapStore: (store) => (watch = new WatchingStore(store)) });
    seed = await seedTenantA(world);
  });
  after(async () => {
    await world.close();
  });

  it('balance, tenantId, _id and version in a body or query are refused and change nothing', async function () {
    this.timeout(120_000);
    const operations = await documentOperations(world);
    let tried = 0;
    for (const op of operations) {
      const route = caseOf(op.id);
      if (route.scope === 'public') continue;
      for (const [field, value] of Object.entries(FORBIDDEN_FIELDS)) {
        const { path, body } = route.request(seed, 100 + tried, world);
        const attempts: Array<{ where: string; path: string; body: unknown }> = [];
        // A query parameter the operation declares (GET /v1/program?version=) is a read, not an assignment.
        if (!op.queryParameters.includes(field)) {
          attempts.push({ where: 'query', path: `${path}${path.includes('?') ? '&' : '?'}${field}=${encodeURIComponent(String(value))}`, body });
        }
        if (op.hasBody) attempts.push({ where: 'body', path, body: { ...(body as object | undefined), [field]: value } });
        for (const attempt of attempts) {
          tried++;
          const mark = watch.writes.length;
          const published = (await world.call('get', '/v1/program', world.keys.admin)).body as { version: number };
          const res = await world.call(op.method, attempt.path, keyFor(world, route.scope), attempt.body);
          const what = `${op.id} with ${field} in the ${attempt.where}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`;
          const programField = field === 'version' && attempt.where === 'body' && (op.id === 'PUT /v1/program' || op.id === 'POST /v1/program/validate');
          if (programField && op.id === 'PUT /v1/program') {
            expect(res.status, what).to.equal(201);
            expect(res.body.version, `${what}: the author's version set the published one`).to.equal(published.version + 1).and.not.equal(value);
            continue;
          }
          if (programField) {
            expect(res.status, what).to.equal(200);
          } else if (op.id === 'POST /v1/program/validate' && attempt.where === 'body') {
            // Validation answers 200 either way (documented): the refusal is `valid: false` with the field's pointer.
            expect(res.status, what).to.equal(200);
            expect(res.body.valid, what).to.equal(false);
            expect(res.body.errors.map((e: { pointer: string }) => e.pointer), what).to.include(`/${field}`);
          } else {
            const keysTenant = op.id === 'POST /v1/keys' && field === 'tenantId' && attempt.where === 'body';
            expect(res.status, what).to.equal(keysTenant ? 403 : 400);
            expect(res.headers['content-type'], what).to.match(/^application\/problem\+json/);
          }
          expect(watch.changesSince(mark), `${what}: wrote`).to.deep.equal([]);
        }
      }
    }
    expect(tried).to.be.greaterThan(60);
    // The balance is still what the seed made it: 1,000 goodwill points available; the order's 600 pending 3 days.
    const points = (await world.call('get', `/v1/customers/${seed.customerId}`, world.keys.crm)).body.points as { balance: number; available: number };
    expect(points).to.include({ balance: 1600, available: 1000 });
  });
});
