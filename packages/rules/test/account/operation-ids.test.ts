/**
 * Operation ids that name a customer: every one `operationId` makes is of a form `CUSTOMER_OPERATION_FORMS` lists, so
 * an erasure (packages/ledger/src/ledger/erasure.ts), which renames ids by those forms, finds the customer in it.
 */
import { expect } from 'chai';
import { CUSTOMER_OPERATION_FORMS, operationId } from '../../src/account/operation-ids.js';

const C = 'ayu-7731';
const AT = '2026-03-01T00:00:00.000Z';

/** Every id maker whose id names a customer, with the id it makes for C. */
const NAMING: Record<string, string> = {
  yearly: operationId.yearly('birthday', C, 2026),
  expiry: operationId.expiry(C, AT),
  tierReview: operationId.tierReview(C, '2026-Q1'),
  momentsRun: operationId.momentsRun(C, AT),
  tierHold: operationId.tierHold(C, AT),
  import: operationId.import(C),
};

describe('operation ids that name a customer', () => {
  it('are each of a form an erasure renames', () => {
    const dated = new RegExp(`^(${CUSTOMER_OPERATION_FORMS.dated.join('|')}):${C}:\\d{4}`);
    for (const [maker, id] of Object.entries(NAMING)) {
      const whole = (CUSTOMER_OPERATION_FORMS.whole as readonly string[]).some((kind) => id === `${kind}:${C}`);
      expect(dated.test(id) || whole, `${maker}: ${id}`).to.equal(true);
    }
    expect(operationId.yearly('anniversary', C, 2027)).to.match(dated);
  });

  it('lists every id maker that takes a customer id', () => {
    const takesCustomer = Object.entries(operationId)
      .filter(([, make]) => /^\(?[^)]*customerId/.test(make.toString()))
      .map(([name]) => name)
      .sort();
    expect(takesCustomer).to.deep.equal(Object.keys(NAMING).sort());
  });
});
