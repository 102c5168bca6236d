import { expect } from 'chai';
import request from 'supertest';
import { createApp } from '../src/app.js';

describe('health endpoints', () => {
  it('answers /healthz with ok', async () => {
    const res = await request(createApp()).get('/healthz').expect(200);
    expect(res.body).to.deep.equal({ status: 'ok' });
  });

  it('answers /readyz with 503 when storage is unreachable', async () => {
    const res = await request(createApp({ ready: () => Promise.resolve(false) })).get('/readyz').expect(503);
    expect(res.body.status).to.equal('unavailable');
  });
});
