import { expect } from 'chai';
import fc from 'fast-check';
import { DEFAULT_RETRY_POLICY, nextRetry, type RetryDecision } from '../../src/webhooks/retry-schedule.js';

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2025, 0, 1);
const fixed = (value: number) => (): number => value;

function retryAt(decision: RetryDecision): number {
  if (decision.giveUp) throw new Error('expected a retry, got give up');
  return decision.retryAt;
}

describe('retry schedule', () => {
  it('waits 5 to 30 s after the first failure: floor at random 0, ceiling as random nears 1, midway at 0.5', () => {
    expect(nextRetry(1, T0, T0, fixed(0))).to.deep.equal({ giveUp: false, retryAt: T0 + (5 * SECOND), delayMs: 5 * SECOND });
    expect(nextRetry(1, T0, T0, fixed(0.5))).to.deep.equal({ giveUp: false, retryAt: T0 + 17_500, delayMs: 17_500 });
    expect(retryAt(nextRetry(1, T0, T0, fixed(0.999_999))) - T0).to.be.within(29_999, 30 * SECOND);
  });

  it('doubles the ceiling after each failure: 30 s, 1 min, 2 min, …', () => {
    // At random 0.5 the delay is 5 s + (ceiling - 5 s) / 2.
    const expected = [30, 60, 120, 240, 480, 960, 1920, 3840, 7680, 15360].map((ceiling) => (5 + ((ceiling - 5) / 2)) * SECOND);
    expected.forEach((delay, index) => {
      const now = T0 + HOUR;
      expect(retryAt(nextRetry(index + 1, T0, now, fixed(0.5))) - now, `attempt ${index + 1}`).to.equal(delay);
    });
  });

  it('caps every wait at 6 h from the 11th failure on, however many there were', () => {
    const now = T0 + HOUR;
    for (const attempt of [11, 12, 40, 1000, Number.MAX_SAFE_INTEGER]) {
      const delay = retryAt(nextRetry(attempt, T0, now, fixed(0.999_999_9))) - now;
      expect(delay, `attempt ${attempt}`).to.be.within((6 * HOUR) - 5, 6 * HOUR);
      expect(retryAt(nextRetry(attempt, T0, now, fixed(0.5))) - now).to.equal((5 + ((21_600 - 5) / 2)) * SECOND);
    }
  });

  it('moves a retry that would pass the 3-day horizon to the 3-day mark, for one last try', () => {
    const now = T0 + (3 * DAY) - (60 * SECOND);
    expect(nextRetry(30, T0, now, fixed(0.5))).to.deep.equal({ giveUp: false, retryAt: T0 + (3 * DAY), delayMs: 60 * SECOND });
  });

  it('gives up at the horizon, after it, and when less than the 5 s floor is left', () => {
    expect(nextRetry(30, T0, T0 + (3 * DAY), fixed(0))).to.deep.equal({ giveUp: true });
    expect(nextRetry(30, T0, T0 + (3 * DAY) + HOUR, fixed(0))).to.deep.equal({ giveUp: true });
    expect(nextRetry(30, T0, T0 + (3 * DAY) - (4 * SECOND), fixed(0))).to.deep.equal({ giveUp: true });
    expect(nextRetry(30, T0, T0 + (3 * DAY) - (5 * SECOND), fixed(0))).to.deep.equal({
      giveUp: false,
      retryAt: T0 + (3 * DAY),
      delayMs: 5 * SECOND,
    });
  });

  it('runs 34 attempts over exactly 3 days when every draw is 0.5', () => {
    // By hand: the first 10 retries wait 2.5 s + 15 s × 2^(n-1), 15 370 s in all; then 22 waits of 10 802.5 s fit
    // before the horizon (259 200 s), and one more is moved to the 3-day mark: 33 retries, 34 attempts.
    let attempt = 1;
    let now = T0;
    const times = [T0];
    for (;;) {
      const decision = nextRetry(attempt, T0, now, fixed(0.5));
      if (decision.giveUp) break;
      now = decision.retryAt;
      times.push(now);
      attempt += 1;
    }
    expect(times).to.have.length(34);
    expect(times[10]).to.equal(T0 + (15_370 * SECOND));
    expect(times.at(-1)).to.equal(T0 + (3 * DAY));
  });

  it('never schedules before the floor or past the horizon, whatever the draw', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 0, max: 4 * DAY }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (attempt, elapsed, draw) => {
          const decision = nextRetry(attempt, T0, T0 + elapsed, fixed(draw));
          if (decision.giveUp) {
            expect(T0 + elapsed + DEFAULT_RETRY_POLICY.minDelayMs).to.be.greaterThan(T0 + (3 * DAY));
          } else {
            expect(decision.delayMs).to.be.within(5 * SECOND, 6 * HOUR);
            expect(decision.retryAt).to.equal(T0 + elapsed + decision.delayMs);
            expect(decision.retryAt).to.be.at.most(T0 + (3 * DAY));
          }
        },
      ),
    );
  });

  it('treats a clock slightly behind the first attempt as the first attempt', () => {
    expect(nextRetry(1, T0, T0 - 20, fixed(0))).to.deep.equal({ giveUp: false, retryAt: T0 + (5 * SECOND), delayMs: 5 * SECOND });
  });

  it('refuses nonsense arguments with a sentence', () => {
    expect(() => nextRetry(0, T0, T0)).to.throw(TypeError, /attempt counts the attempts made, from 1; got 0/);
    expect(() => nextRetry(1.5, T0, T0)).to.throw(TypeError, /from 1; got 1\.5/);
    expect(() => nextRetry(1, Number.NaN, T0)).to.throw(TypeError, /milliseconds since the epoch/);
    expect(() => nextRetry(1, T0, T0, fixed(1))).to.throw(TypeError, /\[0, 1\); it answered 1/);
    expect(() => nextRetry(1, T0, T0, fixed(-0.1))).to.throw(TypeError, /it answered -0\.1/);
  });

  it('uses Math.random by default and stays within the first window', () => {
    const delay = retryAt(nextRetry(1, T0, T0)) - T0;
    expect(delay).to.be.within(5 * SECOND, 30 * SECOND);
  });
});
