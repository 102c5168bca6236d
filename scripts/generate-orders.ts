/**
 * `node --conditions=purna-source --import tsx scripts/generate-orders.ts --orders 1000000 --customers 50000 \
 *    --out orders.ndjson --customers-out customers.ndjson [--shop id|us|ph] [--seed 42] [--from ISO] [--until ISO]`
 *
 * Writes a realistic, deterministic order history for `purna simulate` and the benchmarks: NDJSON of orders in time
 * order in the API's order shape (`POST /v1/orders`), and NDJSON of the customers who placed them
 * (`PUT /v1/customers/{id}`). The same seed and options always give byte-identical files. Money is generated in
 * whole minor units (cents, sen) and written as decimal strings: no float ever touches an amount.
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
}

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
  const from = instant(options.from, options.shop.timezone, 'from');
  for (let n = 0; n < options.customers; n++) {
    const enrolled = from.minus({ days: 1 + Math.floor(random() * 365), minutes: Math.floor(random() * 1440) });
    const birth = DateTime.fromObject({ year: 1960 + Math.floor(random() * 45), month: 1, day: 1 }, { zone: 'UTC' }).plus({ days: Math.floor(random() * 365) });
    const id = customerId(n);
    yield {
      id,
      enrolledAt: enrolled.toISO({ suppressMilliseconds: true }) ?? '',
      birthDate: birth.toISODate() ?? '',
      timezone: options.shop.timezone,
      emailHash: `sha256:${id}`,
      referralCode: `REF-${id.toUpperCase()}`,
    };
  }
}

/**
 * The orders, in time order (placedAt never decreases), spread over [from, until).
 *
 * @example
 * for (const order of generateOrders(options)) stream.write(`${JSON.stringify(order)}\n`);
 */
export function* generateOrders(options: GenerateOptions): Generator<GeneratedOrder> {
  const { shop } = options;
  if (options.customers < 1) throw new RangeError('at least one customer is needed');
  const random = seededRandom(options.seed);
  const from = instant(options.from, shop.timezone, 'from').toMillis();
  const until = instant(options.until, shop.timezone, 'until').toMillis();
  if (until <= from) throw new RangeError('until must be after from');
  const slot = (until - from) / Math.max(1, options.orders);
  const bigTicket = shop.catalogue.filter((i) => i.category !== 'accessory' && i.category !== 'gift-card');
  const small = shop.catalogue.filter((i) => i.category === 'accessory');
  const giftCards = shop.catalogue.filter((i) => i.category === 'gift-card');
  for (let i = 0; i < options.orders; i++) {
    // One order per slot at a random second inside it: times never go backwards, whole seconds only.
    const at = Math.floor((from + ((i + random()) * slot)) / 1000) * 1000;
    // A fifth of the orders come from a loyal twentieth of the customers; the rest from anyone: a long tail of
    // occasional buyers and a core of regulars, as electronics shops see it.
    const loyal = Math.max(1, Math.floor(options.customers / 20));
    const customer = random() < 0.2 ? Math.floor(random() * loyal) : Math.floor(random() * options.customers);
    const lines: GeneratedOrder['lines'] = [];
    const picks = random() < 0.55 ? [pickWeighted(bigTicket, random)] : [];
    const extra = Math.floor(random() * 3);
    for (let k = 0; k < extra || picks.length === 0; k++) picks.push(pickWeighted(random() < 0.7 ? small : bigTicket, random));
    if (giftCards.length > 0 && random() < 0.03) picks.push(pickWeighted(giftCards, random));
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
    yield {
      id: `o-${String(i + 1).padStart(7, '0')}`,
      customerId: customerId(customer),
      placedAt: DateTime.fromMillis(at, { zone: shop.timezone }).toISO({ suppressMilliseconds: true }) ?? '',
      currency: shop.currency,
      lines,
    };
  }
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
                       [--shop id|us|ph] [--seed 42] [--from 2026-01-01T00:00:00+07:00] [--until 2027-01-01T00:00:00+07:00]`;

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
  };
  const orders = await writeNdjson(values.out, generateOrders(options));
  const customers = values['customers-out'] ? await writeNdjson(values['customers-out'], generateCustomers(options)) : 0;
  process.stderr.write(`wrote ${orders} orders to ${values.out}${customers ? ` and ${customers} customers to ${values['customers-out']}` : ''}\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
