/**
 * The delivery worker against a real receiver on 127.0.0.1 (allow-listed): every moment an endpoint wants arrives,
 * verified with the `standardwebhooks` package, once per webhook-id, in each customer's order, through a receiver
 * outage (503s, then a closed port) and a rotation of the secret; a moment that fails for the whole horizon
 * disables its endpoint with the reason. The ledger runs on the memory store with a wall clock the test moves.
 */
import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openLedger, FEED_HORIZON_MS, type Ledger } from '@purna/ledger';
import { Webhook } from 'standardwebhooks';
import { parseAllowHosts } from '../../src/webhooks/allow-hosts.js';
import { deliverOnce } from '../../src/webhooks/delivery-worker.js';
import { momentsProgram } from '../../../packages/ledger/test/support/moments-program.js';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const allowHosts = parseAllowHosts('127.0.0.1');

interface Received {
  id: string;
  customerId: string;
  type: string;
}

/** A receiver that verifies every request with the endpoint's secrets and answers `status()`. */
async function receiver(secrets: () => string[], status: () => number): Promise<{ server: Server; url: string; received: Received[]; unverified: number }> {
  const state = { received: [] as Received[], unverified: 0 };
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const code = status();
      if (code === 200) {
        const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
        const verified = secrets().map((secret) => {
          try {
            return new Webhook(secret).verify(body, headers) as { id: string; customerId: string; type: string };
          } catch {
            return undefined;
          }
        });
        if (verified.some((v) => v === undefined)) state.unverified += 1;
        const moment = verified.find((v) => v !== undefined);
        if (moment) state.received.push({ id: moment.id, customerId: moment.customerId, type: moment.type });
      }
      res.statusCode = code;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, { server, url: `http://127.0.0.1:${port}/hook` });
}

function order(id: string, customerId: string, unitPrice: string) {
  return { id, customerId, currency: 'IDR', lines: [{ sku: 'TV', quantity: 1, unitPrice }] };
}

describe('the webhook delivery worker', () => {
  let ledger: Ledger;
  let wall = Date.parse('2026-06-01T00:00:00Z');
  const now = (): number => wall;
  const worker = { allowHosts, logger: quiet, now, timeoutMs: 2000, owner: 'test-worker' };

  beforeEach(async () => {
    ledger = await openLedger({ store: 'memory', wallClock: now, now: () => new Date(wall).toISOString() });
    await ledger.publishProgram('t', momentsProgram);
  });
  afterEach(async () => {
    await ledger.close();
  });

  it('delivers every wanted moment once, verified, in order, through an outage and a secret rotation', async () => {
    let secrets: string[] = [];
    let answer = 200;
    const rx = await receiver(() => secrets, () => answer);
    try {
      const created = await ledger.webhookEndpoints.create('t', { url: rx.url, types: ['points.awarded', 'tier.changed', 'return.recorded'] });
      secrets = [created.secret];
      wall += 1;
      await ledger.recordOrder('t', order('o-1', 'ayu', '2500000'), { at: '2026-03-10T10:00:00Z' });
      await ledger.recordOrder('t', order('o-2', 'budi', '1000000'), { at: '2026-03-10T11:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      // The receiver is down: 503 for everything.
      answer = 503;
      expect(await deliverOnce(ledger, worker)).to.deep.equal({ delivered: 0, failed: 2 });
      // Then its port is closed altogether.
      rx.server.close();
      await ledger.returnOrder('t', 'o-1', { id: 'r-1', lines: [{ sku: 'TV', quantity: 1 }] }, { at: '2026-03-12T10:00:00Z' });
      wall += 10 * 60_000;
      expect(await deliverOnce(ledger, worker)).to.deep.equal({ delivered: 0, failed: 2 });
      // Back on the same port, with a rotated secret: both the old and the new one sign for a day.
      await new Promise<void>((resolve) => rx.server.listen(Number(new URL(rx.url).port), '127.0.0.1', resolve));
      answer = 200;
      const rotated = await ledger.webhookEndpoints.rotateSecret('t', created.id);
      secrets = [rotated.secret, created.secret];
      wall += 60 * 60_000;
      expect(await deliverOnce(ledger, worker)).to.deep.equal({ delivered: 4, failed: 0 });
      expect(await deliverOnce(ledger, worker)).to.deep.equal({ delivered: 0, failed: 0 });

      expect(rx.unverified).to.equal(0);
      const ids = rx.received.map((r) => r.id);
      expect(new Set(ids).size).to.equal(ids.length);
      expect(rx.received.filter((r) => r.customerId === 'ayu').map((r) => r.type)).to.deep.equal(['points.awarded', 'tier.changed', 'return.recorded']);
      expect(rx.received.filter((r) => r.customerId === 'budi').map((r) => r.type)).to.deep.equal(['points.awarded']);
      // The feed lists the same moments (of the wanted types).
      const feed = (await ledger.listMoments('t')).items.filter((m) => ['points.awarded', 'tier.changed', 'return.recorded'].includes(m.type));
      expect(new Set(ids)).to.deep.equal(new Set(feed.map((m) => m.id)));
      // The log keeps every attempt: Ayu's first moment failed twice (503, then a refused connection), then went.
      const log = await ledger.listWebhookDeliveries('t', created.id);
      const first = log.items.find((d) => d.customerId === 'ayu' && d.seq === 1);
      expect(first?.attempts.map((a) => [a.ok, a.status ?? a.reason])).to.deep.equal([
        [false, 503],
        [false, 'connection-failed'],
        [true, 200],
      ]);
    } finally {
      rx.server.close();
    }
  });

  it('sends an endpoint at most `concurrency` webhooks at once, 64 unless told', async () => {
    let inFlight = 0;
    let most = 0;
    let received = 0;
    // Each answer waits 250 ms, so sends the worker makes together are in flight together, even while its later
    // connections are still being opened on a busy machine.
    const server = createServer((req, res) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      req.resume().on('end', () =>
        setTimeout(() => {
          inFlight -= 1;
          received += 1;
          res.statusCode = 204;
          res.end();
        }, 250),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await ledger.webhookEndpoints.create('t', { url: `http://127.0.0.1:${port}/hook`, types: ['points.awarded'] });
      wall += 1;
      const record = async (from: number, count: number) => {
        for (let i = from; i < from + count; i += 1) await ledger.recordOrder('t', order(`o-${i}`, `c-${i}`, '1000000'), { at: '2026-03-10T10:00:00Z' });
        wall += FEED_HORIZON_MS + 1;
      };
      await record(0, 12);
      expect(await deliverOnce(ledger, { ...worker, concurrency: 4 })).to.deep.equal({ delivered: 12, failed: 0 });
      expect(most).to.equal(4);
      most = 0;
      await record(12, 80);
      expect(await deliverOnce(ledger, worker)).to.deep.equal({ delivered: 80, failed: 0 });
      expect(most).to.equal(64);
      expect(received).to.equal(92);
    } finally {
      server.close();
    }
  });

  it('disables an endpoint whose moment failed for three days, with the reason', async () => {
    const rx = await receiver(() => [], () => 500);
    try {
      const created = await ledger.webhookEndpoints.create('t', { url: rx.url });
      wall += 1;
      await ledger.recordOrder('t', order('o-1', 'ayu', '1000000'), { at: '2026-03-10T10:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      for (let pass = 0; pass <= 80 && (await ledger.webhookEndpoints.get('t', created.id)).enabled; pass += 1) {
        await deliverOnce(ledger, worker);
        wall += 6 * 60 * 60_000;
      }
      const endpoint = await ledger.webhookEndpoints.get('t', created.id);
      expect(endpoint.enabled).to.equal(false);
      expect(endpoint.disabledReason).to.match(/failed for 3 days; last attempt: status 500/);
      const [delivery] = (await ledger.listWebhookDeliveries('t', created.id)).items;
      expect(delivery?.status).to.equal('failed');
      expect(Date.parse(delivery!.attempts.at(-1)!.at) - Date.parse(delivery!.attempts[0]!.at)).to.be.at.most(3 * 24 * 60 * 60_000);
    } finally {
      rx.server.close();
    }
  });
});

describe('the delivery log over HTTP', () => {
  it('lists every attempt of each moment, and an admin retry starts the 3 days over and delivers in order', async () => {
    const { openRouteWorld } = await import('../support/route-world.js');
    const { deliverOnce: deliver } = await import('../../src/webhooks/delivery-worker.js');
    let wall = Date.parse('2026-06-01T00:00:00Z');
    const w = await openRouteWorld('memory', { clock: () => wall, wallClock: () => wall });
    let answer = 500;
    let secrets: string[] = [];
    const rx = await receiver(() => secrets, () => answer);
    try {
      expect((await w.call('put', '/v1/program', w.admin, momentsProgram)).status).to.equal(201);
      const created = await w.ledger.webhookEndpoints.create('shop-a', { url: rx.url, types: ['points.awarded'] }, { now: new Date(wall).toISOString() });
      secrets = [created.secret];
      wall += 1;
      await w.ledger.recordOrder('shop-a', order('o-1', 'ayu', '1000000'), { at: '2026-03-10T10:00:00Z' });
      await w.ledger.recordOrder('shop-a', order('o-2', 'ayu', '1000000'), { at: '2026-03-11T10:00:00Z' });
      wall += FEED_HORIZON_MS + 1;
      const worker = { allowHosts, logger: quiet, now: () => wall, timeoutMs: 2000, owner: 'w' };
      // Fails until the schedule gives up after 3 days: the endpoint is disabled, o-2's moment never tried.
      for (let pass = 0; pass < 40 && (await w.ledger.webhookEndpoints.get('shop-a', created.id)).enabled; pass += 1) {
        await deliver(w.ledger, worker);
        wall += 6 * 60 * 60_000;
      }
      expect((await w.ledger.webhookEndpoints.get('shop-a', created.id)).enabled).to.equal(false);
      const log = await w.call('get', `/v1/webhooks/${created.id}/deliveries`, w.admin);
      expect(log.status, JSON.stringify(log.body)).to.equal(200);
      expect(log.body.items).to.have.length(1);
      const [failed] = log.body.items as Array<{ momentId: string; status: string; attempts: Array<{ status: number }> }>;
      expect(failed?.status).to.equal('failed');
      expect(failed!.attempts.every((a) => a.status === 500)).to.equal(true);

      // The receiver is fixed: retry, enable, and both moments go, in order.
      answer = 200;
      const retried = await w.call('post', `/v1/webhooks/${created.id}/deliveries/${failed!.momentId}/retry`, w.admin);
      expect(retried.status, JSON.stringify(retried.body)).to.equal(200);
      expect(retried.body).to.deep.include({ status: 'pending', nextAttemptAt: new Date(wall).toISOString(), retryFrom: new Date(wall).toISOString() });
      expect((await w.call('patch', `/v1/webhooks/${created.id}`, w.admin, { enabled: true })).status).to.equal(200);
      expect(await deliver(w.ledger, worker)).to.deep.equal({ delivered: 2, failed: 0 });
      expect(rx.received.map((r) => r.type)).to.deep.equal(['points.awarded', 'points.awarded']);
      expect(rx.received[0]?.id).to.equal(failed!.momentId);

      expect((await w.call('post', `/v1/webhooks/${created.id}/deliveries/mo_nothing/retry`, w.admin)).status).to.equal(404);
      expect((await w.call('get', `/v1/webhooks/${created.id}/deliveries`, w.crm)).status).to.equal(403);
    } finally {
      rx.server.close();
      await w.ledger.close();
    }
  });
});
