/**
 * GET /v1/customers/{id}/export (docs/data.md, "Export"): one customer's whole record as the other routes answer its
 * parts (balances, every entry oldest first, the orders with their returns, moments, cases, vouchers, warranty
 * contracts), none of another customer's, and the customer as an import line whose lots add up to the balance.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const toko = JSON.parse(readFileSync(new URL('../../examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const aftercare = JSON.parse(readFileSync(new URL('../../examples/toko-aftercare.program.json', import.meta.url), 'utf8')) as { goodwill: unknown };
const program = { ...toko, goodwill: aftercare.goodwill };
const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const AT = '2026-06-01T07:00:00+07:00';
const order = (id: string, customerId: string, unitPrice: string) => ({ id, customerId, placedAt: '2026-02-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'TV-1', category: 'tv', quantity: 2, unitPrice }] });

describe('GET /v1/customers/{id}/export', () => {
  let w: RouteWorld;
  before(async () => {
    w = await openRouteWorld('memory', { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', '/v1/customers/ayu', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: '1990-03-14', emailHash: 'sha256:ayu', tags: ['vip'], attributes: { city: 'Bandung' } }));
    expectOk(await w.call('put', '/v1/customers/budi', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/orders', w.checkout, order('o-1', 'ayu', '3000000')));
    expectOk(await w.call('post', '/v1/orders', w.checkout, order('o-2', 'ayu', '1500000')));
    expectOk(await w.call('post', '/v1/orders', w.checkout, order('o-b', 'budi', '2000000')));
    expectOk(await w.call('post', '/v1/orders/o-2/returns', w.checkout, { id: 'r-1', at: '2026-02-03T10:00:00+07:00', lines: [{ sku: 'TV-1', quantity: 1 }] }));
    expectOk(await w.call('post', '/v1/customers/ayu/adjustments', w.crm, { id: 'adj-1', points: 300, reason: 'migrated balance', at: '2026-03-01T10:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/goodwill', w.crm, { id: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', points: 500, at: '2026-03-02T10:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/cases', w.crm, { id: 'case-1', customerId: 'ayu', orderId: 'o-1', channel: 'phone', receivedAt: '2026-03-02T09:00:00+07:00', receivedBy: 'dewi', department: 'logistics', summary: 'late delivery' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('answers the customer\'s whole record as the other routes answer its parts, and nothing of another customer\'s', async () => {
    const res = await w.call('get', `/v1/customers/ayu/export?at=${encodeURIComponent(AT)}`, w.crm);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const body = res.body as Record<string, unknown> & { transactions: Array<{ id: string; orderId?: string }>; orders: Array<{ orderId: string; customerId: string; returns: unknown[] }>; moments: Array<{ customerId: string }>; cases: Array<{ caseId: string }> };
    const customer = await w.call('get', `/v1/customers/ayu?at=${encodeURIComponent(AT)}`, w.crm);
    expect(body.customer).to.deep.equal(customer.body);
    const newestFirst = await w.call('get', `/v1/customers/ayu/transactions?limit=100&at=${encodeURIComponent(AT)}`, w.crm);
    expect(body.transactions).to.deep.equal([...(newestFirst.body.items as unknown[])].reverse());
    expect(body.transactions.length, 'two orders, a return, an adjustment and a goodwill grant').to.be.at.least(5);
    expect(body.orders.map((o) => o.orderId).sort()).to.deep.equal(['o-1', 'o-2']);
    expect(body.orders.every((o) => o.customerId === 'ayu')).to.equal(true);
    expect(body.orders.find((o) => o.orderId === 'o-2')!.returns).to.have.length(1);
    expect(body.moments.length).to.be.greaterThan(0);
    expect(body.moments.every((m) => m.customerId === 'ayu')).to.equal(true);
    expect(body.cases.map((c) => c.caseId)).to.deep.equal(['case-1']);
    expect(JSON.stringify(body), 'budi\'s order is not in ayu\'s record').to.not.include('o-b');
  });

  it('gives the customer as an import line: the profile, and lots that add up to the balance', async () => {
    const res = await w.call('get', `/v1/customers/ayu/export?at=${encodeURIComponent(AT)}`, w.crm);
    const line = res.body.import as { id: string; enrolledAt: string; birthDate: string; emailHash: string; tags: string[]; attributes: Record<string, string>; lots: Array<{ points: number; availableAt: string; expiresAt: string; reason: string }>; debt?: number };
    expect(line).to.deep.include({ id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: '1990-03-14', emailHash: 'sha256:ayu', tags: ['vip'], attributes: { city: 'Bandung' } });
    const held = line.lots.reduce((sum, lot) => sum + lot.points, 0) - (line.debt ?? 0);
    const points = (res.body.customer as { points: { balance: number; available: number; pending: number } }).points;
    expect(held).to.equal(points.balance);
    const at = Date.parse(AT);
    const available = line.lots.filter((lot) => Date.parse(lot.availableAt) <= at).reduce((sum, lot) => sum + lot.points, 0);
    expect(available).to.equal(points.available + (line.debt ?? 0));
    // The orders' points, and the adjustment's and the goodwill grant's (both lots of source adjustment).
    expect(line.lots.map((lot) => lot.reason).sort()).to.deep.equal(['adjustment', 'adjustment', 'order', 'order']);
  });

  it('is 404 for a customer that does not exist or is another tenant\'s, and not for checkout keys', async () => {
    expect((await w.call('get', '/v1/customers/nobody/export', w.crm)).status).to.equal(404);
    expect((await w.call('get', '/v1/customers/ayu/export', w.otherAdmin)).status).to.equal(404);
    expect((await w.call('get', '/v1/customers/ayu/export', w.checkout)).status).to.equal(403);
  });
});
