/**
 * GET /v1/audit and what writes it (docs/data.md, "The audit trail"): a program published, keys created and revoked,
 * points adjusted (and the same adjustment replayed), goodwill granted and overridden, webhook endpoints changed,
 * each with the acting key, the instant and the request id; a refused request records nothing; pages with a cursor
 * read every entry once in time order; only admin keys read it, each its own tenant's.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type request from 'supertest';
import type { HostResolver } from '../src/webhooks/endpoint-url.js';
import { parseAllowHosts } from '../src/webhooks/allow-hosts.js';
import { openRouteWorld, type RouteWorld } from './support/route-world.js';

const toko = JSON.parse(readFileSync(new URL('../../examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const aftercare = JSON.parse(readFileSync(new URL('../../examples/toko-aftercare.program.json', import.meta.url), 'utf8')) as { goodwill: unknown };
const program = { ...toko, goodwill: aftercare.goodwill };
const AT = '2026-12-12T14:00:00+07:00';
const resolve: HostResolver = (hostname) =>
  hostname === 'hooks.example.com' ? Promise.resolve([{ address: '93.184.216.34', family: 4 }]) : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));

interface Entry {
  at: string;
  actor: string;
  action: string;
  target: string;
  requestId: string;
  replay?: boolean;
  details?: Record<string, unknown>;
}

describe('the audit trail through the API', () => {
  let w: RouteWorld;
  let now = Date.parse('2027-01-15T03:00:00.000Z');
  const ids: Record<string, string> = {};
  const requests: string[] = [];

  /** A call that must succeed; the step's request id is kept, in order. */
  async function done(method: 'post' | 'put' | 'patch' | 'delete', path: string, key: string, body?: unknown): Promise<request.Response> {
    now += 1000;
    const res = await w.call(method, path, key, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).to.be.oneOf([200, 201]);
    requests.push(String(res.headers['x-request-id']));
    return res;
  }

  async function readAll(key: string, limit: number): Promise<Entry[]> {
    const all: Entry[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 50; pages += 1) {
      const res = await w.call('get', `/v1/audit?limit=${limit}${after ? `&after=${after}` : ''}`, key);
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      all.push(...(res.body.items as Entry[]));
      after = res.body.nextCursor as string | undefined;
      if (!after) return all;
    }
    throw new Error('the trail did not end');
  }

  before(async () => {
    w = await openRouteWorld('memory', { clock: () => now, webhooks: { allowHosts: parseAllowHosts('127.0.0.1'), resolve } });
    const keys = await w.call('get', '/v1/keys', w.admin);
    for (const item of keys.body.items as Array<{ keyId: string; scopes: string[] }>) ids[item.scopes.join(',')] = item.keyId;
    await done('put', '/v1/program', w.admin, program);
    await done('put', '/v1/customers/ayu', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' });
    requests.pop(); // an enrolment is not an admin action
    const created = await done('post', '/v1/keys', w.admin, { name: 'crm tool', scopes: ['crm'] });
    ids.created = created.body.keyId as string;
    await done('delete', `/v1/keys/${ids.created}`, w.admin);
    await done('post', '/v1/customers/ayu/adjustments', w.crm, { id: 'adj-1', points: 250, reason: 'migrated balance', at: AT });
    await done('post', '/v1/customers/ayu/adjustments', w.crm, { id: 'adj-1', points: 250, reason: 'migrated balance', at: AT });
    await done('post', '/v1/goodwill', w.crm, { id: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', points: 500, at: AT });
    await done('post', '/v1/goodwill', w.admin, { id: 'gw-2', customerId: 'ayu', reason: 'cancelled-by-shop', points: 1200, override: { reason: 'VIP' }, at: AT });
    const hook = await done('post', '/v1/webhooks', w.admin, { url: 'https://hooks.example.com/purna' });
    ids.hook = hook.body.id as string;
    await done('patch', `/v1/webhooks/${ids.hook}`, w.admin, { description: 'CRM' });
    await done('delete', `/v1/webhooks/${ids.hook}`, w.admin);
    // Refused requests change nothing and are not recorded.
    expect((await w.call('post', '/v1/customers/ayu/adjustments', w.crm, { id: 'adj-bad', points: 'many', reason: 'x' })).status).to.equal(400);
    expect((await w.call('put', '/v1/program', w.admin, { name: 'no tiers' })).status).to.equal(400);
  });
  after(async () => {
    await w.ledger.close();
  });

  it('records every admin action once, in order, with the acting key, the instant and the request id', async () => {
    const trail = await readAll(w.admin, 100);
    expect(trail.map((e) => [e.action, e.target, e.actor])).to.deep.equal([
      ['program.published', 'toko-rewards v1', ids.admin],
      ['key.created', ids.created, ids.admin],
      ['key.revoked', ids.created, ids.admin],
      ['points.adjusted', 'ayu', ids.crm],
      ['points.adjusted', 'ayu', ids.crm],
      ['goodwill.granted', 'gw-1', ids.crm],
      ['goodwill.overridden', 'gw-2', ids.admin],
      ['webhook.created', ids.hook, ids.admin],
      ['webhook.updated', ids.hook, ids.admin],
      ['webhook.deleted', ids.hook, ids.admin],
    ]);
    expect(trail.map((e) => e.requestId)).to.deep.equal(requests);
    // One second apart, as the app's clock moved.
    expect(trail[0]!.at).to.equal('2027-01-15T03:00:01.000Z');
    expect(Date.parse(trail[9]!.at) - Date.parse(trail[0]!.at)).to.equal(10_000);
    expect(trail[1]!.details).to.deep.equal({ tenantId: 'shop-a', scopes: ['crm'], name: 'crm tool' });
    expect(trail[3]).to.not.have.property('replay');
    expect(trail[4]).to.include({ replay: true });
    expect(trail[3]!.details).to.deep.equal({ adjustmentId: 'adj-1', points: 250, reason: 'migrated balance' });
    expect(trail[6]!.details).to.deep.equal({ customerId: 'ayu', reason: 'cancelled-by-shop', points: 1200 });
  });

  it('pages with a cursor: every entry once, in the same order', async () => {
    const whole = await readAll(w.admin, 100);
    const paged = await readAll(w.admin, 3);
    expect(paged).to.deep.equal(whole);
    const bad = await w.call('get', '/v1/audit?after=bm90LWEtY3Vyc29y', w.admin);
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0]).to.include({ pointer: '/after', code: 'invalid-cursor' });
  });

  it('is read by admin keys only, each its own tenant\'s', async () => {
    expect((await w.call('get', '/v1/audit', w.crm)).status).to.equal(403);
    expect((await w.call('get', '/v1/audit', w.checkout)).status).to.equal(403);
    expect((await w.call('get', '/v1/audit', undefined)).status).to.equal(401);
    const other = await w.call('get', '/v1/audit', w.otherAdmin);
    expect(other.status).to.equal(200);
    expect(other.body.items).to.deep.equal([]);
  });
});
