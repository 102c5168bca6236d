/**
 * The purchase anniversary (SEMANTICS rule 13) through the ledger on every store: granted like the birthday, in the
 * window around each anniversary of the customer's first order, that order's local date in the customer's zone,
 * from the first anniversary on, at most once per year; an `anniversary` entry and lot, in the transactions and
 * the balances as a birthday's are.
 */
import { expect } from 'chai';
import { NEVER } from '@purna/rules';
import { getAccount } from '../src/account/account-store.js';
import { Ledger } from '../src/ledger/ledger.js';
import { forEachStore } from './support/store-targets.js';

// 1 point per Rp1, available at once, never expiring; 500 points on the day of each purchase anniversary. The
// program's zone is UTC so that the customer's own zone (Jakarta, UTC+7) visibly decides the day.
const anniversaryProgram = {
  id: 'anniv',
  name: 'Anniversary',
  currency: 'IDR',
  timezone: 'UTC',
  points: { rounding: 'floor', pendingDays: 0 },
  earning: [{ id: 'base', name: '1 point per Rp1', scope: 'line', award: { pointsPer: { amount: '1', points: 1 } } }],
  anniversary: { award: { points: 500 }, window: 'day' },
};

const order = (id: string, placedAt: string, quantity: number, unitPrice: string) => ({
  id,
  customerId: 'ayu',
  placedAt,
  currency: 'IDR',
  lines: [{ sku: 'S', quantity, unitPrice }],
});

// Ayu's first order: 10 March 2025 in Jakarta, still 9 March in UTC (18:00Z).
const FIRST_ORDER = '2025-03-10T01:00:00+07:00';

forEachStore('Ledger anniversary sweep', (open) => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = new Ledger(await open());
  });
  afterEach(() => ledger.close());

  it('grants the anniversary of the first order once a year in its local day, from the first anniversary on', async function () {
    this.timeout(60_000);
    await ledger.publishProgram('t', anniversaryProgram);
    await ledger.upsertCustomer('t', { id: 'ayu', enrolledAt: '2025-03-01T09:00:00+07:00', timezone: 'Asia/Jakarta' }, { at: '2025-03-01T09:00:00+07:00' });
    // Budi never orders: he has no first order, so no anniversary, ever.
    await ledger.upsertCustomer('t', { id: 'budi', enrolledAt: '2025-03-01T09:00:00+07:00', timezone: 'Asia/Jakarta' }, { at: '2025-03-01T09:00:00+07:00' });
    expect((await ledger.recordOrder('t', order('o-1', FIRST_ORDER, 1, '40'), { at: FIRST_ORDER })).awarded).to.equal(40);
    const sweep = (at: string) => ledger.runAnniversarySweep('t', { at });

    // The purchase day itself is no anniversary.
    expect(await sweep('2025-03-10T12:00:00+07:00')).to.deep.equal({ granted: 0, skipped: 2 });
    // 9 March 2026 in Jakarta (16:00Z): the anniversary's day in UTC, but not in the customer's zone.
    expect(await sweep('2026-03-09T23:00:00+07:00')).to.deep.equal({ granted: 0, skipped: 2 });
    // 00:05 on 10 March in Jakarta (still 9 March, 17:05Z, in UTC): the first anniversary, granted once however
    // many workers sweep at once.
    const at2026 = '2026-03-10T00:05:00+07:00';
    const runs = await Promise.all(Array.from({ length: 3 }, () => sweep(at2026)));
    expect(runs.reduce((sum, r) => sum + r.granted, 0)).to.equal(1);
    // Later the same day: already granted for 2026.
    expect(await sweep('2026-03-10T23:00:00+07:00')).to.deep.equal({ granted: 0, skipped: 2 });
    // 40 from the order + 500, available at once.
    expect((await ledger.getCustomer('t', 'ayu', { at: '2026-03-10T23:00:00+07:00' })).points).to.include({ available: 540, pending: 0, balance: 540 });
    expect((await ledger.getCustomer('t', 'budi', { at: '2026-03-10T23:00:00+07:00' })).points).to.include({ available: 0, balance: 0 });

    // A later order moves nothing: the anniversary stays the first order's.
    expect((await ledger.recordOrder('t', order('o-2', '2026-06-01T10:00:00+07:00', 2, '30'), { at: '2026-06-01T10:00:00+07:00' })).awarded).to.equal(60);
    expect(await sweep('2027-03-09T12:00:00+07:00')).to.deep.equal({ granted: 0, skipped: 2 });
    expect(await sweep('2027-03-10T08:00:00+07:00')).to.deep.equal({ granted: 1, skipped: 1 });
    expect(await sweep('2027-03-10T20:00:00+07:00')).to.deep.equal({ granted: 0, skipped: 2 });
    expect(await sweep('2027-06-01T12:00:00+07:00')).to.deep.equal({ granted: 0, skipped: 2 });

    const end = { at: '2027-06-01T12:00:00+07:00' };
    // 40 + 500 + 60 + 500.
    expect((await ledger.getCustomer('t', 'ayu', end)).points).to.include({ available: 1100, pending: 0, expired: 0, redeemed: 0, balance: 1100 });
    const { items } = await ledger.listTransactions('t', 'ayu', end);
    expect(items.map((e) => [e.type, e.points, e.at])).to.deep.equal([
      ['anniversary', 500, '2027-03-10T01:00:00.000Z'],
      ['earn', 60, '2026-06-01T03:00:00.000Z'],
      ['anniversary', 500, '2026-03-09T17:05:00.000Z'],
      ['earn', 40, '2025-03-09T18:00:00.000Z'],
    ]);
    const first = items[2];
    expect(first).to.include({ id: 'anniversary:ayu:2026#0', reason: 'anniversary:2026', programId: 'anniv', programVersion: 1 });
    expect(first?.ruleIds).to.deep.equal(['anniversary']);
    expect(items[0]?.reason).to.equal('anniversary:2027');
    // Each grant is a lot of its own source, available at once and never expiring (the program has no expiry).
    const account = (await getAccount(ledger.store, 't', 'ayu'))?.doc;
    expect(account?.points.lots.filter((lot) => lot.source === 'anniversary').map((lot) => [lot.id, lot.amount, lot.availableAt, lot.expiresAt])).to.deep.equal([
      ['anniversary:ayu:2026#0', 500, '2026-03-09T17:05:00.000Z', NEVER],
      ['anniversary:ayu:2027#0', 500, '2027-03-10T01:00:00.000Z', NEVER],
    ]);
    expect(account?.yearly?.anniversary?.year).to.equal(2027);
    // Read before the 2027 grant, the balance is what it was then.
    expect((await ledger.getCustomer('t', 'ayu', { at: '2027-03-09T12:00:00+07:00' })).points).to.include({ available: 600, balance: 600 });
    expect((await ledger.reconcile('t')).differences).to.deep.equal([]);
  });
});
