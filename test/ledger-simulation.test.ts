/** The ledger and the simulation share one decision core: equal on random multi-year histories (a quick run). */
import { checkLedgerAgainstSimulation } from './support/ledger-simulation-property.js';

describe('the ledger and the simulation on the same histories', () => {
  it('hold equal balances, lots, counters and tiers after every step (40 histories of up to 40 steps)', async function () {
    this.timeout(120_000);
    await checkLedgerAgainstSimulation(40, 40);
  });
});
