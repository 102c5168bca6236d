import { expect } from 'chai';
import fc from 'fast-check';
import { compileProgram } from '../../src/engine/compile/compile-program.js';
import type { CompiledProgram } from '../../src/engine/compiled-program.js';
import { computeOrderPoints } from '../../src/engine/earning/compute-order-points.js';
import { quoteOrder, type OrderQuote } from '../../src/engine/earning/quote-order.js';
import { evaluateReturn, type ReturnInput, type ReturnLineInput } from '../../src/index.js';
import type { CustomerHistory } from '../../src/input/customer-history.js';
import type { OrderInput } from '../../src/input/order-input.js';
import { inputProblems } from '../warranty/input-problems.js';
import { scenarioOrder, tokoProgramJson, tokoVariant } from '../warranty/toko-program.js';

const compiled = compileProgram(tokoProgramJson(), { version: 1 });

/** Quotes orders in sequence, feeding each one's result into the next one's history, as the ledger does. */
function record(orders: readonly OrderInput[], program: CompiledProgram = compiled): OrderQuote[] {
  const history: { orders: CustomerHistory['orders']; usage: Record<string, number> } = { orders: [], usage: {} };
  return orders.map((order) => {
    const quote = quoteOrder(program, { order, history: { orders: [...history.orders], usage: { ...history.usage } } }, { at: order.placedAt ?? '' });
    history.orders.push({ id: order.id, placedAt: order.placedAt ?? '', tierSpend: quote.tierSpend, points: quote.points });
    for (const u of quote.usage) history.usage[u.key] = (history.usage[u.key] ?? 0) + u.count;
    return quote;
  });
}

// The orders exactly as the scenarios record them.
const o1001 = scenarioOrder('o-1001');
const o1002 = scenarioOrder('o-1002');
const o3001 = scenarioOrder('o-3001');

describe('evaluateReturn: the scenario steps', () => {
  it('toko-basic r-1: o-1002 returned in full claws back 1125', () => {
    // o-1002 earned 900 base x 1.25 (silver, held before it) = 1125; big-basket was capped by o-1001 in February.
    const [, quote] = record([o1001, o1002]);
    expect(quote?.points).to.equal(1125);
    const d = evaluateReturn(compiled, { order: o1002, snapshot: quote!.snapshot, returnedBefore: [], lines: [{ sku: 'PH-9', quantity: 1 }], awardedSoFar: 1125 }, { at: '2026-03-05T10:00:00+07:00' });
    expect(d).to.deep.include({ clawback: 1125, pointsAfter: 0, tierSpendAfter: '0', fullyReturned: true, usage: [] });
    // Placed 2026-02-20 10:00, 14 pending days: available 2026-03-06 10:00, after the return.
    expect(d.reverseReferral).to.equal(true);
  });

  it('toko-returns-debt-referral r-3001..r-3003: 350, 250, 150 add up to the 750 awarded', () => {
    // 2 TVs (3,000,000) + sound bar (2,500,000) = 5,500,000: base 300 + 250, big-basket 200 = 750 (bronze x1).
    const [quote] = record([o3001]);
    expect(quote?.points).to.equal(750);
    const steps: Array<{ lines: ReturnLineInput[]; at: string; clawback: number; usage: Array<{ key: string; count: number }>; tierSpend: string }> = [
      // Without one TV: 4,000,000 -> 150 + 250 = 400 and no big-basket (its April use is given back).
      { lines: [{ sku: 'TV-32', quantity: 1 }], at: '2026-04-05T10:00:00+07:00', clawback: 350, usage: [{ key: 'earn:big-basket:2026-04', count: -1 }], tierSpend: '4000000' },
      // One TV left: 150; 400 - 150 = 250.
      { lines: [{ sku: 'SND-1', quantity: 1 }], at: '2026-04-06T10:00:00+07:00', clawback: 250, usage: [], tierSpend: '1500000' },
      // Nothing left: 150.
      { lines: [{ sku: 'TV-32', quantity: 1 }], at: '2026-04-21T10:00:00+07:00', clawback: 150, usage: [], tierSpend: '0' },
    ];
    let awardedSoFar = quote!.points;
    const returnedBefore: ReturnLineInput[] = [];
    for (const step of steps) {
      const d = evaluateReturn(compiled, { order: o3001, snapshot: quote!.snapshot, returnedBefore, lines: step.lines, awardedSoFar }, { at: step.at });
      expect(d.clawback).to.equal(step.clawback);
      expect(d.usage).to.deep.equal(step.usage);
      expect(d.tierSpendAfter).to.equal(step.tierSpend);
      awardedSoFar -= d.clawback;
      returnedBefore.push(...step.lines);
    }
    expect(awardedSoFar).to.equal(0);
  });

  it('reverses the referral only for a full return before the points are available', () => {
    const o4001 = scenarioOrder('o-4001');
    const [quote] = record([o4001]);
    const input = { order: o4001, snapshot: quote!.snapshot, returnedBefore: [], lines: [{ sku: 'PH-2', quantity: 1 }], awardedSoFar: quote!.points };
    // 2026-05-02 10:00 + 14 days = 2026-05-16 10:00 (Jakarta).
    expect(evaluateReturn(compiled, input, { at: '2026-05-05T10:00:00+07:00' }).reverseReferral).to.equal(true);
    expect(evaluateReturn(compiled, input, { at: '2026-05-16T09:59:59+07:00' }).reverseReferral).to.equal(true);
    const late = evaluateReturn(compiled, input, { at: '2026-05-16T10:00:00+07:00' });
    expect(late.reverseReferral).to.equal(false);
    expect(late.orderPointsAvailableAt).to.equal('2026-05-16T10:00:00.000+07:00');
    const partial = evaluateReturn(compiled, { ...input, order: { ...o4001, lines: [{ sku: 'PH-2', category: 'phone', quantity: 2, unitPrice: '1000000' }] }, lines: [{ sku: 'PH-2', quantity: 1 }] }, { at: '2026-05-05T10:00:00+07:00' });
    expect([partial.fullyReturned, partial.reverseReferral]).to.deep.equal([false, false]);
  });
});

describe('evaluateReturn: line discounts are shared over the items kept', () => {
  it('three items with one discount, returned one by one: 97 + 97 + 96 = 290', () => {
    // 3 x 1,000,000 - 100,000 = 2,900,000 -> 290 points (bronze, no big-basket under 5,000,000).
    // 2 kept: 2,000,000 - 66,666.666666666667 = 1,933,333.33... -> 193 (floor): 290 - 193 = 97.
    // 1 kept: 1,000,000 - 33,333.333333333333 = 966,666.67 -> 96: 193 - 96 = 97. None kept: 96.
    const order: OrderInput = { id: 'o-d', placedAt: '2026-06-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'CAM', category: 'camera', quantity: 3, unitPrice: '1000000', discount: '100000' }] };
    const [quote] = record([order]);
    expect(quote?.points).to.equal(290);
    let awardedSoFar = 290;
    const before: ReturnLineInput[] = [];
    const clawbacks: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const d = evaluateReturn(compiled, { order, snapshot: quote!.snapshot, returnedBefore: before, lines: [{ sku: 'CAM', quantity: 1 }], awardedSoFar }, { at: '2026-06-02T10:00:00+07:00' });
      clawbacks.push(d.clawback);
      awardedSoFar -= d.clawback;
      before.push({ sku: 'CAM', quantity: 1 });
    }
    expect(clawbacks).to.deep.equal([97, 97, 96]);
  });
});

describe('evaluateReturn: campaign budgets', () => {
  it('gives back to the campaign budget what the return takes back from the customer', () => {
    // big-basket gets a program-wide budget of 1000 points, of which 900 are spent: this order can take only 100.
    const program = tokoVariant((p) => {
      const rule = p.earning.find((r) => r.id === 'big-basket');
      if (rule) rule.cap = { ...rule.cap, budget: { points: 1000 } };
    });
    const order: OrderInput = { id: 'o-b', placedAt: '2026-07-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'TV-65', category: 'tv', quantity: 1, unitPrice: '6000000' }] };
    const quote = quoteOrder(program, { order, history: { orders: [], usage: {}, campaignUsage: { 'big-basket': 900 } } }, { at: order.placedAt ?? '' });
    // base 600 + big-basket reduced to the 100 left in its budget = 700 (bronze x1).
    expect(quote.points).to.equal(700);
    expect(quote.campaignUsage).to.deep.equal([{ ruleId: 'big-basket', points: 100 }]);
    const d = evaluateReturn(program, { order, snapshot: quote.snapshot, returnedBefore: [], lines: [{ sku: 'TV-65', quantity: 1 }], awardedSoFar: 700 }, { at: '2026-07-02T10:00:00+07:00' });
    expect(d.clawback).to.equal(700);
    expect(d.campaignUsage).to.deep.equal([{ ruleId: 'big-basket', points: -100 }]);
    expect(d.usage).to.deep.equal([{ key: 'earn:big-basket:2026-07', count: -1 }]);
  });
});

describe('evaluateReturn: bad input', () => {
  // Recorded in a hook, so that an engine failure fails these tests instead of the loading of every file.
  let base: ReturnInput;
  before(() => {
    const [, quote] = record([o1001, o1002]);
    base = { order: o1002, snapshot: quote!.snapshot, returnedBefore: [], lines: [{ sku: 'PH-9', quantity: 1 }], awardedSoFar: 1125 };
  });
  const at = { at: '2026-03-05T10:00:00+07:00' };
  it('names an unknown sku and a quantity beyond what is left, with pointers', () => {
    expect(inputProblems(() => evaluateReturn(compiled, { ...base, lines: [{ sku: 'TV-99', quantity: 1 }, { sku: 'PH-9', quantity: 2 }] }, at))).to.deep.equal([
      { pointer: '/lines/0/sku', code: 'unknown-sku' },
      { pointer: '/lines/1/quantity', code: 'exceeds-remaining' },
    ]);
  });
  it('counts earlier returns: the only phone was already returned', () => {
    expect(inputProblems(() => evaluateReturn(compiled, { ...base, returnedBefore: [{ sku: 'PH-9', quantity: 1 }] }, at))).to.deep.equal([{ pointer: '/lines/0/quantity', code: 'exceeds-remaining' }]);
  });
  it('refuses zero or fractional quantities, an empty return and a bad awardedSoFar', () => {
    expect(inputProblems(() => evaluateReturn(compiled, { ...base, lines: [{ sku: 'PH-9', quantity: 0 }, { sku: 'PH-9', quantity: 0.5 }] }, at))).to.deep.equal([
      { pointer: '/lines/0/quantity', code: 'invalid-quantity' },
      { pointer: '/lines/1/quantity', code: 'invalid-quantity' },
    ]);
    expect(inputProblems(() => evaluateReturn(compiled, { ...base, lines: [] }, at))).to.deep.equal([{ pointer: '/lines', code: 'no-lines' }]);
    expect(inputProblems(() => evaluateReturn(compiled, { ...base, awardedSoFar: -1 }, at))).to.deep.equal([{ pointer: '/awardedSoFar', code: 'invalid-points' }]);
  });
  it('refuses another program version and a return before the order', () => {
    const v2 = compileProgram(tokoProgramJson(), { version: 2 });
    expect(inputProblems(() => evaluateReturn(v2, base, at))).to.deep.equal([{ pointer: '/snapshot/programVersion', code: 'program-version-mismatch' }]);
    expect(inputProblems(() => evaluateReturn(compiled, base, { at: '2026-02-20T09:00:00+07:00' }))).to.deep.equal([{ pointer: '/at', code: 'return-before-order' }]);
  });
});

describe('evaluateReturn: properties', () => {
  const line = fc.record({
    category: fc.constantFrom('tv', 'phone', 'laptop', 'accessory', 'shipping', 'gift-card'),
    quantity: fc.integer({ min: 1, max: 4 }),
    unitPrice: fc.integer({ min: 0, max: 4_000_000 }),
    discountPercent: fc.integer({ min: 0, max: 30 }),
  });
  const scenario = fc.record({
    lines: fc.array(line, { minLength: 1, maxLength: 4 }),
    // December 2026 turns on tv-double; any month may or may not have its big-basket used already.
    placedAt: fc.constantFrom('2026-02-20T10:00:00+07:00', '2026-12-15T10:00:00+07:00', '2026-06-30T23:30:00+07:00'),
    bigBasketUsed: fc.boolean(),
    tier: fc.constantFrom('bronze', 'silver', 'gold'),
    seed: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 20, maxLength: 20 }),
  });

  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

  function orderOf(s: Scenario): OrderInput {
    return {
      id: 'o-p',
      placedAt: s.placedAt,
      currency: 'IDR',
      lines: s.lines.map((l, i) => {
        const gross = l.unitPrice * l.quantity;
        // Whole-rupiah discounts; two lines may share a sku to exercise allocation across lines.
        return { sku: `S${i % 3}`, category: l.category, quantity: l.quantity, unitPrice: String(l.unitPrice), discount: String(Math.floor((gross * l.discountPercent) / 100)) };
      }),
    };
  }

  /** Split every item of the order into a random sequence of partial returns. */
  function splits(order: OrderInput, seed: readonly number[]): ReturnLineInput[][] {
    const units = order.lines.flatMap((l) => Array.from({ length: l.quantity }, () => l.sku));
    // Shuffle by the seed, then cut into consecutive groups.
    const shuffled = units.map((sku, i) => ({ sku, k: (seed[i % seed.length]! * 31) + i })).sort((a, b) => a.k - b.k).map((u) => u.sku);
    const groups: ReturnLineInput[][] = [];
    let i = 0;
    let s = 0;
    while (i < shuffled.length) {
      const size = 1 + ((seed[s % seed.length] ?? 0) % 3);
      s += 1;
      const counts = new Map<string, number>();
      for (const sku of shuffled.slice(i, i + size)) counts.set(sku, (counts.get(sku) ?? 0) + 1);
      groups.push([...counts].map(([sku, quantity]) => ({ sku, quantity })));
      i += size;
    }
    return groups;
  }

  /** Every item of the order, one line per sku. */
  function allItems(order: OrderInput): ReturnLineInput[] {
    const counts = new Map<string, number>();
    for (const l of order.lines) counts.set(l.sku, (counts.get(l.sku) ?? 0) + l.quantity);
    return [...counts].map(([sku, quantity]) => ({ sku, quantity }));
  }

  function sumUsage(target: Map<string, number>, usage: ReadonlyArray<{ key: string; count: number }>): void {
    for (const u of usage) target.set(u.key, (target.get(u.key) ?? 0) + u.count);
  }

  it('a full return split into any number of partial returns claws back exactly what the whole return does', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const order = orderOf(s);
        const usage = s.bigBasketUsed ? { [`earn:big-basket:${s.placedAt.slice(0, 7)}`]: 1 } : {};
        const quote = quoteOrder(compiled, { order, history: { orders: [], usage } }, { at: s.placedAt });
        // Any tier may have been held before the order; the snapshot carries it.
        const snapshot = { ...quote.snapshot, tierBefore: s.tier };
        const granted = computeOrderPoints(compiled, { order, tierId: s.tier, usage: snapshot.usage, campaignUsage: snapshot.campaignUsage }, { at: s.placedAt });
        const at = { at: '2027-01-01T00:00:00+07:00' };
        const whole = evaluateReturn(compiled, { order, snapshot, returnedBefore: [], lines: allItems(order), awardedSoFar: granted.points }, at);
        expect(whole.clawback).to.equal(granted.points);

        let awardedSoFar = granted.points;
        let total = 0;
        const before: ReturnLineInput[] = [];
        const usageSum = new Map<string, number>();
        for (const lines of splits(order, s.seed)) {
          const d = evaluateReturn(compiled, { order, snapshot, returnedBefore: before, lines, awardedSoFar }, at);
          expect(d.clawback).to.be.at.least(0);
          total += d.clawback;
          awardedSoFar -= d.clawback;
          before.push(...lines);
          sumUsage(usageSum, d.usage);
        }
        expect(total).to.equal(whole.clawback);
        expect(awardedSoFar).to.equal(0);
        // Cap uses come back exactly once, like the whole return gives them back.
        const wholeUsage = new Map<string, number>();
        sumUsage(wholeUsage, whole.usage);
        expect([...usageSum].filter(([, n]) => n !== 0)).to.have.deep.members([...wholeUsage]);
        expect([...wholeUsage]).to.have.deep.members(granted.usage.map((u): [string, number] => [u.key, -u.count]));
      }),
      { numRuns: 150 },
    );
  });
});
