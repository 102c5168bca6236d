import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { MemoryApiKeys } from './support/memory-api-keys.js';
import { unreachableLedger } from './support/unreachable-ledger.js';

const ledger = unreachableLedger(new MemoryApiKeys());

describe('health endpoints', () => {
  it('answers /healthz with ok', async () => {
    const res = await request(createApp({ ledger })).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('answers /readyz with 503 when storage is unreachable', async () => {
    const app = createApp({ ledger, ready: () => Promise.resolve(false) });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.status).to.equal('unavailable');
  });

  it('answers /readyz with 503 when storage never answers (a dropped database), instead of hanging', async () => {
    const app = createApp({ ledger, ready: () => new Promise<boolean>(() => undefined) });
    const res = await request(app).get('/readyz').expect(503);
    expect(res.body.status).to.equal('unavailable');
  });

  it('answers /readyz with 503 when the check itself fails', async () => {
    const app = createApp({ ledger, ready: () => Promise.reject(new Error('connection reset')) });
    await request(app).get('/readyz').expect(503);
  });

  it('serves the OpenAPI document and Swagger UI', async () => {
    const app = createApp({ ledger });
    const doc = await request(app).get('/openapi.json').expect(200);
    expect(doc.body.openapi).to.equal('3.1.0');
    const ui = await request(app).get('/docs/').expect(200);
    expect(ui.text).to.contain('swagger-ui');
  });

  it('answers unknown routes and wrong methods with problem+json', async () => {
    const app = createApp({ ledger });
    const missing = await request(app).get('/v1/nothing').expect(404);
    expect(missing.type).to.equal('application/problem+json');
    expect(missing.body.code).to.equal('route-not-found');
    const wrong = await request(app).patch('/healthz').expect(405);
    expect(wrong.headers.allow).to.equal('GET, HEAD');
  });
});
