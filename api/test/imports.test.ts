/**
 * POST /v1/imports and GET /v1/imports/{id} (docs/data.md, "Migrating from another program"): an NDJSON body read
 * line by line, the bad lines listed with their number and pointer, the same Idempotency-Key answering the same
 * import, the status readable by admin keys of the tenant only, and the import in the audit trail.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type request from 'supertest';
import { openRouteWorld, type RouteWorld } from './support/route-world.js';

const program = JSON.parse(readFileSync(new URL('../../examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const NOW = Date.parse('2026-12-10T03:00:00.000Z');
const NDJSON = { 'Content-Type': 'application/x-ndjson' };
const FILE = [
  JSON.stringify({ id: 'siti', enrolledAt: '2024-05-01T10:00:00+07:00', lots: [{ points: 1200, expiresAt: '2027-06-30T23:59:59+07:00' }], tier: { id: 'gold', until: '2027-03-31T23:59:59+07:00' } }),
  JSON.stringify({ id: 'joko', lots: [{ points: 250, balance: 9999 }] }),
  'not json',
  JSON.stringify({ id: 'wati', lots: [{ points: 40 }] }),
].join('\n');

describe('imports over HTTP', () => {
  let w: RouteWorld;
  const ok = (res: request.Response): void => {
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201, 202]);
  };
  before(async () => {
    w = await openRouteWorld('memory', { clock: () => NOW });
    ok(await w.call('put', '/v1/program', w.admin, program));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('imports the good lines and lists the bad with line and pointer; the same key answers the same import', async () => {
    const res = await w.call('post', '/v1/imports', w.admin, FILE, { ...NDJSON, 'Idempotency-Key': 'migration-2026-12' });
    expect(res.status, JSON.stringify(res.body)).to.equal(202);
    const status = await w.call('get', `/v1/imports/${res.body.importId}`, w.admin);
    expect(status.status).to.equal(200);
    expect(status.body).to.deep.include({ importId: res.body.importId, status: 'done', processed: 4, imported: 2, failed: 2 });
    // Line 2: a field a lot has not (mass assignment of a balance); line 3: not JSON.
    expect(status.body.errors.map((e: { line: number; pointer: string }) => [e.line, e.pointer])).to.deep.equal([[2, '/lots/0/balance'], [3, '']]);
    const siti = await w.call('get', '/v1/customers/siti', w.crm);
    expect(siti.body.points).to.deep.include({ available: 1200, balance: 1200 });
    expect(siti.body.tier).to.deep.include({ id: 'gold' });
    expect((await w.call('get', '/v1/customers/wati', w.crm)).body.points.balance).to.equal(40);
    expect((await w.call('get', '/v1/customers/joko', w.crm)).status, 'the bad line wrote nothing').to.equal(404);
    const again = await w.call('post', '/v1/imports', w.admin, FILE, { ...NDJSON, 'Idempotency-Key': 'migration-2026-12' });
    expect(again.status).to.equal(202);
    expect(again.body.importId).to.equal(res.body.importId);
    expect(again.headers['idempotency-replayed']).to.equal('true');
    expect((await w.call('get', '/v1/customers/siti', w.crm)).body.points.balance, 'imported once').to.equal(1200);
    const audit = await w.call('get', '/v1/audit?limit=100', w.admin);
    expect((audit.body.items as Array<{ action: string; target: string }>).filter((e) => e.action === 'customers.imported').map((e) => e.target)).to.include(res.body.importId);
  });

  it('refuses a body that is not NDJSON, keys other than admin, and another tenant reading the status', async () => {
    const json = await w.call('post', '/v1/imports', w.admin, { id: 'x' });
    expect(json.status).to.equal(415);
    expect(json.body.code).to.equal('unsupported-media-type');
    expect((await w.call('post', '/v1/imports', w.crm, FILE, NDJSON)).status).to.equal(403);
    const mine = await w.call('post', '/v1/imports', w.admin, `${JSON.stringify({ id: 'rina' })}\n`, NDJSON);
    expect(mine.status).to.equal(202);
    expect((await w.call('get', `/v1/imports/${mine.body.importId}`, w.otherAdmin)).status).to.equal(404);
    expect((await w.call('get', '/v1/imports/imp_nothing', w.admin)).status).to.equal(404);
    expect((await w.call('get', `/v1/imports/${mine.body.importId}`, w.crm)).status).to.equal(403);
  });
});
