/**
 * The one reducer: what applyActions writes (entries and lot ids), how it takes points back, what it hands back as
 * effects, how it records the tier, and what the program's retention policy lets it forget.
 */
import { expect } from 'chai';
import {
  applyActions,
  compileProgram,
  emptyAccountState,
  parseProgram,
  viewPoints,
  type AccountAction,
  type AccountState,
  type EntryFields,
} from '../../src/index.js';

const compiled = compileProgram(
  parseProgram({
    id: 'shop',
    name: 'Shop',
    currency: 'IDR',
    timezone: 'UTC',
    points: { rounding: 'floor' },
    tiers: { basis: 'spend', window: { type: 'rolling', months: 12 }, levels: [{ id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' }], downgrade: { graceMonths: 1 } },
    earning: [
      { id: 'base', name: 'Base', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } },
      { id: 'monthly', name: 'Monthly', scope: 'order', award: { points: 10 }, cap: { perCustomer: { count: 1, period: { months: 1 } } } },
      { id: 'once', name: 'Once', scope: 'order', award: { points: 10 }, cap: { perCustomer: { count: 1 } } },
    ],
  }),
);
const FIELDS: EntryFields = { type: 'adjustment', ruleIds: [] };
const T0 = '2026-01-10T00:00:00.000Z';
const FAR = '2030-01-01T00:00:00.000Z';

function award(points: number, availableAt = T0, role?: string): AccountAction {
  return { type: 'award', entry: FIELDS, source: 'adjustment', points, availableAt, expiresAt: FAR, ...(role ? { role } : {}) };
}

describe('applyActions', () => {
  it('writes one entry per action that moves points, named <id>#<n>, and a credit lot takes its entry id', () => {
    const applied = applyActions(emptyAccountState(), [award(100, T0, 'first'), { type: 'counters', deltas: [{ key: 'earn:once:ever', count: 1 }] }, award(0), award(20)], { at: T0, id: 'op-1' });
    expect(applied.entries.map((e) => [e.id, e.points, e.lot?.id])).to.deep.equal([
      ['op-1#0', 100, 'op-1#0'],
      ['op-1#1', 0, undefined],
      ['op-1#2', 20, 'op-1#2'],
    ]);
    expect(applied.lots).to.deep.equal({ first: 'op-1#0' });
    expect(applied.state.points.lots.map((l) => [l.id, l.remaining])).to.deep.equal([
      ['op-1#0', 100],
      ['op-1#2', 20],
    ]);
  });

  it('claws back from the named lot first, then the soonest-expiring available lots, and owes the rest as debt', () => {
    const lots = applyActions(emptyAccountState(), [award(30), { ...award(50), expiresAt: '2027-01-01T00:00:00.000Z' } as AccountAction, award(40)], { at: T0, id: 'credit' }).state;
    // 100 back: 40 from credit#2 (named), 50 from credit#1 (expires first), 30 from credit#0, 0 left: no debt.
    const back = applyActions(lots, [{ type: 'clawback', entry: FIELDS, points: 100, firstLotIds: ['credit#2'] }], { at: T0, id: 'return' });
    expect(back.entries[0]).to.deep.include({ points: -100, debt: 0 });
    expect(back.entries[0]?.debits).to.deep.equal([
      { lotId: 'credit#2', points: 40 },
      { lotId: 'credit#1', points: 50 },
      { lotId: 'credit#0', points: 10 },
    ]);
    const more = applyActions(back.state, [{ type: 'clawback', entry: FIELDS, points: 50, firstLotIds: [] }], { at: T0, id: 'again' });
    expect(more.entries[0]).to.deep.include({ points: -50, debt: 30 });
    expect(viewPoints(more.state.points, T0)).to.deep.include({ balance: -30, available: 0, debt: 30 });
  });

  it('writes no negative zero and refuses a debit of points a lot does not have', () => {
    const none = applyActions(emptyAccountState(), [{ type: 'clawback', entry: FIELDS, points: 0, firstLotIds: [] }], { at: T0, id: 'zero' });
    expect(Object.is(none.entries[0]?.points, 0)).to.equal(true);
    const state = applyActions(emptyAccountState(), [award(10)], { at: T0, id: 'credit' }).state;
    expect(() => applyActions(state, [{ type: 'debit', entry: FIELDS, debits: [{ lotId: 'credit#0', points: 11 }] }], { at: T0, id: 'too-much' })).to.throw(/takes 11 from lot credit#0, which has 10/);
  });

  it('hands effects on other documents back, in order, and does not apply them', () => {
    const effects: AccountAction[] = [
      { type: 'campaign', programId: 'shop', deltas: [{ ruleId: 'base', points: 5 }] },
      { type: 'referrer-reversal', referrerId: 'ayu', orderId: 'o-1', lotId: 'order:o-1/referrer#0', points: 50 },
    ];
    const applied = applyActions(emptyAccountState(), effects, { at: T0, id: 'op' });
    expect(applied.effects).to.deep.equal(effects);
    expect(applied.entries).to.deep.equal([]);
  });

  it('records the tier: `since` moves only on a change, and a review stamps its month without losing it', () => {
    let state: AccountState = emptyAccountState();
    const step = (action: AccountAction, at: string): void => {
      state = applyActions(state, [action], { at, id: `op-${at}` }).state;
    };
    step({ type: 'tier', from: 'bronze', to: 'silver', at: '2026-02-01T00:00:00.000Z' }, '2026-02-01T00:00:00.000Z');
    step({ type: 'tier', from: 'silver', to: 'silver', at: '2026-03-01T00:00:00.000Z', review: '2026-03' }, '2026-03-01T00:00:00.000Z');
    expect(state.tier).to.deep.equal({ id: 'silver', since: '2026-02-01T00:00:00.000Z', period: '2026-03', reviewedAt: '2026-03-01T00:00:00.000Z' });
    step({ type: 'tier', from: 'silver', to: 'gold', at: '2026-03-05T00:00:00.000Z' }, '2026-03-05T00:00:00.000Z');
    expect(state.tier).to.deep.equal({ id: 'gold', since: '2026-03-05T00:00:00.000Z', period: '2026-03', reviewedAt: '2026-03-01T00:00:00.000Z' });
  });

  it('changes a returned order by deltas, in any order, and never below zero spend', () => {
    const withOrder = applyActions(emptyAccountState(), [{ type: 'order', order: { id: 'o-1', placedAt: T0, tierSpend: '300', points: 30 } }], { at: T0, id: 'order:o-1' }).state;
    const r1: AccountAction = { type: 'order-returned', orderId: 'o-1', tierSpendDelta: '-100', pointsDelta: -10 };
    const r2: AccountAction = { type: 'order-returned', orderId: 'o-1', tierSpendDelta: '-200', pointsDelta: -20 };
    const oneWay = applyActions(applyActions(withOrder, [r1], { at: T0, id: 'r1' }).state, [r2], { at: T0, id: 'r2' }).state;
    const otherWay = applyActions(applyActions(withOrder, [r2], { at: T0, id: 'r2' }).state, [r1], { at: T0, id: 'r1' }).state;
    expect(oneWay.orders).to.deep.equal([{ id: 'o-1', placedAt: T0, tierSpend: '0', points: 0 }]);
    expect(otherWay.orders).to.deep.equal(oneWay.orders);
    const over = applyActions(withOrder, [{ ...r2, tierSpendDelta: '-900' }], { at: T0, id: 'r3' }).state;
    expect(over.orders[0]?.tierSpend).to.equal('0');
  });

  it('keys moments <id>~<n> (or by their own key), dates them at the instant or their own, and adds the balance after every action', () => {
    // 100 available at once and 40 pending until March, then a 30-point clawback: 70 available, 40 pending, no debt.
    const actions: AccountAction[] = [
      { type: 'moment', moment: 'points.awarded', data: { points: 100 } },
      award(100),
      award(40, '2026-03-01T00:00:00.000Z'),
      { type: 'clawback', entry: FIELDS, points: 30, firstLotIds: [] },
      { type: 'moment', moment: 'points.expired', data: { points: 5 }, occurredAt: '2026-01-01T00:00:00.000Z', key: 'points.expired:lot-9' },
    ];
    const applied = applyActions(emptyAccountState(), actions, { at: T0, id: 'op-7' });
    const balanceAfter = { available: 70, pending: 40, debt: 0 };
    expect(applied.moments).to.deep.equal([
      { key: 'op-7~0', type: 'points.awarded', occurredAt: T0, data: { points: 100, balanceAfter } },
      { key: 'points.expired:lot-9', type: 'points.expired', occurredAt: '2026-01-01T00:00:00.000Z', data: { points: 5, balanceAfter } },
    ]);
    expect(applied.entries).to.have.length(3);
    expect(applyActions(emptyAccountState(), [award(10)], { at: T0, id: 'op-8' }).moments).to.deep.equal([]);
  });

  describe('forgets what the retention policy lets go', () => {
    const counters: AccountAction = {
      type: 'counters',
      deltas: [
        { key: 'earn:monthly:2026-01', count: 1 },
        { key: 'earn:once:ever', count: 1 },
        { key: 'earn:gone-rule:2026-01', count: 1 },
        { key: 'earn:base:zero', count: 0 },
      ],
    };
    const start = applyActions(emptyAccountState(), [counters, { type: 'order', order: { id: 'o-1', placedAt: T0, tierSpend: '1', points: 1 } }], { at: T0, id: 'op', compiled }).state;
    const later = (at: string): AccountState => applyActions(start, [], { at, id: `later-${at}`, compiled }).state;

    it('drops a zero counter at once, keeps a monthly one for its month and a day, then drops it', () => {
      expect(start.usage.map((c) => c.key)).to.deep.equal(['earn:monthly:2026-01', 'earn:once:ever', 'earn:gone-rule:2026-01']);
      // 31 days of the month + 1 day after the last change (10 January): kept on 11 February, gone on 12 February.
      expect(later('2026-02-11T00:00:00.000Z').usage.map((c) => c.key)).to.include('earn:monthly:2026-01');
      expect(later('2026-02-12T00:00:00.000Z').usage.map((c) => c.key)).to.not.include('earn:monthly:2026-01');
    });

    it('takes nothing back from a counter already forgotten: a count never goes below zero', () => {
      // The monthly counter is gone by 12 February; a return of January's order then reverses its application.
      const forgotten = later('2026-02-12T00:00:00.000Z');
      const back = applyActions(forgotten, [{ type: 'counters', deltas: [{ key: 'earn:monthly:2026-01', count: -1 }, { key: 'earn:once:ever', count: -2 }] }], { at: '2026-02-12T00:00:00.000Z', id: 'return', compiled });
      expect(back.state.usage.map((c) => c.key)).to.deep.equal(['earn:gone-rule:2026-01']);
    });

    it('never forgets a counter with no period, nor one of a rule the program no longer has', () => {
      expect(later('2036-01-10T00:00:00.000Z').usage.map((c) => c.key)).to.deep.equal(['earn:once:ever', 'earn:gone-rule:2026-01']);
    });

    it('keeps tier-window orders for the window, the grace and a month (31-day months), and forgets nothing without the program', () => {
      // 12 + 1 + 1 months of 31 days = 434 days: an order of 10 January 2026 is kept up to 20 March 2027 included.
      expect(later('2027-03-20T00:00:00.000Z').orders).to.have.length(1);
      expect(later('2027-03-21T00:00:00.000Z').orders).to.have.length(0);
      expect(applyActions(start, [], { at: '2036-01-10T00:00:00.000Z', id: 'no-program' }).state.usage).to.have.length(3);
    });

    it('keeps the same orders array when nothing is forgotten (the read summary keeps its tier then)', () => {
      expect(later('2026-02-01T00:00:00.000Z').orders).to.equal(start.orders);
    });
  });
});
