import { expect } from 'chai';
import { pino } from 'pino';
import request from 'supertest';
import { createApp, type AppOptions, type PurnaApp } from '../src/app.js';
import { generateApiKey } from '../src/auth/api-key.js';
import type { Scope } from '../src/auth/scope.js';
import { expectConforms } from './support/conformance.js';
import { MemoryApiKeys } from './support/memory-api-keys.js';
import { unreachableLedger } from './support/unreachable-ledger.js';

interface Harness {
  app: PurnaApp;
  keys: MemoryApiKeys;
  key(tenantId: string, scopes: Scope[]): Promise<string>;
  call(method: 'get' | 'post' | 'put' | 'delete', path: string, key?: string, body?: unknown): Promise<request.Response>;
}

function harness(options: Partial<AppOptions> = {}): Harness {
  const keys = new MemoryApiKeys();
  const app = createApp({ ledger: unreachableLedger(keys), ...options });
  return {
    app,
    keys,
    async key(tenantId, scopes) {
      const generated = generateApiKey();
      await keys.insert({ tenantId, keyId: generated.keyId, hash: generated.hash, scopes, name: 'test', createdAt: '2026-01-01T00:00:00.000Z' });
      return generated.key;
    },
    async call(method, path, key, body) {
      let req = request(app)[method](path);
      if (key) req = req.set('Authorization', `Bearer ${key}`);
      const res = body === undefined ? await req : await req.send(body as object);
      expectConforms(app, res);
      return res;
    },
  };
}

const order = { id: 'o-1', customerId: 'ayu', currency: 'IDR', lines: [{ sku: 'A', category: 'tv', quantity: 1, unitPrice: '100' }] };

describe('API pipeline', () => {
  describe('authentication and scopes', () => {
    it('answers 401 with a Bearer challenge without a key, with a malformed key and with an unknown key', async () => {
      const h = harness();
      for (const key of [undefined, 'nope', generateApiKey().key]) {
        const res = await h.call('post', '/v1/orders', key, order);
        expect(res.status, String(key)).to.equal(401);
        expect(res.headers['www-authenticate']).to.equal('Bearer realm="purna"');
        expect(res.body.code).to.equal('unauthenticated');
      }
    });

    it('answers 403 when the key lacks the scope, naming what is needed', async () => {
      const h = harness();
      const crm = await h.key('shop-a', ['crm']);
      const res = await h.call('post', '/v1/orders', crm, order);
      expect(res.status).to.equal(403);
      expect(res.body.detail).to.contain('checkout or admin');
      const checkout = await h.key('shop-a', ['checkout']);
      expect((await h.call('get', '/v1/customers/ayu', checkout)).status).to.equal(403);
      expect((await h.call('get', '/v1/keys', checkout)).status).to.equal(403);
    });
  });

  describe('API keys', () => {
    it('creates a key shown once, lists it without secret or hash, and revoking it locks it out', async () => {
      const h = harness();
      const admin = await h.key('shop-a', ['admin']);
      const created = await h.call('post', '/v1/keys', admin, { name: 'till 1', scopes: ['checkout'] });
      expect(created.status).to.equal(201);
      expect(created.body).to.include({ tenantId: 'shop-a', name: 'till 1' });
      expect(created.body.key).to.match(/^pk_[0-9a-f]{16}_/);
      const listed = await h.call('get', '/v1/keys', admin);
      const entry = listed.body.items.find((k: { keyId: string }) => k.keyId === created.body.keyId);
      expect(entry).to.not.have.property('key');
      // The secret is everything after the key id's `_` (it may contain `_` itself).
      const secret = (created.body.key as string).slice(`pk_${created.body.keyId as string}_`.length);
      expect(secret).to.have.length.of.at.least(32);
      expect(JSON.stringify(listed.body)).to.not.contain(secret);
      const stored = await h.keys.findByKeyId(created.body.keyId);
      expect(stored?.hash).to.match(/^[0-9a-f]{64}$/);
      expect((await h.call('get', '/v1/keys', created.body.key)).status).to.equal(403);
      const revoked = await h.call('delete', `/v1/keys/${created.body.keyId}`, admin);
      expect(revoked.status).to.equal(200);
      expect(revoked.body.revokedAt).to.be.a('string');
      const after = await h.call('post', '/v1/orders', created.body.key, order);
      expect(after.status).to.equal(401);
      expect(after.body.detail).to.contain('revoked');
    });

    it("never touches another tenant's keys: revoke answers 404, listing shows only one's own", async () => {
      const h = harness();
      const adminA = await h.key('shop-a', ['admin']);
      const adminB = await h.key('shop-b', ['admin']);
      const keyB = await h.call('post', '/v1/keys', adminB, { name: 'b', scopes: ['crm'] });
      expect((await h.call('delete', `/v1/keys/${keyB.body.keyId}`, adminA)).status).to.equal(404);
      const listA = await h.call('get', '/v1/keys', adminA);
      expect(listA.body.items.map((k: { tenantId: string }) => k.tenantId)).to.deep.equal(['shop-a']);
      expect((await h.call('post', '/v1/keys', adminA, { name: 'x', scopes: ['crm'], tenantId: 'shop-b' })).status).to.equal(403);
    });

    it("lets the operator's admin (tenant default) create a new tenant's first key", async () => {
      const h = harness();
      const operator = await h.key('default', ['admin']);
      const res = await h.call('post', '/v1/keys', operator, { name: 'first', scopes: ['admin'], tenantId: 'shop-c' });
      expect(res.status).to.equal(201);
      expect(res.body.tenantId).to.equal('shop-c');
    });
  });

  describe('validation', () => {
    it('refuses unknown fields and lists every bad field with a pointer', async () => {
      const h = harness();
      const key = await h.key('shop-a', ['checkout']);
      const res = await h.call('post', '/v1/orders', key, { ...order, coupon: 'X', lines: [{ sku: 'A', quantity: -1, unitPrice: 5 }] });
      expect(res.status).to.equal(400);
      expect(res.type).to.equal('application/problem+json');
      const pointers = res.body.errors.map((e: { pointer: string }) => e.pointer);
      expect(pointers).to.include.members(['/coupon', '/lines/0/quantity', '/lines/0/unitPrice']);
    });

    it('refuses bad path ids, unknown query parameters and page sizes over 100', async () => {
      const h = harness();
      const key = await h.key('shop-a', ['crm']);
      const badId = await h.call('get', `/v1/customers/${'x'.repeat(129)}`, key);
      expect(badId.status).to.equal(400);
      expect(badId.body.errors[0]).to.include({ in: 'path', pointer: '/id' });
      const unknown = await h.call('get', '/v1/customers/ayu?filter=1', key);
      expect(unknown.body.errors[0]).to.include({ in: 'query', pointer: '/filter' });
      const page = await h.call('get', '/v1/customers/ayu/transactions?limit=101', key);
      expect(page.body.errors[0]).to.include({ in: 'query', pointer: '/limit' });
    });

    it('refuses MongoDB operators and dotted keys anywhere in bodies and queries', async () => {
      const h = harness();
      const key = await h.key('shop-a', ['checkout', 'crm']);
      const body = await h.call('post', '/v1/events', key, { id: 'e', customerId: { $gt: '' }, type: 't', attributes: { 'a.b': 1 } });
      expect(body.status).to.equal(400);
      expect(body.body.code).to.equal('operator-key');
      expect(body.body.errors.map((e: { pointer: string }) => e.pointer)).to.deep.equal(['/customerId/$gt', '/attributes/a.b']);
      const query = await h.call('get', '/v1/customers/ayu?$where=1', key);
      expect(query.body.code).to.equal('operator-key');
    });

    it('refuses a customer body whose id differs from the path', async () => {
      const h = harness();
      const key = await h.key('shop-a', ['crm']);
      const res = await h.call('put', '/v1/customers/ayu', key, { id: 'budi', enrolledAt: '2026-01-05T09:00:00+07:00' });
      expect(res.status).to.equal(400);
      expect(res.body.errors[0]).to.include({ in: 'body', pointer: '/id' });
    });
  });

  describe('limits', () => {
    it('answers 413 for a body over the limit, 415 for a non-JSON body, 400 for malformed JSON', async () => {
      const h = harness({ bodyLimitBytes: 1024 });
      const key = await h.key('shop-a', ['checkout']);
      const big = await h.call('post', '/v1/orders', key, { ...order, id: 'x'.repeat(2000) });
      expect(big.status).to.equal(413);
      const text = await request(h.app).post('/v1/orders').set('Authorization', `Bearer ${key}`).type('text/plain').send('hi');
      expectConforms(h.app, text);
      expect(text.status).to.equal(415);
      const broken = await request(h.app).post('/v1/orders').set('Authorization', `Bearer ${key}`).type('application/json').send('{"id":');
      expectConforms(h.app, broken);
      expect(broken.status).to.equal(400);
      expect(broken.body.code).to.equal('malformed-json');
    });

    it('bounds array lengths: an order of more than 1000 lines is refused at /lines', async () => {
      const h = harness();
      const key = await h.key('shop-a', ['checkout']);
      const line = { sku: 'A', category: 'tv', quantity: 1, unitPrice: '1' };
      const res = await h.call('post', '/v1/orders', key, { ...order, lines: Array.from({ length: 1001 }, () => line) });
      expect(res.status).to.equal(400);
      expect(res.body.errors[0]).to.include({ in: 'body', pointer: '/lines', code: 'maxItems' });
    });

    it('rate-limits per key with 429, Retry-After and RateLimit-* headers', async () => {
      let now = 500;
      // 60 per minute, burst 2: 2 requests per window of 60 s × 2 ÷ 60 = 2 s; the third waits for the next window.
      const h = harness({ rateLimit: { perMinute: 60, burst: 2 }, clock: () => now });
      const key = await h.key('shop-a', ['admin']);
      const other = await h.key('shop-a', ['admin']);
      const first = await h.call('get', '/v1/keys', key);
      expect(first.status).to.equal(200);
      expectConforms(h.app, first);
      expect(first.headers).to.include({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '2', 'ratelimit-policy': '2;w=2' });
      expect((await h.call('get', '/v1/keys', key)).headers['ratelimit-remaining']).to.equal('0');
      const limited = await h.call('get', '/v1/keys', key);
      expectConforms(h.app, limited);
      expect(limited.status).to.equal(429);
      expect(limited.headers).to.include({ 'retry-after': '2', 'ratelimit-remaining': '0', 'ratelimit-reset': '2' });
      expect((await h.call('get', '/v1/keys', other)).status).to.equal(200);
      now = 2000;
      expect((await h.call('get', '/v1/keys', key)).status).to.equal(200);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer with Idempotency-Replayed, and refuses the key with another body', async () => {
      const h = harness();
      const admin = await h.key('shop-a', ['admin']);
      const send = (body: object) =>
        request(h.app).post('/v1/keys').set('Authorization', `Bearer ${admin}`).set('Idempotency-Key', 'k-1').send(body);
      const first = await send({ name: 'a', scopes: ['crm'] });
      const again = await send({ scopes: ['crm'], name: 'a' });
      expectConforms(h.app, again);
      expect(again.status).to.equal(201);
      expect(again.headers['idempotency-replayed']).to.equal('true');
      expect(again.body).to.deep.equal(first.body);
      expect((await h.keys.list('shop-a')).length).to.equal(2);
      const other = await send({ name: 'b', scopes: ['crm'] });
      expectConforms(h.app, other);
      expect(other.status).to.equal(409);
      expect(other.body.code).to.equal('idempotency-key-reused');
    });

    it('keeps keys of different tenants apart', async () => {
      const h = harness();
      const a = await h.key('shop-a', ['admin']);
      const b = await h.key('shop-b', ['admin']);
      const post = (key: string, name: string) =>
        request(h.app).post('/v1/keys').set('Authorization', `Bearer ${key}`).set('Idempotency-Key', 'same').send({ name, scopes: ['crm'] });
      expect((await post(a, 'a')).status).to.equal(201);
      const res = await post(b, 'b');
      expect(res.status).to.equal(201);
      expect(res.headers['idempotency-replayed']).to.equal(undefined);
    });
  });

  describe('request ids and logs', () => {
    it('echoes a safe X-Request-Id, replaces an unsafe one, and puts it in the problem instance', async () => {
      const h = harness();
      const kept = await request(h.app).get('/v1/keys').set('X-Request-Id', 'checkout-42');
      expect(kept.headers['x-request-id']).to.equal('checkout-42');
      expect(kept.body.instance).to.equal('urn:purna:request:checkout-42');
      const replaced = await request(h.app).get('/healthz').set('X-Request-Id', 'a b<script>');
      expect(replaced.headers['x-request-id']).to.match(/^[0-9a-f-]{36}$/);
    });

    it('logs one JSON line per request with id, status, tenant and key, never the Authorization header', async () => {
      const lines: string[] = [];
      const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(line) });
      const h = harness({ logger });
      const key = await h.key('shop-a', ['admin']);
      await request(h.app).get('/v1/keys').set('Authorization', `Bearer ${key}`).set('X-Request-Id', 'r-1').expect(200);
      const entry = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((e) => e.reqId === 'r-1');
      expect(entry).to.include({ method: 'GET', path: '/v1/keys', status: 200, tenantId: 'shop-a', msg: 'request' });
      expect(entry?.keyId).to.equal(key.split('_')[1]);
      // The secret is everything after `pk_<keyId>_` (it may itself hold "_", even first).
      const secret = key.slice(`pk_${key.split('_')[1]}_`.length);
      expect(secret.length).to.be.greaterThan(30);
      expect(lines.join('\n')).to.not.contain(secret);
    });

    it('with the level above info, logs no line for an answered request, and a request id all the same', async () => {
      const lines: string[] = [];
      const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
      const h = harness({ logger });
      const key = await h.key('shop-a', ['admin']);
      const answer = await request(h.app).get('/v1/keys').set('Authorization', `Bearer ${key}`).set('X-Request-Id', 'r-2').expect(200);
      expect(answer.headers['x-request-id']).to.equal('r-2');
      expect(lines).to.deep.equal([]);
    });
  });

  describe('how answers are written', () => {
    it('sends JSON and problem answers with their type, utf-8, and the length in bytes of a body with non-ASCII text', async () => {
      const h = harness();
      const key = await h.key('shop-a', ['admin']);
      const created = await h.call('post', '/v1/keys', key, { name: 'Kasir Cabang Bandung — lantai 2 · ñ', scopes: ['checkout'] });
      expect(created.status).to.equal(201);
      expect(created.headers['content-type']).to.equal('application/json; charset=utf-8');
      expect(Number(created.headers['content-length'])).to.equal(Buffer.byteLength(created.text)).and.to.be.greaterThan(created.text.length);
      expect(created.body.name).to.equal('Kasir Cabang Bandung — lantai 2 · ñ');
      const refused = await h.call('post', '/v1/orders', undefined, order);
      expect(refused.headers['content-type']).to.equal('application/problem+json; charset=utf-8');
      expect(Number(refused.headers['content-length'])).to.equal(Buffer.byteLength(refused.text));
    });

    it('answers HEAD of a JSON route with the GET headers and no body, and a held ETag of the document with 304', async () => {
      const h = harness();
      const got = await request(h.app).get('/healthz').expect(200);
      const head = await request(h.app).head('/healthz').expect(200);
      expect(head.text).to.equal(undefined);
      expect(head.headers['content-type']).to.equal(got.headers['content-type']);
      expect(head.headers['content-length']).to.equal(got.headers['content-length']);
      const document = await request(h.app).get('/openapi.json').expect(200);
      const again = await request(h.app).get('/openapi.json').set('If-None-Match', String(document.headers.etag)).expect(304);
      expect(again.text).to.equal('');
    });
  });

  describe('the document', () => {
    it('documents every route the app serves', async () => {
      const h = harness();
      const router = (h.app as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } }).router;
      const paths = h.app.openApiDocument.paths as Record<string, Record<string, unknown>>;
      const served = router.stack.flatMap((layer) =>
        layer.route ? Object.keys(layer.route.methods).filter((m) => m !== '_all').map((m) => [m, layer.route!.path] as const) : [],
      );
      expect(served.length).to.be.greaterThan(15);
      for (const [method, path] of served) {
        const template = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
        expect(paths[template]?.[method], `${method} ${path}`).to.be.an('object');
      }
      const res = await h.call('get', '/openapi.json');
      expect(Object.keys(res.body.paths)).to.include.members(['/v1/orders', '/v1/customers/{id}', '/v1/warranty/eligibility']);
    });
  });
});
