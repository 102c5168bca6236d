/**
 * The ledger's contract (src/contract/): a bad request is refused at the boundary with every problem at once, each
 * with its pointer and a sentence, before anything is claimed; and every answer fits the schema that documents it,
 * including the answers whose type is the rules' own (entries, warranty plans), which no compiler compares.
 */
import { expect } from 'chai';
import type { TSchema } from '@sinclair/typebox';
import * as contract from '../src/contract/answers.js';
import { IdempotencyMismatch, InputError } from '../src/errors.js';
import { checkInput } from '../src/ledger/input-check.js';
import { openLedger, type Ledger } from '../src/ledger/ledger.js';
import { tokoProgram } from './support/programs.js';

const T = 'shop';
const AT = '2026-02-01T10:00:00+07:00';
const order = {
  id: 'o-1',
  customerId: 'ayu',
  placedAt: AT,
  currency: 'IDR',
  lines: [{ sku: 'PH-9', category: 'phone', quantity: 2, unitPrice: '4500000' }],
};
const tv = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } } };

/** The problems `work` was refused with (it must be refused with an InputError). */
async function refusal(work: () => Promise<unknown>): Promise<Array<{ pointer: string; message: string }>> {
  try {
    await work();
  } catch (error) {
    expect(error).to.be.instanceOf(InputError);
    return (error as InputError).errors.map(({ pointer, message }) => ({ pointer, message }));
  }
  return expect.fail('expected an InputError');
}

/** Where `answer` breaks `schema` (empty when it fits). */
function misfits(schema: TSchema, answer: unknown): string[] {
  try {
    checkInput(schema, answer, '', 'answer');
    return [];
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.errors.map((p) => `${p.pointer}: ${p.message}`);
  }
}

describe('the ledger contract', () => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = await openLedger({ store: 'memory' });
    await ledger.publishProgram(T, tokoProgram);
    await ledger.recordOrder(T, order, { at: AT });
  });
  afterEach(() => ledger.close());

  const cases: Array<{ what: string; call: (l: Ledger) => Promise<unknown>; pointers: string[]; why: string }> = [
    {
      what: 'redemption',
      call: (l) => l.redeem(T, { id: '', customerId: 'a\u0000b', orderId: 5, orderTotal: '-3', points: 0, balance: 1 }),
      pointers: ['/balance', '/id', '/customerId', '/orderId', '/orderTotal', '/points'],
      why: 'every field is wrong, and each is named; a field the contract does not know is refused, not ignored',
    },
    {
      what: 'adjustment',
      call: (l) => l.adjust(T, { id: 'adj-1', customerId: 'ayu', points: 0, reason: 'x'.repeat(501) }),
      pointers: ['/actor', '/points', '/reason'],
      why: 'the actor is missing, zero points change nothing, and a reason is at most 500 characters',
    },
    {
      what: 'return',
      call: (l) => l.returnOrder(T, 'o-1', { id: 'r\n1', lines: [{ sku: 'PH-9', quantity: 0 }, { sku: '' }] }),
      pointers: ['/id', '/lines/0/quantity', '/lines/1/quantity', '/lines/1/sku'],
      why: 'a control character would split a store key; quantities are 1 or more',
    },
    {
      what: 'event',
      call: (l) => l.recordEvent(T, { id: 'ev-1', type: 'review.published' }),
      pointers: ['/customerId'],
      why: "the rules' event may be anonymous; the ledger records it for a customer",
    },
    {
      what: 'order',
      call: (l) => l.recordOrder(T, { ...order, id: 'o-2', customerId: undefined }),
      pointers: ['/customerId'],
      why: "a quote needs no customer; a recorded order does",
    },
    {
      what: 'warranty check',
      call: (l) => l.checkWarranty(T, { customerTier: 'gold', product: { ...tv, price: 8000000, manufacturerWarranty: { months: -1 } } }),
      pointers: ['/product/price', '/product/manufacturerWarranty/months'],
      why: 'money is a decimal string, never a JSON number',
    },
  ];

  for (const c of cases) {
    it(`refuses a bad ${c.what} with every problem and its pointer: ${c.why}`, async () => {
      const problems = await refusal(() => c.call(ledger));
      expect(problems.map((p) => p.pointer)).to.have.members(c.pointers);
      for (const p of problems) expect(p.message, p.pointer).to.match(new RegExp(`^(the )?${c.what}`));
    });
  }

  it('says in words what a field must be, from the description its schema carries', async () => {
    const problems = await refusal(() => ledger.adjust(T, { id: 'adj-1', customerId: 'ayu', points: 0, reason: 'goodwill', actor: 'agent-7' }));
    expect(problems).to.deep.equal([
      { pointer: '/points', message: 'adjustment points must be a whole number of points, positive to grant, negative to deduct, never 0, got 0' },
    ]);
  });

  it('claims nothing for a refused request: its Idempotency-Key still serves the corrected request', async () => {
    await refusal(() => ledger.adjust(T, { id: 'adj-1', customerId: 'ayu', points: 0, reason: 'goodwill', actor: 'agent-7' }, { at: AT, idempotencyKey: 'k-1' }));
    const answer = await ledger.adjust(T, { id: 'adj-1', customerId: 'ayu', points: 5, reason: 'goodwill', actor: 'agent-7' }, { at: AT, idempotencyKey: 'k-1' });
    expect(answer).to.include({ adjustmentId: 'adj-1', points: 5, replayed: false });
    // The key is bound now: another request under it is a mismatch, as before the contract.
    const other = ledger.adjust(T, { id: 'adj-2', customerId: 'ayu', points: 5, reason: 'goodwill', actor: 'agent-7' }, { at: AT, idempotencyKey: 'k-1' });
    await other.then(() => expect.fail('expected a mismatch'), (error: unknown) => expect(error).to.be.instanceOf(IdempotencyMismatch));
  });

  it('answers every read, write and sweep inside the schema that documents it', async () => {
    const later = '2026-03-14T10:00:00+07:00';
    const answers: Array<[string, TSchema, unknown]> = [
      ['upsertCustomer', contract.UpsertedCustomerSchema, await ledger.upsertCustomer(T, { id: 'budi', referredBy: { code: 'NOBODY' } }, { at: AT })],
      ['quoteOrder', contract.QuoteAnswerSchema, await ledger.quoteOrder(T, { ...order, id: 'cart-1' }, { at: AT })],
      ['recordOrder', contract.OrderAnswerSchema, await ledger.recordOrder(T, { ...order, id: 'o-2' }, { at: AT })],
      ['returnOrder', contract.ReturnAnswerSchema, await ledger.returnOrder(T, 'o-2', { id: 'r-1', lines: [{ sku: 'PH-9', quantity: 1 }] }, { at: later })],
      ['recordEvent', contract.EventAnswerSchema, await ledger.recordEvent(T, { id: 'ev-1', customerId: 'ayu', type: 'review.published' }, { at: later })],
      ['adjust', contract.AdjustmentAnswerSchema, await ledger.adjust(T, { id: 'adj-1', customerId: 'ayu', points: 500, reason: 'goodwill', actor: 'agent-7' }, { at: later })],
      ['redeem', contract.RedemptionAnswerSchema, await ledger.redeem(T, { id: 'rd-1', customerId: 'ayu', orderId: 'o-9', orderTotal: '2000000', points: 200 }, { at: later })],
      ['getCustomer', contract.CustomerViewSchema, await ledger.getCustomer(T, 'ayu', { at: later })],
      ['listTransactions', contract.TransactionPageSchema, await ledger.listTransactions(T, 'ayu', { at: later, limit: 3 })],
      ['runBirthdaySweep', contract.YearlySweepAnswerSchema, await ledger.runBirthdaySweep(T, { at: later })],
      ['runExpirySweep', contract.ExpirySweepAnswerSchema, await ledger.runExpirySweep(T, { at: '2028-01-01T00:00:00Z' })],
      ['runTierReview', contract.TierReviewAnswerSchema, await ledger.runTierReview(T, { at: later })],
      ['reconcile', contract.ReconcileAnswerSchema, await ledger.reconcile(T)],
      ['checkWarranty', contract.WarrantyAnswerSchema, await ledger.checkWarranty(T, { customerId: 'ayu', product: tv }, { at: '2027-01-15T10:00:00+07:00' })],
    ];
    for (const [method, schema, answer] of answers) expect(misfits(schema, answer), `${method}: ${JSON.stringify(answer).slice(0, 300)}`).to.deep.equal([]);
    // Not vacuous: a page with a next one, an expiry that expired points, a warranty check with plans.
    const answerOf = (method: string): unknown => answers.find(([m]) => m === method)?.[2];
    expect(answerOf('listTransactions')).to.have.property('nextCursor').that.is.a('string');
    expect(answerOf('runExpirySweep')).to.have.property('expired').that.is.above(0);
    expect(answerOf('checkWarranty')).to.have.property('plans').that.is.not.empty;
  });

  it('catches an answer outside its schema (so the check above can fail)', () => {
    expect(misfits(contract.ReturnAnswerSchema, { returnId: 'r-1', orderId: 'o-1', clawedBack: 1.5, balance: 0 })).to.have.length(2);
  });
});
