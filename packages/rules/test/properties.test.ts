/** Properties of order evaluation (fast-check): deterministic, monotone in spend, caps hold, shares add up. */
import { expect } from 'chai';
import fc from 'fast-check';
import { compileGenerated } from './support/program-builder.js';
import { computeOrderPoints, Decimal, quoteOrder, type OrderInput } from '../src/index.js';

const CATEGORIES = ['tv', 'phone', 'audio', 'shipping'];
const at = '2026-06-13T10:00:00+07:00';

/** Earning rules without thresholds on amounts (so more spend can only add). */
const ruleArb = fc.oneof(
  fc.record({
    scope: fc.constant('line'),
    award: fc.record({ pointsPer: fc.record({ amount: fc.constantFrom('1000', '10000', '3', '7.5'), points: fc.integer({ min: 1, max: 5 }) }) }),
    exclude: fc.option(fc.constant({ category: ['shipping'] }), { nil: undefined }),
    cap: fc.option(fc.record({ perOrder: fc.integer({ min: 1, max: 5000 }) }), { nil: undefined }),
  }),
  fc.record({
    scope: fc.constant('line'),
    award: fc.record({ multiplier: fc.constantFrom('2', '1.5', '1.25', '3') }),
    when: fc.option(fc.record({ fact: fc.constant('line.category'), op: fc.constant('in'), value: fc.subarray(CATEGORIES, { minLength: 1 }) }), { nil: undefined }),
    cap: fc.option(fc.record({ perOrder: fc.integer({ min: 1, max: 5000 }) }), { nil: undefined }),
  }),
  fc.record({
    scope: fc.constant('line'),
    award: fc.record({ points: fc.integer({ min: 1, max: 100 }) }),
    appliesTo: fc.record({ category: fc.subarray(CATEGORIES, { minLength: 1 }) }),
  }),
  fc.record({
    scope: fc.constant('order'),
    award: fc.record({ pointsPer: fc.record({ amount: fc.constantFrom('50000', '333'), points: fc.integer({ min: 1, max: 3 }) }) }),
    cap: fc.option(fc.record({ budget: fc.record({ points: fc.integer({ min: 1, max: 10000 }) }) }), { nil: undefined }),
  }),
  fc.record({
    scope: fc.constant('order'),
    award: fc.record({ points: fc.integer({ min: 1, max: 500 }) }),
    cap: fc.option(fc.record({ perCustomer: fc.record({ count: fc.integer({ min: 1, max: 3 }), period: fc.constant({ months: 1 }) }) }), { nil: undefined }),
  }),
  fc.record({ scope: fc.constant('order'), award: fc.record({ multiplier: fc.constantFrom('2', '1.1') }), stacking: fc.constantFrom('stack', 'exclusive') }),
);

const programArb = fc.record({
  rules: fc.array(ruleArb, { minLength: 1, maxLength: 6 }),
  rounding: fc.constantFrom('floor', 'ceil', 'half-up', 'half-even'),
  maxPerOrder: fc.option(fc.integer({ min: 1, max: 20000 }), { nil: undefined }),
  tier: fc.constantFrom('bronze', 'silver', 'gold'),
});

type ProgramSpec = typeof programArb extends fc.Arbitrary<infer T> ? T : never;

/** The caps of a generated rule, whatever its kind. */
function capOf(rule: ProgramSpec['rules'][number]): { perOrder?: number; budget?: { points: number }; perCustomer?: { count: number } } | undefined {
  return 'cap' in rule ? rule.cap : undefined;
}

function compile(spec: ProgramSpec) {
  return compileGenerated(spec);
}

const money = fc.tuple(fc.integer({ min: 0, max: 20_000_000 }), fc.integer({ min: 0, max: 99 })).map(([units, cents]) => (cents === 0 ? String(units) : `${units}.${String(cents).padStart(2, '0')}`));

const orderArb: fc.Arbitrary<OrderInput> = fc
  .array(fc.record({ category: fc.constantFrom(...CATEGORIES), quantity: fc.integer({ min: 0, max: 5 }), unitPrice: money }), { minLength: 1, maxLength: 6 })
  .map((lines) => ({ id: 'o-p', placedAt: at, currency: 'IDR', lines: lines.map((l, i) => ({ sku: `S${i}`, ...l })) }));

const usageArb = fc.record({ 'earn:r0:2026-06': fc.integer({ min: 0, max: 4 }), 'earn:r1:2026-06': fc.integer({ min: 0, max: 4 }), 'earn:r2:2026-06': fc.integer({ min: 0, max: 4 }) });
const campaignArb = fc.record({ r0: fc.integer({ min: 0, max: 12000 }), r1: fc.integer({ min: 0, max: 12000 }), r3: fc.integer({ min: 0, max: 12000 }) });

describe('order evaluation properties', () => {
  it('is deterministic: the same input gives the same answer, even from a fresh compile', () => {
    fc.assert(
      fc.property(programArb, orderArb, usageArb, (spec, order, usage) => {
        const history = { orders: [{ id: 'h', placedAt: '2026-05-01T10:00:00+07:00', tierSpend: '1500', points: 10 }], usage };
        const first = quoteOrder(compile(spec), { order, history }, { at });
        const second = quoteOrder(compile(spec), { order, history }, { at });
        expect(second).to.deep.equal(first);
      }),
      { numRuns: 60 },
    );
  });

  it('adding spend to a line never lowers its points nor the order points (no threshold rule involved)', () => {
    fc.assert(
      fc.property(programArb, orderArb, fc.nat(), money, (spec, order, pick, extra) => {
        const compiled = compile(spec);
        const k = pick % order.lines.length;
        const richer: OrderInput = { ...order, lines: order.lines.map((l, i) => (i === k ? { ...l, unitPrice: new Decimal(l.unitPrice).plus(extra).toString() } : l)) };
        const input = { tierId: spec.tier, usage: {}, campaignUsage: {} };
        const before = computeOrderPoints(compiled, { ...input, order }, { at });
        const after = computeOrderPoints(compiled, { ...input, order: richer }, { at });
        expect(new Decimal(after.lines[k]!.points).gte(before.lines[k]!.points), `line ${k}: ${before.lines[k]!.points} -> ${after.lines[k]!.points}`).to.equal(true);
        // The order total is monotone too, except where a cap spread over several lines is followed by a multiplier
        // that treats lines differently: more spend on one line then moves capped points between lines (documented).
        const redistributes = spec.rules.some((r) => capOf(r)?.perOrder !== undefined || capOf(r)?.budget !== undefined) && spec.rules.some((r) => 'multiplier' in r.award);
        if (!redistributes) {
          expect(new Decimal(after.exact).gte(before.exact), `${before.exact} -> ${after.exact}`).to.equal(true);
          expect(after.points).to.be.at.least(before.points);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('never exceeds a cap: per order, per customer per period, campaign budget, program per-order maximum', () => {
    fc.assert(
      fc.property(programArb, orderArb, usageArb, campaignArb, (spec, order, usage, campaignUsage) => {
        const compiled = compile(spec);
        const result = computeOrderPoints(compiled, { order, tierId: spec.tier, usage, campaignUsage }, { at });
        spec.rules.forEach((rule, i) => {
          const trace = result.trace.rules.find((r) => r.ruleId === `r${i}`)!;
          const cap = capOf(rule);
          if (cap?.perOrder !== undefined) expect(new Decimal(trace.points).lte(cap.perOrder)).to.equal(true);
          if (cap?.budget !== undefined) {
            const left = Math.max(0, cap.budget.points - ((campaignUsage as Record<string, number>)[`r${i}`] ?? 0));
            expect(new Decimal(trace.points).lte(left), `budget of r${i}`).to.equal(true);
          }
          if (cap?.perCustomer !== undefined && ((usage as Record<string, number>)[`earn:r${i}:2026-06`] ?? 0) >= cap.perCustomer.count) {
            expect(trace.applied).to.equal(false);
          }
        });
        if (spec.maxPerOrder !== undefined) expect(result.points).to.be.at.most(spec.maxPerOrder);
      }),
      { numRuns: 150 },
    );
  });

  it("the trace's shares add up to the total before rounding, and rounding happens once", () => {
    fc.assert(
      fc.property(programArb, orderArb, (spec, order) => {
        const result = computeOrderPoints(compile(spec), { order, tierId: spec.tier }, { at });
        const shares = [...result.lines.map((l) => l.points), ...result.orderShares.map((s) => s.points)].reduce((a, b) => a.plus(b), new Decimal(0));
        expect(shares.eq(result.exact), `${shares.toString()} vs ${result.exact}`).to.equal(true);
        expect(result.trace.rounding.exact).to.equal(result.exact);
        const rounding = { floor: Decimal.ROUND_FLOOR, ceil: Decimal.ROUND_CEIL, 'half-up': Decimal.ROUND_HALF_UP, 'half-even': Decimal.ROUND_HALF_EVEN }[spec.rounding];
        expect(result.points).to.equal(new Decimal(result.exact).toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN).toDecimalPlaces(0, rounding).toNumber());
      }),
      { numRuns: 150 },
    );
  });
});
