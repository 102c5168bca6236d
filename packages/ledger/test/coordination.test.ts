/**
 * What API instances on one store share (src/coordination/): Idempotency-Key answers, rate-limit counters and
 * leases. Each suite runs two or three "instances" (objects of their own over one store, each with its own memory)
 * on memory, LMDB and MongoDB, and checks what one instance does is seen by the others.
 */
import { expect } from 'chai';
import { StoreIdempotencyKeys } from '../src/coordination/idempotency-keys.js';
import { StoreLeases } from '../src/coordination/leases.js';
import { StoreRateLimiter } from '../src/coordination/rate-limiter.js';
import { FaultyStore } from '../src/store/faulty-store.js';
import type { Store } from '../src/store/store.js';
import { forEachStore } from './support/store-targets.js';

interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

async function expectRejection(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const outcome = await promise.then(() => undefined, (error: unknown) => error);
  expect(outcome).to.be.instanceOf(Error);
  expect((outcome as Error).message).to.match(message);
}

const REPLY: Reply = { status: 201, body: { orderId: 'o-1', 'odd.key': 1, $money: '1.50' }, headers: { Location: '/v1/orders/o-1' } };

forEachStore('Idempotency keys in the store', (open) => {
  let store: Store;
  let now: number;
  const instance = (): StoreIdempotencyKeys<Reply> => new StoreIdempotencyKeys<Reply>(store, { now: () => now, ttlMs: 10_000, takeoverMs: 1000 });
  beforeEach(async () => {
    store = await open();
    now = 1_000_000;
  });
  afterEach(() => store.close());

  it('a key begun on one instance is in progress on another, then replayed there with the same reply', async () => {
    const [a, b] = [instance(), instance()];
    expect(await a.begin('t1', 'k-1', 'f1')).to.deep.equal({ state: 'new' });
    expect(await b.begin('t1', 'k-1', 'f1')).to.deep.equal({ state: 'in-progress' });
    await a.complete('t1', 'k-1', 'f1', REPLY);
    expect(await b.begin('t1', 'k-1', 'f1')).to.deep.equal({ state: 'replay', reply: REPLY });
    expect(await b.begin('t1', 'k-1', 'f2')).to.deep.equal({ state: 'mismatch' });
    // Another tenant's key of the same name is its own.
    expect(await b.begin('t2', 'k-1', 'f2')).to.deep.equal({ state: 'new' });
  });

  it('of twenty instances beginning one key at once, exactly one runs it', async () => {
    const instances = Array.from({ length: 20 }, instance);
    const begun = await Promise.all(instances.map((keys) => keys.begin('t1', 'k-race', 'f1')));
    expect(begun.filter((b) => b.state === 'new')).to.have.length(1);
    expect(begun.filter((b) => b.state === 'in-progress')).to.have.length(19);
  });

  it('abandon frees the key for a retry, but only the request that holds it may abandon it', async () => {
    const [a, b] = [instance(), instance()];
    await a.begin('t1', 'k-2', 'f1');
    await b.abandon('t1', 'k-2', 'f-other');
    expect(await b.begin('t1', 'k-2', 'f1')).to.deep.equal({ state: 'in-progress' });
    await a.abandon('t1', 'k-2', 'f1');
    expect(await b.begin('t1', 'k-2', 'f1')).to.deep.equal({ state: 'new' });
  });

  it('an expired key is taken afresh, even with another request', async () => {
    const [a, b] = [instance(), instance()];
    await a.begin('t1', 'k-3', 'f1');
    await a.complete('t1', 'k-3', 'f1', REPLY);
    now += 10_000;
    expect(await b.begin('t1', 'k-3', 'f2')).to.deep.equal({ state: 'new' });
    await b.complete('t1', 'k-3', 'f2', { ...REPLY, status: 200 });
    expect(await a.begin('t1', 'k-3', 'f2')).to.deep.equal({ state: 'replay', reply: { ...REPLY, status: 200 } });
  });

  it('a key left in progress by a crashed instance is taken over after takeoverMs by the same request only', async () => {
    const [crashed, b] = [instance(), instance()];
    await crashed.begin('t1', 'k-4', 'f1');
    now += 999;
    expect(await b.begin('t1', 'k-4', 'f1')).to.deep.equal({ state: 'in-progress' });
    now += 1;
    expect(await b.begin('t1', 'k-4', 'f2')).to.deep.equal({ state: 'mismatch' });
    expect(await b.begin('t1', 'k-4', 'f1')).to.deep.equal({ state: 'new' });
    await b.complete('t1', 'k-4', 'f1', REPLY);
    // The crashed instance's late completion finds the key done by another and changes nothing.
    await crashed.complete('t1', 'k-4', 'f1', { ...REPLY, status: 500 });
    expect(await crashed.begin('t1', 'k-4', 'f1')).to.deep.equal({ state: 'replay', reply: REPLY });
  });

  it('a key this instance could not settle (the store failed) is taken over at once by its own retry, not by others', async () => {
    const faulty = new FaultyStore(store);
    const [a, b] = [new StoreIdempotencyKeys<Reply>(faulty, { now: () => now, ttlMs: 10_000, takeoverMs: 1000 }), instance()];
    expect(await a.begin('t1', 'k-5', 'f1')).to.deep.equal({ state: 'new' });
    faulty.hook = () => {
      throw new Error('store unreachable');
    };
    await expectRejection(a.complete('t1', 'k-5', 'f1', REPLY), /store unreachable/);
    await expectRejection(a.abandon('t1', 'k-5', 'f1'), /store unreachable/);
    faulty.hook = undefined;
    expect(await b.begin('t1', 'k-5', 'f1')).to.deep.equal({ state: 'in-progress' });
    expect(await a.begin('t1', 'k-5', 'f2')).to.deep.equal({ state: 'mismatch' });
    expect(await a.begin('t1', 'k-5', 'f1')).to.deep.equal({ state: 'new' });
    await a.complete('t1', 'k-5', 'f1', REPLY);
    expect(await b.begin('t1', 'k-5', 'f1')).to.deep.equal({ state: 'replay', reply: REPLY });
  });

  it('the sweep removes expired keys a page at a time, and begin runs it every sweepEvery new keys', async () => {
    const keys = new StoreIdempotencyKeys<Reply>(store, { now: () => now, ttlMs: 10_000, sweepEvery: 4, sweepPage: 3 });
    for (const key of ['old-1', 'old-2', 'old-3', 'old-4', 'old-5']) await keys.begin('t1', key, 'f');
    const listKeys = async (): Promise<string[]> => (await store.list('idempotencyKeys', 't1', { limit: 100 })).map((r) => r.key);
    // The 4th key ran a sweep at the same instant: nothing had expired.
    expect(await listKeys()).to.deep.equal(['old-1', 'old-2', 'old-3', 'old-4', 'old-5']);
    now += 10_000;
    await keys.begin('t1', 'new-1', 'f');
    // Pages of 3 in key order (new-1 sorts first): on from where the 4th key's sweep stopped (old-4, old-5), then
    // round from the start (new-1 is live; old-1, old-2), then old-3.
    expect(await keys.sweep('t1')).to.equal(2);
    expect(await keys.sweep('t1')).to.equal(2);
    expect(await keys.sweep('t1')).to.equal(1);
    expect(await listKeys()).to.deep.equal(['new-1']);
  });
});

forEachStore('Rate limits in the store', (open) => {
  let store: Store;
  let now: number;
  const limiter = (burst = 20, perMinute = 120): StoreRateLimiter => new StoreRateLimiter(store, 'requests', { perMinute, burst, now: () => now });
  beforeEach(async () => {
    store = await open();
    // 2031-01-06T03:00:00Z: a multiple of every window below.
    now = Date.parse('2031-01-06T03:00:00.000Z');
  });
  afterEach(() => store.close());

  it('grants exactly burst per window on one instance, with what is left and when the window ends', async () => {
    // 20 per window of 60 s × 20 ÷ 120 = 10 s.
    const one = limiter();
    const answers = [];
    for (let i = 0; i < 25; i++) answers.push(await one.take('t1', 'key-a'));
    expect(answers.filter((a) => a.allowed)).to.have.length(20);
    expect(answers.slice(0, 20).map((a) => a.remaining)).to.deep.equal(Array.from({ length: 20 }, (_, i) => 19 - i));
    expect(answers[24]).to.deep.equal({ allowed: false, limit: 20, remaining: 0, resetSeconds: 10, windowSeconds: 10 });
    now += 9_500;
    expect((await one.take('t1', 'key-a')).resetSeconds).to.equal(1);
    now += 500;
    expect((await one.take('t1', 'key-a')).allowed).to.equal(true);
    // Another key, and the same key id in another tenant, have allowances of their own.
    expect((await one.take('t1', 'key-b')).allowed).to.equal(true);
    expect((await one.take('t2', 'key-a')).allowed).to.equal(true);
  });

  it('three instances taking in turn grant the burst exactly once between them, then all refuse', async () => {
    const instances = [limiter(1000, 6000), limiter(1000, 6000), limiter(1000, 6000)];
    let allowed = 0;
    for (let i = 0; i < 3000; i++) if ((await (instances[i % 3] as StoreRateLimiter).take('t1', 'checkout')).allowed) allowed += 1;
    expect(allowed).to.equal(1000);
    for (const instance of instances) expect((await instance.take('t1', 'checkout')).allowed).to.equal(false);
    const doc = await store.get<{ windowStart: number; reserved: number }>('rateLimits', 't1', 'requests:checkout');
    expect(doc?.doc).to.deep.equal({ windowStart: now, reserved: 1000 });
  });

  it('three instances taking all at once never grant more than the burst, and reserve in chunks, not per request', async () => {
    // FaultyStore without a hook: it only lists the writes that reach the store.
    const watched = new FaultyStore(store);
    const instances = [0, 1, 2].map(() => new StoreRateLimiter(watched, 'requests', { perMinute: 1800, burst: 300, now: () => now }));
    const answers = await Promise.all(Array.from({ length: 900 }, (_, i) => (instances[i % 3] as StoreRateLimiter).take('t1', 'hot')));
    const allowed = answers.filter((a) => a.allowed).length;
    expect(allowed).to.be.at.most(300);
    expect(allowed).to.be.at.least(1);
    const doc = await store.get<{ reserved: number }>('rateLimits', 't1', 'requests:hot');
    expect(doc?.doc.reserved).to.be.at.most(300);
    // One compare-and-set per chunk (plus those that lost a race), far fewer than the 900 requests.
    expect(watched.writes.length).to.be.below(100);
  });

  it('giveBack returns one request to the instance within the window, never beyond it', async () => {
    const one = limiter(2, 12);
    expect((await one.take('t1', 'k')).allowed).to.equal(true);
    expect((await one.take('t1', 'k')).allowed).to.equal(true);
    expect((await one.take('t1', 'k')).allowed).to.equal(false);
    one.giveBack('t1', 'k');
    expect((await one.take('t1', 'k')).allowed).to.equal(true);
    expect((await one.take('t1', 'k')).allowed).to.equal(false);
    now += 10_000;
    one.giveBack('t1', 'k');
    const fresh = [await one.take('t1', 'k'), await one.take('t1', 'k'), await one.take('t1', 'k')];
    expect(fresh.map((a) => a.allowed)).to.deep.equal([true, true, false]);
  });

  it('refuses limits whose window would be shorter than a second, naming the burst it needs', () => {
    expect(() => limiter(1, 6000)).to.throw(RangeError, /burst must be at least perMinute ÷ 60 \(100\)/);
    expect(() => limiter(0, 60)).to.throw(RangeError, /burst must be a positive whole number/);
  });
});

forEachStore('Leases in the store', (open) => {
  let store: Store;
  let now: number;
  beforeEach(async () => {
    store = await open();
    now = 5_000;
  });
  afterEach(() => store.close());

  it('one holder at a time; the holder renews; another takes it once it runs out or is released', async () => {
    const [a, b] = [new StoreLeases(store, () => now), new StoreLeases(store, () => now)];
    const taken = await Promise.all([a.take('t1', 'moments-run', 'a', 1000), b.take('t1', 'moments-run', 'b', 1000)]);
    expect(taken.filter(Boolean)).to.have.length(1);
    const [holder, other] = taken[0] ? (['a', 'b'] as const) : (['b', 'a'] as const);
    const leases = { a, b };
    now += 999;
    expect(await leases[other].take('t1', 'moments-run', other, 1000)).to.equal(false);
    expect(await leases[holder].take('t1', 'moments-run', holder, 1000)).to.equal(true);
    now += 1000;
    expect(await leases[other].take('t1', 'moments-run', other, 1000)).to.equal(true);
    await leases[holder].release('t1', 'moments-run', holder);
    expect(await leases[holder].take('t1', 'moments-run', holder, 1000)).to.equal(false);
    await leases[other].release('t1', 'moments-run', other);
    expect(await leases[holder].take('t1', 'moments-run', holder, 1000)).to.equal(true);
    // Another tenant's lease of the same name is its own.
    expect(await leases[other].take('t2', 'moments-run', other, 1000)).to.equal(true);
  });
});
