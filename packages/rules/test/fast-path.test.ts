/**
 * The fast path (engine/earning/fast-points.ts) against the exact path (computePricedOrderPoints): on random
 * programs and orders built to sit on boundaries (totals on whole points, caps and budgets met exactly, rates like
 * 1/3), each mode either gives exactly the exact path's answer or gives up. And quotes, whichever path answered,
 * read the same trace. And the tier held, swept in whole units, against the Decimal scan it replaces when values
 * fit. The decimal reader and the roundings the fast path relies on are checked in money.test.ts.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { compileGenerated, orderOf, programWith } from './support/program-builder.js';
import { compileProgram, parseProgram, quoteOrder, type CompiledProgram, type OrderInput } from '../src/index.js';
import { computeOrderPoints, computePricedOrderPoints } from '../src/engine/earning/compute-order-points.js';
import { fastOrderPointsIn, priceOrderFast } from '../src/engine/earning/fast-points.js';
import { priceOrder } from '../src/engine/earning/price-order.js';
import { heldLevel, levelWith, tierEntries, tierEntry } from '../src/engine/tiers/tier-window.js';

const CATEGORIES = ['tv', 'phone', 'audio', 'shipping'];
const at = '2026-06-13T10:00:00+07:00';

const ruleArb = fc.oneof(
  fc.record({
    scope: fc.constantFrom('line', 'order'),
    award: fc.record({ pointsPer: fc.record({ amount: fc.constantFrom('1000', '10000', '3', '7.5', '0.25', '50000'), points: fc.integer({ min: 1, max: 5 }) }) }),
    exclude: fc.option(fc.constant({ category: ['shipping'] }), { nil: undefined }),
    appliesTo: fc.option(fc.oneof(fc.record({ category: fc.subarray(['tv', 'phone', 'audio'], { minLength: 1 }) }), fc.record({ sku: fc.subarray(['S0', 'S1', 'S2'], { minLength: 1 }) })), { nil: undefined }),
    cap: fc.option(fc.oneof(fc.record({ perOrder: fc.integer({ min: 1, max: 400 }) }), fc.record({ budget: fc.record({ points: fc.integer({ min: 1, max: 3000 }) }) })), { nil: undefined }),
  }),
  fc.record({
    scope: fc.constant('line'),
    award: fc.record({ multiplier: fc.constantFrom('1', '2', '1.5', '1.25', '1.1', '3') }),
    when: fc.option(fc.record({ fact: fc.constant('line.category'), op: fc.constant('in'), value: fc.subarray(CATEGORIES, { minLength: 1 }) }), { nil: undefined }),
    stacking: fc.constantFrom('stack', 'exclusive'),
    cap: fc.option(fc.record({ perOrder: fc.integer({ min: 1, max: 400 }) }), { nil: undefined }),
  }),
  fc.record({
    scope: fc.constant('order'),
    award: fc.record({ multiplier: fc.constantFrom('2', '1.5', '1.1') }),
    stacking: fc.constantFrom('stack', 'exclusive'),
    cap: fc.option(fc.record({ perOrder: fc.integer({ min: 1, max: 400 }) }), { nil: undefined }),
  }),
  fc.record({
    scope: fc.constantFrom('line', 'order'),
    award: fc.record({ points: fc.integer({ min: 1, max: 100 }) }),
    when: fc.option(fc.record({ fact: fc.constant('order.total'), op: fc.constantFrom('gte', 'lt'), value: fc.constantFrom('100000', '250000.5') }), { nil: undefined }),
    cap: fc.option(fc.record({ perCustomer: fc.record({ count: fc.integer({ min: 1, max: 2 }), period: fc.constant({ months: 1 }) }) }), { nil: undefined }),
  }),
);

const specArb = fc.record({
  rules: fc.array(ruleArb, { minLength: 1, maxLength: 6 }),
  rounding: fc.constantFrom('floor', 'ceil', 'half-up', 'half-even'),
  maxPerOrder: fc.option(fc.integer({ min: 1, max: 3000 }), { nil: undefined }),
  tier: fc.constantFrom(undefined, 'bronze', 'silver', 'gold'),
  silver: fc.constantFrom('1.25', '1.1', '2'),
});
type Spec = typeof specArb extends fc.Arbitrary<infer T> ? T : never;

function compile(spec: Spec) {
  return compileGenerated(spec);
}

// Prices that make whole points likely (multiples of the rates above) and some cents and thirds.
const priceArb = fc.oneof(
  fc.integer({ min: 0, max: 400 }).map((n) => String(n * 2500)),
  fc.integer({ min: 0, max: 30 }).map((n) => String(n * 3)),
  fc.tuple(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 99 })).map(([units, cents]) => (cents === 0 ? String(units) : `${units}.${String(cents).padStart(2, '0')}`)),
);

const orderArb: fc.Arbitrary<OrderInput> = fc
  .array(fc.record({ category: fc.constantFrom(...CATEGORIES), quantity: fc.integer({ min: 0, max: 4 }), unitPrice: priceArb }), { minLength: 1, maxLength: 6 })
  .map((lines) => ({ id: 'o-f', placedAt: at, currency: 'IDR', lines: lines.map((l, i) => ({ sku: `S${i}`, ...l })) }));

const countersArb = fc.record({
  usage: fc.record({ 'earn:r0:2026-06': fc.integer({ min: 0, max: 2 }), 'earn:r2:2026-06': fc.integer({ min: 0, max: 2 }) }),
  campaignUsage: fc.record({ r0: fc.integer({ min: 0, max: 3000 }), r1: fc.integer({ min: 0, max: 3000 }), r3: fc.integer({ min: 0, max: 3000 }) }),
});

describe('fast path of order points', () => {
  it('gives exactly the exact path’s points, counters and rules whenever it answers, in float and in whole-unit mode', () => {
    const answered = { float: 0, whole: 0, cases: 0 };
    fc.assert(
      fc.property(specArb, orderArb, countersArb, (spec, order, counters) => {
        const compiled = compile(spec);
        const placedAt = compiled.clock.millis(at, '/at');
        const input = { tierId: spec.tier, usage: counters.usage, campaignUsage: counters.campaignUsage };
        const exact = computePricedOrderPoints(compiled, input, priceOrder(compiled, order), placedAt);
        const priced = priceOrderFast(compiled, order);
        expect(priced, 'every generated order fits the fast pricing').to.not.equal(undefined);
        answered.cases += 1;
        for (const mode of ['float', 'whole'] as const) {
          const fast = fastOrderPointsIn(mode, compiled, input, priced!, placedAt);
          if (!fast) continue;
          answered[mode] += 1;
          expect({ mode, ...fast }).to.deep.equal({
            mode,
            points: exact.points,
            usage: exact.usage,
            campaignUsage: exact.campaignUsage,
            ruleIds: exact.ruleIds,
            usageRead: exact.usageRead,
            campaignUsageRead: exact.campaignUsageRead,
          });
        }
      }),
      { numRuns: 600 },
    );
    // The comparison means something only if both modes answered often, even on inputs built to hug boundaries
    // (float mode gives up on every total on a whole point, which these inputs make common).
    expect(answered.float, `float mode answered ${answered.float} of ${answered.cases}`).to.be.above(answered.cases * 0.3);
    expect(answered.whole, `whole-unit mode answered ${answered.whole} of ${answered.cases}`).to.be.above(answered.cases * 0.5);
  });

  it('quotes read the same trace whichever path answered, and the trace rounds to the quoted points', () => {
    fc.assert(
      fc.property(specArb, orderArb, countersArb, (spec, order, counters) => {
        const compiled = compile(spec);
        const history = { orders: [], usage: counters.usage, campaignUsage: counters.campaignUsage };
        const quote = quoteOrder(compiled, { order, history }, { at });
        const placedAt = compiled.clock.millis(at, '/at');
        const exact = computePricedOrderPoints(compiled, { tierId: quote.tierBefore, usage: counters.usage, campaignUsage: counters.campaignUsage }, priceOrder(compiled, order), placedAt);
        expect(quote.points).to.equal(exact.points);
        expect(quote.exact).to.equal(exact.exact);
        // The tier basis spend, priced in integer units on the fast path, is the Decimal sum of the line amounts.
        expect(quote.tierSpend).to.equal(priceOrder(compiled, order).facts.total.toString());
        expect(quote.trace.rounding.points).to.equal(quote.points);
        expect(quote.trace.rules).to.deep.equal(exact.trace.rules);
        expect(quote.lines).to.deep.equal(exact.lines);
        // Asking for the trace up front changes which path runs, never the answer.
        const traced = quoteOrder(compiled, { order, history }, { at, trace: true });
        expect(JSON.parse(JSON.stringify(traced))).to.deep.equal(JSON.parse(JSON.stringify(quote)));
      }),
      { numRuns: 200 },
    );
  });

  it('a quote serializes with its lazily written fields, on either path (JSON.stringify reaches exact, lines and trace)', () => {
    fc.assert(
      fc.property(specArb, orderArb, countersArb, (spec, order, counters) => {
        const compiled = compile(spec);
        const history = { orders: [], usage: counters.usage, campaignUsage: counters.campaignUsage };
        const quote = quoteOrder(compiled, { order, history }, { at });
        const json = JSON.parse(JSON.stringify(quote)) as Record<string, unknown>;
        expect(Object.keys(json).sort()).to.deep.equal(['campaignUsage', 'exact', 'life', 'lines', 'points', 'ruleIds', 'snapshot', 'tierAfter', 'tierBefore', 'tierSpend', 'trace', 'usage']);
        expect(json.exact).to.equal(quote.exact);
        expect(json.trace).to.deep.equal(JSON.parse(JSON.stringify(quote.trace)));
        const points = computeOrderPoints(compiled, { order, usage: counters.usage, campaignUsage: counters.campaignUsage }, { at });
        const pointsJson = JSON.parse(JSON.stringify(points)) as Record<string, unknown>;
        expect(Object.keys(pointsJson).sort()).to.deep.equal(['campaignUsage', 'campaignUsageRead', 'exact', 'lines', 'orderShares', 'points', 'ruleIds', 'trace', 'usage', 'usageRead']);
        expect(pointsJson.lines).to.deep.equal(JSON.parse(JSON.stringify(points.lines)));
      }),
      { numRuns: 50 },
    );
  });

  // Boundaries worked out by hand: a float sum lands a hair off these, the exact answer is on them.
  const boundary = (earning: unknown[], lines: OrderInput['lines'], rounding: string, tiers?: unknown) =>
    quoteOrder(
      compileProgram(parseProgram({ id: 'b', name: 'B', currency: 'USD', timezone: 'America/New_York', points: { rounding }, ...(tiers ? { tiers } : {}), earning })),
      { order: { id: 'o-b', placedAt: '2026-03-08T12:00:00-04:00', currency: 'USD', lines }, history: { orders: [], usage: {} } },
      { at: '2026-03-08T12:00:00-04:00' },
    ).points;

  it('a total exactly on a whole point stays on it under ceil: 3 × $0.10 at 1 point per $0.10 is 3', () => {
    const lines = [0, 1, 2].map((i) => ({ sku: `S${i}`, quantity: 1, unitPrice: '0.1' }));
    expect(boundary([{ id: 'r', name: 'R', scope: 'line', award: { pointsPer: { amount: '0.1', points: 1 } } }], lines, 'ceil')).to.equal(3);
  });

  it('1.1 × 10 points is 11 under ceil, not 12 (0.1 has no exact binary form)', () => {
    const earning = [
      { id: 'base', name: 'Base', scope: 'order', award: { points: 10 } },
      { id: 'x', name: 'X', scope: 'order', award: { multiplier: '1.1' } },
    ];
    expect(boundary(earning, [{ sku: 'S', quantity: 1, unitPrice: '5' }], 'ceil')).to.equal(11);
  });

  it('thirds: three $1 lines at 1 point per $3 make one whole point under floor (the 12-decimal guard)', () => {
    const lines = [0, 1, 2].map((i) => ({ sku: `S${i}`, quantity: 1, unitPrice: '1' }));
    expect(boundary([{ id: 'r', name: 'R', scope: 'line', award: { pointsPer: { amount: '3', points: 1 } } }], lines, 'floor')).to.equal(1);
  });

  it('half-even on exactly half a point: $0.50 at 1 point per $1 is 0, $1.50 is 2', () => {
    const rule = [{ id: 'r', name: 'R', scope: 'line', award: { pointsPer: { amount: '1', points: 1 } } }];
    expect(boundary(rule, [{ sku: 'S', quantity: 1, unitPrice: '0.5' }], 'half-even')).to.equal(0);
    expect(boundary(rule, [{ sku: 'S', quantity: 1, unitPrice: '1.5' }], 'half-even')).to.equal(2);
    expect(boundary(rule, [{ sku: 'S', quantity: 1, unitPrice: '0.5' }], 'half-up')).to.equal(1);
  });

  it('a multiplier below 1 takes the exact path and still halves: 0.5 × 7 points is 3.5, 4 under half-up', () => {
    const earning = [
      { id: 'base', name: 'Base', scope: 'order', award: { points: 7 } },
      { id: 'half', name: 'Half', scope: 'order', award: { multiplier: '0.5' } },
    ];
    expect(boundary(earning, [{ sku: 'S', quantity: 1, unitPrice: '5' }], 'half-up')).to.equal(4);
  });
});

describe('the trace option: which path answers', () => {
  // 250,000 at 1 point per 1,000 is 250 points. The copy's fast-path numbers are tampered with (the rate doubled,
  // as a float and as a ratio) while its exact numbers are left alone: its fast path says 500 and its exact path
  // 250, so the answer shows which path gave it.
  const honest = programWith([{ id: 'per', name: 'Per', scope: 'line', award: { pointsPer: { amount: '1000', points: 1 } } }]);
  const tampered: CompiledProgram = { ...honest, rules: honest.rules.map((rule) => ({ ...rule, ratio: { ...rule.ratio, rate: rule.ratio.rate * 2, perNum: rule.ratio.perNum * 2 } })) };
  const order = orderOf([['TV-1', 'tv', 1, '250000']]);
  const input = { order, history: { orders: [], usage: {} } };

  it('without it, the points come from the fast path, and reading the trace runs the exact path a second time', () => {
    expect(quoteOrder(honest, input, { at: order.placedAt! }).points).to.equal(250);
    const quote = quoteOrder(tampered, input, { at: order.placedAt! });
    expect(quote.points).to.equal(500);
    // The second run disagrees with the first: the check that guards the lazy trace reports it.
    expect(() => quote.trace).to.throw(/the fast path gave 500 points for order "o-1" and the exact path 250/);
    expect(computeOrderPoints(tampered, { order }, { at: order.placedAt! }).points).to.equal(500);
  });

  it('with trace: true, quoteOrder and computeOrderPoints take the exact path alone: one run, which the trace reads', () => {
    const quote = quoteOrder(tampered, input, { at: order.placedAt!, trace: true });
    expect(quote.points).to.equal(250);
    expect(quote.trace.rounding).to.deep.equal({ mode: 'floor', exact: '250', points: 250 });
    const points = computeOrderPoints(tampered, { order }, { at: order.placedAt!, trace: true });
    expect(points.points).to.equal(250);
    expect(points.trace.rules[0]).to.deep.include({ ruleId: 'per', applied: true, points: '250', lines: [0] });
  });
});

describe('tier held: the whole-unit sweep against the Decimal scan', () => {
  // Histories of up to 40 orders over three years, spends with up to 6 decimals, windows, grace, thresholds.
  const caseArb = fc.record({
    window: fc.oneof(fc.record({ type: fc.constant('rolling' as const), months: fc.integer({ min: 1, max: 12 }) }), fc.constant({ type: 'calendar-year' as const })),
    grace: fc.integer({ min: 0, max: 3 }),
    silver: fc.constantFrom('1000', '2500.5', '0.000001'),
    orders: fc.array(fc.tuple(fc.integer({ min: 0, max: 3 * 365 * 24 }), fc.oneof(fc.integer({ min: 0, max: 3000 }).map(String), fc.constantFrom('1000.000001', '999.999999', '2500.5'))), { maxLength: 40 }),
    at: fc.integer({ min: 0, max: 3 * 365 * 24 }),
  });
  it('gives the same tier and the same moment it was met, on random histories', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const compiled = compileProgram(
          parseProgram({
            id: 't',
            name: 'T',
            currency: 'IDR',
            timezone: 'Asia/Jakarta',
            points: {},
            tiers: {
              basis: 'spend',
              window: c.window,
              ...(c.grace > 0 ? { downgrade: { graceMonths: c.grace } } : {}),
              levels: [
                { id: 'bronze', name: 'Bronze', threshold: '0' },
                { id: 'silver', name: 'Silver', threshold: c.silver },
                { id: 'gold', name: 'Gold', threshold: '4000' },
              ],
            },
            earning: [{ id: 'r', name: 'R', scope: 'line', award: { pointsPer: { amount: '1000', points: 1 } } }],
          }),
        );
        const hour = 3_600_000;
        const start = Date.UTC(2025, 0, 1);
        const orders = c.orders.map(([h, spend], i) => ({ id: `o${i}`, placedAt: new Date(start + (h * hour)).toISOString(), tierSpend: spend, points: 0 }));
        const at = start + (c.at * hour);
        const tiers = compiled.tiers!;
        const entries = tierEntries(tiers, compiled.clock, orders, at);
        const swept = heldLevel(tiers, compiled.clock, entries, at);
        const scanned = heldLevel({ ...tiers, thresholdUnits: undefined }, compiled.clock, entries, at);
        expect(tiers.thresholdUnits, 'the thresholds fit whole units').to.not.equal(undefined);
        expect(swept).to.deep.equal(scanned);
        // The tier after an order placed at `at`: one pass from the tier before, as the full sweep with it added.
        for (const spend of [c.orders[0]?.[1] ?? '0', '1000.000001', '0', '4000']) {
          const own = tierEntry(tiers, compiled.clock, 'own', at, spend);
          const after = heldLevel({ ...tiers, thresholdUnits: undefined }, compiled.clock, [...entries, own], at).index;
          expect(levelWith(tiers, compiled.clock, entries, at, swept.index, 'own', spend), `after an order of ${spend}`).to.equal(after);
        }
      }),
      { numRuns: 400 },
    );
  });
});
