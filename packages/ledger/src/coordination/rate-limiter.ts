/**
 * Rate limits that hold across every API instance on one store, without a store round trip per request.
 *
 * Semantics (the same for the request limit and the voucher-miss limit): time is cut into windows of
 * `windowMs = 60 000 × burst ÷ perMinute` aligned on the epoch, and a key may be granted at most `burst` requests
 * in each window, counted over all instances. So a key averages `perMinute` a minute, may spend a whole `burst` at
 * once, and at most twice `burst` fall in any `windowMs` span (the end of one window and the start of the next).
 *
 * How: each key has one document (collection `rateLimits`, key `<limit name>:<id>`) holding the current window's
 * start and how much of its allowance instances have reserved. An instance reserves a chunk with one
 * compare-and-set and spends it from memory; only when its chunk runs out does it go back to the store. A chunk is
 * a quarter of what the window has left, at most a tenth of `burst` and at least 1, so near the end of a window
 * the chunks shrink and little allowance sits unspent on an instance while another is refused. The total reserved
 * never passes `burst`, hence nothing is granted beyond it; a chunk unspent when its window ends is lost (never
 * carried over). One document per key, rewritten each window, so nothing needs pruning.
 *
 * An instance's `remaining` is what the window had left at its last reservation plus its own unspent chunk: other
 * instances may have spent some of that meanwhile.
 */
import type { Store, Versioned } from '../store/store.js';

/** A limit: `burst` per window of `60 000 × burst ÷ perMinute` ms. */
export interface RateLimitOptions {
  readonly perMinute: number;
  readonly burst: number;
}

/** The answer to one `take`. */
export interface RateLimitAnswer {
  readonly allowed: boolean;
  /** The window's allowance (`burst`): the `RateLimit-Limit` header. */
  readonly limit: number;
  /** What this instance knows is left of the window after this request. */
  readonly remaining: number;
  /** Whole seconds until the window ends (at least 1). */
  readonly resetSeconds: number;
  /** The window length in whole seconds (rounded up), for `RateLimit-Policy`. */
  readonly windowSeconds: number;
}

/** What the key's document holds. */
interface WindowDoc {
  windowStart: number;
  reserved: number;
}

/** This instance's part of one key's window. */
interface Pocket {
  readonly windowStart: number;
  /** Reserved by this instance and not yet spent. */
  left: number;
  /** What the store had left after this instance's last reservation. */
  storeLeft: number;
  /** The store has nothing left in this window. */
  exhausted: boolean;
  /** The last record seen, tried first by the next reservation (one round trip when no one else wrote). */
  record: Versioned<WindowDoc> | undefined;
  /** The reservation under way, shared by the requests that wait for it; true once it reserved or found none left. */
  reserving: Promise<boolean> | undefined;
}

/** Compare-and-sets one reservation tries before it gives up ... */
const ATTEMPTS = 10;
/** ... and reservations one request waits for before it is refused. */
const RESERVATION_ROUNDS = 3;

/**
 * One named limit over the store.
 *
 * @example
 * const limiter = new StoreRateLimiter(ledger.store, 'requests', { perMinute: 6000, burst: 1000 });
 * const answer = await limiter.take(tenantId, keyId);
 * if (!answer.allowed) answer429(answer.resetSeconds);
 */
export class StoreRateLimiter {
  readonly name: string;
  readonly burst: number;
  readonly windowMs: number;
  readonly #store: Store;
  readonly #now: () => number;
  readonly #maxKeys: number;
  readonly #pockets = new Map<string, Pocket>();

  constructor(store: Store, name: string, options: RateLimitOptions & { now?: () => number; maxKeys?: number }) {
    const { perMinute, burst } = options;
    if (!Number.isSafeInteger(perMinute) || perMinute < 1) throw new RangeError(`rate limit ${name}: perMinute must be a positive whole number, got ${perMinute}`);
    if (!Number.isSafeInteger(burst) || burst < 1) throw new RangeError(`rate limit ${name}: burst must be a positive whole number, got ${burst}`);
    this.windowMs = rateWindowMs(options);
    if (this.windowMs < 1000) throw new RangeError(`rate limit ${name}: burst ${burst} at ${perMinute} a minute makes a window of ${this.windowMs} ms; the burst must be at least perMinute ÷ 60 (${Math.ceil(perMinute / 60)}) so a window lasts a second or more`);
    if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new TypeError(`rate limit name must be lower-case letters, digits and dashes, got ${JSON.stringify(name)}`);
    this.name = name;
    this.burst = burst;
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /** Takes one request of `id`'s allowance (`id` is unique within the tenant: an API key id). */
  async take(tenantId: string, id: string): Promise<RateLimitAnswer> {
    const address = `${tenantId}\u0000${id}`;
    for (let lost = 0; ; ) {
      const now = this.#now();
      const pocket = this.#pocket(address, now);
      if (pocket.left > 0) {
        pocket.left -= 1;
        return this.#answer(true, pocket, now);
      }
      if (pocket.exhausted) return this.#answer(false, pocket, now);
      pocket.reserving ??= this.#reserve(tenantId, id, pocket).finally(() => {
        pocket.reserving = undefined;
      });
      // Every attempt of a reservation lost a race with other instances: try again, and after a few such rounds
      // refuse this request rather than queue behind them.
      if (!(await pocket.reserving) && ++lost >= RESERVATION_ROUNDS) return this.#answer(false, pocket, this.#now());
    }
  }

  /** Puts back one request `take` granted, for work that turned out not to count (within the same window). */
  giveBack(tenantId: string, id: string): void {
    const pocket = this.#pockets.get(`${tenantId}\u0000${id}`);
    if (pocket?.windowStart === this.#windowStart(this.#now())) pocket.left += 1;
  }

  #windowStart(now: number): number {
    return Math.floor(now / this.windowMs) * this.windowMs;
  }

  #pocket(address: string, now: number): Pocket {
    const windowStart = this.#windowStart(now);
    const known = this.#pockets.get(address);
    if (known?.windowStart === windowStart) return known;
    if (!known && this.#pockets.size >= this.#maxKeys) this.#evict(windowStart);
    const pocket: Pocket = { windowStart, left: 0, storeLeft: this.burst, exhausted: false, record: known?.record, reserving: undefined };
    this.#pockets.set(address, pocket);
    return pocket;
  }

  /** One chunk of the window's allowance into `pocket`, or `exhausted` when the window has none left. */
  async #reserve(tenantId: string, id: string, pocket: Pocket): Promise<boolean> {
    const key = `${this.name}:${id}`;
    let record = pocket.record;
    for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
      if (!record) {
        const chunk = chunkOf(this.burst, this.burst);
        const inserted = await this.#store.insert<WindowDoc>('rateLimits', tenantId, key, { windowStart: pocket.windowStart, reserved: chunk });
        record = inserted.record;
        if (inserted.inserted) {
          this.#credit(pocket, record, chunk, this.burst - chunk);
          return true;
        }
      }
      const { doc } = record;
      // A window after ours means this instance's clock lags: treat our window as spent until it catches up.
      const reserved = doc.windowStart === pocket.windowStart ? doc.reserved : doc.windowStart > pocket.windowStart ? this.burst : 0;
      const left = this.burst - reserved;
      if (left <= 0) {
        pocket.record = record;
        pocket.storeLeft = 0;
        pocket.exhausted = true;
        return true;
      }
      const chunk = chunkOf(this.burst, left);
      const next = await this.#store.replace<WindowDoc>('rateLimits', tenantId, key, record.version, { windowStart: pocket.windowStart, reserved: reserved + chunk });
      if (next) {
        this.#credit(pocket, next, chunk, left - chunk);
        return true;
      }
      record = await this.#store.get<WindowDoc>('rateLimits', tenantId, key);
    }
    if (record) pocket.record = record;
    return false;
  }

  #credit(pocket: Pocket, record: Versioned<WindowDoc>, chunk: number, storeLeft: number): void {
    pocket.record = record;
    pocket.left += chunk;
    pocket.storeLeft = storeLeft;
  }

  #answer(allowed: boolean, pocket: Pocket, now: number): RateLimitAnswer {
    return {
      allowed,
      limit: this.burst,
      remaining: allowed ? pocket.left + pocket.storeLeft : 0,
      resetSeconds: Math.max(1, Math.ceil((pocket.windowStart + this.windowMs - now) / 1000)),
      windowSeconds: Math.ceil(this.windowMs / 1000),
    };
  }

  /** Drops pockets of past windows (their chunks are lost anyway), then the oldest, so memory stays bounded. */
  #evict(windowStart: number): void {
    for (const [address, pocket] of this.#pockets) {
      if (pocket.windowStart < windowStart && !pocket.reserving) this.#pockets.delete(address);
    }
    if (this.#pockets.size >= this.#maxKeys) {
      const oldest = this.#pockets.keys().next();
      if (!oldest.done) this.#pockets.delete(oldest.value);
    }
  }
}

/** The window of a limit: `60 000 × burst ÷ perMinute` ms, rounded to the millisecond. */
export function rateWindowMs(options: RateLimitOptions): number {
  return Math.round((60_000 * options.burst) / options.perMinute);
}

/** A quarter of what the window has left, at most a tenth of the burst, at least 1. */
function chunkOf(burst: number, left: number): number {
  return Math.max(1, Math.min(Math.ceil(burst / 10), Math.floor(left / 4)));
}
