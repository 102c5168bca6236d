/**
 * DELETE /v1/customers/{id} (docs/data.md, "What erasure removes and keeps"): an admin erases a customer; the answer
 * names the pseudonym; the old id is 404 on every customer route afterwards (erasing it again too) and can be
 * enrolled again; the tenant's totals do not move; the erasure is in the audit trail under the pseudonym, and no
 * entry of the trail names the old id any more; a CRM key cannot erase; a bad body is a 400 with its pointer.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { COLLECTIONS } from '@purna/ledger';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const toko = JSON.parse(readFileSync(new URL('../../examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const aftercare = JSON.parse(readFileSync(new URL('../../examples/toko-aftercare.program.json', import.meta.url), 'utf8')) as { goodwill: unknown };
const program = { ...toko, goodwill: aftercare.goodwill };
const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const OLD = 'sari-erase-4412';
const NOTE = 'OVERRIDE-NOTE-4412 she was promised double points by phone';
const order = (id: string, customerId: string, unitPrice: string) => ({ id, customerId, placedAt: '2026-02-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'TV-1', category: 'tv', quantity: 1, unitPrice }] });

describe('DELETE /v1/customers/{id}', () => {
  let w: RouteWorld;
  /** Every document of tenant shop-a, as the store lists them. */
  const stored = async (): Promise<string> => JSON.stringify(await Promise.all(COLLECTIONS.map((c) => w.ledger.store.list(c, 'shop-a', { limit: 100_000 }))));
  /** The sum of the balances of every customer still listed, read through the API. */
  const balance = async (ids: string[]): Promise<number> => {
    let sum = 0;
    for (const id of ids) sum += ((await w.call('get', `/v1/customers/${id}`, w.crm)).body as { points: { balance: number } }).points.balance;
    return sum;
  };

  before(async () => {
    w = await openRouteWorld('memory', { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', `/v1/customers/${OLD}`, w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: '1991-04-12', emailHash: 'sha256:SARI-4412', tags: ['TAG-SARI-4412'] }));
    expectOk(await w.call('put', '/v1/customers/budi', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/orders', w.checkout, order('o-s1', OLD, '3000000')));
    expectOk(await w.call('post', '/v1/orders', w.checkout, order('o-b1', 'budi', '2000000')));
    expectOk(await w.call('post', `/v1/customers/${OLD}/adjustments`, w.admin, { id: 'adj-s1', points: 300, reason: 'ADJUST-NOTE-4412 refund by phone', at: '2026-03-01T10:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/goodwill', w.admin, { id: 'gw-s1', customerId: OLD, reason: 'cancelled-by-shop', points: 1200, override: { reason: NOTE }, at: '2026-03-02T10:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/cases', w.crm, { id: 'case-s1', customerId: OLD, channel: 'phone', receivedAt: '2026-03-02T09:00:00+07:00', receivedBy: 'dewi', department: 'logistics', summary: 'SUMMARY-4412 late TV' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('is refused to a CRM key and to another tenant, and a bad body is a 400 naming the field; nothing changes', async () => {
    expect((await w.call('delete', `/v1/customers/${OLD}`, w.crm, { reason: 'request 1' })).status).to.equal(403);
    expect((await w.call('delete', `/v1/customers/${OLD}`, w.otherAdmin, { reason: 'request 1' })).status).to.equal(404);
    const bad = await w.call('delete', `/v1/customers/${OLD}`, w.admin, { reason: 7 });
    expect(bad.status).to.equal(400);
    expect(JSON.stringify(bad.body)).to.include('/reason');
    expect((await w.call('delete', `/v1/customers/${OLD}`, w.admin, { reason: 'x', pseudonym: 'mine' })).status).to.equal(400);
    expect((await w.call('get', `/v1/customers/${OLD}`, w.crm)).status).to.equal(200);
  });

  it('erases: the pseudonym answered, the old id 404 everywhere, the totals unchanged, audited under the pseudonym', async () => {
    const before = await balance([OLD, 'budi']);
    const budiBefore = await balance(['budi']);
    const erased = await w.call('delete', `/v1/customers/${OLD}`, w.admin, { reason: 'erasure request 2026-114' });
    expect(erased.status, JSON.stringify(erased.body)).to.equal(200);
    const { pseudonym } = erased.body as { erased: boolean; pseudonym: string };
    expect(erased.body).to.deep.equal({ erased: true, pseudonym });

    for (const path of [`/v1/customers/${OLD}`, `/v1/customers/${OLD}/transactions`, `/v1/customers/${OLD}/export`, `/v1/customers/${OLD}/vouchers`]) {
      expect((await w.call('get', path, w.crm)).status, path).to.equal(404);
    }
    expect((await w.call('delete', `/v1/customers/${OLD}`, w.admin, { reason: 'erasure request 2026-114' })).status).to.equal(404);

    // Nothing stored names the customer or holds their words; their points are kept under the pseudonym.
    const everything = await stored();
    for (const text of [OLD, 'sha256:SARI-4412', 'TAG-SARI-4412', '1991-04-12', NOTE, 'ADJUST-NOTE-4412', 'SUMMARY-4412']) expect(everything.includes(text), text).to.equal(false);
    expect(everything).to.include(pseudonym);
    expect(await balance(['budi'])).to.equal(budiBefore);
    const reconcile = await w.call('post', '/v1/jobs/reconcile', w.admin, {});
    if (reconcile.status === 200) expect((reconcile.body as { differences: unknown[] }).differences).to.deep.equal([]);
    expect(before).to.be.greaterThan(budiBefore);

    const trail = await w.call('get', '/v1/audit?limit=500', w.admin);
    const items = (trail.body as { items: Array<{ action: string; target: string; details?: Record<string, unknown> }> }).items;
    const erasure = items.find((item) => item.action === 'customer.erased');
    expect(erasure).to.deep.include({ target: pseudonym, details: { reason: 'erasure request 2026-114' } });
    // The earlier entries about the customer (the adjustment, the goodwill) name the pseudonym now.
    expect(items.find((item) => item.action === 'points.adjusted')?.target).to.equal(pseudonym);
    expect(JSON.stringify(items)).to.not.include(OLD);
  });

  it('lets the old id enrol again as a new customer with a fresh account', async () => {
    expectOk(await w.call('put', `/v1/customers/${OLD}`, w.crm, { enrolledAt: '2026-06-01T07:00:00+07:00' }));
    const fresh = await w.call('get', `/v1/customers/${OLD}`, w.crm);
    expect(fresh.status).to.equal(200);
    expect((fresh.body as { points: { balance: number } }).points.balance).to.equal(0);
    expect(((await w.call('get', `/v1/customers/${OLD}/transactions`, w.crm)).body as { items: unknown[] }).items).to.deep.equal([]);
  });
});
