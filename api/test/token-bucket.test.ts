import { expect } from 'chai';
import { TokenBucket } from '../src/http/token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst, then refuses with the seconds until one token is back', () => {
    let now = 0;
    // 60 per minute = one token per second; a burst of 3.
    const bucket = new TokenBucket({ perMinute: 60, burst: 3, now: () => now });
    expect([1, 2, 3].map(() => bucket.take('k').allowed)).to.deep.equal([true, true, true]);
    const refused = bucket.take('k');
    expect(refused).to.deep.equal({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
    now += 1000;
    expect(bucket.take('k').allowed).to.equal(true);
    expect(bucket.take('k').allowed).to.equal(false);
  });

  it('keeps keys apart', () => {
    const bucket = new TokenBucket({ perMinute: 1, burst: 1, now: () => 0 });
    expect(bucket.take('a').allowed).to.equal(true);
    expect(bucket.take('a').allowed).to.equal(false);
    expect(bucket.take('b').allowed).to.equal(true);
  });

  it('answers a whole Retry-After rounded up: 1 per minute waits 60 s', () => {
    const bucket = new TokenBucket({ perMinute: 1, burst: 1, now: () => 0 });
    bucket.take('a');
    expect(bucket.take('a').retryAfterSeconds).to.equal(60);
  });

  it('gives a token back, never above the burst', () => {
    const bucket = new TokenBucket({ perMinute: 1, burst: 2, now: () => 0 });
    bucket.giveBack('new'); // nothing taken yet: still a burst of 2
    expect([bucket.take('new').allowed, bucket.take('new').allowed, bucket.take('new').allowed]).to.deep.equal([true, true, false]);
    bucket.giveBack('new');
    expect(bucket.take('new')).to.deep.equal({ allowed: true, retryAfterSeconds: 0, remaining: 0 });
    bucket.giveBack('new');
    bucket.giveBack('new');
    bucket.giveBack('new');
    expect([bucket.take('new').allowed, bucket.take('new').allowed, bucket.take('new').allowed]).to.deep.equal([true, true, false]);
  });

  it('stays bounded in memory', () => {
    let now = 0;
    const bucket = new TokenBucket({ perMinute: 60, burst: 1, now: () => now, maxKeys: 2 });
    bucket.take('a');
    bucket.take('b');
    now += 5000; // both refilled: evictable
    bucket.take('c');
    // 'a' was evicted full, so it starts again with a full bucket.
    expect(bucket.take('a').allowed).to.equal(true);
  });
});
