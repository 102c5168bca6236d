/**
 * Guarantee (heavy): three API instances on one store act as one. Three apps, each on its own ledger and its own
 * connection to the same database (on memory: one store object shared), listen on their own ports behind a
 * round-robin client, with nothing shared in process memory but the test's clock:
 * - one key's rate limit holds across them: of 300 requests sent in turn, exactly the burst pass and the rest are
 *   429 with `Retry-After` and `RateLimit-*`; of 300 sent at once, never more than the burst;
 * - the voucher-miss limit likewise: exactly its burst of unknown codes reach the ledger;
 * - an `Idempotency-Key` first sent to instance A is replayed by B and refused with another body by C, on a route
 *   without a natural id (creating an API key), so only the shared answer can be what replays it;
 * - 90 concurrent requests with one key spread over the three make one effect: one API key created;
 * - 90 concurrent POSTs of one order with one key over the three record it once: one entry, one balance change;
 * - 90 concurrent redemptions of 60 points against 1,000, spread over the three, never overdraw: exactly 16 succeed.
 * The concurrency, idempotency and redemption-race suites (concurrent-idempotency.test.ts, redemption-race.test.ts)
 * run their extra instances on the same shared store through the app's defaults.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { formatVoucherCode, VOUCHER_CODE_BYTES } from '@purna/rules';
import { pino } from 'pino';
import { MongoStore, openLedger, type Ledger, type Store } from '@purna/ledger';
import { createApp } from '../../../api/src/app.js';
import { describeMongo, type MongoContext } from '../../support/mongo.js';
import { listen, type HttpAnswer, type LiveServer } from '../support/http-server.js';
import { entriesOf, openWorld, orderOf, pointsOf, type StoreKind, type World } from '../support/world.js';

/** 100 requests per window of 60 s × 100 ÷ 600 = 10 s. */
const LIMIT = { perMinute: 600, burst: 100 };
/** Concurrent requests with one Idempotency-Key: within one window's burst, so none is rate-limited. */
const RACERS = 90;
/** The redemption race: 1,000 points, redemptions of 60 each, so exactly 16 succeed. */
const GRANT = 1000;
const EACH = 60;
/** 20 voucher misses per window of 40 s (the default). */
const MISSES = { perMinute: 30, burst: 20 };

interface Fleet {
  world: World;
  servers: LiveServer[];
  /** Sends request `i` to instance `i mod 3`. */
  send(i: number, method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** The world's app and two more apps, each on a ledger of its own over its own connection to the world's database. */
async function openFleet(kind: StoreKind, mongo?: MongoContext): Promise<Fleet> {
  const dbName = mongo ? `${mongo.dbName}_fleet` : undefined;
  const world = await openWorld(kind, {
    ...(mongo ? { mongo, mongoOptions: { dbName } } : {}),
    app: { rateLimit: LIMIT, voucherMisses: MISSES },
  });
  const stores: Store[] = [];
  const ledgers: Ledger[] = [];
  for (let i = 0; i < 2; i++) {
    const store = mongo ? await MongoStore.open({ uri: mongo.uri, dbName }) : world.store;
    if (mongo) stores.push(store);
    ledgers.push(await openLedger({ store, now: () => world.clock.iso() }));
  }
  const apps = [
    world.app,
    ...ledgers.map((ledger) =>
      createApp({
        ledger,
        clock: () => world.clock.ms,
        rateLimit: LIMIT,
        voucherMisses: MISSES,
        logger: pino({ level: 'error' }, { write: (line: string) => void world.errors.push(line) }),
      }),
    ),
  ];
  const servers = await Promise.all(apps.map((app) => listen(app, 30)));
  return {
    world,
    servers,
    send: (i, method, path, options) => (servers[i % servers.length] as LiveServer).send(method, path, options),
    async close() {
      for (const server of servers) await server.close();
      for (const store of stores) await store.close();
      await world.close();
    },
  };
}

function tally(answers: HttpAnswer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const key = `${a.status}${a.headers['idempotency-replayed'] === 'true' ? ' replayed' : ''}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function threeInstances(kind: StoreKind, mongo?: () => MongoContext): void {
  let fleet: Fleet;
  before(async function () {
    this.timeout(120_000);
    fleet = await openFleet(kind, mongo?.());
  });
  after(async () => {
    await fleet.close();
  });

  it("holds one key's rate limit across the three: exactly the burst of 300 sent in turn, at most the burst of 300 at once", async function () {
    this.timeout(240_000);
    const { world } = fleet;
    // The world's clock stands at the start of a 10-second window; each part runs in a window of its own.
    const inTurn: HttpAnswer[] = [];
    for (let i = 0; i < 300; i++) inTurn.push(await fleet.send(i, 'GET', '/v1/program', { key: world.keys.checkout }));
    expect(tally(inTurn)).to.deep.equal({ 200: LIMIT.burst, 429: 300 - LIMIT.burst });
    for (const a of inTurn) {
      expect(a.headers['ratelimit-limit']).to.equal(String(LIMIT.burst));
      expect(a.headers['ratelimit-policy']).to.equal(`${LIMIT.burst};w=10`);
      if (a.status === 429) {
        expect(a.headers['retry-after']).to.equal('10');
        expect(a.headers['ratelimit-remaining']).to.equal('0');
        expect((a.body as { code: string }).code).to.equal('rate-limited');
      }
    }
    // Each instance answered its share: the limit was not one instance's.
    const perInstance = [0, 1, 2].map((n) => inTurn.filter((a, i) => i % 3 === n && a.status === 200).length);
    expect(perInstance.every((count) => count > 0), `200s per instance ${JSON.stringify(perInstance)}`).to.equal(true);

    world.clock.ms += 10_000;
    const atOnce = await Promise.all(Array.from({ length: 300 }, (_, i) => fleet.send(i, 'GET', '/v1/program', { key: world.keys.checkout })));
    const passed = atOnce.filter((a) => a.status === 200).length;
    expect(atOnce.every((a) => a.status === 200 || a.status === 429), JSON.stringify(tally(atOnce))).to.equal(true);
    expect(passed).to.be.within(1, LIMIT.burst);
    // Another key of the tenant is untouched.
    expect((await fleet.send(0, 'GET', '/v1/program', { key: world.keys.crm })).status).to.equal(200);
    console.log(`      [figures] ${kind}: in turn ${JSON.stringify(tally(inTurn))}, at once ${JSON.stringify(tally(atOnce))}`);
  });

  it('holds the voucher-miss limit across the three: exactly its burst of 60 unknown codes reach the ledger', async function () {
    this.timeout(120_000);
    const { world } = fleet;
    world.clock.ms += 40_000;
    expect((await world.call('put', '/v1/customers/vm-c', world.keys.otherCrm, { enrolledAt: world.clock.iso() })).status).to.be.oneOf([200, 201]);
    const answers: HttpAnswer[] = [];
    for (let i = 0; i < 60; i++) {
      const code = formatVoucherCode(randomBytes(VOUCHER_CODE_BYTES));
      answers.push(await fleet.send(i, 'POST', `/v1/vouchers/${code}/use`, { key: world.keys.otherCheckout, body: { orderId: `vm-${i}`, customerId: 'vm-c' } }));
    }
    expect(tally(answers), JSON.stringify(answers.find((a) => a.status !== 422 && a.status !== 429)?.body)).to.deep.equal({ 422: MISSES.burst, 429: 60 - MISSES.burst });
  });

  it('replays on instance B the answer instance A gave to an Idempotency-Key, and C refuses the key with another body', async () => {
    const { world } = fleet;
    const post = (i: number, name: string) => fleet.send(i, 'POST', '/v1/keys', { key: world.keys.admin, body: { name, scopes: ['crm'] }, headers: { 'Idempotency-Key': 'three-1' } });
    const first = await post(0, 'fleet-a');
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.headers['idempotency-replayed']).to.equal(undefined);
    const again = await post(1, 'fleet-a');
    expect(again.status).to.equal(201);
    expect(again.headers['idempotency-replayed']).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    const other = await post(2, 'fleet-b');
    expect(other.status).to.equal(409);
    expect((other.body as { code: string }).code).to.equal('idempotency-key-reused');
    const keys = (await world.ledger.apiKeys.list('shop-a')).filter((k) => k.name.startsWith('fleet-'));
    expect(keys.map((k) => k.name)).to.deep.equal(['fleet-a']);
  });

  it(`makes one effect of ${RACERS} concurrent requests with one Idempotency-Key spread over the three`, async function () {
    this.timeout(240_000);
    const { world } = fleet;
    // A window of its own, and fewer requests than the burst: every one reaches the idempotency step.
    world.clock.ms += 10_000;
    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => fleet.send(i, 'POST', '/v1/keys', { key: world.keys.admin, body: { name: 'fleet-race', scopes: ['crm'] }, headers: { 'Idempotency-Key': 'three-race' } })),
    );
    const firstHand = answers.filter((a) => a.status === 201 && a.headers['idempotency-replayed'] !== 'true');
    expect(firstHand, JSON.stringify(tally(answers))).to.have.length(1);
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body).slice(0, 300)).to.be.oneOf([201, 409]);
      if (a.status === 201) expect(a.body).to.deep.equal(firstHand[0]?.body);
      else expect((a.body as { code: string }).code).to.equal('idempotency-in-progress');
    }
    const keys = (await world.ledger.apiKeys.list('shop-a')).filter((k) => k.name === 'fleet-race');
    expect(keys).to.have.length(1);
    console.log(`      [figures] ${kind}: ${RACERS} requests, one key: ${JSON.stringify(tally(answers))}, keys created ${keys.length}`);
  });

  it(`records one order once from ${RACERS} concurrent POSTs with one Idempotency-Key spread over the three`, async function () {
    this.timeout(240_000);
    const { world } = fleet;
    world.clock.ms += 10_000;
    const order = orderOf('fleet-o1', 'fleet-c1', world.clock.iso(), [{ sku: 'TV-55', quantity: 1, unitPrice: '7000000', category: 'tv' }]);
    const answers = await Promise.all(
      Array.from({ length: RACERS }, (_, i) => fleet.send(i, 'POST', '/v1/orders', { key: world.keys.checkout, body: order, headers: { 'Idempotency-Key': 'fleet-order' } })),
    );
    const firstHand = answers.filter((a) => a.status === 201 && a.headers['idempotency-replayed'] !== 'true');
    expect(firstHand, JSON.stringify(tally(answers))).to.have.length(1);
    for (const a of answers) {
      expect(a.status, JSON.stringify(a.body).slice(0, 300)).to.be.oneOf([201, 409]);
      if (a.status === 201) expect(a.body).to.deep.equal(firstHand[0]?.body);
    }
    // Rp7.000.000 / Rp1.000 = 7000 points, once.
    const entries = await entriesOf(world, world.keys.crm, 'fleet-c1');
    expect(entries.map((e) => [e.type, e.points])).to.deep.equal([['earn', 7000]]);
    expect((await pointsOf(world, world.keys.crm, 'fleet-c1')).balance).to.equal(7000);
    console.log(`      [figures] ${kind}: ${RACERS} POSTs of one order over three instances: ${JSON.stringify(tally(answers))}, entries ${entries.length}`);
  });

  it(`never overdraws one balance with ${RACERS} concurrent redemptions spread over the three`, async function () {
    this.timeout(240_000);
    const { world } = fleet;
    // A window of its own: the racers and their retries stay within one window's burst of the checkout key.
    world.clock.ms += 10_000;
    const customerId = 'fleet-race';
    expect((await world.call('put', `/v1/customers/${customerId}`, world.keys.crm, { enrolledAt: world.clock.iso() })).status).to.be.oneOf([200, 201]);
    expect((await world.call('post', `/v1/customers/${customerId}/adjustments`, world.keys.crm, { id: 'fleet-grant', points: GRANT, reason: 'seed' })).status).to.equal(201);
    const bodies = Array.from({ length: RACERS }, (_, i) => ({ id: `fleet-race-r${i}`, customerId, orderId: `fleet-basket-${i}`, orderTotal: '1000000', points: EACH }));
    const send = (i: number): Promise<HttpAnswer> => fleet.send(i, 'POST', '/v1/redemptions', { key: world.keys.checkout, body: bodies[i] });
    const answers = await Promise.all(bodies.map((_, i) => send(i)));
    // 503 (storage busy, retrying is safe) is a clean answer too; the redemption id makes the retry safe.
    for (let i = 0; i < answers.length; i++) {
      for (let attempt = 0; answers[i]?.status === 503 && attempt < 5; attempt++) answers[i] = await send(i);
      expect(answers[i]?.status, JSON.stringify(answers[i]?.body).slice(0, 300)).to.be.oneOf([201, 422]);
    }
    expect(answers.filter((a) => a.status === 201), JSON.stringify(tally(answers))).to.have.length(Math.floor(GRANT / EACH));
    const points = await pointsOf(world, world.keys.crm, customerId);
    expect(points).to.include({ balance: GRANT - (Math.floor(GRANT / EACH) * EACH), redeemed: Math.floor(GRANT / EACH) * EACH });
    console.log(`      [figures] ${kind}: ${RACERS} redemptions of ${EACH} against ${GRANT} points over three instances: ${JSON.stringify(tally(answers))}, balance ${points.balance}`);
  });
}

describe('three API instances on one store behind a round-robin client [memory]', () => {
  threeInstances('memory');
});

describeMongo('three API instances on one store behind a round-robin client', (ctx) => {
  threeInstances('mongo', ctx);
});
