/**
 * "500 points on the first big order, once ever": a per-customer cap with no period counts over the customer's
 * whole life, however long ago it was used (SEMANTICS rule 3). The ledger once forgot counters untouched for 26
 * months and paid the bonus again 30 months later; the simulation kept them. Both now keep what the program's one
 * retention policy says, and a counter with no period is never forgotten.
 */
import { expect } from 'chai';
import { compileProgram, parseProgram, ProgramSimulation } from '@purna/rules';
import { Ledger } from '../src/ledger/ledger.js';
import { forEachStore } from './support/store-targets.js';

const onceEver = {
  id: 'once-ever',
  name: 'First big order bonus',
  currency: 'IDR',
  timezone: 'Asia/Jakarta',
  points: { rounding: 'floor', pendingDays: 0 },
  earning: [
    { id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } },
    {
      id: 'first-big',
      name: '500 points on the first order of Rp1.000.000 or more, once ever',
      scope: 'order',
      when: { fact: 'order.total', op: 'gte', value: '1000000' },
      award: { points: 500 },
      cap: { perCustomer: { count: 1 } },
    },
  ],
};

/** A big order (Rp2.000.000: 200 base points) at `placedAt`. */
function bigOrder(id: string, placedAt: string) {
  return { id, customerId: 'ayu', placedAt, currency: 'IDR', lines: [{ sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '2000000' }] };
}

// The second order comes 30 months after the first: past the 26 months after which counters used to be dropped.
const FIRST = '2026-01-10T10:00:00+07:00';
const SECOND = '2028-07-10T10:00:00+07:00';
const THIRD = '2031-01-10T10:00:00+07:00';

forEachStore('a once-ever bonus in the ledger', (open) => {
  it('pays the bonus on the first big order and never again, 30 and 60 months later', async () => {
    const ledger = new Ledger(await open());
    try {
      await ledger.publishProgram('t', onceEver);
      expect((await ledger.recordOrder('t', bigOrder('o-1', FIRST), { at: FIRST })).awarded).to.equal(200 + 500);
      expect((await ledger.recordOrder('t', bigOrder('o-2', SECOND), { at: SECOND })).awarded).to.equal(200);
      expect((await ledger.recordOrder('t', bigOrder('o-3', THIRD), { at: THIRD })).awarded).to.equal(200);
    } finally {
      await ledger.close();
    }
  });
});

describe('a once-ever bonus in the simulation', () => {
  it('pays the bonus on the first big order and never again, 30 and 60 months later', () => {
    const simulation = new ProgramSimulation(compileProgram(parseProgram(onceEver)));
    for (const [id, at] of [['o-1', FIRST], ['o-2', SECOND], ['o-3', THIRD]] as const) simulation.add(bigOrder(id, at));
    expect(simulation.report().points).to.equal(200 + 500 + 200 + 200);
  });
});
