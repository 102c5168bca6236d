/**
 * When to try a failed webhook again: exponential backoff with full jitter, for at most 3 days.
 *
 * After the n-th failed attempt (n = 1 for the first), the delay before the next one is drawn uniformly from
 * [5 s, ceiling(n)), where ceiling(n) = min(6 h, 30 s × 2^(n−1)):
 *
 * | after attempt | delay drawn from | mean      |
 * | ------------- | ---------------- | --------- |
 * | 1             | 5 s – 30 s       | 17.5 s    |
 * | 2             | 5 s – 1 min      | 32.5 s    |
 * | 3             | 5 s – 2 min      | 62.5 s    |
 * | 5             | 5 s – 8 min      | ~4 min    |
 * | 8             | 5 s – 64 min     | ~32 min   |
 * | 10            | 5 s – 4.3 h      | ~2.1 h    |
 * | 11 and later  | 5 s – 6 h        | ~3 h      |
 *
 * No attempt is scheduled more than 3 days after the first one: a retry that would land later is moved to the
 * 3-day mark (one last try), unless fewer than 5 s remain; the attempt after that answers "give up", and the
 * caller disables the endpoint. On average that is about 34 attempts in all.
 *
 * Why full jitter: when a receiver comes back after an outage, the retries of thousands of messages spread over the
 * whole window instead of arriving together and knocking it over again. It is also stateless (unlike decorrelated
 * jitter, which needs the previous delay): the caller keeps only the attempt count and the first attempt's time.
 * The 5 s floor keeps an unlucky draw from retrying immediately.
 */

/**
 * The shape of the schedule. All durations in milliseconds.
 *
 * @example
 * const quick: RetryPolicy = { ...DEFAULT_RETRY_POLICY, horizonMs: 60 * 60 * 1000 }; // give up after an hour
 */
export interface RetryPolicy {
  /** Least delay between two attempts. */
  readonly minDelayMs: number;
  /** Ceiling of the delay after the first failed attempt; it doubles after each further failure. */
  readonly baseDelayMs: number;
  /** Largest ceiling: no single wait is longer. */
  readonly maxDelayMs: number;
  /** No attempt later than this after the first attempt. */
  readonly horizonMs: number;
}

/**
 * 5 s floor, 30 s first ceiling, 6 h cap, 3 days in all.
 *
 * @example
 * nextRetry(attempt, firstAttemptAt, Date.now(), Math.random, DEFAULT_RETRY_POLICY);
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  minDelayMs: 5_000,
  baseDelayMs: 30_000,
  maxDelayMs: 6 * 60 * 60 * 1000,
  horizonMs: 3 * 24 * 60 * 60 * 1000,
};

/**
 * Try again at `retryAt`, or stop.
 *
 * @example
 * const next: RetryDecision = nextRetry(3, firstAttemptAt, Date.now());
 * if (!next.giveUp) scheduleAt(next.retryAt);
 */
export type RetryDecision =
  | { readonly giveUp: false; readonly retryAt: number; readonly delayMs: number }
  | { readonly giveUp: true };

/**
 * When to make the next attempt after attempt number `attempt` (1 = the first) failed at `now`.
 *
 * @param attempt how many attempts have been made, the failed one included.
 * @param firstAttemptAt when the first attempt was made, ms since the epoch.
 * @param now when the failed attempt ended, ms since the epoch (a clock slightly behind `firstAttemptAt`, as
 *   between two workers, counts as `firstAttemptAt`).
 * @param random a number in [0, 1), `Math.random` by default; tests inject a fixed one.
 * @throws TypeError when `attempt` is not a whole number ≥ 1, a time is not finite, or `random` answers outside
 *   [0, 1).
 * @example
 * const next = nextRetry(1, firstAttemptAt, Date.now());
 * if (next.giveUp) disableEndpoint();
 * else scheduleAt(new Date(next.retryAt)); // 5 to 30 s from now
 */
export function nextRetry(
  attempt: number,
  firstAttemptAt: number,
  now: number,
  random: () => number = Math.random,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): RetryDecision {
  if (!Number.isSafeInteger(attempt) || attempt < 1) {
    throw new TypeError(`nextRetry: attempt counts the attempts made, from 1; got ${String(attempt)}.`);
  }
  if (!Number.isFinite(firstAttemptAt) || !Number.isFinite(now)) {
    throw new TypeError(
      `nextRetry: firstAttemptAt and now are milliseconds since the epoch; got ${String(firstAttemptAt)} and ${String(now)}.`,
    );
  }
  const draw = random();
  if (!(draw >= 0 && draw < 1)) {
    throw new TypeError(`nextRetry: random() must answer a number in [0, 1); it answered ${String(draw)}.`);
  }
  const at = Math.max(now, firstAttemptAt);
  // 2 ** (attempt - 1) grows past any cap by attempt 60 and to Infinity later; min() keeps the ceiling finite.
  const ceiling = Math.max(policy.minDelayMs, Math.min(policy.maxDelayMs, policy.baseDelayMs * (2 ** (attempt - 1))));
  const delay = policy.minDelayMs + (draw * (ceiling - policy.minDelayMs));
  const end = firstAttemptAt + policy.horizonMs;
  const retryAt = Math.min(Math.round(at + delay), end);
  if (retryAt - at < policy.minDelayMs) return { giveUp: true };
  return { giveUp: false, retryAt, delayMs: retryAt - at };
}
