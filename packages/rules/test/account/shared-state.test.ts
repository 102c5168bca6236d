/**
 * A write settles the same lots and evaluates the same tier window several times, and the ledger keeps an account's
 * lots and orders between writes. What makes that safe: settling and applying entries never change the state they
 * are given (a lot that changes is a new lot, the others are shared), and a tier evaluated once for an orders list
 * is the tier evaluated again, while an order that changes is read anew.
 */
import { expect } from 'chai';
import { applyEntry, evaluateTier, heldTier, settle, viewPoints, type Lot, type PointsState } from '../../src/index.js';
import { programWith } from '../support/program-builder.js';

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

const lot = (id: string, remaining: number, availableAt: string, settled: boolean): Lot => ({ id, source: 'order', amount: remaining, remaining, availableAt, expiresAt: '2027-06-01T00:00:00.000Z', settled });

describe('shared account state', () => {
  // A debt of 30 waits for lot b (pending until March); lot a is available and settled already.
  const state: PointsState = deepFreeze({
    lots: [lot('a', 100, '2026-01-01T00:00:00.000Z', true), lot('b', 50, '2026-03-01T00:00:00.000Z', false), lot('c', 70, '2026-09-01T00:00:00.000Z', false)],
    debt: 30,
    redeemed: 0,
    expiredRecorded: 0,
    clock: '2026-02-01T00:00:00.000Z',
  });

  it('settle repays the debt from the lots that became available, changes nothing it was given, and shares the lots that did not change', () => {
    const settled = settle(state, '2026-04-01T00:00:00.000Z');
    expect(settled.debt).to.equal(0);
    expect(settled.lots.map((l) => [l.id, l.remaining, l.settled])).to.deep.equal([['a', 100, true], ['b', 20, true], ['c', 70, false]]);
    expect(settled.lots[0], 'lot a did not change').to.equal(state.lots[0]);
    expect(settled.lots[2], 'lot c did not change').to.equal(state.lots[2]);
    expect(state.lots[1]!.remaining, 'the lot given').to.equal(50);
  });

  it('applyEntry takes, puts back and moves points without changing the state it was given', () => {
    const at = '2026-04-01T00:00:00.000Z';
    const redeemed = applyEntry(state, { id: 'r#0', type: 'redeem', points: -60, at, debits: [{ lotId: 'a', points: 40 }, { lotId: 'a', points: 20 }], debt: 0 });
    expect(redeemed.lots.find((l) => l.id === 'a')?.remaining, 'two debits of one lot').to.equal(40);
    const restored = applyEntry(redeemed, { id: 'x#0', type: 'restore', points: 10, at, debits: [], debt: 0, credits: [{ lot: { id: 'a', source: 'order', amount: 100, availableAt: '2026-01-01T00:00:00.000Z', expiresAt: '2027-06-01T00:00:00.000Z' }, points: 10 }] });
    expect(restored.lots.find((l) => l.id === 'a')?.remaining).to.equal(50);
    const moved = applyEntry(restored, { id: 'd#0', type: 'schedule', points: 0, at, debits: [], debt: 0, schedule: { lotId: 'c', availableAt: '2026-05-01T00:00:00.000Z', expiresAt: '2027-05-01T00:00:00.000Z' } });
    expect(moved.lots.find((l) => l.id === 'c')?.availableAt).to.equal('2026-05-01T00:00:00.000Z');
    expect(viewPoints(moved, at).available).to.equal(70);
    expect(state.lots.map((l) => l.remaining), 'the first state').to.deep.equal([100, 50, 70]);
  });

  describe('the tier of an orders list', () => {
    const compiled = programWith([{ id: 'base', name: 'Base', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }], {
      tiers: {
        basis: 'spend',
        window: { type: 'rolling', months: 12 },
        levels: [
          { id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' },
          { id: 'silver', name: 'Silver', threshold: '1000000', multiplier: '1.5' },
        ],
        downgrade: { graceMonths: 1 },
      },
    });
    const at = '2026-06-01T00:00:00.000Z';
    const order = (id: string, tierSpend: string) => ({ id, placedAt: '2026-03-01T00:00:00.000Z', tierSpend, points: 0 });

    it('heldTier answers what evaluateTier answers, for the same list again and for a new list', () => {
      const orders = [order('o-1', '600000'), order('o-2', '300000')];
      const first = heldTier(compiled, { orders }, at);
      expect(first).to.deep.equal(evaluateTier(compiled, { orders }, { at }));
      expect(heldTier(compiled, { orders }, at)).to.deep.equal(first);
      const more = [...orders, order('o-3', '200000')];
      expect(heldTier(compiled, { orders: more }, at)?.tierId, 'a new list with a third order').to.equal('silver');
      expect(heldTier(compiled, { orders: more }, at)).to.deep.equal(evaluateTier(compiled, { orders: more.map((o) => ({ ...o })) }, { at }));
    });

    it('reads an order whose values changed anew, even as the same object', () => {
      const changing = order('o-1', '600000');
      expect(evaluateTier(compiled, { orders: [changing] }, { at }).basis).to.equal('600000');
      changing.tierSpend = '1600000';
      const again = evaluateTier(compiled, { orders: [changing] }, { at });
      expect([again.basis, again.tierId]).to.deep.equal(['1600000', 'silver']);
    });
  });
});
