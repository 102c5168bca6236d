/**
 * The earning, tier and event numbers of examples/toko-basic.scenario.json, reproduced with the library alone.
 * Expectations are read from the scenario file itself (ground truth); the history a ledger would keep is maintained
 * here by hand: each recorded order is appended net of returns, usage counters are added up, and the full return of
 * o-1002 (r-1) sets its tier spend and points to 0 (SEMANTICS rule 4: a return is applied to its order).
 */
import { expect } from 'chai';
import { compileProgram, Decimal, evaluateEvent, evaluateTier, parseProgram, quoteOrder, type CustomerHistory, type EventInput, type OrderInput } from '../src/index.js';
import { exampleProgramJson, exampleScenarioText } from './support/example-program.js';

interface Step {
  readonly at: string;
  readonly op: string;
  readonly input: Record<string, unknown>;
  readonly expect?: Record<string, unknown>;
  readonly note?: string;
}

const steps = (JSON.parse(exampleScenarioText()) as { steps: Step[] }).steps;

describe('toko-basic scenario through the rules library', () => {
  const compiled = compileProgram(parseProgram(exampleProgramJson()), { version: 1 });
  const histories = new Map<string, { orders: Array<{ id: string; placedAt: string; tierSpend: string; points: number }>; usage: Record<string, number> }>();
  const orders = new Map<string, OrderInput>();
  const snapshots = new Map<string, Readonly<Record<string, number>>>();
  const seenEvents = new Set<string>();
  const historyOf = (customerId: string) => {
    let history = histories.get(customerId);
    if (!history) {
      history = { orders: [], usage: {} };
      histories.set(customerId, history);
    }
    return history;
  };
  const snapshot = (customerId: string): CustomerHistory => {
    const h = historyOf(customerId);
    return { orders: h.orders.map((o) => ({ ...o })), usage: { ...h.usage } };
  };

  steps.forEach((step, i) => {
    const title = `step ${i + 1}: ${step.op} at ${step.at}${step.note ? ` (${step.note})` : ''}`;
    if (step.op === 'order.record' && step.expect?.replayed !== true) {
      it(title, () => {
        const order = step.input as unknown as OrderInput & { customerId: string };
        const quote = quoteOrder(compiled, { order, history: snapshot(order.customerId) }, { at: step.at });
        expect(quote.points, JSON.stringify(quote.trace.rules)).to.equal(step.expect?.awarded);
        if (step.expect?.tierBefore !== undefined) expect(quote.tierBefore).to.equal(step.expect.tierBefore);
        if (step.expect?.tierAfter !== undefined) expect(quote.tierAfter).to.equal(step.expect.tierAfter);
        // The shares explain the total: lines plus order-level rules add up to the exact points.
        const shares = [...quote.lines.map((l) => l.points), ...quote.trace.orderShares.map((s) => s.points)];
        expect(shares.reduce((a, b) => a.plus(b), new Decimal(0)).eq(quote.exact)).to.equal(true);
        const history = historyOf(order.customerId);
        history.orders.push({ id: order.id, placedAt: order.placedAt!, tierSpend: quote.tierSpend, points: quote.points });
        for (const u of quote.usage) history.usage[u.key] = (history.usage[u.key] ?? 0) + u.count;
        orders.set(order.id, order);
        snapshots.set(order.id, quote.snapshot.usage);
      });
    } else if (step.op === 'order.record') {
      it(`${title}: a replay quotes the same points (deterministic)`, () => {
        const order = step.input as unknown as OrderInput & { customerId: string };
        const history = historyOf(order.customerId);
        const without = history.orders.filter((o) => o.id !== order.id);
        const recorded = history.orders.find((o) => o.id === order.id);
        // With the counters as the first quote read them (its snapshot), the answer is the same.
        const quote = quoteOrder(compiled, { order, history: { orders: without, usage: { ...snapshots.get(order.id) } } }, { at: step.at });
        expect(quote.points).to.equal(step.expect?.awarded).and.to.equal(recorded?.points);
      });
    } else if (step.op === 'order.return') {
      it(title, () => {
        const { orderId, lines } = step.input as { orderId: string; lines: Array<{ sku: string; quantity: number }> };
        const order = orders.get(orderId)!;
        const history = historyOf(order.customerId!);
        const recorded = history.orders.find((o) => o.id === orderId)!;
        // Full return of every unit: the order's tier spend and points become 0.
        const full = order.lines.every((line) => lines.some((r) => r.sku === line.sku && r.quantity === line.quantity));
        expect(full, 'the scenario returns o-1002 in full').to.equal(true);
        recorded.tierSpend = '0';
        recorded.points = 0;
      });
    } else if (step.op === 'customer.get' && step.expect?.tier !== undefined) {
      it(title, () => {
        const id = step.input.id as string;
        expect(evaluateTier(compiled, snapshot(id), { at: step.at }).tierId).to.equal(step.expect?.tier);
      });
    } else if (step.op === 'event.record') {
      it(title, () => {
        const input = step.input as { id: string; customerId: string; type: string };
        const event: EventInput = { id: input.id, type: input.type, customerId: input.customerId };
        const history = historyOf(input.customerId);
        if (seenEvents.has(input.id)) {
          // A replay is the ledger's business (same answer, nothing changes); the rules would now refuse it.
          expect(step.expect?.replayed).to.equal(true);
          return;
        }
        seenEvents.add(input.id);
        const result = evaluateEvent(compiled, { event, history: snapshot(input.customerId) }, { at: step.at });
        expect(result.points).to.equal(step.expect?.awarded);
        if (result.points === 0) {
          expect(result.reason).to.equal('limit-reached');
          expect(result.detail).to.match(/limit 5/);
        }
        for (const u of result.usage) history.usage[u.key] = (history.usage[u.key] ?? 0) + u.count;
      });
    }
  });

  it('holds silver until the grace ends (2027-03-01 10:00) and says so', () => {
    const tier = evaluateTier(compiled, snapshot('ayu'), { at: '2027-02-16T00:00:00+07:00' });
    expect(tier).to.include({ tierId: 'silver', inGrace: true, basis: '1850000' });
    // o-1001 (12 250 000 of tier spend) entered on 2026-02-01 10:00 and left the 12-month window on 2027-02-01 10:00;
    // with one month of grace silver is held until 2027-03-01 10:00.
    expect(tier.since).to.equal('2026-02-01T10:00:00.000+07:00');
    expect(tier.until).to.equal('2027-03-01T10:00:00.000+07:00');
  });
});
