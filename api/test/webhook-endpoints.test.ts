/**
 * Webhook endpoints through the API on the memory store: registration answers a secret the `standardwebhooks`
 * verifier accepts, reads never carry one, rotation signs with both secrets, deletion is a 404 afterwards, admin
 * scope only, and every URL the outbound policy refuses is a 400 on `/url` with its reason. Names resolve through
 * an injected resolver: nothing here touches DNS or sends traffic anywhere.
 */
import { expect } from 'chai';
import type request from 'supertest';
import { Webhook } from 'standardwebhooks';
import type { HostResolver } from '../src/webhooks/endpoint-url.js';
import { parseAllowHosts } from '../src/webhooks/allow-hosts.js';
import { webhookHeaders } from '../src/webhooks/webhook-signature.js';
import { openRouteWorld, type RouteWorld } from './support/route-world.js';

/** Names the tests use, and the addresses they resolve to; anything else does not resolve. */
const DNS: Record<string, string[]> = {
  'hooks.example.com': ['93.184.216.34'],
  'example.com': ['93.184.216.34'],
  'sneaky.example.com': ['93.184.216.34', '10.0.0.7'],
  'internal.example.com': ['10.0.0.7'],
};
const resolve: HostResolver = (hostname) => {
  const addresses = DNS[hostname];
  if (!addresses) return Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
  return Promise.resolve(addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
};

const NOW = Date.parse('2027-01-15T03:00:00.000Z');
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

type FieldErrors = Array<{ in: string; pointer: string; code?: string; message: string }>;
const errorsOf = (res: request.Response): FieldErrors => (res.body as { errors?: FieldErrors }).errors ?? [];

describe('webhook endpoints through the API', () => {
  let w: RouteWorld;
  // The app's clock only moves forward: its rate limiter refills by it.
  let now = NOW;
  const iso = (ms: number): string => new Date(ms).toISOString();

  before(async () => {
    w = await openRouteWorld('memory', { clock: () => now, webhooks: { allowHosts: parseAllowHosts('127.0.0.1'), resolve } });
  });
  after(async () => {
    await w.ledger.close();
  });

  async function register(body: Record<string, unknown>): Promise<request.Response> {
    const res = await w.call('post', '/v1/webhooks', w.admin, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return res;
  }

  it('registers an endpoint and answers its whsec_ secret once, which the standardwebhooks verifier accepts', async () => {
    const res = await register({ url: 'https://hooks.example.com/purna', types: ['points.expiring'], description: 'CRM' });
    expect(res.body).to.include({ url: 'https://hooks.example.com/purna', enabled: true, description: 'CRM', createdAt: iso(now) });
    expect(res.body.id).to.match(/^we_/);
    expect(res.body.types).to.deep.equal(['points.expiring']);
    expect(res.body.secret).to.match(/^whsec_[A-Za-z0-9+/]+=*$/);
    const body = JSON.stringify({ id: 'mo_1', type: 'points.expiring' });
    const headers = webhookHeaders('mo_1', Math.floor(Date.now() / 1000), body, [res.body.secret as string]);
    expect(new Webhook(res.body.secret as string).verify(body, { ...headers })).to.deep.equal(JSON.parse(body));
  });

  it('never shows a secret when listing or reading, and lists a page at a time', async () => {
    const created = await register({ url: 'https://hooks.example.com/list-1' });
    await register({ url: 'https://hooks.example.com/list-2' });
    const one = await w.call('get', `/v1/webhooks/${created.body.id as string}`, w.admin);
    expect(one.status).to.equal(200);
    expect(one.body).to.include({ id: created.body.id, url: 'https://hooks.example.com/list-1', enabled: true });
    expect(one.body.types).to.deep.equal([]);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await w.call('get', `/v1/webhooks?limit=1${cursor ? `&cursor=${cursor}` : ''}`, w.admin);
      expect(page.status).to.equal(200);
      expect(page.body.items).to.have.length.at.most(1);
      for (const text of [JSON.stringify(page.body), JSON.stringify(one.body)]) {
        expect(text).not.to.include('whsec_');
        expect(text).not.to.include('secret');
      }
      seen.push(...(page.body.items as Array<{ id: string }>).map((e) => e.id));
      cursor = page.body.nextCursor as string | undefined;
    } while (cursor);
    expect(seen).to.include(created.body.id);
    expect(new Set(seen).size).to.equal(seen.length);
    expect((await w.call('get', '/v1/webhooks?cursor=bm90LWEtY3Vyc29y', w.admin)).status).to.equal(400);
  });

  it('changes the fields sent with PATCH, and checks a new URL', async () => {
    const created = await register({ url: 'https://hooks.example.com/patch', description: 'before' });
    const id = created.body.id as string;
    now += HOUR;
    const patched = await w.call('patch', `/v1/webhooks/${id}`, w.admin, { types: ['tier.changed', 'tier.at-risk'], enabled: false });
    expect(patched.status, JSON.stringify(patched.body)).to.equal(200);
    expect(patched.body).to.include({ url: 'https://hooks.example.com/patch', description: 'before', enabled: false, updatedAt: iso(now) });
    expect(patched.body.types).to.deep.equal(['tier.changed', 'tier.at-risk']);
    expect(JSON.stringify(patched.body)).not.to.include('whsec_');
    const refused = await w.call('patch', `/v1/webhooks/${id}`, w.admin, { url: 'https://internal.example.com/' });
    expect(refused.status).to.equal(400);
    expect(errorsOf(refused)[0]).to.include({ in: 'body', pointer: '/url', code: 'private-address' });
    const enabled = await w.call('patch', `/v1/webhooks/${id}`, w.admin, { enabled: true, url: 'https://hooks.example.com/patch-2' });
    expect(enabled.body).to.include({ enabled: true, url: 'https://hooks.example.com/patch-2' });
    expect(enabled.body).not.to.have.any.keys('disabledAt', 'disabledReason');
    const unknown = await w.call('patch', `/v1/webhooks/${id}`, w.admin, { secret: 'whsec_mine' });
    expect(unknown.status).to.equal(400);
    expect(errorsOf(unknown)[0]).to.include({ pointer: '/secret' });
  });

  it('rotates the secret: the answer shows the new one once, and both sign for 24 hours', async () => {
    const created = await register({ url: 'https://hooks.example.com/rotate' });
    const id = created.body.id as string;
    const rotated = await w.call('post', `/v1/webhooks/${id}/secret`, w.admin);
    expect(rotated.status, JSON.stringify(rotated.body)).to.equal(200);
    expect(rotated.body).to.include({ id, previousSecretExpiresAt: iso(now + DAY) });
    expect(rotated.body.secret).to.match(/^whsec_/).and.not.equal(created.body.secret);
    const endpoint = await w.ledger.webhookEndpoints.get('shop-a', id);
    const secrets = w.ledger.webhookEndpoints.signingSecrets(endpoint, iso(now + HOUR));
    expect(secrets).to.deep.equal([rotated.body.secret, created.body.secret]);
    // A receiver holding either secret verifies a webhook signed during the overlap.
    const body = '{"id":"mo_2"}';
    const headers = webhookHeaders('mo_2', Math.floor(Date.now() / 1000), body, secrets);
    for (const secret of secrets) expect(new Webhook(secret).verify(body, { ...headers })).to.deep.equal({ id: 'mo_2' });
    expect(w.ledger.webhookEndpoints.signingSecrets(endpoint, iso(now + DAY))).to.deep.equal([rotated.body.secret]);
    expect(JSON.stringify((await w.call('get', `/v1/webhooks/${id}`, w.admin)).body)).not.to.include('whsec_');
  });

  it('deletes an endpoint (200 with deletedAt), after which its id is a 404 everywhere', async () => {
    const id = (await register({ url: 'https://hooks.example.com/delete' })).body.id as string;
    const deleted = await w.call('delete', `/v1/webhooks/${id}`, w.admin);
    expect(deleted.status).to.equal(200);
    expect(deleted.body).to.include({ id, deletedAt: iso(now) });
    expect(JSON.stringify(deleted.body)).not.to.include('whsec_');
    for (const [method, path, body] of [['get', `/v1/webhooks/${id}`], ['patch', `/v1/webhooks/${id}`, { enabled: true }], ['delete', `/v1/webhooks/${id}`], ['post', `/v1/webhooks/${id}/secret`]] as const) {
      const res = await w.call(method, path, w.admin, body);
      expect(res.status, `${method} ${path}`).to.equal(404);
    }
    const listed = await w.call('get', '/v1/webhooks?limit=100', w.admin);
    expect((listed.body.items as Array<{ id: string }>).map((e) => e.id)).not.to.include(id);
    expect((await w.call('get', '/v1/webhooks/we_unknown', w.admin)).status).to.equal(404);
  });

  it("needs the admin scope, and never shows another tenant's endpoint", async () => {
    const id = (await register({ url: 'https://hooks.example.com/scope' })).body.id as string;
    expect((await w.call('post', '/v1/webhooks', w.crm, { url: 'https://hooks.example.com/x' })).status).to.equal(403);
    expect((await w.call('get', '/v1/webhooks', w.crm)).status).to.equal(403);
    expect((await w.call('get', `/v1/webhooks/${id}`, w.checkout)).status).to.equal(403);
    expect((await w.call('get', '/v1/webhooks', undefined)).status).to.equal(401);
    expect((await w.call('get', `/v1/webhooks/${id}`, w.otherAdmin)).status).to.equal(404);
    expect((await w.call('patch', `/v1/webhooks/${id}`, w.otherAdmin, { enabled: false })).status).to.equal(404);
    expect((await w.call('post', `/v1/webhooks/${id}/secret`, w.otherAdmin)).status).to.equal(404);
    expect((await w.call('delete', `/v1/webhooks/${id}`, w.otherAdmin)).status).to.equal(404);
    expect((await w.call('get', '/v1/webhooks', w.otherAdmin)).body.items).to.deep.equal([]);
    expect((await w.call('get', `/v1/webhooks/${id}`, w.admin)).body.enabled).to.equal(true);
  });

  const refusals: Array<{ url: string; code: string; why: string }> = [
    { url: 'https://10.0.0.1/hook', code: 'private-address', why: 'a private IPv4 literal' },
    { url: 'https://169.254.169.254/', code: 'metadata-address', why: 'the cloud metadata address' },
    { url: 'https://127.0.0.2/', code: 'loopback-address', why: 'loopback, and only 127.0.0.1 is allow-listed' },
    { url: 'https://[::1]/', code: 'loopback-address', why: 'the IPv6 loopback' },
    { url: 'https://internal.example.com/hook', code: 'private-address', why: 'a name that resolves to 10.0.0.7' },
    { url: 'https://sneaky.example.com/hook', code: 'private-address', why: 'one answer of several is private' },
    { url: 'http://example.com', code: 'https-required', why: 'plain http to a host not on the allow list' },
    { url: 'https://nowhere.example.com/', code: 'unresolvable-host', why: 'a name that does not resolve' },
    { url: 'not a url', code: 'invalid-url', why: 'not a URL at all' },
  ];
  for (const { url, code, why } of refusals) {
    it(`refuses ${url} (${why}) with 400 on /url, code ${code}, and stores nothing`, async () => {
      const before = (await w.call('get', '/v1/webhooks?limit=100', w.admin)).body.items.length as number;
      const res = await w.call('post', '/v1/webhooks', w.admin, { url });
      expect(res.status, JSON.stringify(res.body)).to.equal(400);
      expect(res.body.code).to.equal('validation-failed');
      expect(errorsOf(res)).to.have.length(1);
      expect(errorsOf(res)[0]).to.include({ in: 'body', pointer: '/url', code });
      expect(errorsOf(res)[0]?.message).to.match(/^url: /);
      expect((await w.call('get', '/v1/webhooks?limit=100', w.admin)).body.items).to.have.length(before);
    });
  }

  it('accepts plain http to 127.0.0.1 on any port when the allow list holds 127.0.0.1', async () => {
    const res = await register({ url: 'http://127.0.0.1:9/hook' });
    expect(res.body.url).to.equal('http://127.0.0.1:9/hook');
  });

  it('refuses a body the schema refuses before the URL is looked at', async () => {
    const res = await w.call('post', '/v1/webhooks', w.admin, { url: 'https://hooks.example.com/x', types: ['points.nope'], description: '' });
    expect(res.status).to.equal(400);
    expect(errorsOf(res).map((e) => e.pointer)).to.include.members(['/types/0', '/description']);
  });
});
