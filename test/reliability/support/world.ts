/**
 * A running Purna for the reliability suites: the real app (api/src/app.ts) on the real ledger, on one of the three
 * stores, with API keys of two tenants and a program of our own whose arithmetic is simple enough to check by hand.
 *
 * The clock of the app is a variable the test moves, so writes without a time and reads without `?at=` happen
 * when the test says.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LmdbStore, MemoryStore, MongoStore, openLedger, type Ledger, type MongoStoreOptions, type Store } from '@purna/ledger';
import { pino } from 'pino';
import request from 'supertest';
import { createApp, type AppOptions, type PurnaApp } from '../../../api/src/app.js';
import { generateApiKey } from '../../../api/src/auth/api-key.js';
import { describeMongo, type MongoContext } from '../../support/mongo.js';

/** The three stores. */
export type StoreKind = 'memory' | 'lmdb' | 'mongo';

/** HTTP methods the app serves. */
export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** The test's instant for the app's "now" (ms since the epoch). */
export interface TestClock {
  ms: number;
  /** `ms` as an ISO instant. */
  iso(): string;
  /** Moves the clock forward. */
  advance(days: number): void;
}

/** Where the first instant of every world sits: after the machine's own clock, so nothing is "in the future". */
export const EPOCH = Date.parse('2031-01-06T03:00:00.000Z');

/**
 * The toko example program, made simpler to check by hand: one tier (multiplier 1), earning only the base rule
 * (1 point per Rp1.000 of non-shipping lines), points pending 3 days and expiring 1 month after they become
 * available, redeemed at 1 point = Rp1 with a minimum of 1 point and up to the whole order total. The review event
 * (50 points, 5 a month), the referral (500 / 250 points, first order of Rp1.000.000 within 60 days) and the
 * warranty plan are kept as they are. Goodwill has the after-sales example's reasons (late-delivery at most 500
 * points, cancelled-by-shop 1000), 2 grants per customer and 100,000 points for all customers a calendar month.
 */
export function reliabilityProgram(): Record<string, unknown> {
  const toko = JSON.parse(readFileSync(new URL('../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
  const tiers = toko.tiers as Record<string, unknown>;
  const earning = toko.earning as Array<Record<string, unknown>>;
  return {
    ...toko,
    id: 'reliability',
    name: 'Reliability suite program',
    points: {
      rounding: 'floor',
      pendingDays: 3,
      expiry: { months: 1 },
      redemption: { pointValue: '1', minPoints: 1, maxShareOfOrder: '1' },
    },
    tiers: { ...tiers, levels: [{ id: 'member', name: 'Member', threshold: '0', multiplier: '1' }] },
    birthday: { ...(toko.birthday as Record<string, unknown>), award: { points: 300 } },
    goodwill: {
      reasons: [
        { id: 'late-delivery', name: 'Late delivery', maxPoints: 500 },
        { id: 'cancelled-by-shop', name: 'Order cancelled by the shop', maxPoints: 1000 },
      ],
      limit: { perCustomer: { count: 2, period: { months: 1 } } },
      budget: { points: 100_000, period: { months: 1 } },
    },
    // One cheap reward, so the walks can redeem it and use its voucher (route-catalog.ts).
    rewards: [{ id: 'sticker', name: 'Sticker', cost: 1, kind: 'gift', sku: 'STICKER', voucherDays: 365, stock: 1_000_000 }],
    earning: earning
      .filter((rule) => rule.id === 'base')
      .map((rule) => ({ ...rule, name: '1 point per Rp1.000', award: { pointsPer: { amount: '1000', points: 1 } } })),
  };
}

/** A running app on a ledger on one store. */
export interface World {
  kind: StoreKind;
  app: PurnaApp;
  ledger: Ledger;
  /** The store the ledger writes to (the wrapper when one was given). */
  store: Store;
  /** The store beneath the wrapper (the same as `store` without one): where the app keeps rate-limit counters. */
  baseStore: Store;
  clock: TestClock;
  /** API keys of tenant `shop-a` by scope, and an admin key of tenant `shop-b`. */
  keys: { admin: string; checkout: string; crm: string; otherAdmin: string; otherCheckout: string; otherCrm: string };
  /** What the app logged at level error (the cause of every 5xx), newest last. */
  errors: string[];
  /** One request through supertest. */
  call(method: Method, path: string, key: string | undefined, body?: unknown, headers?: Record<string, string>): Promise<request.Response>;
  close(): Promise<void>;
}

/** How to open a world. */
export interface WorldOptions {
  mongo?: MongoContext;
  /**
   * Wraps the store before the ledger sees it (to watch or break writes). The app's rate-limit counters stay on the
   * store beneath: an instance reserves a chunk of a key's allowance once per many requests, so those writes would
   * make the count of one request's writes depend on what ran before it.
   */
  wrapStore?: (store: Store) => Store;
  /** Extra options of `MongoStore.open` (command monitoring). */
  mongoOptions?: Partial<MongoStoreOptions>;
  app?: Partial<Omit<AppOptions, 'ledger'>>;
  /** Publish the reliability program for both tenants (default true). */
  publish?: boolean;
}

let mongoDatabases = 0;

/** Opens a fresh, empty store of one kind; `cleanup` removes what it left on disk. */
export async function openStore(kind: StoreKind, options: WorldOptions = {}): Promise<{ store: Store; cleanup: () => void }> {
  if (kind === 'memory') return { store: new MemoryStore(), cleanup: () => undefined };
  if (kind === 'lmdb') {
    const folder = mkdtempSync(join(tmpdir(), 'purna-reliability-'));
    return { store: LmdbStore.open({ path: folder }), cleanup: () => rmSync(folder, { recursive: true, force: true }) };
  }
  if (!options.mongo) throw new Error('openStore: the mongo store needs a MongoContext (use forEachWorldStore or describeMongo)');
  const store = await MongoStore.open({ uri: options.mongo.uri, dbName: `${options.mongo.dbName}_${++mongoDatabases}`, ...options.mongoOptions });
  return { store, cleanup: () => undefined };
}

/** Opens a world: store, ledger, app, keys of two tenants, and the reliability program published for both. */
export async function openWorld(kind: StoreKind, options: WorldOptions = {}): Promise<World> {
  const opened = await openStore(kind, options);
  const store = options.wrapStore ? options.wrapStore(opened.store) : opened.store;
  const clock: TestClock = {
    ms: EPOCH,
    iso() {
      return new Date(this.ms).toISOString();
    },
    advance(days: number) {
      this.ms += Math.round(days * 86_400_000);
    },
  };
  const ledger = await openLedger({ store, now: () => clock.iso() });
  const errors: string[] = [];
  const app = createApp({
    ledger,
    logger: pino({ level: 'error' }, { write: (line: string) => void errors.push(line) }),
    clock: () => clock.ms,
    rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    ...(options.wrapStore ? { rateLimitStore: opened.store } : {}),
    // Webhook URLs are IP literals here; a name would not resolve, so nothing ever asks real DNS.
    webhooks: { resolve: (hostname: string) => Promise.reject(new Error(`no DNS in tests (${hostname})`)) },
    ...options.app,
  });
  const insertKey = async (tenantId: string, scopes: string[]): Promise<string> => {
    const generated = generateApiKey();
    await ledger.apiKeys.insert({ tenantId, keyId: generated.keyId, hash: generated.hash, scopes, name: 'reliability', createdAt: clock.iso() });
    return generated.key;
  };
  const keys = {
    admin: await insertKey('shop-a', ['admin']),
    checkout: await insertKey('shop-a', ['checkout']),
    crm: await insertKey('shop-a', ['crm']),
    otherAdmin: await insertKey('shop-b', ['admin']),
    otherCheckout: await insertKey('shop-b', ['checkout']),
    otherCrm: await insertKey('shop-b', ['crm']),
  };
  const call: World['call'] = async (method, path, key, body, headers = {}) => {
    let req = request(app)[method](path);
    if (key) req = req.set('Authorization', `Bearer ${key}`);
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return body === undefined ? await req : await req.send(body as string | object);
  };
  if (options.publish !== false) {
    for (const key of [keys.admin, keys.otherAdmin]) {
      const published = await call('put', '/v1/program', key, reliabilityProgram());
      if (published.status !== 201) throw new Error(`publishing the reliability program failed: ${published.status} ${JSON.stringify(published.body)}`);
    }
  }
  return {
    kind,
    app,
    ledger,
    store,
    baseStore: opened.store,
    clock,
    keys,
    errors,
    call,
    async close() {
      await ledger.close();
      opened.cleanup();
    },
  };
}

/**
 * Declares `body` once per store kind (memory and lmdb directly, mongo through `describeMongo`, so that in CI a
 * missing MongoDB is a failure, never a silent skip).
 */
export function forEachWorldStore(
  title: string,
  body: (open: (options?: Omit<WorldOptions, 'mongo'>) => Promise<World>, kind: StoreKind) => void,
  kinds: readonly StoreKind[] = ['memory', 'lmdb', 'mongo'],
): void {
  for (const kind of kinds) {
    if (kind === 'mongo') {
      describeMongo(title, (ctx) => {
        body((options = {}) => openWorld('mongo', { ...options, mongo: ctx() }), 'mongo');
      });
    } else {
      describe(`${title} [${kind}]`, () => {
        body((options = {}) => openWorld(kind, options), kind);
      });
    }
  }
}

/** An order of `customerId` whose points are easy to derive: each line is `quantity × unitPrice` rupiah. */
export function orderOf(
  id: string,
  customerId: string,
  placedAt: string,
  lines: Array<{ sku: string; quantity: number; unitPrice: string; category?: string }>,
): Record<string, unknown> {
  return {
    id,
    customerId,
    placedAt,
    currency: 'IDR',
    lines: lines.map((line) => ({ sku: line.sku, category: line.category ?? 'phone', quantity: line.quantity, unitPrice: line.unitPrice })),
  };
}

/** Every entry of one customer, through the API (all pages), oldest first. */
export async function entriesOf(world: World, key: string, customerId: string, at?: string): Promise<Array<{ type: string; points: number; at: string }>> {
  const items: Array<{ type: string; points: number; at: string }> = [];
  let cursor: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '100', ...(at ? { at } : {}), ...(cursor ? { cursor } : {}) });
    const page = await world.call('get', `/v1/customers/${encodeURIComponent(customerId)}/transactions?${query.toString()}`, key);
    if (page.status !== 200) throw new Error(`transactions of ${customerId}: ${page.status} ${JSON.stringify(page.body)}`);
    const body = page.body as { items: Array<{ type: string; points: number; at: string }>; nextCursor?: string };
    items.push(...body.items);
    if (!body.nextCursor) return items.reverse();
    cursor = body.nextCursor;
  }
}

/** The points of one customer through the API. */
export async function pointsOf(world: World, key: string, customerId: string, at?: string): Promise<{ available: number; pending: number; expired: number; redeemed: number; balance: number }> {
  const res = await world.call('get', `/v1/customers/${encodeURIComponent(customerId)}${at ? `?at=${encodeURIComponent(at)}` : ''}`, key);
  if (res.status !== 200) throw new Error(`customer ${customerId}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { points: { available: number; pending: number; expired: number; redeemed: number; balance: number } }).points;
}
