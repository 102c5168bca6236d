import { expect } from 'chai';
import { problemReply } from '../src/http/problem.js';
import { isStorageUnavailable } from '../src/http/storage-unavailable.js';

function named(name: string, message: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, extra);
}

describe('storage failures a retry can cure', () => {
  const cases: Array<[string, Error, boolean]> = [
    ['an unreachable server', named('MongoServerSelectionError', 'connect ECONNREFUSED 127.0.0.1:27017'), true],
    ['a dropped connection', named('MongoNetworkError', 'connection 3 to 127.0.0.1:27017 closed'), true],
    ['a retryable write label', named('MongoServerError', 'not primary', { errorLabels: new Set(['RetryableWriteError']) }), true],
    ['FerretDB on a busy SQLite file', named('MongoServerError', '[msg_insert.go:168 handler] database is locked (5) (SQLITE_BUSY)', { code: 1 }), true],
    ['any other server error', named('MongoServerError', 'unknown operator: $foo', { code: 2 }), false],
    ['a programming error', new TypeError('cannot read properties of undefined'), false],
  ];
  for (const [title, error, expected] of cases) {
    it(`${title}: ${expected ? '' : 'not '}retryable`, () => {
      expect(isStorageUnavailable(error)).to.equal(expected);
    });
  }

  it('answers 503 problem+json with Retry-After, and a plain 500 for anything else', () => {
    const busy = problemReply(named('MongoServerError', 'database is locked (5) (SQLITE_BUSY)', { code: 1 }), 'req-1');
    expect(busy.status).to.equal(503);
    expect(busy.body.code).to.equal('unavailable');
    expect(busy.headers).to.deep.equal({ 'Retry-After': '1' });
    const bug = problemReply(new TypeError('x is undefined'), 'req-2');
    expect(bug.status).to.equal(500);
    expect(bug.body.detail).to.not.include('undefined');
  });
});
