/**
 * POST /v1/goodwill on the real ledger (memory, LMDB and MongoDB): the worked example of docs/after-sales.md (an
 * order cancelled by the shop, compensated with 500 points tied to the complaint case), refusals with every reason
 * (422), the admin override (allowed for an admin key and recorded; refused with a reason for a crm key, forbidden
 * for a checkout key), replays and conflicts, validation (400 with the pointer) and another tenant's key. Every
 * response is checked against the document by the route world.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import type { StoreConfig } from '@purna/ledger';
import { describeMongo } from '../../test/support/mongo.js';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const toko = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const aftercare = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-aftercare.program.json', import.meta.url), 'utf8')) as { goodwill: unknown };
/** The toko program with the after-sales example's goodwill section (its other new sections are not built here). */
const program = { ...toko, goodwill: aftercare.goodwill };

const NOW = Date.parse('2027-04-01T00:00:00.000Z');
/** 12 December 2026, 14:00 in Jakarta. */
const AT = '2026-12-12T14:00:00+07:00';

const reasonCodes = (res: request.Response): string[] => (res.body as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code);

function suite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;

  before(async () => {
    w = await openRouteWorld(storeConfig(), { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    for (const id of ['ayu', 'budi', 'cici']) expectOk(await w.call('put', `/v1/customers/${id}`, w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/cases', w.crm, { id: 'case-17', customerId: 'ayu', orderId: 'o-17', channel: 'phone', receivedAt: '2026-12-12T13:30:00+07:00', receivedBy: 'dewi', department: 'logistics', summary: 'order cancelled by the shop' }));
    expectOk(await w.call('put', '/v1/program', w.otherAdmin, { ...program, name: 'Shop B rewards' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('refuses a case that does not exist (404) or is another customer\'s (400 on /caseId), granting nothing', async () => {
    const missing = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-case-0', customerId: 'ayu', caseId: 'case-0', reason: 'cancelled-by-shop', points: 500, at: AT });
    expect(missing.status, JSON.stringify(missing.body)).to.equal(404);
    const theirs = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-case-1', customerId: 'cici', caseId: 'case-17', reason: 'cancelled-by-shop', points: 500, at: AT });
    expect(theirs.status, JSON.stringify(theirs.body)).to.equal(400);
    expect(theirs.body.errors[0]).to.include({ pointer: '/caseId', code: 'case-of-another-customer' });
    const cici = await w.call('get', `/v1/customers/cici?at=${encodeURIComponent(AT)}`, w.crm);
    expect(cici.body.points.balance).to.equal(0);
  });

  it('grants 500 points for an order cancelled by the shop, tied to the case, and replays the same id', async () => {
    const body = { id: 'gw-1', customerId: 'ayu', caseId: 'case-17', reason: 'cancelled-by-shop', points: 500, at: AT };
    const res = await w.call('post', '/v1/goodwill', w.crm, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // Available at once: 14:00 in Jakarta is 07:00Z.
    expect(res.body).to.deep.equal({ goodwillId: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', granted: 500, caseId: 'case-17', availableAt: '2026-12-12T07:00:00.000Z', balance: 500 });
    const replay = await w.call('post', '/v1/goodwill', w.crm, body);
    expect(replay.status).to.equal(201);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(res.body);
    const other = await w.call('post', '/v1/goodwill', w.crm, { ...body, points: 400 });
    expect(other.status).to.equal(409);
    expect(other.body.code).to.equal('idempotency-mismatch');
    const customer = await w.call('get', `/v1/customers/ayu?at=${encodeURIComponent(AT)}`, w.crm);
    expect(customer.body.points).to.include({ available: 500, balance: 500 });
    const moments = await w.call('get', '/v1/moments?customerId=ayu&type=goodwill.granted', w.crm);
    expect(moments.body.items).to.have.length(1);
    expect(moments.body.items[0].data).to.deep.include({ goodwillId: 'gw-1', reason: 'cancelled-by-shop', points: 500, caseId: 'case-17' });
    expect(moments.body.items[0].data.actor).to.match(/^api-key:/);
  });

  it('refuses with 422 and every reason, and a refusal grants nothing', async () => {
    const res = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-bad', customerId: 'budi', reason: 'cancelled-by-shop', points: 1200, override: { reason: 'VIP' }, at: AT });
    expect(res.status, JSON.stringify(res.body)).to.equal(422);
    expect(res.type).to.equal('application/problem+json');
    expect(res.body.code).to.equal('goodwill-refused');
    // A crm key may not override, so cancelled-by-shop's maximum of 1000 still binds: both reasons.
    expect(reasonCodes(res)).to.deep.equal(['override-not-allowed', 'over-reason-maximum']);
    expect(res.body.reasons[0].message).to.match(/only an admin key may override/);
    const unknown = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-unknown', customerId: 'budi', reason: 'rainy-day', points: 10, at: AT });
    expect(reasonCodes(unknown)).to.deep.equal(['unknown-reason']);
    const reward = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-reward', customerId: 'budi', reason: 'defect', rewardId: 'voucher-50k', at: AT });
    expect(reasonCodes(reward)).to.deep.equal(['unknown-reward']);
    expect((await w.call('get', `/v1/customers/budi?at=${encodeURIComponent(AT)}`, w.crm)).body.points.balance).to.equal(0);
  });

  it('lets an admin key override a reason maximum and records the override; a checkout key may not grant goodwill at all', async () => {
    const res = await w.call('post', '/v1/goodwill', w.admin, { id: 'gw-admin', customerId: 'cici', reason: 'cancelled-by-shop', points: 1200, override: { reason: 'order cancelled twice' }, at: AT });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.granted).to.equal(1200);
    expect(res.body.override).to.deep.include({ reason: 'order cancelled twice', maxPoints: 1000 });
    expect(res.body.override.actor).to.match(/^api-key:/);
    const withoutOverride = await w.call('post', '/v1/goodwill', w.admin, { id: 'gw-admin-2', customerId: 'cici', reason: 'cancelled-by-shop', points: 1200, at: AT });
    expect(reasonCodes(withoutOverride)).to.deep.equal(['over-reason-maximum']);
    const checkout = await w.call('post', '/v1/goodwill', w.checkout, { id: 'gw-checkout', customerId: 'cici', reason: 'late-delivery', points: 10, override: { reason: 'x' }, at: AT });
    expect(checkout.status).to.equal(403);
    expect(checkout.body.code).to.equal('forbidden');
    expect(checkout.body.detail).to.match(/needs crm or admin/);
  });

  it('answers 400 with the pointer for a malformed request, 404 for an unknown customer', async () => {
    const both = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-both', customerId: 'ayu', reason: 'defect', points: 10, rewardId: 'voucher-50k', at: AT });
    expect(both.status).to.equal(400);
    expect(both.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/points');
    const actor = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-actor', customerId: 'ayu', reason: 'defect', points: 10, actor: 'someone-else' });
    expect(actor.status).to.equal(400);
    expect(actor.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/actor');
    const nobody = await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-nobody', customerId: 'nobody', reason: 'defect', points: 10, at: AT });
    expect(nobody.status).to.equal(404);
  });

  it("another tenant's key cannot grant to this tenant's customer", async () => {
    const res = await w.call('post', '/v1/goodwill', w.otherAdmin, { id: 'gw-b', customerId: 'ayu', reason: 'defect', points: 10, at: AT });
    expect(res.status).to.equal(404);
  });
}

describe('goodwill over HTTP (memory store)', () => suite(() => 'memory'));

describe('goodwill over HTTP (embedded LMDB store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-goodwill-api-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  suite(() => ({ kind: 'lmdb', path: dir }));
});

describeMongo('goodwill over HTTP (MongoDB store)', (ctx) => suite(() => ({ kind: 'mongo', uri: ctx().uri, dbName: ctx().dbName })));
