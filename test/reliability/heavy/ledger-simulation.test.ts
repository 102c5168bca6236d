/** The ledger and the simulation share one decision core: equal on many longer random histories (the heavy run). */
import { checkLedgerAgainstSimulation } from '../../support/ledger-simulation-property.js';

describe('the ledger and the simulation on the same histories (heavy)', () => {
  it('hold equal balances, lots, counters and tiers after every step (400 histories of up to 120 steps)', async function () {
    this.timeout(1_200_000);
    await checkLedgerAgainstSimulation(400, 120);
  });
});
