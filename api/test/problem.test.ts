import { expect } from 'chai';
import { InputError } from '@purna/rules';
import { ERROR_TABLE } from '../src/http/error-table.js';
import { ApiError, problemReply } from '../src/http/problem.js';

describe('problemReply', () => {
  it('maps an API error through the table, with field errors and headers', () => {
    const reply = problemReply(
      new ApiError('rate-limited', 'Slow down.', { headers: { 'Retry-After': '3' } }),
      'req-1',
    );
    expect(reply.status).to.equal(429);
    expect(reply.contentType).to.equal('application/problem+json');
    expect(reply.headers).to.deep.equal({ 'Retry-After': '3' });
    expect(reply.body).to.deep.include({
      type: 'https://purna.dev/problems/rate-limited',
      status: 429,
      detail: 'Slow down.',
      code: 'rate-limited',
      instance: 'urn:purna:request:req-1',
    });
  });

  it("keeps the rules' pointers and codes of an InputError", () => {
    const reply = problemReply(new InputError([{ pointer: '/currency', code: 'currency-mismatch', message: 'must be IDR' }]));
    expect(reply.status).to.equal(400);
    expect(reply.body.errors).to.deep.equal([
      { in: 'body', pointer: '/currency', message: 'must be IDR', code: 'currency-mismatch' },
    ]);
  });

  it('maps ledger codes by name and keeps refusal reasons', () => {
    const refused = Object.assign(new Error('Refused'), { code: 'redemption-refused', reasons: [{ code: 'below-minimum' }] });
    const reply = problemReply(refused);
    expect(reply.status).to.equal(422);
    expect(reply.body.reasons).to.deep.equal([{ code: 'below-minimum' }]);
    expect(problemReply(Object.assign(new Error('x'), { code: 'not-found' })).status).to.equal(404);
    expect(problemReply(Object.assign(new Error('x'), { code: 'idempotency-mismatch' })).status).to.equal(409);
  });

  it('answers 500 without the message of an unknown error', () => {
    const reply = problemReply(new Error('connection string mongodb://user:pw@host'));
    expect(reply.status).to.equal(500);
    expect(reply.body.detail).not.to.contain('mongodb');
  });

  it('answers each code of the table with an error status and a type URI that ends with the code', () => {
    for (const [code, mapping] of Object.entries(ERROR_TABLE)) {
      const reply = problemReply(Object.assign(new Error('x'), { code }));
      expect([reply.status, reply.body.code, reply.body.type], code).to.deep.equal([mapping.status, code, `https://purna.dev/problems/${code}`]);
      expect(mapping.status, code).to.be.within(400, 599);
    }
  });
});
