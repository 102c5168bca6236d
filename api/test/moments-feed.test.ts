/**
 * GET /v1/moments: the feed a CRM polls. On the real ledger (memory store; the ledger's own suite runs the outbox on
 * every store): one customer's moments at once, the tenant's feed behind its horizon and resumable with `after`,
 * filters, scopes, and a clear 400 for a cursor this API did not hand out. Every response is checked against the
 * document.
 */
import { expect } from 'chai';
import { MOMENT_TYPES } from '@purna/rules';
import { openRouteWorld, type RouteWorld } from './support/route-world.js';
import { momentsProgram } from '../../packages/ledger/test/support/moments-program.js';

const program = momentsProgram;

describe('GET /v1/moments', () => {
  let w: RouteWorld;
  let wall = Date.parse('2026-06-01T00:00:00Z');

  before(async () => {
    w = await openRouteWorld('memory', { clock: () => Date.parse('2026-06-01T00:00:00Z'), wallClock: () => wall });
    expect((await w.call('put', '/v1/program', w.admin, program)).status).to.equal(201);
    const order = { id: 'o-1', customerId: 'ayu', placedAt: '2026-03-10T10:00:00Z', currency: 'IDR', lines: [{ sku: 'TV', quantity: 1, unitPrice: '2500000' }] };
    expect((await w.call('post', '/v1/orders', w.checkout, order)).status).to.equal(201);
  });
  after(async () => {
    await w.ledger.close();
  });

  it("lists a customer's moments at once, in commit order, with what a CRM needs", async () => {
    const res = await w.call('get', '/v1/moments?customerId=ayu', w.crm);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const items = res.body.items as Array<{ type: string; customerId: string; data: Record<string, unknown> }>;
    expect(items.map((m) => m.type)).to.deep.equal(['points.awarded', 'tier.changed']);
    expect(items[0]?.data).to.deep.include({ points: 250, orderId: 'o-1', availableAt: '2026-03-24T10:00:00.000Z', expiresAt: '2027-03-24T10:00:00.000Z' });
    expect(items[1]?.data).to.deep.include({ from: 'bronze', to: 'silver' });
  });

  it('shows the feed once past its horizon, resumes after the cursor it handed out, and filters by type', async () => {
    expect((await w.call('get', '/v1/moments', w.crm)).body.items).to.deep.equal([]);
    wall += 5000;
    const first = await w.call('get', '/v1/moments?limit=1', w.crm);
    expect(first.body.items.map((m: { type: string }) => m.type)).to.deep.equal(['points.awarded']);
    const second = await w.call('get', `/v1/moments?after=${first.body.nextCursor as string}`, w.crm);
    expect(second.body.items.map((m: { type: string }) => m.type)).to.deep.equal(['tier.changed']);
    const end = await w.call('get', `/v1/moments?after=${second.body.nextCursor as string}`, w.crm);
    expect(end.body).to.deep.equal({ items: [], nextCursor: second.body.nextCursor });
    const tiers = await w.call('get', '/v1/moments?type=tier.changed', w.crm);
    expect(tiers.body.items).to.have.length(1);
  });

  it('POST /v1/jobs/moments emits what fell due by `at` once: the points of o-1 became available on 24 March', async () => {
    const run = await w.call('post', '/v1/jobs/moments', w.crm, { at: '2026-03-25T00:00:00Z' });
    expect(run.status, JSON.stringify(run.body)).to.equal(200);
    expect(run.body).to.deep.equal({ emitted: 1, customers: 1 });
    expect((await w.call('post', '/v1/jobs/moments', w.crm, { at: '2026-03-25T00:00:00Z' })).body).to.deep.equal({ emitted: 0, customers: 0 });
    const available = await w.call('get', '/v1/moments?customerId=ayu&type=points.available', w.crm);
    expect(available.body.items.map((m: { occurredAt: string }) => m.occurredAt)).to.deep.equal(['2026-03-24T10:00:00.000Z']);
    expect((await w.call('post', '/v1/jobs/moments', w.checkout, {})).status).to.equal(403);
  });

  it('answers 400 with the parameter for a foreign cursor or an unknown type, 404 for an unknown customer, 403 for a checkout key', async () => {
    const foreign = await w.call('get', `/v1/moments?after=${Buffer.from('not a cursor').toString('base64url')}`, w.crm);
    expect(foreign.status).to.equal(400);
    expect(foreign.body.errors).to.deep.include({ in: 'query', pointer: '/after', message: foreign.body.errors[0].message, code: 'invalid-cursor' });
    // One problem, on the query's type, that says what was sent and lists the allowed types once.
    const type = await w.call('get', '/v1/moments?type=points.sent', w.crm);
    expect(type.status).to.equal(400);
    expect(type.body.errors).to.have.length(1);
    expect(type.body.errors[0]).to.deep.include({ in: 'query', pointer: '/type', code: 'enum' });
    expect(type.body.errors[0].message).to.match(/^must be a moment type: points\.awarded, .*, got "points\.sent"$/);
    for (const known of MOMENT_TYPES) expect(type.body.errors[0].message.split(known).length, known).to.equal(2);
    expect((await w.call('get', '/v1/moments?customerId=nobody', w.crm)).status).to.equal(404);
    expect((await w.call('get', '/v1/moments', w.checkout)).status).to.equal(403);
  });
});
