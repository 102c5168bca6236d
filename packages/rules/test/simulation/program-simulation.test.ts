import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { compileProgram, Decimal, InputError, parseProgram, type CompiledProgram, type OrderInput } from '../../src/index.js';
import { compareSimulations, ProgramSimulation } from '../../src/simulation.js';
import { generateOrders, SHOPS } from '../../../../scripts/generate-orders.js';
import { referenceTotals } from './reference-quotes.js';

const TOKO = readFileSync(new URL('../../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8');
const toko = (): CompiledProgram => compileProgram(parseProgram(TOKO));

/** The first two orders of ../shared/examples/toko-basic.scenario.json. */
const O1001: OrderInput = {
  id: 'o-1001',
  customerId: 'ayu',
  placedAt: '2026-02-01T10:00:00+07:00',
  currency: 'IDR',
  lines: [
    { sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' },
    { sku: 'MS-01', category: 'accessory', quantity: 1, unitPrice: '250000' },
    { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '30000' },
  ],
};
const O1002: OrderInput = { id: 'o-1002', customerId: 'ayu', placedAt: '2026-02-20T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'PH-9', category: 'phone', quantity: 1, unitPrice: '9000000' }] };

describe('simulation: ProgramSimulation', () => {
  it('totals the scenario\'s first two orders as worked by hand', () => {
    const simulation = new ProgramSimulation(toko());
    simulation.add(O1001);
    simulation.add(O1002);
    const report = simulation.report();
    // o-1001: base 1200 (laptop) + 25 (mouse), shipping excluded; big-basket +200; bronze x1 -> 1425.
    // o-1002: base 900; big-basket capped (once a month, used by o-1001); silver x1.25 -> 1125.
    expect(report.points).to.equal(2550);
    expect(report.orders).to.equal(2);
    expect(report.customers).to.equal(1);
    // Spend is every line: 12 280 000 + 9 000 000.
    expect(report.spend).to.equal('21280000');
    // pointValue "100": 2550 points are worth Rp255 000, 255000 / 21280000 of spend.
    expect(report.liability).to.equal('255000');
    expect(report.rewardRate).to.equal(new Decimal(255000).div(21280000).toSignificantDigits(6).toString());
    // base: 1225 (x1) + 900 x 1.25 = 1125 -> 2350; big-basket 200; nothing was rounded away.
    expect(report.byRule.base).to.deep.equal({ orders: 2, points: '2350' });
    expect(report.byRule['big-basket']).to.deep.equal({ orders: 1, points: '200' });
    expect(report.byRule['tv-double']).to.deep.equal({ orders: 0, points: '0' });
    expect(report.rounding).to.equal('0');
    expect(report.byTier).to.deep.equal({ bronze: { orders: 1, spend: '12280000', points: 1425 }, silver: { orders: 1, spend: '9000000', points: 1125 } });
    // o-1001 lifts bronze to silver (12 250 000 tier spend >= 5 000 000); o-1002 silver to gold (21 250 000 >= 20 000 000).
    expect(report.tierMovements).to.have.deep.members([
      { from: 'bronze', to: 'silver', count: 1 },
      { from: 'silver', to: 'gold', count: 1 },
    ]);
    expect(report.tiersAtEnd).to.deep.equal({ gold: 1 });
  });

  it('refuses orders out of time order, without customer or placedAt, and changes nothing', () => {
    const simulation = new ProgramSimulation(toko());
    simulation.add(O1002);
    expect(() => simulation.add(O1001)).to.throw(InputError, /time order/);
    expect(() => simulation.add({ ...O1002, id: 'x', customerId: undefined })).to.throw(InputError, /customerId/);
    expect(() => simulation.add({ ...O1002, id: 'y', placedAt: undefined })).to.throw(InputError, /placedAt/);
    expect(() => simulation.add({ ...O1002, id: 'z', currency: 'USD' })).to.throw(InputError, /currency/);
    expect(simulation.report().orders).to.equal(1);
    // Pointers are relative to the order, whatever evaluation found the problem.
    try {
      simulation.add({ ...O1002, id: 'w', lines: [{ sku: 'X', quantity: 1, unitPrice: 'ten' }] });
      expect.fail('an order with a bad price was accepted');
    } catch (error) {
      expect((error as InputError).errors.map((p) => p.pointer)).to.include('/lines/0/unitPrice');
    }
  });

  it('matches the sum of per-order quotes with the full, unpruned history (2,000 generated orders)', () => {
    const compiled = toko();
    const orders = [...generateOrders({ shop: SHOPS.id!, orders: 2000, customers: 150, seed: 7, from: '2025-06-01T00:00:00+07:00', until: '2027-03-01T00:00:00+07:00' })];
    const simulation = new ProgramSimulation(compiled);
    for (const order of orders) simulation.add(order);
    const report = simulation.report();

    // The reference: quote each order with everything the customer ever did (no pruning at all).
    const { points, byTier } = referenceTotals(compiled, orders);
    expect(report.orders).to.equal(2000);
    expect(report.points).to.equal(points);
    expect(Object.fromEntries(Object.entries(report.byTier).map(([id, t]) => [id, t.points]))).to.deep.equal(byTier);
    // Rule shares plus rounding add up to the points issued, exactly.
    const shares = Object.values(report.byRule).reduce((sum, r) => sum.plus(r.points), new Decimal(report.rounding));
    expect(shares.toString()).to.equal(String(points));
    expect(report.liability).to.equal(new Decimal(points).times(100).toString());
    expect(points).to.be.greaterThan(0);
  });

  it('keeps per-customer memory bounded by the tier window and the cap periods', () => {
    // One customer ordering every third day for three years: the 12-month window + 1 month grace + 1 margin month
    // holds at most 14 x 31 / 3 < 145 orders, and the monthly cap (the order is under Rp5.000.000, so it never
    // applies) adds no counter.
    const simulation = new ProgramSimulation(toko());
    let day = Date.UTC(2025, 0, 1, 3);
    for (let i = 0; i < 365; i++, day += 3 * 86_400_000) {
      simulation.add({ id: `d-${i}`, customerId: 'daily', placedAt: new Date(day).toISOString(), currency: 'IDR', lines: [{ sku: 'MS-01', category: 'accessory', quantity: 1, unitPrice: '250000' }] });
    }
    expect(simulation.entriesHeld).to.be.at.most(145);
    // ...and at least the 12-month window itself: 365 / 3 = 121 orders.
    expect(simulation.entriesHeld).to.be.at.least(121);
  });

  it('compares a candidate with a baseline over the same orders', () => {
    const doubled = JSON.parse(TOKO);
    doubled.earning[0].award.pointsPer.points = 2;
    const baseline = new ProgramSimulation(toko());
    const candidate = new ProgramSimulation(compileProgram(parseProgram(doubled)));
    for (const order of [O1001, O1002]) {
      baseline.add(order);
      candidate.add(order);
    }
    const diff = compareSimulations(candidate.report(), baseline.report());
    // Base points double: 2 x 1225 + 2 x 900 x 1.25 = 4700 vs 2350, so +2350 points and +Rp235 000.
    expect(diff.points).to.equal(2350);
    expect(diff.byRule.base).to.equal('2350');
    expect(diff.byRule['big-basket']).to.equal('0');
    expect(diff.liability).to.equal('235000');
  });
});
