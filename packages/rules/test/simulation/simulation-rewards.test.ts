/**
 * Rewards of the catalog in a simulation (issue 18): redemptions decided as the ledger decides them (stock over the
 * whole history, the per-customer limit, points), their vouchers used or expired, the points flow still balanced, and
 * what the open vouchers owe at the end. Every figure is worked by hand in the comments.
 */
import { expect } from 'chai';
import { compileProgram, normalizeVoucherCode, parseProgram, type CompiledProgram, type OrderInput } from '../../src/index.js';
import { ProgramSimulation, simulatedVoucherCode, type SimulationReport } from '../../src/simulation.js';

const program = {
  id: 'rewards-sim',
  name: 'Rewards in a simulation',
  currency: 'IDR',
  timezone: 'Asia/Jakarta',
  points: { rounding: 'floor', pendingDays: 0, expiry: { months: 12 }, redemption: { pointValue: '100', minPoints: 100, maxShareOfOrder: '0.5' } },
  earning: [{ id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }],
  rewards: [
    { id: 'voucher-50k', name: 'Rp50.000 voucher', cost: 500, kind: 'voucher', value: '50000', voucherDays: 30, limit: { perCustomer: { count: 1, period: { months: 1 } } } },
    { id: 'ten-off', name: '10% off', cost: 300, kind: 'voucher', percent: '10', voucherDays: 10, refundOnExpiry: true },
    { id: 'free-shipping', name: 'Free shipping', cost: 150, kind: 'free-shipping', voucherDays: 14 },
    { id: 'powerbank', name: 'Power bank', cost: 1000, kind: 'gift', sku: 'PB-10K', stock: 1 },
  ],
};
const compiled = (): CompiledProgram => compileProgram(parseProgram(program));

const order = (id: string, customerId: string, placedAt: string, unitPrice: string): OrderInput => ({ id, customerId, placedAt, currency: 'IDR', lines: [{ sku: 'LP', quantity: 1, unitPrice }] });
const reward = (id: string, customerId: string, rewardId: string, at: string) => ({ type: 'reward' as const, id, customerId, rewardId, at });

/** issued − clawedBack − reversed − redeemed − expired − removed = outstanding − debt. */
function balances(report: SimulationReport): number {
  const f = report.flow;
  return f.issued - f.clawedBack - f.reversed - f.redeemed - f.expired - f.removed - (f.outstanding - f.debt);
}

describe('simulation: rewards and their vouchers', () => {
  /**
   * March 2026 in Jakarta (all instants at 10:00 +07:00). Lots are available at once (pendingDays 0).
   * ayu earns 3000 (Rp30.000.000), bayu 1500 (Rp15.000.000); citra never orders.
   */
  function march(): ProgramSimulation {
    const simulation = new ProgramSimulation(compiled());
    simulation.add(order('o-1', 'ayu', '2026-03-01T10:00:00+07:00', '30000000'));
    simulation.add(order('o-2', 'bayu', '2026-03-01T11:00:00+07:00', '15000000'));
    // citra has no points: refused (insufficient-points), and the power bank's one unit is not taken.
    simulation.add(reward('r-0', 'citra', 'powerbank', '2026-03-02T09:00:00+07:00'));
    // ayu: Rp50.000 voucher for 500 (expires 1 April 10:00), then a second one refused (1 a month).
    simulation.add(reward('r-1', 'ayu', 'voucher-50k', '2026-03-02T10:00:00+07:00'));
    simulation.add(reward('r-2', 'ayu', 'voucher-50k', '2026-03-03T10:00:00+07:00'));
    // ayu takes the only power bank for 1000 (its voucher lasts the default 30 days: until 3 April); bayu is too late.
    simulation.add(reward('r-3', 'ayu', 'powerbank', '2026-03-04T10:00:00+07:00'));
    simulation.add(reward('r-4', 'bayu', 'powerbank', '2026-03-05T09:00:00+07:00'));
    // bayu: free shipping for 150 (until 19 March), 10% off for 300 (until 16 March, points back if unused),
    // and a Rp50.000 voucher for 500 (until 5 April).
    simulation.add(reward('r-5', 'bayu', 'free-shipping', '2026-03-05T10:00:00+07:00'));
    simulation.add(reward('r-6', 'bayu', 'ten-off', '2026-03-06T10:00:00+07:00'));
    simulation.add(reward('r-8', 'bayu', 'voucher-50k', '2026-03-06T11:00:00+07:00'));
    simulation.add(reward('r-7', 'citra', 'free-shipping', '2026-03-07T10:00:00+07:00'));
    // ayu uses her Rp50.000 voucher on o-9, then tries it again on o-10.
    simulation.add({ type: 'voucher-use', redemptionId: 'r-1', customerId: 'ayu', orderId: 'o-9', at: '2026-03-10T10:00:00+07:00' });
    simulation.add({ type: 'voucher-use', redemptionId: 'r-1', customerId: 'ayu', orderId: 'o-10', at: '2026-03-11T10:00:00+07:00' });
    return simulation;
  }

  it('counts redemptions, refusals by reason, the stock running out, and what open vouchers owe', () => {
    const report = march().report();
    // Accepted: r-1 500, r-3 1000, r-5 150, r-6 300, r-8 500 = 2450 points in 5 redemptions.
    expect(report.rewards).to.deep.include({ redeemed: 5, points: 2450, refused: 4, used: 1, expired: 0, refunded: 0 });
    // r-0 and r-7 (citra, no points), r-2 (limit of 1 a month), r-4 (stock of 1 taken by r-3).
    expect(report.rewards.refusedBy).to.deep.equal({ 'insufficient-points': 2, 'limit-reached': 1, 'out-of-stock': 1 });
    expect(report.rewards.byReward).to.deep.equal({
      'voucher-50k': { redeemed: 2, points: 1000 },
      'ten-off': { redeemed: 1, points: 300 },
      'free-shipping': { redeemed: 1, points: 150 },
      powerbank: { redeemed: 1, points: 1000 },
    });
    expect(report.rewards.useRefusedBy).to.deep.equal({ 'voucher-used': 1 });
    // Open on 11 March: bayu's Rp50.000, 10% off and free shipping, ayu's power bank (her Rp50.000 was used).
    expect(report.rewards.liability).to.deep.equal({ value: '50000', open: 4, byKind: { value: 1, percent: 1, 'free-shipping': 1, gift: 1 } });
    // The points spent on rewards are redeemed: 4500 issued − 2450 = 2050 held (ayu 1500, bayu 550).
    expect(report.flow).to.deep.include({ issued: 4500, redeemed: 2450, expired: 0, outstanding: 2050 });
    expect(balances(report)).to.equal(0);
    // Redemptions for a discount are a different count.
    expect(report.redemptions.accepted).to.equal(0);
  });

  it('issues each voucher the code derived from its redemption id, on the account as the ledger keeps it', () => {
    const simulation = march();
    const ayu = simulation.account('ayu')?.vouchers ?? [];
    expect(ayu.map((v) => v.redemptionId)).to.deep.equal(['r-1', 'r-3']);
    expect(ayu[0]?.code).to.equal(simulatedVoucherCode('r-1'));
    expect(normalizeVoucherCode(ayu[0]?.code ?? '', '/code')).to.equal(ayu[0]?.code);
    expect(ayu[0]?.used).to.deep.equal({ orderId: 'o-9', at: '2026-03-10T03:00:00.000Z' });
    // 30 days after 2 March 10:00 in Jakarta.
    expect(ayu[0]?.expiresAt).to.equal('2026-04-01T03:00:00.000Z');
    // The same id again on an account holding that code gets another code.
    expect(simulatedVoucherCode('r-1', { vouchers: ayu })).to.not.equal(ayu[0]?.code);
    expect(new Set(['r-1', 'r-3', 'r-5', 'r-6', 'r-8'].map((id) => simulatedVoucherCode(id))).size).to.equal(5);
  });

  it('drops a voucher from the liability once it expires, and gives back the points of a reward that says so', () => {
    const simulation = march();
    // 17 March: bayu's 10% off expired on 16 March unused. Nothing of bayu's was recorded since: the report reads it.
    simulation.add(reward('r-9', 'citra', 'voucher-50k', '2026-03-17T10:00:00+07:00'));
    const unrecorded = simulation.report();
    // 18 March: bayu tries it anyway; his record records the expiry first, then refuses the use.
    simulation.add({ type: 'voucher-use', redemptionId: 'r-6', customerId: 'bayu', orderId: 'o-11', at: '2026-03-18T10:00:00+07:00' });
    const recorded = simulation.report();
    for (const report of [unrecorded, recorded]) {
      // Open: bayu's Rp50.000 and free shipping (until 19 March), ayu's power bank.
      expect(report.rewards.liability).to.deep.equal({ value: '50000', open: 3, byKind: { value: 1, percent: 0, 'free-shipping': 1, gift: 1 } });
      // ten-off gives its 300 back: bayu holds 550 + 300 = 850; redeemed is 2450 − 300 = 2150.
      expect(report.rewards).to.deep.include({ expired: 1, refunded: 300, points: 2450 });
      expect(report.flow).to.deep.include({ issued: 4500, redeemed: 2150, outstanding: 2350, expired: 0 });
      expect(balances(report)).to.equal(0);
    }
    expect(recorded.rewards.useRefusedBy).to.deep.equal({ 'voucher-used': 1, 'voucher-expired': 1 });
    expect(simulation.account('bayu')?.vouchers?.find((v) => v.redemptionId === 'r-6')?.expired).to.deep.equal({ at: '2026-03-18T03:00:00.000Z', refunded: 300 });

    // 10 April: every voucher left has expired (power bank 3 April, Rp50.000 5 April); only ten-off gave points back.
    simulation.add({ type: 'voucher-use', redemptionId: 'r-3', customerId: 'ayu', orderId: 'o-12', at: '2026-04-10T10:00:00+07:00' });
    const april = simulation.report();
    expect(april.rewards.liability).to.deep.equal({ value: '0', open: 0, byKind: { value: 0, percent: 0, 'free-shipping': 0, gift: 0 } });
    // ten-off, free shipping, the power bank and bayu's Rp50.000 (ayu's was used).
    expect(april.rewards).to.deep.include({ expired: 4, refunded: 300 });
    expect(april.flow).to.deep.include({ redeemed: 2150, outstanding: 2350 });
    expect(balances(april)).to.equal(0);
  });

  it('refuses an unknown reward and a voucher use of a redemption it never saw, counting both', () => {
    const simulation = new ProgramSimulation(compiled());
    simulation.add(order('o-1', 'ayu', '2026-03-01T10:00:00+07:00', '30000000'));
    simulation.add(reward('r-1', 'ayu', 'yacht', '2026-03-02T10:00:00+07:00'));
    simulation.add({ type: 'voucher-use', redemptionId: 'r-1', customerId: 'ayu', orderId: 'o-9', at: '2026-03-03T10:00:00+07:00' });
    const report = simulation.report();
    expect(report.rewards).to.deep.include({ redeemed: 0, refused: 1, used: 0 });
    expect(report.rewards.refusedBy).to.deep.equal({ 'unknown-reward': 1 });
    expect(report.rewards.useRefusedBy).to.deep.equal({ 'voucher-unknown': 1 });
    // A reward record without its rewardId is refused with a pointer, and changes nothing.
    expect(() => simulation.add({ type: 'reward', id: 'r-2', customerId: 'ayu', at: '2026-03-04T10:00:00+07:00' } as never)).to.throw(/rewardId/);
    expect(simulation.records).to.equal(3);
  });
});
