/**
 * How an account is stored (format 2): the fields a balance read needs (profile, referral, tier record, summary) as
 * the document, and everything a read does not need (lots, tier-window orders, counters, referees, unflushed
 * operations) as one JSON string in the store's `cold` field, which `get(..., { cold: false })` never reads. Every
 * write stores format 2; `decodeAccount` also reads format 1, where every field was a field of the document
 * (docs/ledger.md "Balance reads").
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
  tier: { id: string; name: string; heldUntil?: string } | null;
}

/** What a balance read answers from without reading the cold part. */
export interface AccountSummary {
  points: PointsSummary;
  /** Absent when the latest write did not know the program (the read evaluates the tier from the orders). */
  tier?: TierSummary;
}

/** The fields kept in the `cold` string. */
const COLD_FIELDS = ['points', 'orders', 'usage', 'unflushed'] as const;
type ColdPart = Pick<AccountDoc, (typeof COLD_FIELDS)[number]>;

/** An account as format 2 stores it. */
export type StoredAccount = Omit<AccountDoc, keyof ColdPart | 'summary'> & { summary: AccountSummary; cold: string };

/** What a read without the cold part gets: a format-2 head, or a whole format-1 account. */
export type AccountHead = Omit<StoredAccount, 'cold'> | AccountDoc;

/** The stored form of `account`, with `summary` as its read summary. */
export function encodeAccount(account: AccountDoc, summary: AccountSummary): StoredAccount {
  const { points, orders, usage, unflushed, summary: _previous, ...head } = account;
  const cold: ColdPart = { points, orders, usage, unflushed };
  return { ...head, summary, cold: JSON.stringify(cold) };
}

/** The account a stored document holds, in either format. */
export function decodeAccount(stored: StoredAccount | AccountDoc): AccountDoc {
  const { cold } = stored as { cold?: unknown };
  if (typeof cold !== 'string') return upgraded(stored as AccountDoc);
  const { cold: _cold, ...head } = stored as StoredAccount;
  let part: ColdPart;
  try {
    part = JSON.parse(cold) as ColdPart;
  } catch (error) {
    throw new Error(`ledger: the stored account ${stored.customerId} has an unreadable cold part (${(error as Error).message})`);
  }
  for (const field of COLD_FIELDS) {
    if (part[field] === undefined) throw new Error(`ledger: the stored account ${stored.customerId} has no "${field}" in its cold part`);
  }
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
