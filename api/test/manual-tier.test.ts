/**
 * PUT /v1/customers/{id}/tier (docs/concepts.md, "Tiers"): a tier assigned by hand is held until its date whatever
 * the spend, its multiplier applies to orders, the customer's tier says why it is held, a tier.changed moment (cause
 * manual) and an audit entry record it, and a bad request changes nothing. Expected points by hand from
 * examples/toko-rewards.program.json: 1 point per Rp10.000, gold × 1.5, one month of grace.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreConfig } from '@purna/ledger';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const program = JSON.parse(readFileSync(new URL('../../examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const NOW = Date.parse('2026-02-01T02:00:00.000Z');
const UNTIL = '2026-12-31T00:00:00+07:00';
const REASON = 'status match: gold card of another shop';
const tv = (id: string, customerId: string) => ({ id, customerId, placedAt: '2026-02-10T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'TV-1', category: 'tv', quantity: 1, unitPrice: '2000000' }] });

function suite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;
  before(async () => {
    w = await openRouteWorld(storeConfig(), { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', '/v1/customers/ayu', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    expectOk(await w.call('put', '/v1/customers/budi', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('refuses an unknown tier and an until in the past with the pointer, and changes nothing', async () => {
    const before = await w.call('get', '/v1/customers/ayu', w.crm);
    const unknown = await w.call('put', '/v1/customers/ayu/tier', w.admin, { tierId: 'platinum', until: UNTIL, reason: REASON });
    expect(unknown.status).to.equal(400);
    expect(unknown.body.errors.map((e: { pointer: string }) => e.pointer)).to.deep.equal(['/tierId']);
    expect(unknown.body.detail).to.include('platinum');
    const past = await w.call('put', '/v1/customers/ayu/tier', w.admin, { tierId: 'gold', until: '2026-01-01T00:00:00+07:00', reason: REASON });
    expect(past.status).to.equal(400);
    expect(past.body.errors.map((e: { pointer: string }) => e.pointer)).to.deep.equal(['/until']);
    expect((await w.call('get', '/v1/customers/ayu', w.crm)).body).to.deep.equal(before.body);
    expect((await w.call('put', '/v1/customers/nobody/tier', w.admin, { tierId: 'gold', until: UNTIL, reason: REASON })).status).to.equal(404);
    expect((await w.call('put', '/v1/customers/ayu/tier', w.crm, { tierId: 'gold', until: UNTIL, reason: REASON })).status, 'admin only').to.equal(403);
    expect((await w.call('put', '/v1/customers/ayu/tier', w.otherAdmin, { tierId: 'gold', until: UNTIL, reason: REASON })).status, "another tenant's").to.equal(404);
  });

  it('holds gold by hand: the answer and the customer say why and until when', async () => {
    const res = await w.call('put', '/v1/customers/ayu/tier', w.admin, { tierId: 'gold', until: UNTIL, reason: REASON });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.include({ customerId: 'ayu', from: 'bronze', to: 'gold' });
    expect(res.body.tier).to.deep.include({ id: 'gold', manual: { until: '2026-12-30T17:00:00.000Z', reason: REASON } });
    const customer = await w.call('get', `/v1/customers/ayu?at=${encodeURIComponent('2026-06-01T00:00:00+07:00')}`, w.crm);
    // Held to 31 December, then one month of grace.
    expect(customer.body.tier).to.deep.equal({ id: 'gold', name: 'Gold', heldUntil: '2027-01-31T00:00:00.000+07:00', manual: { until: '2026-12-30T17:00:00.000Z', reason: REASON } });
  });

  it("an order earns with gold's multiplier: Rp2.000.000 is 200 points, 300 with gold, 200 for bronze", async () => {
    const ayu = await w.call('post', '/v1/orders', w.checkout, tv('o-ayu', 'ayu'));
    expectOk(ayu);
    expect([ayu.body.tierBefore, ayu.body.awarded]).to.deep.equal(['gold', 300]);
    const budi = await w.call('post', '/v1/orders', w.checkout, tv('o-budi', 'budi'));
    expectOk(budi);
    expect([budi.body.tierBefore, budi.body.awarded]).to.deep.equal(['bronze', 200]);
  });

  it('records a tier.changed moment with cause manual and an audit entry', async () => {
    const moments = await w.call('get', '/v1/moments?customerId=ayu&limit=100', w.crm);
    const changed = (moments.body.items as Array<{ type: string; data: Record<string, unknown> }>).filter((m) => m.type === 'tier.changed');
    expect(changed.map((m) => [m.data.from, m.data.to, m.data.cause, m.data.reason, m.data.until])).to.deep.equal([['bronze', 'gold', 'manual', REASON, '2026-12-30T17:00:00.000Z']]);
    const audit = await w.call('get', '/v1/audit?limit=100', w.admin);
    const assigned = (audit.body.items as Array<{ action: string; target: string; details?: Record<string, unknown> }>).filter((e) => e.action === 'tier.assigned');
    expect(assigned.map((e) => [e.target, e.details?.tierId, e.details?.reason])).to.deep.equal([['ayu', 'gold', REASON]]);
  });

  it('after the hold and its grace the orders decide again', async () => {
    // 2,000,000 in the window is below silver's 5,000,000: bronze once the grace ended on 31 January 2027.
    const customer = await w.call('get', `/v1/customers/ayu?at=${encodeURIComponent('2027-01-31T00:00:00+07:00')}`, w.crm);
    expect(customer.body.tier).to.deep.include({ id: 'bronze' });
    expect(customer.body.tier.manual).to.equal(undefined);
    const inGrace = await w.call('get', `/v1/customers/ayu?at=${encodeURIComponent('2027-01-15T00:00:00+07:00')}`, w.crm);
    expect(inGrace.body.tier).to.deep.include({ id: 'gold' });
  });
}

describe('manual tiers over HTTP (memory store)', () => suite(() => 'memory'));

describe('manual tiers over HTTP (embedded LMDB store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-manual-tier-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  suite(() => ({ kind: 'lmdb', path: dir }));
});
