/**
 * `warranty.offer`: an order line that states its manufacturer's warranty and that a plan covers is offered the plan
 * with its price for the tier the order leaves the customer in, its cover and the last day to buy. Worked by hand
 * from the toko program: care-2y is 8 % of the price (at least Rp250.000), bought within 60 days, starting when the
 * manufacturer's term ends and lasting 24 months, the remote excluded.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { applyActions, compileProgram, decideOrder, emptyAccountState, parseProgram, type AccountAction } from '../../src/index.js';

const toko = compileProgram(parseProgram(JSON.parse(readFileSync(new URL('../../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8'))));
const PLACED = '2026-12-10T03:00:00.000Z'; // 10:00 in Jakarta
const ayu = { id: 'ayu' };

function offers(actions: readonly AccountAction[]): unknown[] {
  return actions.flatMap((a) => (a.type === 'moment' && a.moment === 'warranty.offer' ? [a.data] : []));
}

describe('decideOrder offers extended warranties', () => {
  it('offers care-2y on a TV that states its manufacturer warranty, at the price of the tier the order reaches', () => {
    const order = {
      id: 'o-tv',
      customerId: 'ayu',
      placedAt: PLACED,
      currency: 'IDR',
      lines: [
        { sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '8000000', manufacturerWarranty: { months: 12, components: { remote: 6 } } },
        { sku: 'CBL-1', category: 'accessory', quantity: 2, unitPrice: '100000', manufacturerWarranty: { months: 12 } },
        { sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '10000000' },
      ],
    };
    const decision = decideOrder(toko, emptyAccountState(), { customer: ayu, order });
    // 18.200.000 of spend: silver, which has no warranty discount: 8 % of 8.000.000 = 640.000. Cover: the
    // manufacturer's year to 10 Dec 2027, then 24 months to 10 Dec 2029; the remote keeps its own 6 months.
    // The cable has no plan; the laptop states no manufacturer warranty, so nothing can be offered for it.
    expect(decision.tierAfter).to.equal('silver');
    expect(offers(decision.actions)).to.deep.equal([
      {
        orderId: 'o-tv',
        sku: 'TV-55',
        quantity: 1,
        unitPrice: '8000000',
        purchasedOn: '2026-12-10',
        tier: 'silver',
        plans: [{ planId: 'care-2y', name: 'Toko Care +2 years', price: '640000', lastPurchaseDay: '2027-02-08', coverage: { unit: '2029-12-10', remote: '2027-06-10' } }],
      },
    ]);
    const applied = applyActions(emptyAccountState(), decision.actions, { at: PLACED, id: 'order:o-tv', compiled: toko });
    expect(applied.moments.map((m) => m.type)).to.deep.equal(['points.awarded', 'tier.changed', 'warranty.offer']);
  });

  it('prices the unit at what was paid for it: a line discount shared by its units, to the cent', () => {
    const order = { id: 'o-2', customerId: 'ayu', placedAt: PLACED, currency: 'IDR', lines: [{ sku: 'PH-9', category: 'phone', quantity: 3, unitPrice: '5000000', discount: '1000000', manufacturerWarranty: { months: 12 } }] };
    const [offer] = offers(decideOrder(toko, emptyAccountState(), { customer: ayu, order }).actions) as Array<{ unitPrice: string; plans: Array<{ price: string }> }>;
    // (15.000.000 − 1.000.000) / 3 = 4.666.666,66 paid a unit; 8 % of it is 373.333,3328: above the minimum.
    expect(offer?.unitPrice).to.equal('4666666.66');
    expect(offer?.plans[0]?.price).to.equal('373333.3328');
  });
});
