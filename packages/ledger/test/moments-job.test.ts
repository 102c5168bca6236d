/**
 * The moments run: time-based moments with the program's lead times, worked by hand from the program below (UTC,
 * 14 pending days, 12 months of expiry, a 12-month tier window with a month of grace). A late run catches up on
 * everything due since the last one, in the order it happened; a repeated run emits nothing.
 */
import { expect } from 'chai';
import { Ledger } from '../src/ledger/ledger.js';
import { forEachStore } from './support/store-targets.js';

const program = {
  id: 'care',
  name: 'Care',
  currency: 'IDR',
  timezone: 'UTC',
  points: { rounding: 'floor', pendingDays: 14, expiry: { months: 12 } },
  tiers: {
    basis: 'spend',
    window: { type: 'rolling', months: 12 },
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' },
      { id: 'silver', name: 'Silver', threshold: '2000000', multiplier: '1' },
    ],
    downgrade: { graceMonths: 1 },
  },
  earning: [{ id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }],
  birthday: { award: { points: 100 }, window: 'day' },
  moments: { pointsExpiring: { daysBefore: [30, 7] }, tierAtRisk: { daysBefore: 14 } },
};

forEachStore('the moments run', (open) => {
  it('emits what falls due once, catches up late in the order things happened, and emits nothing on a repeat', async () => {
    const ledger = new Ledger(await open());
    try {
      await ledger.publishProgram('t', program);
      await ledger.upsertCustomer('t', { id: 'ayu', enrolledAt: '2026-01-01T00:00:00Z', birthDate: '1990-05-20' }, { at: '2026-01-01T00:00:00Z' });
      // 250 points pending until 24 March 2026 10:00, expiring 24 March 2027 10:00; silver until the order leaves
      // the window (10 March 2027 10:00) plus a month of grace: 10 April 2027 10:00.
      await ledger.recordOrder('t', { id: 'o-1', customerId: 'ayu', currency: 'IDR', lines: [{ sku: 'TV', quantity: 1, unitPrice: '2500000' }] }, { at: '2026-03-10T10:00:00Z' });
      const types = async (): Promise<string[]> => (await ledger.listMoments('t', { customerId: 'ayu' })).items.map((m) => m.type);
      expect(await types()).to.deep.equal(['points.awarded', 'tier.changed']);

      expect(await ledger.runMomentsJob('t', { at: '2026-03-20T00:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
      expect(await ledger.runMomentsJob('t', { at: '2026-03-25T00:00:00Z' })).to.deep.equal({ emitted: 1, customers: 1 });
      expect(await ledger.runMomentsJob('t', { at: '2026-03-25T00:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
      expect(await ledger.runMomentsJob('t', { at: '2026-03-26T00:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
      const available = (await ledger.listMoments('t', { customerId: 'ayu', type: 'points.available' })).items;
      expect(available.map((m) => [m.occurredAt, m.data.points, m.data.availableAt])).to.deep.equal([['2026-03-24T10:00:00.000Z', 250, '2026-03-24T10:00:00.000Z']]);

      // The birthday, on its day: 100 points at once.
      expect(await ledger.runMomentsJob('t', { at: '2026-05-20T08:00:00Z' })).to.deep.equal({ emitted: 1, customers: 1 });
      expect((await types()).at(-1)).to.equal('birthday.granted');

      // A year later, late: the two warnings of o-1's lot (30 and 7 days before 24 March 2027), the tier warning
      // (14 days before 10 April 2027), the lot's expiry, and the downgrade the tier review records now.
      expect(await ledger.runMomentsJob('t', { at: '2027-04-15T00:00:00Z' })).to.deep.equal({ emitted: 5, customers: 1 });
      const late = (await ledger.listMoments('t', { customerId: 'ayu' })).items.slice(4);
      expect(late.map((m) => [m.type, m.occurredAt])).to.deep.equal([
        ['points.expiring', '2027-02-22T10:00:00.000Z'],
        ['points.expiring', '2027-03-17T10:00:00.000Z'],
        ['points.expired', '2027-03-24T10:00:00.000Z'],
        ['tier.at-risk', '2027-03-27T10:00:00.000Z'],
        ['tier.changed', '2027-04-15T00:00:00.000Z'],
      ]);
      expect(late[0]?.data).to.deep.include({ points: 250, orderId: 'o-1', expiresAt: '2027-03-24T10:00:00.000Z', daysBefore: 30 });
      expect(late[2]?.data).to.deep.include({ points: 250, orderId: 'o-1', expiredAt: '2027-03-24T10:00:00.000Z' });
      expect(late[3]?.data).to.deep.include({ tier: 'silver', until: '2027-04-10T10:00:00.000Z', daysBefore: 14 });
      expect(late[4]?.data).to.deep.include({ from: 'silver', to: 'bronze', cause: 'review' });
      expect(await ledger.runMomentsJob('t', { at: '2027-04-15T00:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
      expect(await ledger.runMomentsJob('t', { at: '2027-04-16T00:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
      // The birthday lot (100, expiring 20 May 2027 08:00) is warned 30 days ahead, on 20 April.
      expect(await ledger.runMomentsJob('t', { at: '2027-04-21T00:00:00Z' })).to.deep.equal({ emitted: 1, customers: 1 });
      expect((await ledger.getCustomer('t', 'ayu', { at: '2027-04-21T00:00:00Z' })).points.available).to.equal(100);
    } finally {
      await ledger.close();
    }
  });
});
