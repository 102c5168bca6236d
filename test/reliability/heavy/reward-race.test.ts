/**
 * Guarantee (heavy): a reward's stock is never oversold and a voucher is used once, however many ask at once. Over
 * real HTTP, spread over two app instances on one store:
 *
 * - 200 customers, each with 1,000 available points, redeem at once a 100-point reward with a stock of 10: exactly 10
 *   get a voucher (201), the other 190 are refused with 422 `out-of-stock`; the stock counter ends at used 10 with
 *   no reservation left, the 10 winners hold 900 points and the others 1,000, and reconciliation finds no difference.
 * - One of those vouchers is used at once on 100 orders: exactly one use succeeds (200), the other 99 are 422
 *   `voucher-used`, and the voucher reads used on the winning order.
 */
import { expect } from 'chai';
import { pino } from 'pino';
import { rewardStockKey } from '@purna/ledger';
import { createApp } from '../../../api/src/app.js';
import { listen, type LiveServer } from '../support/http-server.js';
import { forEachWorldStore, pointsOf, reliabilityProgram, type World } from '../support/world.js';

const TENANT = 'shop-a';
const RACERS = 200;
const STOCK = 10;
const COST = 100;
const GRANT = 1000;
const USES = 100;
/** The race is about the ledger, not the voucher-miss limit: 100 uses in flight from one key would exceed its burst. */
const NO_MISS_LIMIT = { perMinute: 1_000_000, burst: 1_000_000 };

forEachWorldStore('200 concurrent redemptions of a reward with a stock of 10, and 100 concurrent uses of one voucher', (open, kind) => {
  let world: World;
  let servers: LiveServer[] = [];
  before(async function () {
    this.timeout(120_000);
    world = await open({ app: { voucherMisses: NO_MISS_LIMIT } });
    servers = [
      await listen(world.app, 50),
      await listen(
        createApp({
          ledger: world.ledger,
          clock: () => world.clock.ms,
          rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
          voucherMisses: NO_MISS_LIMIT,
          logger: pino({ level: 'error' }, { write: (line: string) => void world.errors.push(line) }),
        }),
        50,
      ),
    ];
    const program = { ...reliabilityProgram(), rewards: [{ id: 'lamp', name: 'Desk lamp', cost: COST, kind: 'gift', sku: 'LAMP-1', stock: STOCK, voucherDays: 30 }] };
    expect((await world.call('put', '/v1/program', world.keys.admin, program)).status).to.equal(201);
    // The customers are set up through the ledger itself: the race is what goes over HTTP.
    for (let i = 0; i < RACERS; i++) {
      const customerId = `lamp-${i}`;
      await world.ledger.upsertCustomer(TENANT, { id: customerId, enrolledAt: world.clock.iso() }, { at: world.clock.iso() });
      await world.ledger.adjust(TENANT, { id: `lamp-grant-${i}`, customerId, points: GRANT, reason: 'seed', actor: 'test' }, { at: world.clock.iso() });
    }
  });
  after(async () => {
    for (const s of servers) await s.close();
    await world.close();
  });

  const send = (i: number, path: string, body: unknown) => (servers[i % servers.length] as LiveServer).send('POST', path, { key: world.keys.checkout, body });

  /** Sends every request at once; a 503 (storage busy, retrying is safe) is retried with the same ids, as a client would. */
  async function race(count: number, path: (i: number) => string, body: (i: number) => unknown): Promise<Array<{ status: number; body: unknown }>> {
    const answers = await Promise.all(Array.from({ length: count }, (_, i) => send(i, path(i), body(i))));
    for (let i = 0; i < answers.length; i++) {
      for (let attempt = 0; answers[i]?.status === 503 && attempt < 20; attempt++) answers[i] = await send(i, path(i), body(i));
      expect(answers[i]?.status, `request ${i}: ${JSON.stringify(answers[i]?.body).slice(0, 300)}; logged: ${world.errors.slice(-3).join(' | ').slice(0, 1500)}`).to.not.equal(503);
    }
    return answers;
  }

  const reasonCodes = (body: unknown): string[] => ((body as { reasons?: Array<{ code: string }> }).reasons ?? []).map((r) => r.code);

  let winners: Array<{ customerId: string; code: string }> = [];

  it('issues exactly 10 vouchers; the 190 others are out-of-stock, and the counter ends at 10 with no reservation', async function () {
    this.timeout(240_000);
    const answers = await race(RACERS, () => '/v1/rewards/lamp/redemptions', (i) => ({ id: `lamp-rr-${i}`, customerId: `lamp-${i}` }));
    const accepted = answers.flatMap((a, i) => (a.status === 201 ? [{ customerId: `lamp-${i}`, code: (a.body as { voucher: { code: string } }).voucher.code }] : []));
    const refused = answers.filter((a) => a.status === 422);
    expect(accepted, 'vouchers issued').to.have.length(STOCK);
    expect(refused, 'refusals').to.have.length(RACERS - STOCK);
    for (const a of refused) expect(reasonCodes(a.body)).to.deep.equal(['out-of-stock']);
    expect(new Set(accepted.map((w) => w.code)).size, 'each voucher has its own code').to.equal(STOCK);
    const counter = await world.store.get<{ used: number; reservations: unknown[] }>('counters', TENANT, rewardStockKey('lamp'));
    expect(counter?.doc.used).to.equal(STOCK);
    expect(counter?.doc.reservations).to.deep.equal([]);
    // A winner spent 100 of 1,000; a loser nothing.
    for (const { customerId } of accepted) expect((await pointsOf(world, world.keys.crm, customerId)).balance, customerId).to.equal(GRANT - COST);
    const loser = answers.findIndex((a) => a.status === 422);
    expect((await pointsOf(world, world.keys.crm, `lamp-${loser}`)).balance).to.equal(GRANT);
    const catalog = await world.call('get', '/v1/rewards', world.keys.crm);
    expect(catalog.body.items[0]).to.include({ rewardId: 'lamp', stockLeft: 0, available: false });
    const reconciled = await world.call('post', '/v1/jobs/reconcile', world.keys.admin, {});
    expect(reconciled.body.differences).to.deep.equal([]);
    winners = accepted;
    console.log(`      [figures] ${kind}: ${RACERS} redemptions of a stock of ${STOCK}: ${accepted.length} issued, ${refused.length} out-of-stock, reconcile differences 0`);
  });

  it('uses one voucher exactly once out of 100 concurrent uses on 100 orders; the other 99 are voucher-used', async function () {
    this.timeout(240_000);
    const winner = winners[0];
    if (!winner) expect.fail('the redemption race issued no voucher');
    const answers = await race(USES, () => `/v1/vouchers/${winner.code}/use`, (i) => ({ orderId: `lamp-order-${i}`, customerId: winner.customerId }));
    const used = answers.flatMap((a, i) => (a.status === 200 ? [i] : []));
    expect(used, 'uses that succeeded').to.have.length(1);
    const refused = answers.filter((a) => a.status === 422);
    expect(refused).to.have.length(USES - 1);
    for (const a of refused) expect(reasonCodes(a.body)).to.deep.equal(['voucher-used']);
    const vouchers = await world.call('get', `/v1/customers/${winner.customerId}/vouchers`, world.keys.crm);
    expect(vouchers.body.items).to.have.length(1);
    expect(vouchers.body.items[0]).to.deep.include({ code: winner.code, status: 'used' });
    expect(vouchers.body.items[0].usedOn.orderId).to.equal(`lamp-order-${used[0] ?? -1}`);
    const reconciled = await world.call('post', '/v1/jobs/reconcile', world.keys.admin, {});
    expect(reconciled.body.differences).to.deep.equal([]);
    console.log(`      [figures] ${kind}: ${USES} concurrent uses of one voucher: 1 used, ${refused.length} voucher-used`);
  });
}, ['lmdb', 'mongo']);
