import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { compileProgram, Decimal, InputError, parseProgram, type CompiledProgram, type OrderInput } from '../../src/index.js';
import { compareSimulations, customerDirectory, ProgramSimulation, type SimulationRecord } from '../../src/simulation.js';
import { generateCustomers, generateHistory, generateOrders, SHOPS, type GenerateOptions } from '../../../../scripts/generate-orders.js';
import { scenarioOrder } from '../support/example-program.js';
import { referenceTotals } from './reference-quotes.js';

const TOKO = readFileSync(new URL('../../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8');
const toko = (): CompiledProgram => compileProgram(parseProgram(TOKO));

/** The first two orders of ../shared/examples/toko-basic.scenario.json. */
const O1001 = scenarioOrder('o-1001');
const O1002 = scenarioOrder('o-1002');

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
    const { points, byTier, byRule } = referenceTotals(compiled, orders);
    expect(report.orders).to.equal(2000);
    expect(report.points).to.equal(points);
    expect(Object.fromEntries(Object.entries(report.byTier).map(([id, t]) => [id, t.points]))).to.deep.equal(byTier);
    // Each rule's share as the quotes' traces give it, and with the rounding they add up to the points, exactly.
    expect(Object.fromEntries(Object.entries(report.byRule).map(([id, r]) => [id, r.points]))).to.deep.equal(byRule);
    const shares = Object.values(report.byRule).reduce((sum, r) => sum.plus(r.points), new Decimal(report.rounding));
    expect(shares.toString()).to.equal(String(points));
    // Orders only: every point issued came from them, and what is held at the end is worth Rp100 a point.
    expect(report.flow.issued).to.equal(points);
    expect(report.flow.issued - report.flow.expired).to.equal(report.flow.outstanding);
    expect(report.liability).to.equal(new Decimal(report.flow.outstanding).times(100).toString());
    expect(points).to.be.greaterThan(0);
  });

  /** Orders of one customer every third day from 2025-01-01, each an accessory under the big-basket threshold. */
  function everyThirdDay(simulation: ProgramSimulation, from: number, count: number): void {
    let day = Date.UTC(2025, 0, 1, 3) + (from * 3 * 86_400_000);
    for (let i = from; i < from + count; i++, day += 3 * 86_400_000) {
      simulation.add({ id: `d-${i}`, customerId: 'daily', placedAt: new Date(day).toISOString(), currency: 'IDR', lines: [{ sku: 'MS-01', category: 'accessory', quantity: 1, unitPrice: '250000' }] });
    }
  }

  it('keeps per-customer memory bounded by the windows, not by the length of the history', () => {
    // One customer ordering every third day. What is held: the orders of the 12-month tier window + 1 month grace +
    // 1 margin month of 31 days (at most 14 x 31 / 3 + 1 = 145), the lots not yet expired (12 months of expiry after
    // 14 days pending: at most (12 x 31 + 14) / 3 + 1 = 129), and the orders still returnable (60 days: at most 21).
    // The monthly cap never applies (the order is under Rp5.000.000), so there is no counter.
    const simulation = new ProgramSimulation(toko());
    everyThirdDay(simulation, 0, 365);
    const afterThreeYears = simulation.entriesHeld;
    expect(afterThreeYears).to.be.at.most(145 + 129 + 21);
    // ...and at least the 12-month window itself: 365 / 3 = 121 orders.
    expect(afterThreeYears).to.be.at.least(121);
    // Three more years change nothing: the state is as large as the windows, whatever the history's length.
    everyThirdDay(simulation, 365, 365);
    expect(Math.abs(simulation.entriesHeld - afterThreeYears)).to.be.at.most(3);
  });

  it('holds the unspent lots of a program without expiry, as the ledger does, and forgets the spent ones', () => {
    const forever = JSON.parse(TOKO);
    delete forever.points.expiry;
    delete forever.tiers;
    delete forever.birthday;
    const simulation = new ProgramSimulation(compileProgram(parseProgram(forever)), { returnDays: 30 });
    everyThirdDay(simulation, 0, 365);
    // No tiers: no order is kept for them. Held: one lot per order (none is spent: the ledger keeps them all too)
    // and the orders still returnable (30 days: at most 11).
    expect(simulation.entriesHeld).to.be.within(365, 365 + 11);
    const report = simulation.report();
    // 25 points per order (Rp250.000 at 1 per Rp10.000), nothing expired or taken back: every point is held.
    expect(report.flow.outstanding).to.equal(365 * 25);
    expect(report.flow.expired).to.equal(0);
    // Spending every point (all available by February) empties every lot: what is left is the returnable orders alone.
    simulation.add({ type: 'adjustment', id: 'spend-all', customerId: 'daily', points: -365 * 25, at: '2028-02-01T00:00:00Z' });
    expect(simulation.account('daily')?.points.lots).to.deep.equal([]);
    expect(simulation.entriesHeld).to.be.at.most(11);
  });

  it('matches per-order quotes and per-return clawbacks on a generated history with returns, and its points flow adds up', () => {
    const compiled = toko();
    const options: GenerateOptions = { shop: SHOPS.id!, orders: 3000, customers: 300, seed: 3, from: '2025-06-01T00:00:00+07:00', until: '2026-12-01T00:00:00+07:00', activity: true };
    const records = [...generateHistory(options)];
    const simulation = new ProgramSimulation(compiled, { customers: customerDirectory(generateCustomers(options)) });
    for (const record of records) simulation.add(record);
    const report = simulation.report();

    const reference = referenceTotals(compiled, records);
    expect(reference.returns).to.be.greaterThan(100);
    expect(report.orders).to.equal(reference.orders);
    expect(report.points).to.equal(reference.points);
    expect(Object.fromEntries(Object.entries(report.byTier).map(([id, t]) => [id, t.points]))).to.deep.equal(reference.byTier);
    expect(report.returns.count).to.equal(reference.returns);
    expect(report.flow.clawedBack).to.equal(reference.clawedBack);
    // Every point issued is taken back, redeemed, expired, or held (net of what customers owe).
    const f = report.flow;
    expect(f.issued - f.clawedBack - f.reversed - f.redeemed - f.expired - f.removed).to.equal(f.outstanding - f.debt);
    expect(f.issued).to.equal(f.issuedBy.orders + f.issuedBy.referrals + f.issuedBy.events + f.issuedBy.birthdays + f.issuedBy.anniversaries + f.issuedBy.adjustments);
    // The history has all of it: redemptions (some refused), reviews, birthdays, referrals, expiry.
    expect(report.redemptions.accepted).to.be.greaterThan(0);
    expect(report.redemptions.refused).to.be.greaterThan(0);
    expect(report.events.points).to.be.greaterThan(0);
    expect(report.birthdays.granted).to.be.greaterThan(0);
    expect(report.referrals.qualified).to.be.greaterThan(0);
    expect(f.expired).to.be.greaterThan(0);
    // The liability is what customers hold at the end, at Rp100 a point.
    expect(report.liability).to.equal(new Decimal(f.outstanding).times(100).toString());
  });

  it('follows one customer\'s lots through a redemption, a full return into debt, repayment and expiry (worked by hand)', () => {
    const simulation = new ProgramSimulation(toko());
    // o-1001 earns 1425 (see the first test); its lot is available on 15 February 2026 and expires on 15 February 2027.
    simulation.add(O1001);
    // 1000 of them are redeemed on 20 February (Rp100.000 off an order of Rp2.000.000: within half of it).
    simulation.add({ type: 'redemption', id: 'rd-1', customerId: 'ayu', orderId: 'o-2', orderTotal: '2000000', points: 1000, at: '2026-02-20T10:00:00+07:00' });
    // o-1001 comes back in full: 1425 are clawed back, 425 from its own lot, and 1000 become debt.
    simulation.add({ type: 'return', id: 'r-1', orderId: 'o-1001', at: '2026-02-25T10:00:00+07:00', lines: [{ sku: 'LP-14', quantity: 1 }, { sku: 'MS-01', quantity: 1 }, { sku: 'SHIP', quantity: 1 }] });
    // No redemption while the balance is negative.
    simulation.add({ type: 'redemption', id: 'rd-2', customerId: 'ayu', orderId: 'o-3', orderTotal: '2000000', points: 100, at: '2026-02-26T10:00:00+07:00' });
    // o-1002 on 1 March: the return left no tier spend, so bronze (x1): 900 base + 200 big-basket (a new month) = 1100,
    // available on 15 March, when it repays the 1000 owed; 100 are left, expiring on 15 March 2027.
    simulation.add({ ...O1002, placedAt: '2026-03-01T10:00:00+07:00' });
    // A review on 20 March: 50 points at once, expiring on 20 March 2027.
    simulation.add({ type: 'event', id: 'ev-1', customerId: 'ayu', event: 'review.published', at: '2026-03-20T10:00:00+07:00' });
    // On 16 March 2027 the 100 left of o-1002's lot have expired; a goodwill adjustment adds 10.
    simulation.add({ type: 'adjustment', id: 'a-1', customerId: 'ayu', points: 10, reason: 'goodwill', at: '2027-03-16T00:00:00+07:00' });
    const report = simulation.report();
    expect(report.byTier.bronze).to.deep.equal({ orders: 2, spend: '21280000', points: 1425 + 1100 });
    expect(report.flow).to.deep.equal({
      issued: 1425 + 1100 + 50 + 10,
      issuedBy: { orders: 1425 + 1100, referrals: 0, events: 50, birthdays: 0, anniversaries: 0, adjustments: 10 },
      clawedBack: 1425,
      reversed: 0,
      redeemed: 1000,
      expired: 100,
      removed: 0,
      outstanding: 60,
      available: 60,
      pending: 0,
      debt: 0,
    });
    expect(report.redemptions).to.deep.include({ accepted: 1, points: 1000, discount: '100000', refused: 1 });
    expect(report.redemptions.refusedBy['negative-balance']).to.equal(1);
    expect(report.returns).to.deep.equal({ count: 1, full: 1, clawedBack: 1425 });
    // 60 points held at Rp100.
    expect(report.liability).to.equal('6000');
  });

  it('rewards a qualifying referral and reverses it when the first order comes back before its points are available', () => {
    const customers = customerDirectory([
      { id: 'ayu', referralCode: 'AYU-2026', enrolledAt: '2026-01-05T09:00:00+07:00' },
      { id: 'budi', referredBy: { code: 'ayu 2026' }, enrolledAt: '2026-03-01T09:00:00+07:00', emailHash: 'sha256:budi' },
    ]);
    const simulation = new ProgramSimulation(toko(), { customers });
    // Budi's first order, 9 days after enrolling, of Rp9.000.000 (at least Rp1.000.000): ayu gets 500, budi 250, pending 14 days.
    simulation.add({ ...O1002, id: 'o-2001', customerId: 'budi', placedAt: '2026-03-10T10:00:00+07:00' });
    const before = simulation.report();
    expect(before.referrals).to.deep.include({ qualified: 1, referrerPoints: 500, refereePoints: 250, reversed: 0 });
    expect(before.flow.issuedBy.referrals).to.equal(750);
    // Returned in full on 12 March, before 24 March: the order's points and both referral rewards are taken back.
    simulation.add({ type: 'return', id: 'r-2001', orderId: 'o-2001', at: '2026-03-12T10:00:00+07:00', lines: [{ sku: 'PH-9', quantity: 1 }] });
    const after = simulation.report();
    expect(after.referrals.reversed).to.equal(1);
    expect(after.flow.reversed).to.equal(750);
    expect(after.flow.clawedBack).to.equal(before.points);
    expect(after.flow.outstanding).to.equal(0);
    expect(after.customers).to.equal(2);
  });

  describe('purchase anniversaries', () => {
    // 1 point per Rp1, available at once, never expiring, a point worth Rp1; 500 points on the day of each
    // anniversary of the first order. The program's zone is UTC, the customers' Jakarta (UTC+7): theirs decides.
    const anniversaryProgram = () =>
      compileProgram(
        parseProgram({
          id: 'anniv',
          name: 'Anniversary',
          currency: 'IDR',
          timezone: 'UTC',
          points: { rounding: 'floor', pendingDays: 0, redemption: { pointValue: '1', minPoints: 1, maxShareOfOrder: '1' } },
          earning: [{ id: 'base', name: '1 point per Rp1', scope: 'line', award: { pointsPer: { amount: '1', points: 1 } } }],
          anniversary: { award: { points: 500 }, window: 'day' },
        }),
      );
    const member = (id: string) => ({ id, enrolledAt: '2025-03-01T09:00:00+07:00', timezone: 'Asia/Jakarta' });
    const order = (id: string, placedAt: string, quantity: number, unitPrice: string): OrderInput => ({ id, customerId: 'ayu', placedAt, currency: 'IDR', lines: [{ sku: 'S', quantity, unitPrice }] });
    const anniversary = (customerId: string, at: string): SimulationRecord => ({ type: 'anniversary', customerId, at });
    // Ayu's first order: 10 March 2025 in Jakarta, 9 March (18:00Z) in UTC.
    const FIRST = order('o-1', '2025-03-10T01:00:00+07:00', 1, '40');

    it('grants them from anniversary records, on the first order\'s local day, once a year from the first on, and totals them', () => {
      const simulation = new ProgramSimulation(anniversaryProgram(), { customers: customerDirectory([member('ayu'), member('budi')]) });
      simulation.add(FIRST);
      // The purchase day itself; then 9 March 2026 in Jakarta (the anniversary's day in UTC only): not due.
      simulation.add(anniversary('ayu', '2025-03-10T12:00:00+07:00'));
      simulation.add(anniversary('ayu', '2026-03-09T23:00:00+07:00'));
      simulation.add(anniversary('budi', '2026-03-09T23:00:00+07:00'));
      // 00:05 on 10 March 2026 in Jakarta (17:05Z on the 9th): the first anniversary. Budi never ordered: no date.
      simulation.add(anniversary('ayu', '2026-03-10T00:05:00+07:00'));
      simulation.add(anniversary('budi', '2026-03-10T00:05:00+07:00'));
      simulation.add(anniversary('ayu', '2026-03-10T23:00:00+07:00'));
      // A later order leaves the anniversary on the first order's day.
      simulation.add(order('o-2', '2026-06-01T10:00:00+07:00', 2, '30'));
      simulation.add(anniversary('ayu', '2027-03-10T08:00:00+07:00'));

      const report = simulation.report();
      expect(report.anniversaries).to.deep.equal({ granted: 2, points: 1000, notDueBy: { 'already-granted': 1, 'no-date': 2, 'outside-window': 2 } });
      expect(report.birthdays).to.deep.equal({ granted: 0, points: 0, notDueBy: {} });
      // 40 + 60 from orders, 2 x 500 from anniversaries, all held at Rp1 a point.
      expect(report.flow).to.deep.include({ issued: 1100, outstanding: 1100, available: 1100, pending: 0 });
      expect(report.flow.issuedBy).to.deep.equal({ orders: 100, referrals: 0, events: 0, birthdays: 0, anniversaries: 1000, adjustments: 0 });
      expect(report.liability).to.equal('1100');
      expect(report.customers).to.equal(2);
      // The lots the ledger's sweep would create, under the same ids.
      const lots = simulation.account('ayu')?.points.lots.filter((lot) => lot.source === 'anniversary');
      expect(lots?.map((lot) => [lot.id, lot.amount, lot.availableAt])).to.deep.equal([
        ['anniversary:ayu:2026#0', 500, '2026-03-09T17:05:00.000Z'],
        ['anniversary:ayu:2027#0', 500, '2027-03-10T01:00:00.000Z'],
      ]);
    });

    it('still knows the first order of a customer it forgot, so later anniversaries come on that order\'s day', () => {
      const simulation = new ProgramSimulation(anniversaryProgram(), { customers: customerDirectory([member('ayu')]) });
      simulation.add(FIRST);
      simulation.add(anniversary('ayu', '2026-03-10T00:05:00+07:00'));
      // Every point spent: nothing left that a later record could read, so Ayu is forgotten at the next periodic
      // sweep, which comes every 50,000 records (here, events no rule rewards, of another customer).
      simulation.add({ type: 'adjustment', id: 'a-1', customerId: 'ayu', points: -540, reason: 'spent', at: '2026-04-01T00:00:00Z' });
      for (let i = simulation.records; i < 50_000; i++) simulation.add({ type: 'event', id: `f-${i}`, customerId: 'filler', event: 'nothing', at: '2026-05-01T00:00:00Z' });
      expect(simulation.account('ayu')).to.equal(undefined);
      // Her next order is not her first: the second anniversary is still 10 March, granted as the ledger grants it.
      simulation.add(order('o-2', '2027-01-15T10:00:00+07:00', 2, '30'));
      simulation.add(anniversary('ayu', '2027-03-10T08:00:00+07:00'));
      const report = simulation.report();
      expect(report.anniversaries).to.deep.include({ granted: 2, points: 1000 });
      // 40 + 500 - 540 + 60 + 500.
      expect(report.flow.outstanding).to.equal(560);
    });
  });

  it('refuses records it cannot decide, naming the field', () => {
    const simulation = new ProgramSimulation(toko());
    simulation.add(O1001);
    expect(() => simulation.add({ type: 'refund' } as unknown as SimulationRecord)).to.throw(InputError, /type must be one of order, return, redemption/);
    expect(() => simulation.add({ type: 'return', id: 'r-9', orderId: 'o-404', at: '2026-02-02T10:00:00+07:00', lines: [{ sku: 'X', quantity: 1 }] })).to.throw(InputError, /order "o-404" is not known/);
    expect(() => simulation.add({ type: 'return', id: 'r-9', orderId: 'o-1001', at: '2026-02-02T10:00:00+07:00', lines: [{ sku: 'LP-14', quantity: 2 }] })).to.throw(InputError, /only 1 of "LP-14"/);
    expect(() => simulation.add({ type: 'event', id: 'e', customerId: 'ayu', at: '2026-02-02T10:00:00+07:00' } as unknown as SimulationRecord)).to.throw(InputError, /needs a text "event"/);
    expect(() => simulation.add({ type: 'redemption', id: 'rd', customerId: 'ayu', orderTotal: '1000', points: 1.5, at: '2026-02-02T10:00:00+07:00' })).to.throw(InputError, /points must be a whole number/);
    expect(() => simulation.add({ ...O1001 })).to.throw(InputError, /already recorded/);
    expect(() => simulation.add({ type: 'birthday', customerId: 'ayu', at: '2026-01-02T10:00:00+07:00' })).to.throw(InputError, /time order/);
    expect(simulation.records).to.equal(1);
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
