/**
 * How an account is stored (format 2): the fields a balance read needs (profile, referral, tier record, summary) as
 * the document, and everything a read does not need (lots, tier-window orders, counters, referees, unflushed
 * operations) as one JSON string in the store's `cold` field, which `get(..., { cold: false })` never reads. Every
 * write stores format 2; `decodeAccount` also reads format 1, where every field was a field of the document
 * (docs/ledger.md "Balance reads").
 *
 * The cold part is what grows with a customer's activity (a year of lots, the tier window's orders), and every write
 * of the account reads and writes it whole. So that a write costs no more for a customer with a long history
 * (docs/ledger.md "Writes stay flat with history"): the JSON of each lot and order is kept with it once written
 * (lots and orders are replaced, never changed, and are frozen once their JSON is kept, so a change in place would
 * throw rather than store stale text), and the cold part last encoded or decoded for a customer is kept with the text
 * it came from: reading the same text back parses nothing.
 */
import type { AccountDoc } from './account-doc.js';
import type { PointsSummary } from './points-summary.js';

/** The tier a balance read answers, as computed with one program version at the latest write. */
export interface TierSummary {
  programId: string;
  programVersion: number;
  /** The tier holds from this instant (the latest write or order, whichever is later)... */
  from: string;
  /** ...to this one, exclusive (the end of its hold, in UTC); empty when it never ends without new orders. */
  until: string;
  tier: { id: string; name: string; heldUntil?: string; manual?: { until: string; reason: string } } | null;
}

/** What a balance read answers from without reading the cold part. */
export interface AccountSummary {
  points: PointsSummary;
  /** Absent when the latest write did not know the program (the read evaluates the tier from the orders). */
  tier?: TierSummary;
}

/**
 * The balances as of the latest write (the summary's first step), stored beside the summary for whoever reads the
 * documents directly (mongosh, Compass, a BI tool: docs/mongodb.md). Nothing in Purna reads it back.
 */
export interface LatestBalances {
  at: string;
  balance: number;
  available: number;
  pending: number;
  expired: number;
  redeemed: number;
  debt: number;
}

/** The fields kept in the `cold` string. */
const COLD_FIELDS = ['points', 'orders', 'usage', 'unflushed'] as const;
type ColdPart = Pick<AccountDoc, (typeof COLD_FIELDS)[number]>;

/** An account as format 2 stores it. */
export type StoredAccount = Omit<AccountDoc, keyof ColdPart | 'summary'> & { summary: AccountSummary; balances?: LatestBalances; cold: string };

/** What a read without the cold part gets: a format-2 head, or a whole format-1 account. */
export type AccountHead = Omit<StoredAccount, 'cold'> | AccountDoc;

/** The JSON text of each lot and order already written, by the object (which is frozen from then on). */
const itemJson = new WeakMap<object, string>();

/** `JSON.stringify(items)`, reusing the text of every item written before. */
function listJson(items: readonly object[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i += 1) {
    const item = items[i]!;
    let text = itemJson.get(item);
    if (text === undefined) {
      text = JSON.stringify(item);
      itemJson.set(Object.freeze(item), text);
    }
    out += i === 0 ? text : `,${text}`;
  }
  return `${out}]`;
}

/** `JSON.stringify` of a cold part, its lots and orders from the texts kept with them. */
function coldJson(part: ColdPart): string {
  const { lots, ...points } = part.points;
  const rest = JSON.stringify(points);
  const pointsJson = `{"lots":${listJson(lots)}${rest === '{}' ? '' : `,${rest.slice(1, -1)}`}}`;
  return `{"points":${pointsJson},"orders":${listJson(part.orders)},"usage":${JSON.stringify(part.usage)},"unflushed":${JSON.stringify(part.unflushed)}}`;
}

/**
 * The cold parts last encoded or decoded, by customer id, with their text: a stored text equal to the one kept is
 * the same part, whatever the tenant or store it came from, so it is not parsed again. Least recently used first;
 * only parts worth keeping (long texts), and at most `COLD_CACHE_CHARS` characters of text in all.
 */
const coldParts = new Map<string, { text: string; part: ColdPart }>();
let coldChars = 0;
/** Shorter texts parse in microseconds: not worth the memory. */
const COLD_CACHE_MIN_CHARS = 4096;
const COLD_CACHE_CHARS = 8_000_000;

function keepCold(customerId: string, text: string, part: ColdPart): void {
  forgetCold(customerId);
  if (text.length < COLD_CACHE_MIN_CHARS) return;
  coldParts.set(customerId, { text, part });
  coldChars += text.length;
  for (const [id, kept] of coldParts) {
    if (coldChars <= COLD_CACHE_CHARS) break;
    coldParts.delete(id);
    coldChars -= kept.text.length;
  }
}

function forgetCold(customerId: string): void {
  const kept = coldParts.get(customerId);
  if (!kept) return;
  coldParts.delete(customerId);
  coldChars -= kept.text.length;
}

/** The stored form of `account`, with `summary` as its read summary. */
export function encodeAccount(account: AccountDoc, summary: AccountSummary): StoredAccount {
  const { points, orders, usage, unflushed, summary: _previous, ...head } = account;
  const part: ColdPart = { points, orders, usage, unflushed };
  const cold = coldJson(part);
  keepCold(account.customerId, cold, part);
  const first = summary.points.steps[0];
  const balances = first && { at: first.at, balance: first.balance, available: first.available, pending: first.pending, expired: first.expired, redeemed: summary.points.redeemed, debt: first.debt };
  return { ...head, summary, ...(balances ? { balances } : {}), cold };
}

/** The account a stored document holds, in either format. */
export function decodeAccount(stored: StoredAccount | AccountDoc): AccountDoc {
  const { cold } = stored as { cold?: unknown };
  if (typeof cold !== 'string') return upgraded(stored as AccountDoc);
  const { cold: _cold, balances: _balances, ...head } = stored as StoredAccount;
  const kept = coldParts.get(stored.customerId);
  if (kept?.text === cold) {
    // Most recently used now.
    coldParts.delete(stored.customerId);
    coldParts.set(stored.customerId, kept);
    return upgraded({ ...head, ...kept.part });
  }
  let part: ColdPart;
  try {
    part = JSON.parse(cold) as ColdPart;
  } catch (error) {
    throw new Error(`ledger: the stored account ${stored.customerId} has an unreadable cold part (${(error as Error).message})`);
  }
  for (const field of COLD_FIELDS) {
    if (part[field] === undefined) throw new Error(`ledger: the stored account ${stored.customerId} has no "${field}" in its cold part`);
  }
  keepCold(stored.customerId, cold, part);
  return upgraded({ ...head, ...part });
}

/**
 * An account as this version keeps it, from what any earlier version stored: the list of qualified referees that
 * versions before the decision core wrote (and nothing read) is dropped; every other field is read as it is.
 */
function upgraded(account: AccountDoc & { referrals?: unknown }): AccountDoc {
  if (!('referrals' in account)) return account;
  const { referrals: _dropped, ...rest } = account;
  return rest;
}

/** The summary of a head read, when the account was stored in format 2. */
export function summaryOf(head: AccountHead): AccountSummary | undefined {
  return 'summary' in head ? head.summary : undefined;
}
