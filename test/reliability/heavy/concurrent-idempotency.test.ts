/**
 * Guarantee (heavy): 1,000 concurrent POSTs of one order with one Idempotency-Key, over real HTTP to the app
 * listening on 127.0.0.1, award once. Every answer is the first answer replayed (201, identical body) or a 409 —
 * never a 5xx — and the ledger holds one entry and one balance change. The same then across four app instances on
 * one ledger, as behind a load balancer: they share the answers kept in the store (the app's default,
 * StoreIdempotencyKeys), and beneath them the ledger's own key and natural-id records stand between the requests
 * and a double award.
 */
import { expect } from 'chai';
import { createApp } from '../../../api/src/app.js';
import { listen, type HttpAnswer, type LiveServer } from '../support/http-server.js';
import { entriesOf, forEachWorldStore, orderOf, pointsOf, type World } from '../support/world.js';

const REQUESTS = 1000;

function tally(answers: HttpAnswer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const replayed = a.headers['idempotency-replayed'] === 'true' ? ' replayed' : '';
    out[`${a.status}${replayed}`] = (out[`${a.status}${replayed}`] ?? 0) + 1;
  }
  return out;
}

function checkAnswers(answers: HttpAnswer[], what: string): void {
  const first = answers.find((a) => a.status === 201 && a.headers['idempotency-replayed'] !== 'true');
  expect(first, `${what}: no request was answered 201 first-hand (${JSON.stringify(tally(answers))})`).not.to.equal(undefined);
  for (const a of answers) {
    expect(a.status, `${what}: ${JSON.stringify(a.body).slice(0, 300)}`).to.be.oneOf([201, 409]);
    if (a.status === 201) expect(a.body, `${what}: a replay differs from the first answer`).to.deep.equal(first?.body);
    else expect(String(a.headers['content-type'])).to.match(/^application\/problem\+json/);
  }
  expect(answers.filter((a) => a.status === 201 && a.headers['idempotency-replayed'] !== 'true'), `${what}: more than one first-hand 201`).to.have.length(1);
}

forEachWorldStore('1,000 concurrent POSTs of one order with one Idempotency-Key over HTTP', (open, kind) => {
  let world: World;
  const servers: LiveServer[] = [];
  before(async function () {
    this.timeout(60_000);
    world = await open();
  });
  after(async () => {
    for (const s of servers) await s.close();
    await world.close();
  });

  it('one entry, one balance change, only identical replays or 409s, no 5xx (one instance)', async function () {
    this.timeout(240_000);
    const server = await listen(world.app, 50);
    servers.push(server);
    const order = orderOf('ci-o1', 'ci-c1', world.clock.iso(), [{ sku: 'TV-55', quantity: 1, unitPrice: '7000000', category: 'tv' }]);
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, () => server.send('POST', '/v1/orders', { key: world.keys.checkout, body: order, headers: { 'Idempotency-Key': 'ci-key-1' } })),
    );
    checkAnswers(answers, `${kind}, one instance`);
    // Rp7.000.000 / Rp1.000 = 7000 points, once.
    const entries = await entriesOf(world, world.keys.crm, 'ci-c1');
    expect(entries.map((e) => [e.type, e.points])).to.deep.equal([['earn', 7000]]);
    expect((await pointsOf(world, world.keys.crm, 'ci-c1')).balance).to.equal(7000);
    console.log(`      [figures] ${kind} one instance: ${REQUESTS} requests ${JSON.stringify(tally(answers))}, entries ${entries.length}, balance 7000`);
  });

  it('the same across four app instances on one ledger (one answer store)', async function () {
    this.timeout(240_000);
    const instances = await Promise.all(
      Array.from({ length: 4 }, () => listen(createApp({ ledger: world.ledger, clock: () => world.clock.ms, rateLimit: { perMinute: 1_000_000, burst: 1_000_000 } }), 25)),
    );
    servers.push(...instances);
    const order = orderOf('ci-o2', 'ci-c2', world.clock.iso(), [{ sku: 'PH-9', quantity: 3, unitPrice: '2500000', category: 'phone' }]);
    const answers = await Promise.all(
      Array.from({ length: REQUESTS }, (_, i) =>
        (instances[i % instances.length] as LiveServer).send('POST', '/v1/orders', { key: world.keys.checkout, body: order, headers: { 'Idempotency-Key': 'ci-key-2' } }),
      ),
    );
    checkAnswers(answers, `${kind}, four instances`);
    // 3 × Rp2.500.000 / Rp1.000 = 7500 points, once.
    const entries = await entriesOf(world, world.keys.crm, 'ci-c2');
    expect(entries.map((e) => [e.type, e.points])).to.deep.equal([['earn', 7500]]);
    expect((await pointsOf(world, world.keys.crm, 'ci-c2')).balance).to.equal(7500);
    const reconciled = await world.call('post', '/v1/jobs/reconcile', world.keys.admin, {});
    expect(reconciled.body.differences).to.deep.equal([]);
    console.log(`      [figures] ${kind} four instances: ${REQUESTS} requests ${JSON.stringify(tally(answers))}, entries ${entries.length}, balance 7500`);
  });
}, ['lmdb', 'mongo']);
