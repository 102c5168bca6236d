/**
 * The stored form of an account (format 2): the cold part written from the texts kept with each lot and order, and
 * read back without parsing when it is the text this process wrote or read last for the customer.
 */
import { expect } from 'chai';
import { emptyAccount, type AccountDoc } from '../src/account/account-doc.js';
import { summarize } from '../src/account/account-store.js';
import { decodeAccount, encodeAccount } from '../src/account/stored-account.js';

/** An account with `n` lots and orders: long enough for its cold part to be kept. */
function accountWith(customerId: string, n: number): AccountDoc {
  const account = emptyAccount(customerId);
  const day = (i: number) => new Date(Date.UTC(2026, 0, 1) + (i * 86_400_000)).toISOString();
  return {
    ...account,
    points: {
      ...account.points,
      clock: day(n),
      lots: Array.from({ length: n }, (_, i) => ({ id: `order:o-${i}#0`, source: 'order' as const, amount: 100 + i, remaining: 100 + i, availableAt: day(i), expiresAt: day(i + 365), settled: true, orderId: `o-${i}` })),
    },
    orders: Array.from({ length: n }, (_, i) => ({ id: `o-${i}`, placedAt: day(i), tierSpend: String(1000 * i), points: 100 + i })),
    usage: [{ key: 'earn:r:2026-01', count: 2, at: day(0) }],
  };
}

describe('stored accounts', () => {
  it('stores the cold part as JSON.stringify would, and reads it back equal', () => {
    const account = accountWith('c-1', 100);
    const stored = encodeAccount(account, summarize(account, undefined));
    const { points, orders, usage, unflushed } = account;
    expect(JSON.parse(stored.cold)).to.deep.equal(JSON.parse(JSON.stringify({ points, orders, usage, unflushed })));
    const { summary: _summary, ...decoded } = decodeAccount(JSON.parse(JSON.stringify(stored)) as typeof stored);
    const { summary: _none, ...expected } = account;
    expect(decoded).to.deep.equal(JSON.parse(JSON.stringify(expected)));
  });

  it('reads back the text it wrote last for a customer without parsing it: the same lots and orders', () => {
    const account = accountWith('c-2', 100);
    const stored = encodeAccount(account, summarize(account, undefined));
    // The text as a store gives it back: equal, but another string.
    const text = ` ${stored.cold}`.slice(1);
    const decoded = decodeAccount({ ...stored, cold: text });
    expect(decoded.points).to.equal(account.points);
    expect(decoded.orders).to.equal(account.orders);
  });

  it('parses a text other than the one kept, for the same customer', () => {
    const account = accountWith('c-3', 100);
    const stored = encodeAccount(account, summarize(account, undefined));
    const other = accountWith('c-3', 101);
    const otherText = JSON.stringify({ points: other.points, orders: other.orders, usage: other.usage, unflushed: other.unflushed });
    const decoded = decodeAccount({ ...stored, cold: otherText });
    expect(decoded.orders).to.have.length(101);
    expect(decoded.points.lots[100]?.id).to.equal('order:o-100#0');
  });

  it('freezes a lot and an order once their text is kept, so a change in place throws instead of storing stale text', () => {
    const account = accountWith('c-4', 10);
    encodeAccount(account, summarize(account, undefined));
    expect(() => {
      (account.points.lots[0] as { remaining: number }).remaining = 1;
    }).to.throw(TypeError);
    expect(() => {
      (account.orders[0] as { points: number }).points = 1;
    }).to.throw(TypeError);
  });
});
