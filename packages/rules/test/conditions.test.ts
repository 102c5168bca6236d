/**
 * The operator table, per fact type: decimals compare as decimals ("10.50" equals "10.5", "9" is below "10"),
 * instants as instants (the same moment written with two offsets is equal), dates as days — never as strings.
 */
import { expect } from 'chai';
import { compileCondition, type CompiledCondition } from '../src/conditions/compile-condition.js';
import type { EvaluationFacts, FactPlace } from '../src/conditions/facts.js';
import { Decimal, type Problem } from '../src/index.js';
import { epochDayOf } from '../src/conditions/operand.js';
import { english } from '../src/messages/english.js';

const facts: EvaluationFacts = {
  order: { total: new Decimal('10.50'), lineCount: 3, channel: 'web', currency: 'IDR', tags: ['gift', 'promo'] },
  line: { sku: 'TV-43', category: 'tv', brand: undefined, tags: [], quantity: 2, amount: new Decimal('9'), unitPrice: new Decimal('4.5') },
  customer: { tier: 'silver', tags: ['vip'], enrolledAt: Date.parse('2026-01-05T02:00:00Z'), attributes: { segment: 'b2b', seats: 12, beta: true } },
  time: { dayOfWeek: 6, hour: 10, date: epochDayOf('2026-06-13')!, month: 6, instant: Date.parse('2026-06-13T03:00:00Z') },
  event: { type: 'review.published', attributes: { stars: 5 } },
};

const everywhere = new Set<FactPlace>(['any', 'order', 'line', 'event']);

function compile(condition: unknown): CompiledCondition {
  const problems: Problem[] = [];
  const compiled = compileCondition(condition, '/when', { zone: 'Asia/Jakarta', places: everywhere, where: 'a test' }, problems);
  expect(problems, JSON.stringify(problems)).to.deep.equal([]);
  return compiled!;
}

const table: Array<[string, unknown, unknown, boolean]> = [
  // fact, op, value, expected
  ['order.total', 'eq', '10.5', true],
  ['order.total', 'eq', '10.50', true],
  ['order.total', 'gt', '9', true],
  ['order.total', 'lt', '10.6', true],
  ['order.total', 'lte', '10.5', true],
  ['order.total', 'gte', '10.51', false],
  ['order.total', 'between', ['10', '11'], true],
  ['order.total', 'in', ['1', '10.500'], true],
  ['order.total', 'nin', ['1', '2'], true],
  ['order.total', 'gt', 10, true],
  ['line.amount', 'lt', '10', true],
  ['line.amount', 'ne', '9.0', false],
  ['order.lineCount', 'eq', 3, true],
  ['order.lineCount', 'between', [4, 9], false],
  ['order.channel', 'eq', 'web', true],
  ['order.channel', 'ne', 'store', true],
  ['order.channel', 'in', ['store', 'web'], true],
  ['order.channel', 'nin', ['web'], false],
  ['order.tags', 'eq', 'promo', true],
  ['order.tags', 'in', ['x', 'gift'], true],
  ['order.tags', 'nin', ['x', 'gift'], false],
  ['order.tags', 'exists', true, true],
  ['line.tags', 'exists', true, false],
  ['line.brand', 'exists', false, true],
  ['line.brand', 'eq', 'acme', false],
  ['line.brand', 'ne', 'acme', true],
  ['line.quantity', 'gte', 2, true],
  ['customer.tier', 'in', ['silver', 'gold'], true],
  // 2026-01-05T09:00+07:00 is the same instant as 02:00Z.
  ['customer.enrolledAt', 'eq', '2026-01-05T09:00:00+07:00', true],
  ['customer.enrolledAt', 'lt', '2026-01-05T02:00:01Z', true],
  ['customer.enrolledAt', 'between', ['2026-01-01T00:00:00+07:00', '2026-02-01T00:00:00+07:00'], true],
  ['customer.attributes.segment', 'eq', 'b2b', true],
  ['customer.attributes.seats', 'gte', '10', true],
  ['customer.attributes.seats', 'eq', '12.0', true],
  ['customer.attributes.beta', 'eq', true, true],
  ['customer.attributes.missing', 'exists', true, false],
  ['customer.attributes.constructor', 'exists', true, false],
  ['time.dayOfWeek', 'in', [6, 7], true],
  ['time.hour', 'between', [9, 17], true],
  ['time.date', 'eq', '2026-06-13', true],
  ['time.date', 'between', ['2026-06-01', '2026-06-30'], true],
  ['time.date', 'lt', '2026-06-09', false],
  ['event.attributes.stars', 'gte', 4, true],
  ['event.type', 'eq', 'review.published', true],
];

describe('conditions: the operator table', () => {
  for (const [fact, op, value, expected] of table) {
    it(`${fact} ${String(op)} ${JSON.stringify(value)} is ${expected}`, () => {
      expect(compile({ fact, op, value }).test(facts)).to.equal(expected);
    });
  }

  it('combines all, any and not', () => {
    expect(compile({ all: [{ fact: 'order.channel', op: 'eq', value: 'web' }, { not: { fact: 'time.hour', op: 'lt', value: 9 } }] }).test(facts)).to.equal(true);
    expect(compile({ any: [{ fact: 'order.channel', op: 'eq', value: 'store' }, { fact: 'line.quantity', op: 'gt', value: 5 }] }).test(facts)).to.equal(false);
  });

  it('explains why it failed', () => {
    const c = compile({ any: [{ fact: 'order.channel', op: 'eq', value: 'store' }, { fact: 'customer.enrolledAt', op: 'gt', value: '2026-02-01T00:00:00+07:00' }] });
    expect(english(c.explain(facts))).to.equal(
      'none held: order.channel equals "store" was false (order.channel is "web"); customer.enrolledAt is more than 2026-02-01T00:00:00.000+07:00 was false (customer.enrolledAt is 2026-01-05T09:00:00.000+07:00)',
    );
  });

  const refused: Array<[unknown, string, string]> = [
    [{ fact: 'order.channel', op: 'lt', value: 'x' }, '/when/op', 'unsupported-operator'],
    [{ fact: 'order.total', op: 'eq', value: '1e3' }, '/when/value', 'invalid-operand'],
    [{ fact: 'order.lineCount', op: 'eq', value: 1.5 }, '/when/value', 'invalid-operand'],
    [{ fact: 'time.date', op: 'eq', value: '2026-02-30' }, '/when/value', 'invalid-operand'],
    [{ fact: 'customer.enrolledAt', op: 'lt', value: '2026-01-01T00:00:00' }, '/when/value', 'invalid-operand'],
    [{ fact: 'order.channel', op: 'in', value: [] }, '/when/value', 'invalid-operand'],
    [{ fact: 'order.channel', op: 'eq', value: ['a'] }, '/when/value', 'invalid-operand'],
    [{ fact: 'order.total', op: 'between', value: ['1'] }, '/when/value', 'invalid-operand'],
    [{ fact: 'order.channel', op: 'exists', value: 'yes' }, '/when/value', 'invalid-operand'],
    [{ fact: 'order.channel', op: 'matches', value: '.*' }, '/when/op', 'unknown-operator'],
    [{ all: [] }, '/when/all', 'invalid-condition'],
  ];
  for (const [condition, pointer, code] of refused) {
    it(`refuses ${JSON.stringify(condition)} with ${code}`, () => {
      const problems: Problem[] = [];
      expect(compileCondition(condition, '/when', { zone: 'Asia/Jakarta', places: everywhere, where: 'a test' }, problems)).to.equal(undefined);
      expect(problems.map((p) => [p.pointer, p.code])).to.deep.include([pointer, code]);
    });
  }
});
