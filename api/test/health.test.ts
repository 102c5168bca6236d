import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../src/app.js';
import type { ApiKeyStore } from '../src/auth/api-key-store.js';

// Health checks never read keys or the ledger; this store says so loudly if that ever changes.
// TODO(api): build these apps on the real ledger's memory store once @purna/ledger exports openLedger.
const unusedKeys: ApiKeyStore = {
  insert: () => Promise.reject(new Error('health checks must not write keys')),
  findByKeyId: () => Promise.reject(new Error('health checks must not read keys')),
  list: () => Promise.reject(new Error('health checks must not list keys')),
  revoke: () => Promise.reject(new Error('health checks must not revoke keys')),
};

describe('health endpoints', () => {
  it('answers /healthz with ok', async () => {
    const res = await request(createApp({ ledger: { apiKeys: unusedKeys } })).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('answers /readyz with 503 when storage is unreachable', async () => {
    const app = createApp({ ledger: { apiKeys: unusedKeys }, ready: () => Promise.resolve(false) });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.status).to.equal('unavailable');
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const app = createApp({ ledger: { apiKeys: unusedKeys } });
    const doc = await request(app).get('/openapi.json').expect(200);
    expect(doc.body.openapi).to.equal('3.1.0');
    const ui = await request(app).get('/docs/').expect(200);
    expect(ui.text).to.contain('swagger-ui');
  });

  it('answers unknown routes and wrong methods with problem+json', async () => {
    const app = createApp({ ledger: { apiKeys: unusedKeys } });
    const missing = await request(app).get('/v1/nothing').expect(404);
    expect(missing.type).to.equal('application/problem+json');
    expect(missing.body.code).to.equal('route-not-found');
    const wrong = await request(app).patch('/healthz').expect(405);
    expect(wrong.headers.allow).to.equal('GET, HEAD');
  });
});
