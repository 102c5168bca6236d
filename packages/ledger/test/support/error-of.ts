/** The rejection of a promise, for tests that inspect what was thrown; fails the test when it resolves. */
import { expect } from 'chai';

/**
 * Awaits `promise` and answers what it rejected with.
 *
 * @example expect(await errorOf(ledger.warrantyContracts.get('shop', 'none'))).to.be.instanceOf(NotFound)
 */
export async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return expect.fail('expected a rejection');
}
