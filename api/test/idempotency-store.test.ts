import { expect } from 'chai';
import { MemoryIdempotencyStore, requestFingerprint } from '../src/http/idempotency.js';

describe('MemoryIdempotencyStore', () => {
  const reply = { status: 201, body: { orderId: 'o-1' } };

  it('replays a completed answer, refuses another request, and reports one in progress', async () => {
    const store = new MemoryIdempotencyStore({ now: () => 0 });
    expect(await store.begin('t', 'k', 'f1')).to.deep.equal({ state: 'new' });
    expect(await store.begin('t', 'k', 'f1')).to.deep.equal({ state: 'in-progress' });
    await store.complete('t', 'k', 'f1', reply);
    expect(await store.begin('t', 'k', 'f1')).to.deep.equal({ state: 'replay', reply });
    expect(await store.begin('t', 'k', 'f2')).to.deep.equal({ state: 'mismatch' });
  });

  it('forgets abandoned and expired keys', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore({ now: () => now, ttlMs: 1000 });
    await store.begin('t', 'a', 'f');
    await store.abandon('t', 'a', 'f');
    expect(await store.begin('t', 'a', 'f')).to.deep.equal({ state: 'new' });
    await store.complete('t', 'a', 'f', reply);
    now = 1000;
    expect(await store.begin('t', 'a', 'other')).to.deep.equal({ state: 'new' });
  });

  it('fingerprints bodies by content, not key order', () => {
    expect(requestFingerprint('POST', '/v1/x', { a: 1, b: [1, { c: 2, d: 3 }] })).to.equal(
      requestFingerprint('POST', '/v1/x', { b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(requestFingerprint('POST', '/v1/x', { a: 1 })).not.to.equal(requestFingerprint('POST', '/v1/y', { a: 1 }));
    expect(requestFingerprint('POST', '/v1/x', { a: 1 })).not.to.equal(requestFingerprint('POST', '/v1/x', { a: '1' }));
  });
});
