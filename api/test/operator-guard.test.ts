import { expect } from 'chai';
import { findOperatorKeys } from '../src/http/operator-guard.js';

describe('findOperatorKeys', () => {
  it('finds $-keys and dotted keys at any depth, with their pointers', () => {
    const found = findOperatorKeys(
      { customerId: { $ne: null }, lines: [{ 'a.b': 1 }], attributes: { ok: { $where: 'x' } } },
      'body',
    );
    expect(found.map((f) => f.pointer)).to.deep.equal(['/customerId/$ne', '/lines/0/a.b', '/attributes/ok/$where']);
    expect(found.every((f) => f.in === 'body' && f.code === 'operator-key')).to.equal(true);
  });

  it('accepts plain data, and allowed keys only where they are allowed', () => {
    expect(findOperatorKeys({ id: 'o.1', tags: ['$x'], n: 1 }, 'body')).to.deep.equal([]);
    expect(findOperatorKeys({ $schema: 'https://x' }, 'body', ['/$schema'])).to.deep.equal([]);
    expect(findOperatorKeys({ program: { $schema: 'x' } }, 'body', ['/program/$schema'])).to.deep.equal([]);
    expect(findOperatorKeys({ a: { $schema: 'x' } }, 'body', ['/$schema'])).to.have.length(1);
  });

  it('escapes ~ and / in pointers (RFC 6901)', () => {
    expect(findOperatorKeys({ 'a/b': { '$~': 1 } }, 'query')[0]?.pointer).to.equal('/a~1b/$~0');
  });
});
