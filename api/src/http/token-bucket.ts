/**
 * Rate limiting per API key with a token bucket: each key may burst up to `burst` requests, refilled at
 * `perMinute`. Written here rather than adding express-rate-limit because the limit is keyed by the API key found
 * after authentication, the answer must be a problem+json with `Retry-After`, and the whole thing is a few lines
 * with an injectable clock for tests. It is per process: behind a load balancer each instance limits on its own.
 */

/** Limits of the bucket. */
export interface TokenBucketOptions {
  readonly perMinute: number;
  readonly burst: number;
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number;
  /** Buckets kept at most; full, idle buckets are dropped first. */
  readonly maxKeys?: number;
}

/** The answer to one request. */
export interface TakeResult {
  readonly allowed: boolean;
  /** Whole seconds until one token is back (0 when allowed). */
  readonly retryAfterSeconds: number;
  readonly remaining: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Token buckets keyed by API key id.
 *
 * @example
 * const limiter = new TokenBucket({ perMinute: 600, burst: 60 });
 * if (!limiter.take(keyId).allowed) answer429();
 */
export class TokenBucket {
  readonly #buckets = new Map<string, Bucket>();
  readonly #perMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #maxKeys: number;

  constructor(options: TokenBucketOptions) {
    this.#perMs = options.perMinute / 60_000;
    this.#burst = options.burst;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes one token for `key`. */
  take(key: string): TakeResult {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(this.#burst, bucket.tokens + ((now - bucket.updatedAt) * this.#perMs));
    bucket.updatedAt = now;
    if (!this.#buckets.has(key)) {
      if (this.#buckets.size >= this.#maxKeys) this.#evict(now);
      this.#buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0, remaining: Math.floor(bucket.tokens) };
    }
    return this.#refusal(bucket.tokens);
  }

  /**
   * Puts back a token `take` took, for work that turned out not to count (never above the burst).
   *
   * @example
   * if (!misses.take(keyId).allowed) answer429(); const hit = await tryCode(); if (hit) misses.giveBack(keyId);
   */
  giveBack(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.#burst, bucket.tokens + 1);
  }

  #refusal(tokens: number): TakeResult {
    const wait = (1 - tokens) / this.#perMs;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)), remaining: 0 };
  }

  #evict(now: number): void {
    for (const [key, bucket] of this.#buckets) {
      const refilled = bucket.tokens + ((now - bucket.updatedAt) * this.#perMs);
      if (refilled >= this.#burst) this.#buckets.delete(key);
    }
    // Still full of active keys: drop the oldest so memory stays bounded.
    if (this.#buckets.size >= this.#maxKeys) {
      const oldest = this.#buckets.keys().next();
      if (!oldest.done) this.#buckets.delete(oldest.value);
    }
  }
}
