/**
 * Tier perks over HTTP (memory store), with test/scenarios/perks.program.json: `GET /v1/customers/{id}` lists the
 * perks of the tier held as of `?at=`, and `POST /v1/orders/quote` what they take off an order. Every response is
 * checked against the OpenAPI document by the route world.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const program = JSON.parse(readFileSync(new URL('../../test/scenarios/perks.program.json', import.meta.url), 'utf8')) as unknown;
const NOW = Date.parse('2026-03-05T03:00:00.000Z');

describe('perks over HTTP', () => {
  let w: RouteWorld;

  before(async () => {
    w = await openRouteWorld({ kind: 'memory' }, { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', '/v1/customers/ayu', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    // Rp22.000.000 of tier spend: Gold (20.000.000).
    expectOk(await w.call('post', '/v1/orders', w.checkout, { id: 'o-1', customerId: 'ayu', currency: 'IDR', placedAt: '2026-03-01T10:00:00+07:00', lines: [{ sku: 'TV-85', category: 'tv', quantity: 1, unitPrice: '22000000' }] }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('GET /v1/customers/{id} lists the perks of the tier held as of ?at=', async () => {
    const gold = await w.call('get', `/v1/customers/ayu?at=${encodeURIComponent('2026-03-02T10:00:00+07:00')}`, w.crm);
    expectOk(gold);
    expect(gold.body.tier.id).to.equal('gold');
    expect(gold.body.perks).to.deep.equal([
      { id: 'free-shipping', kind: 'free-shipping', name: 'Free shipping' },
      { id: 'sale-early', kind: 'early-access', name: 'Sales a day early', hours: 24 },
      { id: 'accessory-discount', kind: 'discount', name: '5% off accessories', percent: '5', appliesTo: { category: ['accessory'] } },
      { id: 'care-extra', kind: 'warranty-extra-months', name: '6 more months of Toko Care', months: 6 },
      { id: 'warranty-plan-discount', kind: 'warranty-plan-discount', fraction: '0.2' },
    ]);
    // Before the order she held Bronze, which has no perks.
    const before = await w.call('get', `/v1/customers/ayu?at=${encodeURIComponent('2026-03-01T09:00:00+07:00')}`, w.crm);
    expectOk(before);
    expect(before.body.perks).to.deep.equal([]);
  });

  it('POST /v1/orders/quote answers the perks that apply, with their amounts per line', async () => {
    const res = await w.call('post', '/v1/orders/quote', w.checkout, {
      id: 'q-1',
      customerId: 'ayu',
      currency: 'IDR',
      lines: [
        { sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '8000000' },
        { sku: 'MS-1', category: 'accessory', quantity: 2, unitPrice: '175000' },
        { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '25000' },
      ],
    });
    expectOk(res);
    // 800 + 35 points; shipping Rp25.000 free; 5% × 350.000 = 17.500 off the mice.
    expect(res.body.points).to.equal(835);
    expect(res.body.perks).to.deep.equal([
      { id: 'free-shipping', kind: 'free-shipping', name: 'Free shipping', applies: true, amount: '25000', lines: [{ index: 2, sku: 'SHIP', amount: '25000' }] },
      { id: 'accessory-discount', kind: 'discount', name: '5% off accessories', applies: true, amount: '17500', lines: [{ index: 1, sku: 'MS-1', amount: '17500' }] },
    ]);
  });
});
