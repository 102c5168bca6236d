/**
 * Table-driven cases per rule kind, readable as a specification. Each expected number is worked out by hand in the
 * `why` column from SEMANTICS.md rules 1-3 (amount = quantity × unitPrice − discount; pointsPer = amount ÷ per ×
 * points; multipliers multiply what was earned; round once with the program's mode).
 */
import { expect } from 'chai';
import { computeOrderPoints, InputError, type OrderInput } from '../src/index.js';
import { orderOf, programWith } from './support/program-builder.js';

const base = { id: 'base', name: 'Base', scope: 'line', exclude: { category: ['shipping'] }, award: { pointsPer: { amount: '10000', points: 1 } } };

interface Case {
  readonly title: string;
  readonly earning: unknown[];
  readonly extra?: Record<string, unknown>;
  readonly order: OrderInput;
  readonly tierId?: string;
  readonly usage?: Record<string, number>;
  readonly campaignUsage?: Record<string, number>;
  readonly points: number;
  readonly exact?: string;
  readonly why: string;
  readonly applied?: string[];
  readonly reasons?: Record<string, string>;
}

const cases: Case[] = [
  {
    title: 'line pointsPer over every non-excluded line',
    earning: [base],
    order: orderOf([['A', 'tv', 1, '25000'], ['B', 'audio', 3, '5000'], ['S', 'shipping', 1, '30000']]),
    points: 4,
    exact: '4',
    why: '25000/10000 = 2.5 and 3×5000 = 15000 -> 1.5; shipping excluded; 2.5 + 1.5 = 4',
  },
  {
    title: 'line discount lowers the amount',
    earning: [base],
    order: orderOf([['TV', 'tv', 1, '2000000', { discount: '150000' }]]),
    points: 185,
    why: '2000000 − 150000 = 1850000 -> 185',
  },
  {
    title: 'line pointsPer limited by appliesTo brand',
    earning: [{ ...base, appliesTo: { brand: ['acme'] } }],
    order: orderOf([['A', 'tv', 1, '50000', { brand: 'acme' }], ['B', 'tv', 1, '50000', { brand: 'globex' }]]),
    points: 5,
    why: 'only the acme line: 50000/10000 = 5',
  },
  {
    title: 'fixed points per matching line (by tag)',
    earning: [{ id: 'promo', name: 'Promo', scope: 'line', appliesTo: { tag: ['promo'] }, award: { points: 10 } }],
    order: orderOf([['A', 'tv', 1, '1', { tags: ['promo'] }], ['B', 'tv', 1, '1', { tags: ['promo', 'x'] }], ['C', 'tv', 1, '1']]),
    points: 20,
    why: 'two tagged lines × 10',
  },
  {
    title: 'a line multiplier multiplies what the matching line earned',
    earning: [base, { id: 'tv2', name: 'TV x2', scope: 'line', when: { fact: 'line.category', op: 'eq', value: 'tv' }, award: { multiplier: '2' } }],
    order: orderOf([['TV', 'tv', 1, '50000'], ['M', 'audio', 1, '10000']]),
    points: 11,
    why: 'tv 5 × 2 = 10, audio 1: 11',
  },
  {
    title: 'two multipliers on one line compose',
    earning: [
      base,
      { id: 'm2', name: 'x2', scope: 'line', award: { multiplier: '2' } },
      { id: 'm15', name: 'x1.5', scope: 'line', award: { multiplier: '1.5' } },
    ],
    order: orderOf([['TV', 'tv', 1, '50000']]),
    points: 15,
    why: '5 × 2 × 1.5 = 15',
  },
  {
    title: 'multipliers apply after base rules whatever their priority',
    earning: [{ id: 'm2', name: 'x2', scope: 'line', priority: 100, award: { multiplier: '2' } }, base],
    order: orderOf([['TV', 'tv', 1, '50000']]),
    points: 10,
    why: 'base 5 first, then × 2',
  },
  {
    title: 'order fixed points when the order total qualifies (shipping counts in the total)',
    earning: [{ id: 'big', name: 'Big', scope: 'order', when: { fact: 'order.total', op: 'gte', value: '100000' }, award: { points: 50 } }],
    order: orderOf([['A', 'tv', 1, '80000'], ['S', 'shipping', 1, '20000']]),
    points: 50,
    why: 'total 80000 + 20000 = 100000 >= 100000',
  },
  {
    title: 'order pointsPer over the eligible amount',
    earning: [{ id: 'op', name: 'Order rate', scope: 'order', exclude: { category: ['shipping'] }, award: { pointsPer: { amount: '50000', points: 1 } } }],
    order: orderOf([['A', 'tv', 1, '120000'], ['S', 'shipping', 1, '30000']]),
    points: 2,
    exact: '2.4',
    why: '120000/50000 = 2.4 -> floor 2',
  },
  {
    title: 'an order multiplier multiplies everything earned before it',
    earning: [base, { id: 'fix', name: 'Fixed', scope: 'order', award: { points: 5 } }, { id: 'om', name: 'Order x2', scope: 'order', award: { multiplier: '2' } }],
    order: orderOf([['A', 'tv', 1, '100000']]),
    points: 30,
    why: '(10 + 5) × 2 = 30',
  },
  {
    title: 'an exclusive rule stops lower-priority rules on the same line',
    earning: [{ id: 'vip', name: 'VIP rate', scope: 'line', priority: 10, stacking: 'exclusive', appliesTo: { category: ['tv'] }, award: { pointsPer: { amount: '1000', points: 1 } } }, base],
    order: orderOf([['TV', 'tv', 1, '10000'], ['M', 'audio', 1, '10000']]),
    points: 11,
    why: 'tv: 10000/1000 = 10 (base blocked on it); audio: base 1',
  },
  {
    title: 'not valid yet before valid.from',
    earning: [{ ...base, valid: { from: '2026-12-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00' } }],
    order: orderOf([['TV', 'tv', 1, '100000']], '2026-11-30T23:59:59+07:00'),
    points: 0,
    why: 'placed one second before valid.from',
    reasons: { base: 'not-valid-yet' },
  },
  {
    title: 'valid.until is exclusive',
    earning: [{ ...base, valid: { from: '2026-12-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00' } }],
    order: orderOf([['TV', 'tv', 1, '100000']], '2027-01-01T00:00:00+07:00'),
    points: 0,
    why: 'placed exactly at valid.until',
    reasons: { base: 'expired' },
  },
  {
    title: 'cap per order',
    earning: [{ ...base, award: { pointsPer: { amount: '1000', points: 1 } }, cap: { perOrder: 50 } }],
    order: orderOf([['TV', 'tv', 1, '100000']]),
    points: 50,
    why: '100000/1000 = 100, capped at 50',
  },
  {
    title: 'cap per customer per calendar month: used up this month',
    earning: [{ id: 'bonus', name: 'Bonus', scope: 'order', award: { points: 100 }, cap: { perCustomer: { count: 1, period: { months: 1 } } } }],
    order: orderOf([['TV', 'tv', 1, '1']], '2026-06-30T23:00:00+07:00'),
    usage: { 'earn:bonus:2026-06': 1 },
    points: 0,
    why: 'June 2026 in Jakarta already has one application',
    reasons: { bonus: 'cap-reached' },
  },
  {
    title: 'cap per customer per calendar month: a new month starts at zero',
    earning: [{ id: 'bonus', name: 'Bonus', scope: 'order', award: { points: 100 }, cap: { perCustomer: { count: 1, period: { months: 1 } } } }],
    order: orderOf([['TV', 'tv', 1, '1']], '2026-06-30T17:00:00Z'),
    usage: { 'earn:bonus:2026-06': 1 },
    points: 100,
    why: '2026-06-30T17:00Z is 1 July 00:00 in Jakarta: July has no application yet',
  },
  {
    title: 'campaign budget reduces the last award',
    earning: [{ id: 'camp', name: 'Campaign', scope: 'order', award: { points: 50 }, cap: { budget: { points: 100 } } }],
    order: orderOf([['TV', 'tv', 1, '1']]),
    campaignUsage: { camp: 95 },
    points: 5,
    why: '100 − 95 = 5 left',
  },
  {
    title: 'campaign budget exhausted',
    earning: [{ id: 'camp', name: 'Campaign', scope: 'order', award: { points: 50 }, cap: { budget: { points: 100 } } }],
    order: orderOf([['TV', 'tv', 1, '1']]),
    campaignUsage: { camp: 100 },
    points: 0,
    why: 'nothing left',
    reasons: { camp: 'budget-exhausted' },
  },
  {
    title: 'program-wide per-order cap',
    earning: [{ ...base, award: { pointsPer: { amount: '100', points: 1 } } }],
    extra: { points: { maxPerOrder: 300 } },
    order: orderOf([['TV', 'tv', 1, '100000']]),
    points: 300,
    why: '100000/100 = 1000, capped at 300',
  },
  {
    title: 'the tier multiplier applies to the sum, rounded once',
    earning: [base],
    extra: {
      tiers: {
        basis: 'spend',
        window: { type: 'rolling', months: 12 },
        levels: [
          { id: 'bronze', name: 'Bronze', threshold: '0' },
          { id: 'silver', name: 'Silver', threshold: '5000000', multiplier: '1.25' },
        ],
      },
    },
    tierId: 'silver',
    order: orderOf([['TV', 'tv', 1, '1850000']]),
    points: 231,
    exact: '231.25',
    why: '185 × 1.25 = 231.25 -> floor 231',
  },
  {
    title: 'a weekend condition in the program time zone',
    earning: [{ ...base, when: { fact: 'time.dayOfWeek', op: 'in', value: [6, 7] } }],
    order: orderOf([['TV', 'tv', 1, '100000']], '2026-06-12T18:00:00Z'),
    points: 10,
    why: 'Friday 18:00 UTC is Saturday 01:00 in Jakarta',
  },
  {
    title: 'customer conditions: tags, attributes, enrolment',
    earning: [
      {
        ...base,
        when: {
          all: [
            { fact: 'customer.tags', op: 'eq', value: 'vip' },
            { fact: 'customer.attributes.segment', op: 'in', value: ['b2b', 'gov'] },
            { fact: 'customer.enrolledAt', op: 'lt', value: '2026-01-01T00:00:00+07:00' },
          ],
        },
      },
    ],
    order: orderOf([['TV', 'tv', 1, '100000']]),
    points: 10,
    why: 'every customer condition holds (see the customer below)',
  },
];

describe('earning rules, one kind at a time', () => {
  for (const c of cases) {
    it(`${c.title}: ${c.points} (${c.why})`, () => {
      const compiled = programWith(c.earning, c.extra);
      const result = computeOrderPoints(
        compiled,
        {
          customer: { id: 'c', tags: ['vip'], attributes: { segment: 'b2b' }, enrolledAt: '2025-05-01T00:00:00+07:00' },
          order: c.order,
          tierId: c.tierId,
          usage: c.usage,
          campaignUsage: c.campaignUsage,
        },
        { at: c.order.placedAt! },
      );
      expect(result.points, JSON.stringify(result.trace.rules)).to.equal(c.points);
      if (c.exact) expect(result.exact).to.equal(c.exact);
      for (const [ruleId, reason] of Object.entries(c.reasons ?? {})) {
        expect(result.trace.rules.find((r) => r.ruleId === ruleId)).to.include({ applied: false, reason });
      }
    });
  }

  it('returns the usage to count and the counters it read', () => {
    const compiled = programWith([{ id: 'bonus', name: 'Bonus', scope: 'order', award: { points: 100 }, cap: { perCustomer: { count: 2, period: { months: 1 } }, budget: { points: 1000 } } }]);
    const result = computeOrderPoints(compiled, { order: orderOf([['A', 'tv', 1, '1']]), usage: { 'earn:bonus:2026-06': 1 }, campaignUsage: { bonus: 300 } }, { at: '2026-06-10T10:00:00+07:00' });
    expect(result.usage).to.deep.equal([{ key: 'earn:bonus:2026-06', count: 1 }]);
    expect(result.campaignUsage).to.deep.equal([{ ruleId: 'bonus', points: 100 }]);
    expect(result.usageRead).to.deep.equal({ 'earn:bonus:2026-06': 1 });
    expect(result.campaignUsageRead).to.deep.equal({ bonus: 300 });
  });

  it('explains a condition that failed, with the value it saw', () => {
    const compiled = programWith([{ id: 'big', name: 'Big', scope: 'order', when: { fact: 'order.total', op: 'gte', value: '5000000' }, award: { points: 200 } }]);
    const result = computeOrderPoints(compiled, { order: orderOf([['A', 'tv', 1, '1850000']]) }, { at: '2026-06-10T10:00:00+07:00' });
    expect(result.trace.rules[0]).to.deep.include({ applied: false, reason: 'condition-false', detail: 'order.total is at least 5000000 was false (order.total is 1850000)' });
  });

  const roundingCases: Array<[string, string, number]> = [
    ['floor', '25000', 2],
    ['ceil', '25000', 3],
    ['half-up', '25000', 3],
    ['half-even', '25000', 2],
    ['half-even', '35000', 4],
    ['half-up', '24999', 2],
  ];
  for (const [mode, amount, points] of roundingCases) {
    it(`rounds ${amount}/10000 with ${mode} to ${points}`, () => {
      const compiled = programWith([base], { points: { rounding: mode } });
      expect(computeOrderPoints(compiled, { order: orderOf([['A', 'tv', 1, amount]]) }, { at: '2026-06-10T10:00:00+07:00' }).points).to.equal(points);
    });
  }

  it('refuses bad orders with every problem and its pointer', () => {
    const compiled = programWith([base]);
    const order = { ...orderOf([['A', 'tv', 1, '100', { discount: '500' }], ['B', 'tv', 1, '1e3']]), currency: 'USD' };
    try {
      computeOrderPoints(compiled, { order }, { at: '2026-06-10T10:00:00+07:00' });
      expect.fail('expected an InputError');
    } catch (error) {
      expect(error).to.be.instanceOf(InputError);
      expect((error as InputError).errors.map((e) => [e.pointer, e.code])).to.deep.equal([
        ['/order/currency', 'currency-mismatch'],
        ['/order/lines/0/discount', 'negative-line-amount'],
        ['/order/lines/1/unitPrice', 'invalid-decimal'],
      ]);
    }
  });

  it('refuses an unknown tier and an instant without offset', () => {
    const compiled = programWith([base]);
    expect(() => computeOrderPoints(compiled, { order: orderOf([['A', 'tv', 1, '1']]), tierId: 'gold' }, { at: '2026-06-10T10:00:00+07:00' })).to.throw(InputError, /tier "gold"/);
    expect(() => computeOrderPoints(compiled, { order: orderOf([['A', 'tv', 1, '1']], '2026-06-10T10:00:00') }, { at: '2026-06-10T10:00:00+07:00' })).to.throw(InputError, /with an offset/);
  });
});
