/** The API serves the built playground at /playground/ with its Content-Security-Policy, and says how to build it. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import request from 'supertest';
import { openLedger, type Ledger } from '@purna/ledger';
import { createApp } from '../src/app.js';

describe('API: /playground/', () => {
  let ledger: Ledger;
  let built: string;

  before(async () => {
    ledger = await openLedger({ store: 'memory' });
    // A stand-in for a build: what the route serves does not depend on what the page holds.
    built = await mkdtemp(join(tmpdir(), 'purna-playground-files-'));
    await writeFile(join(built, 'index.html'), '<!doctype html><title>playground</title>');
    await writeFile(join(built, 'playground.js'), 'export {};');
  });
  after(() => ledger.close());

  it('serves the page and its script with a policy that allows scripts from this origin only', async () => {
    const app = createApp({ ledger, playgroundDir: built });
    const page = await request(app).get('/playground/').expect(200);
    expect(page.type).to.equal('text/html');
    expect(page.text).to.equal('<!doctype html><title>playground</title>');
    const policy = String(page.headers['content-security-policy']).split('; ');
    expect(policy).to.include.members(["default-src 'self'", "script-src 'self'", "worker-src 'self'", "connect-src 'self'", "object-src 'none'"]);
    expect(policy.join('; ')).not.to.include('unsafe-eval');
    const script = await request(app).get('/playground/playground.js').expect(200);
    expect(script.type).to.equal('text/javascript');
    expect(script.headers['content-security-policy']).to.equal(page.headers['content-security-policy']);
  });

  it('redirects /playground to /playground/, where the page\'s relative files resolve', async () => {
    const res = await request(createApp({ ledger, playgroundDir: built })).get('/playground').expect(301);
    expect(res.headers.location).to.equal('/playground/');
  });

  it('answers a missing file of a built playground with the API\'s 404 problem', async () => {
    const res = await request(createApp({ ledger, playgroundDir: built })).get('/playground/nothing.js').expect(404);
    expect(res.type).to.equal('application/problem+json');
    expect(res.body.code).to.equal('route-not-found');
  });

  it('says how to build a playground that was not built', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'purna-playground-none-'));
    const res = await request(createApp({ ledger, playgroundDir: empty })).get('/playground/').expect(404);
    expect(res.type).to.equal('application/problem+json');
    expect(res.body.detail).to.equal(`The playground is not built in ${empty}: run npm run build:playground.`);
  });
});
