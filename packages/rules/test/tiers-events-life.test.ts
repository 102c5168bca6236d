/** Tiers (SEMANTICS rule 4), custom events (rule 10) and points life (rule 5), with hand-derived expectations. */
import { expect } from 'chai';
import { evaluateEvent, evaluateTier, pointsLife, quoteOrder, type CustomerHistory } from '../src/index.js';
import { orderOf, programWith } from './support/program-builder.js';

const levels = [
  { id: 'bronze', name: 'Bronze', threshold: '0' },
  { id: 'silver', name: 'Silver', threshold: '1000', multiplier: '1.5' },
  { id: 'gold', name: 'Gold', threshold: '5000', multiplier: '2' },
];
const base = { id: 'base', name: 'Base', scope: 'line', award: { pointsPer: { amount: '100', points: 1 } } };

function history(orders: Array<[string, string, string, number?]>): CustomerHistory {
  return { orders: orders.map(([id, placedAt, tierSpend, points]) => ({ id, placedAt, tierSpend, points: points ?? 0 })), usage: {} };
}

describe('evaluateTier', () => {
  const rolling = programWith([base], { tiers: { basis: 'spend', window: { type: 'rolling', months: 3 }, levels, downgrade: { graceMonths: 1 } } });
  const h = history([['a', '2026-01-10T12:00:00+07:00', '600'], ['b', '2026-02-10T12:00:00+07:00', '600']]);

  const cases: Array<[string, string, string | null, string]> = [
    ['before any order: the threshold-0 tier', '2026-01-01T00:00:00+07:00', 'bronze', 'basis 0 meets bronze only'],
    ['after one order', '2026-01-20T00:00:00+07:00', 'bronze', '600 < 1000'],
    ['the moment the second order is placed', '2026-02-10T12:00:00+07:00', 'silver', '600 + 600 = 1200 >= 1000'],
    ['just before the first leaves the window', '2026-04-10T11:59:59+07:00', 'silver', 'a counts until 2026-04-10 12:00 (placedAt + 3 months)'],
    ['in grace after it left', '2026-05-10T11:59:59+07:00', 'silver', 'basis 600 since 2026-04-10 12:00; grace of one month runs to 2026-05-10 12:00'],
    ['after grace', '2026-05-10T12:00:00+07:00', 'bronze', 'no moment in [04-10 12:00, 05-10 12:00] had 1000'],
  ];
  for (const [title, at, tier, why] of cases) {
    it(`${title}: ${tier} (${why})`, () => {
      expect(evaluateTier(rolling, h, { at }).tierId).to.equal(tier);
    });
  }

  it('says since when the threshold is met and until when the tier is held', () => {
    const result = evaluateTier(rolling, h, { at: '2026-03-01T00:00:00+07:00' });
    expect(result).to.deep.include({ tierId: 'silver', basis: '1200', inGrace: false, multiplier: '1.5' });
    expect(result.since).to.equal('2026-02-10T12:00:00.000+07:00');
    // a leaves on 2026-04-10 12:00 (basis 600 < 1000), plus one month of grace.
    expect(result.until).to.equal('2026-05-10T12:00:00.000+07:00');
  });

  it('counts returns retroactively: an order net of returns no longer lifts the tier', () => {
    const net = history([['a', '2026-01-10T12:00:00+07:00', '600'], ['b', '2026-02-10T12:00:00+07:00', '100']]);
    expect(evaluateTier(rolling, net, { at: '2026-03-01T00:00:00+07:00' }).tierId).to.equal('bronze');
  });

  it('a calendar-year window starts again on 1 January in the program time zone', () => {
    const yearly = programWith([base], { tiers: { basis: 'spend', window: { type: 'calendar-year' }, levels } });
    const y = history([['a', '2026-12-31T20:00:00+07:00', '1500']]);
    expect(evaluateTier(yearly, y, { at: '2026-12-31T23:59:59+07:00' }).tierId).to.equal('silver');
    // 2026-12-31T17:00Z is already 2027-01-01 00:00 in Jakarta.
    expect(evaluateTier(yearly, y, { at: '2026-12-31T17:00:00Z' }).tierId).to.equal('bronze');
  });

  it('counts orders or points when the basis says so', () => {
    const byOrders = programWith([base], { tiers: { basis: 'orders', window: { type: 'rolling', months: 12 }, levels: [levels[0], { ...levels[1], threshold: '2' }] } });
    const byPoints = programWith([base], { tiers: { basis: 'points', window: { type: 'rolling', months: 12 }, levels: [levels[0], { ...levels[1], threshold: '100' }] } });
    const two = history([['a', '2026-01-10T12:00:00+07:00', '1', 60], ['b', '2026-02-10T12:00:00+07:00', '1', 30]]);
    expect(evaluateTier(byOrders, two, { at: '2026-03-01T00:00:00+07:00' }).tierId).to.equal('silver');
    expect(evaluateTier(byPoints, two, { at: '2026-03-01T00:00:00+07:00' }).tierId).to.equal('bronze');
  });
});

describe('quoteOrder: tier before and after, the points\' life, snapshot', () => {
  const compiled = programWith([base], {
    points: { pendingDays: 14, expiry: { months: 12 } },
    tiers: { basis: 'spend', exclude: { category: ['shipping'] }, window: { type: 'rolling', months: 12 }, levels },
  });

  it('earns with the tier held before and lifts the tier for the next order', () => {
    const quote = quoteOrder(
      compiled,
      { order: orderOf([['A', 'tv', 1, '800'], ['S', 'shipping', 1, '500']], '2026-06-10T10:00:00+07:00'), history: history([['h', '2026-05-01T10:00:00+07:00', '300']]) },
      { at: '2026-06-10T10:00:00+07:00' },
    );
    // Bronze before (300 < 1000): 800/100 + 500/100 = 13 points × 1. Tier spend excludes shipping: 800; 300 + 800 = 1100 -> silver.
    expect(quote).to.deep.include({ points: 13, tierBefore: 'bronze', tierAfter: 'silver', tierSpend: '800' });
    // Pending for 14 days, then 12 months before they expire.
    expect(quote.life).to.deep.equal({ availableAt: '2026-06-24T10:00:00.000+07:00', expiresAt: '2027-06-24T10:00:00.000+07:00' });
    expect(quote.snapshot).to.deep.equal({ programId: 'test', programVersion: null, tierBefore: 'bronze', usage: {}, campaignUsage: {} });
  });

  it('ignores the order itself in the history (a replay) and orders placed after it', () => {
    const quote = quoteOrder(
      compiled,
      { order: orderOf([['A', 'tv', 1, '100']], '2026-06-10T10:00:00+07:00'), history: history([['o-1', '2026-06-10T10:00:00+07:00', '5000'], ['later', '2026-07-01T10:00:00+07:00', '5000']]) },
      { at: '2026-06-10T10:00:00+07:00' },
    );
    expect(quote.tierBefore).to.equal('bronze');
  });

  it('quotes at checkout: placedAt defaults to at', () => {
    const order = { ...orderOf([['A', 'tv', 1, '100']]), placedAt: undefined };
    const quote = quoteOrder(compiled, { order, history: history([]) }, { at: '2026-06-10T10:00:00+07:00' });
    expect(quote.trace.placedAt).to.equal('2026-06-10T10:00:00.000+07:00');
  });
});

describe('evaluateEvent', () => {
  const compiled = programWith([], {
    tiers: { basis: 'spend', window: { type: 'rolling', months: 12 }, levels },
    events: [
      { id: 'review', name: 'Review', event: 'review.published', award: { points: 50, byTier: { gold: 80 } }, limit: { perCustomer: { count: 2, period: { days: 1 } } } },
      { id: 'photo', name: 'Photo review', event: 'review.published', when: { fact: 'event.attributes.photos', op: 'gte', value: 1 }, award: { points: 20 } },
      { id: 'survey', name: 'Survey', event: 'survey.answered', award: { points: 10 }, valid: { until: '2026-07-01T00:00:00+07:00' } },
    ],
  });
  const at = '2026-06-10T10:00:00+07:00';

  it('adds up every rule of the event type that applies, and counts its limit', () => {
    const result = evaluateEvent(compiled, { event: { id: 'e1', type: 'review.published', attributes: { photos: 2 } }, history: history([]) }, { at });
    expect(result).to.deep.include({ points: 70, ruleIds: ['review', 'photo'] });
    expect(result.usage).to.deep.equal([{ key: 'event:review:2026-06-10', count: 1 }]);
  });

  it('pays by tier', () => {
    const gold = history([['big', '2026-06-01T10:00:00+07:00', '6000']]);
    expect(evaluateEvent(compiled, { event: { id: 'e1', type: 'review.published' }, history: gold }, { at }).points).to.equal(80);
  });

  it('answers 0 with the reason over the limit', () => {
    const used = { orders: [], usage: { 'event:review:2026-06-10': 2 } };
    const result = evaluateEvent(compiled, { event: { id: 'e3', type: 'review.published' }, history: used }, { at });
    expect(result).to.deep.include({ points: 0, reason: 'limit-reached', detail: 'already 2 this calendar day (limit 2)' });
  });

  it('answers 0 with a reason for an unknown event type or an expired rule', () => {
    expect(evaluateEvent(compiled, { event: { id: 'x', type: 'unknown.type' }, history: history([]) }, { at })).to.deep.include({ points: 0, reason: 'no-event-rule' });
    expect(evaluateEvent(compiled, { event: { id: 'x', type: 'survey.answered' }, history: history([]) }, { at: '2026-07-01T00:00:00+07:00' })).to.deep.include({ points: 0, reason: 'expired' });
  });
});

describe('pointsLife', () => {
  const compiled = programWith([], { points: { pendingDays: 14, expiry: { months: 12 } } });
  const table: Array<[Parameters<typeof pointsLife>[1], string, string, string]> = [
    ['order', '2026-02-01T10:00:00+07:00', '2026-02-15T10:00:00.000+07:00', '2027-02-15T10:00:00.000+07:00'],
    ['referral', '2026-03-20T10:00:00+07:00', '2026-04-03T10:00:00.000+07:00', '2027-04-03T10:00:00.000+07:00'],
    ['birthday', '2026-03-01T00:05:00+07:00', '2026-03-01T00:05:00.000+07:00', '2027-03-01T00:05:00.000+07:00'],
    ['event', '2026-03-12T09:00:00+07:00', '2026-03-12T09:00:00.000+07:00', '2027-03-12T09:00:00.000+07:00'],
    ['adjustment', '2026-01-31T12:00:00+07:00', '2026-01-31T12:00:00.000+07:00', '2027-01-31T12:00:00.000+07:00'],
  ];
  for (const [source, at, availableAt, expiresAt] of table) {
    it(`${source} points from ${at}: available ${availableAt}, expire ${expiresAt}`, () => {
      expect(pointsLife(compiled, source, at)).to.deep.equal({ availableAt, expiresAt });
    });
  }

  it('never expires without expiry', () => {
    expect(pointsLife(programWith([]), 'order', '2026-02-01T10:00:00+07:00')).to.deep.equal({ availableAt: '2026-02-01T10:00:00.000+07:00', expiresAt: null });
  });
});
