/**
 * `node --conditions=purna-source --import tsx scripts/generate-orders.ts --orders 1000000 --customers 50000 \
 *    --out orders.ndjson --customers-out customers.ndjson [--shop id|us|ph] [--seed 42] [--from ISO] [--until ISO] [--activity]`
 *
 * Writes a realistic, deterministic order history for `purna simulate` and the benchmarks: NDJSON of orders in time
 * order in the API's order shape (`POST /v1/orders`), and NDJSON of the customers who placed them
 * (`PUT /v1/customers/{id}`, sorted by id). With `--activity` the history also holds the other records a shop's
 * history contains (returns, redemptions, reviews, birthday sweeps, adjustments; each with a `type`), and some
 * customers join during it, some referred by others. The same seed and options always give byte-identical files.
 * Money is generated in whole minor units (cents, sen) and written as decimal strings: no float ever touches an amount.
 *
 * A core of regulars buys often and most customers rarely (the usual long tail); baskets mix big-ticket items, accessories,
 * shipping and now and then a gift card (which programs usually exclude), with occasional line discounts.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';

/** One catalogue item; `price` is in minor units of the shop's currency. */
interface CatalogueItem {
  readonly sku: string;
  readonly category: string;
  readonly brand: string;
  /** Minor units. */
  readonly price: number;
  /** How likely it is in a basket, relative to the others. */
  readonly weight: number;
}

/** A shop: its currency, time zone, minor units per major unit, and catalogue. */
export interface ShopProfile {
  readonly id: string;
  readonly currency: string;
  readonly timezone: string;
  /** 100 for cents; 1 for currencies quoted in whole units (IDR). */
  readonly minorPerMajor: number;
  readonly catalogue: readonly CatalogueItem[];
  /** Shipping fee in minor units. */
  readonly shipping: number;
}

const item = (sku: string, category: string, brand: string, price: number, weight: number): CatalogueItem => ({ sku, category, brand, price, weight });

/** The three shops of docs/recipes. */
export const SHOPS: Readonly<Record<string, ShopProfile>> = {
  id: {
    id: 'id',
    currency: 'IDR',
    timezone: 'Asia/Jakarta',
    minorPerMajor: 1,
    shipping: 30_000,
    catalogue: [
      item('TV-55', 'tv', 'sakura', 8_500_000, 2),
      item('TV-65', 'tv', 'sakura', 14_000_000, 1),
      item('LP-14', 'laptop', 'garuda', 12_000_000, 2),
      item('LP-16', 'laptop', 'garuda', 21_000_000, 1),
      item('PH-9', 'phone', 'nusa', 9_000_000, 3),
      item('PH-5', 'phone', 'nusa', 2_500_000, 4),
      item('MS-01', 'accessory', 'garuda', 250_000, 6),
      item('CB-USB', 'accessory', 'nusa', 75_000, 8),
      item('HP-02', 'audio', 'sakura', 1_200_000, 3),
      item('GC-500', 'gift-card', 'toko', 500_000, 1),
    ],
  },
  us: {
    id: 'us',
    currency: 'USD',
    timezone: 'America/New_York',
    minorPerMajor: 100,
    shipping: 799,
    catalogue: [
      item('TV-55', 'tv', 'acme', 54_999, 2),
      item('LP-14', 'laptop', 'acme', 89_900, 2),
      item('PH-9', 'phone', 'orbit', 69_900, 3),
      item('HP-02', 'audio', 'orbit', 14_999, 4),
      item('CB-USB', 'accessory', 'acme', 1_299, 8),
      item('CASE-9', 'accessory', 'orbit', 2_499, 6),
      item('GC-50', 'gift-card', 'shop', 5_000, 1),
    ],
  },
  ph: {
    id: 'ph',
    currency: 'PHP',
    timezone: 'Asia/Manila',
    minorPerMajor: 100,
    shipping: 15_000,
    catalogue: [
      item('TV-50', 'tv', 'bayani', 2_499_900, 2),
      item('PH-9', 'phone', 'isla', 3_499_000, 3),
      item('PH-5', 'phone', 'isla', 899_900, 4),
      item('LP-14', 'laptop', 'bayani', 4_599_900, 1),
      item('EB-01', 'audio', 'isla', 149_900, 5),
      item('CB-USB', 'accessory', 'isla', 29_900, 8),
      item('GC-1K', 'gift-card', 'shop', 100_000, 1),
    ],
  },
};

/** What to generate. */
export interface GenerateOptions {
  readonly shop: ShopProfile;
  readonly orders: number;
  readonly customers: number;
  readonly seed: number;
  /** First and last instant of the history (ISO 8601 with offset). */
  readonly from: string;
  readonly until: string;
  /**
   * Also the rest of a realistic history (see {@link generateHistory}): returns, redemptions, reviews, birthday
   * sweeps and adjustments; half the customers join during the history, and some were referred by another.
   */
  readonly activity?: boolean;
}

/** An order in the API's shape. */
export interface GeneratedOrder {
  id: string;
  customerId: string;
  placedAt: string;
  currency: string;
  lines: Array<{ sku: string; category: string; brand: string; quantity: number; unitPrice: string; discount?: string }>;
}

/** A customer in the API's shape. */
export interface GeneratedCustomer {
  id: string;
  enrolledAt: string;
  birthDate: string;
  timezone: string;
  emailHash: string;
  referralCode: string;
  referredBy?: { code: string };
}

/** The records of a history besides orders, as `purna simulate` reads them (`type` names the record). */
export type GeneratedRecord =
  | GeneratedOrder
  | { type: 'return'; id: string; orderId: string; at: string; lines: Array<{ sku: string; quantity: number }> }
  | { type: 'redemption'; id: string; customerId: string; orderId: string; orderTotal: string; points: number; at: string }
  | { type: 'event'; id: string; customerId: string; event: string; at: string; attributes: Record<string, string | number> }
  | { type: 'birthday'; customerId: string; at: string }
  | { type: 'adjustment'; id: string; customerId: string; points: number; reason: string; at: string };

/** mulberry32: a tiny, well-distributed 32-bit PRNG; the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Minor units as a decimal string in major units: 54999 cents -> "549.99"; IDR 250000 -> "250000". */
export function formatMinor(minor: number, minorPerMajor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new RangeError(`amount must be a whole number of minor units, got ${minor}`);
  if (minorPerMajor === 1) return String(minor);
  const digits = String(minorPerMajor).length - 1;
  const text = String(minor).padStart(digits + 1, '0');
  return `${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

function instant(value: string, zone: string, name: string): DateTime {
  const parsed = DateTime.fromISO(value, { zone, setZone: false });
  if (!parsed.isValid || !/(Z|[+-]\d{2}:?\d{2})$/.test(value)) throw new RangeError(`${name} must be an ISO 8601 instant with an offset, got ${JSON.stringify(value)}`);
  return parsed.setZone(zone);
}

function pickWeighted<T extends { weight: number }>(items: readonly T[], random: () => number): T {
  const total = items.reduce((sum, i) => sum + i.weight, 0);
  let r = random() * total;
  for (const i of items) {
    r -= i.weight;
    if (r < 0) return i;
  }
  return items[items.length - 1] as T;
}

/** Customer number `n` (0-based) as an id. */
export function customerId(n: number): string {
  return `c-${String(n + 1).padStart(6, '0')}`;
}

/**
 * The customers, each enrolled before the history starts (so that every order is after enrolment).
 *
 * @example
 * for (const c of generateCustomers({ shop: SHOPS.id, customers: 10, orders: 0, seed: 1, from, until })) ...
 */
export function* generateCustomers(options: GenerateOptions): Generator<GeneratedCustomer> {
  const random = seededRandom(options.seed ^ 0x5eed);
  const extra = seededRandom(options.seed ^ 0x4ef3);
  const fromTime = instant(options.from, options.shop.timezone, 'from');
  const untilMs = instant(options.until, options.shop.timezone, 'until').toMillis();
  for (let n = 0; n < options.customers; n++) {
    const enrolled = fromTime.minus({ days: 1 + Math.floor(random() * 365), minutes: Math.floor(random() * 1440) });
    const birth = DateTime.fromObject({ year: 1960 + Math.floor(random() * 45), month: 1, day: 1 }, { zone: 'UTC' }).plus({ days: Math.floor(random() * 365) });
    const id = customerId(n);
    const joined = joinedAt(n, options, fromTime.toMillis(), untilMs);
    const customer: GeneratedCustomer = {
      id,
      enrolledAt: joined === undefined ? (enrolled.toISO({ suppressMilliseconds: true }) ?? '') : isoAt(joined, options.shop.timezone),
      birthDate: birth.toISODate() ?? '',
      timezone: options.shop.timezone,
      emailHash: `sha256:${id}`,
      referralCode: `REF-${id.toUpperCase()}`,
    };
    // A sixth of those who join during the history were referred by an earlier customer; one in thirty of those is
    // the referrer again under another id (same e-mail), which the program refuses.
    if (joined !== undefined && extra() < 1 / 6) {
      const referrer = customerId(Math.floor(extra() * n));
      customer.referredBy = { code: `REF-${referrer.toUpperCase()}` };
      if (extra() < 1 / 30) customer.emailHash = `sha256:${referrer}`;
    }
    yield customer;
  }
}

/** Catalogue pools a basket is drawn from. */
interface Pools {
  readonly bigTicket: readonly CatalogueItem[];
  readonly small: readonly CatalogueItem[];
  readonly giftCards: readonly CatalogueItem[];
}

function poolsOf(shop: ShopProfile): Pools {
  return {
    bigTicket: shop.catalogue.filter((i) => i.category !== 'accessory' && i.category !== 'gift-card'),
    small: shop.catalogue.filter((i) => i.category === 'accessory'),
    giftCards: shop.catalogue.filter((i) => i.category === 'gift-card'),
  };
}

/** A basket: big-ticket items, accessories, the odd gift card, line discounts now and then, shipping often. */
function basket(shop: ShopProfile, pools: Pools, random: () => number): GeneratedOrder['lines'] {
  const lines: GeneratedOrder['lines'] = [];
  const picks = random() < 0.55 ? [pickWeighted(pools.bigTicket, random)] : [];
  const extra = Math.floor(random() * 3);
  for (let k = 0; k < extra || picks.length === 0; k++) picks.push(pickWeighted(random() < 0.7 ? pools.small : pools.bigTicket, random));
  if (pools.giftCards.length > 0 && random() < 0.03) picks.push(pickWeighted(pools.giftCards, random));
  for (const pick of picks) {
    const existing = lines.find((l) => l.sku === pick.sku);
    if (existing) {
      existing.quantity += 1;
      continue;
    }
    const quantity = pick.category === 'accessory' ? 1 + Math.floor(random() * 3) : 1;
    const line: GeneratedOrder['lines'][number] = {
      sku: pick.sku,
      category: pick.category,
      brand: pick.brand,
      quantity,
      unitPrice: formatMinor(pick.price, shop.minorPerMajor),
    };
    if (pick.category !== 'gift-card' && random() < 0.1) {
      // 5% to 15% off the line, in whole minor units.
      const percent = 5 + Math.floor(random() * 11);
      line.discount = formatMinor(Math.floor((pick.price * quantity * percent) / 100), shop.minorPerMajor);
    }
    lines.push(line);
  }
  if (random() < 0.6) lines.push({ sku: 'SHIP', category: 'shipping', brand: 'courier', quantity: 1, unitPrice: formatMinor(shop.shipping, shop.minorPerMajor) });
  return lines;
}

function isoAt(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? '';
}

/**
 * The orders, in time order (placedAt never decreases), spread over [from, until). With `activity`, customers who
 * enrol during the history only order after they enrolled, and most new members place a first order within weeks.
 *
 * @example
 * for (const order of generateOrders(options)) stream.write(`${JSON.stringify(order)}\n`);
 */
export function* generateOrders(options: GenerateOptions): Generator<GeneratedOrder> {
  for (const record of generateHistory({ ...options, activity: options.activity ?? false })) if (!('type' in record)) yield record;
}

/** Instant of enrolment of a customer who joins during the history (`activity`), spread evenly over its first 95%. */
function joinedAt(n: number, options: GenerateOptions, from: number, until: number): number | undefined {
  const members = Math.floor(options.customers / 2);
  if (!options.activity || n < members || n >= options.customers) return undefined;
  return Math.floor((from + (((n - members + 0.5) / (options.customers - members)) * (until - from) * 0.95)) / 1000) * 1000;
}

/** A min-heap of records to write later, by instant then by order of scheduling. */
class Schedule<T> {
  readonly #items: Array<{ at: number; seq: number; value: T }> = [];
  #seq = 0;

  get size(): number {
    return this.#items.length;
  }

  peek(): number {
    return this.#items[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  push(at: number, value: T): void {
    const items = this.#items;
    items.push({ at, seq: this.#seq++, value });
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      [items[i], items[parent]] = [items[parent]!, items[i]!];
      i = parent;
    }
  }

  pop(): T {
    const items = this.#items;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = (2 * i) + 1;
        const r = l + 1;
        let m = i;
        if (l < items.length && this.#less(l, m)) m = l;
        if (r < items.length && this.#less(r, m)) m = r;
        if (m === i) break;
        [items[i], items[m]] = [items[m]!, items[i]!];
        i = m;
      }
    }
    return top.value;
  }

  #less(a: number, b: number): boolean {
    const x = this.#items[a]!;
    const y = this.#items[b]!;
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}

/** When each customer's birthday sweep runs (00:05 on the birthday, in the shop's zone), sorted by instant. */
function birthdaySweeps(options: GenerateOptions, from: number, until: number): { at: Float64Array; customer: Int32Array } {
  const zone = options.shop.timezone;
  const times: number[] = [];
  const who: number[] = [];
  let n = 0;
  for (const customer of generateCustomers(options)) {
    const birth = DateTime.fromISO(customer.birthDate, { zone: 'UTC' });
    const enrolled = DateTime.fromISO(customer.enrolledAt).toMillis();
    for (let year = DateTime.fromMillis(from, { zone }).year; year <= DateTime.fromMillis(until, { zone }).year; year++) {
      // 29 February falls on 28 February in common years.
      const day = Math.min(birth.day, DateTime.fromObject({ year, month: birth.month }, { zone }).daysInMonth ?? 28);
      const at = DateTime.fromObject({ year, month: birth.month, day, hour: 0, minute: 5 }, { zone }).toMillis();
      if (at >= from && at < until && at >= enrolled) {
        times.push(at);
        who.push(n);
      }
    }
    n++;
  }
  const order = times.map((_, i) => i).sort((a, b) => times[a]! - times[b]! || who[a]! - who[b]!);
  return { at: Float64Array.from(order, (i) => times[i]!), customer: Int32Array.from(order, (i) => who[i]!) };
}

/** Minor units of an amount written by {@link formatMinor} ("549.99" -> 54999), without a float. */
function parseMinor(text: string): number {
  return Number(text.replace('.', ''));
}

/** Minor units of an order's total (quantity × unit price − discount, over the lines). */
function totalMinor(lines: GeneratedOrder['lines']): number {
  return lines.reduce((sum, l) => sum + (l.quantity * parseMinor(l.unitPrice)) - parseMinor(l.discount ?? '0'), 0);
}

/**
 * The whole history in time order: orders (plain API orders, no `type`) and, with `activity`, the records around
 * them at the rates an electronics shop sees: a return after 6% of orders (mostly in full, within 30 days), a
 * redemption before 12% of a returning customer's orders, a product review 3 to 20 days after 15% of orders, a
 * goodwill adjustment now and then, and each customer's birthday sweep every year. Referrals come from the customers
 * file (see {@link generateCustomers}); expiry follows from the program.
 *
 * @example
 * await writeNdjson('history.ndjson', generateHistory({ ...options, activity: true }));
 */
export function* generateHistory(options: GenerateOptions): Generator<GeneratedRecord> {
  const { shop } = options;
  if (options.customers < 1) throw new RangeError('at least one customer is needed');
  const random = seededRandom(options.seed);
  const extra = seededRandom(options.seed ^ 0xac71);
  const from = instant(options.from, shop.timezone, 'from').toMillis();
  const until = instant(options.until, shop.timezone, 'until').toMillis();
  if (until <= from) throw new RangeError('until must be after from');
  const slot = (until - from) / Math.max(1, options.orders);
  const pools = poolsOf(shop);
  const zone = shop.timezone;
  const members = options.activity ? Math.floor(options.customers / 2) : options.customers;
  const loyal = Math.max(1, Math.floor(options.customers / 20));
  const later = new Schedule<GeneratedRecord>();
  const firstOrders = new Schedule<number>();
  const ordersOf = options.activity ? new Uint16Array(options.customers) : undefined;
  const birthdays = options.activity ? birthdaySweeps(options, from, until) : undefined;
  let nextBirthday = 0;
  let joined = members;
  const day = 86_400_000;

  /** Records due strictly before `limit`, in time order. */
  function* due(limit: number): Generator<GeneratedRecord> {
    for (;;) {
      const birthday = birthdays && nextBirthday < birthdays.at.length ? birthdays.at[nextBirthday]! : Number.POSITIVE_INFINITY;
      const scheduled = later.peek();
      if (Math.min(birthday, scheduled) >= limit) return;
      if (birthday < scheduled) {
        yield { type: 'birthday', customerId: customerId(birthdays!.customer[nextBirthday]!), at: isoAt(birthday, zone) };
        nextBirthday++;
      } else yield later.pop();
    }
  }

  for (let i = 0; i < options.orders; i++) {
    // One order per slot at a random second inside it: times never go backwards, whole seconds only.
    const at = Math.floor((from + ((i + random()) * slot)) / 1000) * 1000;
    if (options.activity) {
      // New members joined by now; 70% of them come back for a first order, most within three weeks.
      for (let at2 = joinedAt(joined, options, from, until); at2 !== undefined && at2 <= at; at2 = joinedAt(++joined, options, from, until)) {
        if (extra() < 0.7) firstOrders.push(at2 + Math.floor((extra() < 0.8 ? extra() * 21 : 21 + (extra() * 70)) * day), joined);
      }
    }
    // A fifth of the orders come from a loyal twentieth of the customers; the rest from anyone: a long tail of
    // occasional buyers and a core of regulars, as electronics shops see it.
    const isLoyal = random() < 0.2;
    const pick = random();
    let customer = isLoyal ? Math.floor(pick * loyal) : Math.floor(pick * joined);
    if (options.activity && !isLoyal && firstOrders.peek() <= at) customer = firstOrders.pop();
    const lines = basket(shop, pools, random);
    const order: GeneratedOrder = { id: `o-${String(i + 1).padStart(7, '0')}`, customerId: customerId(customer), placedAt: isoAt(at, zone), currency: shop.currency, lines };
    yield* due(at);
    if (ordersOf) {
      const n = i + 1;
      const total = totalMinor(lines);
      if (ordersOf[customer]! >= 2 && extra() < 0.12) {
        // A returning customer spends 100 to 1,500 points at checkout (refused when they hold fewer).
        const points = 100 + (50 * Math.floor(extra() * 29));
        yield { type: 'redemption', id: `rd-${n}`, customerId: order.customerId, orderId: order.id, orderTotal: formatMinor(total, shop.minorPerMajor), points, at: order.placedAt };
      }
      ordersOf[customer] = Math.min(65_535, ordersOf[customer]! + 1);
      if (extra() < 0.06) {
        // Half the returns come within the 14 days points are pending, the rest within 30; 70% take everything back.
        const after = Math.floor((extra() < 0.5 ? 1 + (extra() * 13) : 14 + (extra() * 16)) * day);
        const full = extra() < 0.7;
        const partial = lines.find((l) => l.category !== 'shipping') ?? lines[0]!;
        const returned = full ? lines.map((l) => ({ sku: l.sku, quantity: l.quantity })) : [{ sku: partial.sku, quantity: 1 }];
        later.push(at + after, { type: 'return', id: `r-${n}`, orderId: order.id, at: isoAt(at + after, zone), lines: returned });
      }
      if (extra() < 0.15) {
        const after = Math.floor((3 + (extra() * 17)) * day);
        later.push(at + after, { type: 'event', id: `ev-${n}`, customerId: order.customerId, event: 'review.published', at: isoAt(at + after, zone), attributes: { orderId: order.id, rating: 1 + Math.floor(extra() * 5) } });
      }
      if (extra() < 0.002) {
        const after = Math.floor((1 + (extra() * 9)) * day);
        const points = extra() < 0.8 ? 100 * (1 + Math.floor(extra() * 5)) : -50;
        later.push(at + after, { type: 'adjustment', id: `adj-${n}`, customerId: order.customerId, points, reason: points > 0 ? 'goodwill' : 'correction', at: isoAt(at + after, zone) });
      }
    }
    yield order;
  }
  yield* due(until);
}

/** Writes every item of `items` as one NDJSON line, honouring back-pressure (a million orders never pile up). */
export async function writeNdjson(path: string, items: Iterable<unknown>): Promise<number> {
  const out = createWriteStream(path, { encoding: 'utf8' });
  let count = 0;
  for (const value of items) {
    count++;
    if (!out.write(`${JSON.stringify(value)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return count;
}

const USAGE = `Usage: generate-orders --out orders.ndjson [--customers-out customers.ndjson] [--orders 10000] [--customers 1000]
                       [--shop id|us|ph] [--seed 42] [--from 2026-01-01T00:00:00+07:00] [--until 2027-01-01T00:00:00+07:00]
                       [--activity]   (returns, redemptions, reviews, birthdays, adjustments and referrals too)`;

function wholeNumber(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new RangeError(`--${name} must be a whole number, got ${JSON.stringify(value)}\n${USAGE}`);
  return Number(value);
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: 'string' },
      'customers-out': { type: 'string' },
      orders: { type: 'string' },
      customers: { type: 'string' },
      shop: { type: 'string' },
      seed: { type: 'string' },
      from: { type: 'string' },
      until: { type: 'string' },
      activity: { type: 'boolean' },
    },
    strict: true,
  });
  const shop = SHOPS[values.shop ?? 'id'];
  if (!shop) throw new RangeError(`--shop must be one of ${Object.keys(SHOPS).join(', ')}\n${USAGE}`);
  if (!values.out) throw new RangeError(`--out is required\n${USAGE}`);
  const options: GenerateOptions = {
    shop,
    orders: wholeNumber(values.orders, 'orders', 10_000),
    customers: wholeNumber(values.customers, 'customers', 1_000),
    seed: wholeNumber(values.seed, 'seed', 42),
    from: values.from ?? '2026-01-01T00:00:00Z',
    until: values.until ?? '2027-01-01T00:00:00Z',
    activity: values.activity === true,
  };
  const orders = await writeNdjson(values.out, generateHistory(options));
  const customers = values['customers-out'] ? await writeNdjson(values['customers-out'], generateCustomers(options)) : 0;
  process.stderr.write(`wrote ${orders} ${options.activity ? 'records' : 'orders'} to ${values.out}${customers ? ` and ${customers} customers to ${values['customers-out']}` : ''}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
