/**
 * Guarantee: an `Idempotency-Key` is bound to the first request sent with it. The same key with any field changed
 * is refused with 409 (or 422 for a refused redemption) and writes nothing — on the instance that saw the first
 * request (the API's answer cache) and on a second instance that never saw it (the ledger's own key record), as
 * after a restart or behind a load balancer.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { createApp } from '../../api/src/app.js';
import request from 'supertest';
import { WatchingStore } from './support/watching-store.js';
import { entriesOf, forEachWorldStore, orderOf, type World } from './support/world.js';

/** One change to a valid order: every field a checkout sends, changed to another valid value. */
type Mutation = { field: string; apply: (order: Record<string, unknown>) => Record<string, unknown> };

function line(order: Record<string, unknown>, i: number): Record<string, unknown> {
  return (order.lines as Array<Record<string, unknown>>)[i] as Record<string, unknown>;
}

function withLine(order: Record<string, unknown>, i: number, change: Record<string, unknown>): Record<string, unknown> {
  const lines = (order.lines as Array<Record<string, unknown>>).map((l, j) => (j === i ? { ...l, ...change } : l));
  return { ...order, lines };
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom<Mutation>(
    { field: 'id', apply: (o) => ({ ...o, id: `${String(o.id)}-x` }) },
    { field: 'customerId', apply: (o) => ({ ...o, customerId: `${String(o.customerId)}-x` }) },
    { field: 'placedAt', apply: (o) => ({ ...o, placedAt: new Date(Date.parse(String(o.placedAt)) - 60_000).toISOString() }) },
    { field: 'lines (one more)', apply: (o) => ({ ...o, lines: [...(o.lines as unknown[]), { sku: 'EXTRA', category: 'phone', quantity: 1, unitPrice: '1000' }] }) },
    { field: 'lines (one fewer)', apply: (o) => ({ ...o, lines: (o.lines as unknown[]).slice(0, 1) }) },
    { field: 'lines[0].category', apply: (o) => withLine(o, 0, { category: line(o, 0).category === 'phone' ? 'laptop' : 'phone' }) },
    { field: 'lines[0].discount', apply: (o) => withLine(o, 0, { discount: '1' }) },
    { field: 'lines[0].brand', apply: (o) => withLine(o, 0, { brand: 'acme' }) },
  ),
  fc.integer({ min: 1, max: 50 }).map((d): Mutation => ({ field: 'lines[0].quantity', apply: (o) => withLine(o, 0, { quantity: Number(line(o, 0).quantity) + d }) })),
  fc.integer({ min: 1, max: 9 }).map((d): Mutation => ({ field: 'lines[1].unitPrice', apply: (o) => withLine(o, 1, { unitPrice: String(Number(line(o, 1).unitPrice) + d) }) })),
  fc.stringMatching(/^[A-Z]{2,8}$/).map((sku): Mutation => ({ field: 'lines[1].sku', apply: (o) => withLine(o, 1, { sku: `${sku}-2` }) })),
);

forEachWorldStore('Idempotency-Key reused with a field changed', (open, kind) => {
  let world: World;
  let watch: WatchingStore;
  before(async () => {
    world = await open({ wrapStore: (store) => (watch = new WatchingStore(store)) });
  });
  after(async () => {
    await world.close();
  });

  it('is 409 and writes nothing, on the instance that saw the key and on one that did not', async function () {
    this.timeout(kind === 'mongo' ? 120_000 : 60_000);
    // A second app on the same ledger, as after a restart or on another instance (its rate-limit counters, like the
    // world's, kept apart from the watched writes).
    const secondApp = createApp({ ledger: world.ledger, clock: () => world.clock.ms, rateLimit: { perMinute: 1_000_000, burst: 1_000_000 }, rateLimitStore: world.baseStore });
    let run = 0;
    await fc.assert(
      fc.asyncProperty(mutationArb, fc.boolean(), async (mutation, onSecond) => {
        run++;
        const key = `reuse-${run}`;
        const customerId = `reuse-c${run}`;
        const order = orderOf(`reuse-o${run}`, customerId, world.clock.iso(), [
          { sku: 'PH-1', quantity: 2, unitPrice: '150000' },
          { sku: 'CASE', quantity: 1, unitPrice: '20000', category: 'accessory' },
        ]);
        const first = await world.call('post', '/v1/orders', world.keys.checkout, order, { 'Idempotency-Key': key });
        expect(first.status, JSON.stringify(first.body)).to.equal(201);
        // 2 × 150000 + 20000 = 320000 rupiah of non-shipping lines, 1 point per 1000: 320 points.
        expect(first.body.awarded).to.equal(320);
        const changed = mutation.apply(order);
        const mark = watch.writes.length;
        const second = onSecond
          ? await request(secondApp).post('/v1/orders').set('Authorization', `Bearer ${world.keys.checkout}`).set('Idempotency-Key', key).send(changed)
          : await world.call('post', '/v1/orders', world.keys.checkout, changed, { 'Idempotency-Key': key });
        expect(second.status, `${mutation.field} changed (${onSecond ? 'second instance' : 'same instance'}): ${JSON.stringify(second.body)}`).to.be.oneOf([409, 422]);
        expect(second.headers['content-type']).to.match(/^application\/problem\+json/);
        expect(watch.changesSince(mark), `writes after a refused reuse (${mutation.field})`).to.deep.equal([]);
        const entries = await entriesOf(world, world.keys.crm, customerId);
        expect(entries.map((e) => e.points)).to.deep.equal([320]);
      }),
      { numRuns: kind === 'memory' ? 60 : kind === 'lmdb' ? 30 : 8 },
    );
  });

  it('a redemption key reused with other points is refused and redeems nothing', async () => {
    world.clock.advance(1);
    const customerId = 'reuse-redeemer';
    expect((await world.call('put', `/v1/customers/${customerId}`, world.keys.crm, { enrolledAt: world.clock.iso() })).status).to.equal(200);
    const earned = await world.call('post', '/v1/customers/reuse-redeemer/adjustments', world.keys.crm, { id: 'reuse-adj', points: 500, reason: 'goodwill' });
    expect(earned.status, JSON.stringify(earned.body)).to.equal(201);
    const body = { id: 'reuse-r1', customerId, orderId: 'reuse-o-x', orderTotal: '100000', points: 100 };
    const first = await world.call('post', '/v1/redemptions', world.keys.checkout, body, { 'Idempotency-Key': 'reuse-redeem' });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    const mark = watch.writes.length;
    for (const changed of [{ ...body, points: 101 }, { ...body, id: 'reuse-r2' }, { ...body, orderTotal: '100001' }]) {
      const again = await world.call('post', '/v1/redemptions', world.keys.checkout, changed, { 'Idempotency-Key': 'reuse-redeem' });
      expect(again.status, JSON.stringify(again.body)).to.be.oneOf([409, 422]);
    }
    expect(watch.changesSince(mark)).to.deep.equal([]);
    // 500 granted - 100 redeemed once.
    const points = (await world.call('get', `/v1/customers/${customerId}`, world.keys.crm)).body.points as { balance: number; redeemed: number };
    expect(points).to.include({ balance: 400, redeemed: 100 });
  });
});

forEachWorldStore('one order under 50 different Idempotency-Keys', (open) => {
  let world: World;
  before(async () => {
    world = await open();
  });
  after(async () => {
    await world.close();
  });

  it('awards once: the order id is the natural key, whatever the client key', async function () {
    this.timeout(120_000);
    const order = orderOf('natural-o1', 'natural-c1', world.clock.iso(), [{ sku: 'TV-55', quantity: 1, unitPrice: '7000000', category: 'tv' }]);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => world.call('post', '/v1/orders', world.keys.checkout, order, { 'Idempotency-Key': `natural-key-${i}` })),
    );
    for (const reply of replies) expect(reply.status, JSON.stringify(reply.body)).to.equal(201);
    // 7000000 rupiah / 1000 = 7000 points, once.
    for (const reply of replies) expect(reply.body).to.deep.equal(replies[0]?.body);
    expect(replies[0]?.body.awarded).to.equal(7000);
    expect(replies.filter((r) => r.headers['idempotency-replayed'] === 'true')).to.have.length(49);
    const entries = await entriesOf(world, world.keys.crm, 'natural-c1');
    expect(entries.map((e) => [e.type, e.points])).to.deep.equal([['earn', 7000]]);
    const points = (await world.call('get', '/v1/customers/natural-c1', world.keys.crm)).body.points as { balance: number };
    expect(points.balance).to.equal(7000);
  });
});
