/**
 * Erasing a customer (docs/data.md, "What erasure removes and keeps"): the customer's personal data goes, and a
 * pseudonym takes the old id's place in every record kept, so the ledger stays balanced and the tenant's totals,
 * reconcile and liability do not move. The same code runs on every store; it needs nothing but the Store port.
 *
 * The pseudonym is an HMAC of the old id (and the erasure's generation: an id enrolled again and erased again gets
 * another) under a random secret the tenant's `erasures` collection keeps. Why a keyed hash and not a random id:
 * a crash mid-erasure must be finishable by a second call, which knows only the old id; the keyed hash finds the
 * erasure record and answers the same pseudonym without any record holding the old id. Without the secret nobody
 * can go from a pseudonym back to an id, nor test a guessed id against it.
 *
 * Steps, each idempotent, so that a second call after a crash finishes the first one's work:
 * 1. The erasure record (key: keyed hash of the old id) is written `running` with the pseudonym.
 * 2. The account is marked (`erasedAt`, one compare-and-set after flushing what it left unflushed): from then on
 *    every write for the old id is refused (CustomerErased) and every read answers 404, so nothing new about the
 *    customer is written while the rest is rewritten.
 * 3. Every collection of the tenant is read and each document naming the customer is rewritten: the old id becomes
 *    the pseudonym wherever it stands (a customer field, the front of a key like `id SEP seq`, the end of one like
 *    `dueAt SEP id`, an operation id like `birthday:id:2026`), the customer's free text (case summaries, details,
 *    actions and outcomes and adjustment reasons, wherever copied; goodwill override reasons) becomes `[erased]`. A document whose key names the
 *    customer moves (insert under the new key, then remove the old); others are compare-and-set in place, and the
 *    versions an adapter keeps below the current one are dropped. Rows that would deliver or list the customer's
 *    moments (the feed's index rows, webhook queues, pending deliveries, the due index) and records that carry
 *    personal data and nothing the ledger needs (the referral code, answers kept for Idempotency-Key replays) are
 *    removed. The customer's entries are reached by their key prefix (nobody else's entries name them); every
 *    other collection is read whole, since other customers' records may name them (a referrer's moments, a
 *    referee's referral). The sources of free text are rewritten last, so a resumed erasure still finds the text.
 * 4. The account moves to the pseudonym without its profile (its id and enrolment date stay), marked erased: its
 *    points stay in the tenant's totals, but it is nobody's (404), earns and expires nothing, emits no moment.
 * 5. The record is marked `done`. The old id is free: it may be enrolled again as a new customer.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { CUSTOMER_OPERATION_FORMS } from '@purna/rules';
import type { AccountDoc } from '../account/account-doc.js';
import { getAccount, replaceAccount, summarize } from '../account/account-store.js';
import type { Entry } from '../account/entry.js';
import { encodeAccount, decodeAccount, type StoredAccount } from '../account/stored-account.js';
import type { CaseDoc } from '../cases/case-doc.js';
import { ErasureRequestSchema, type ErasureAnswer } from '../contract/erasure.js';
import { NotFound } from '../errors.js';
import { COLLECTIONS, KEY_END, type CollectionName, type JsonValue, type Store, type Versioned } from '../store/store.js';
import { entryPrefix, flush } from '../write-protocol.js';
import { codeKey } from './customers.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, ReadOptions } from './ledger-context.js';
import { pages } from './paging.js';

/** What the customer's free text becomes. */
export const ERASED_TEXT = '[erased]';

/** The separator of the ledger's composite keys (entries, moments, the due index, queues...). */
const SEP = '\u0001';
const SECRET_KEY = 'secret';
const PSEUDONYM_PREFIX = 'erased-';

/** Fields whose value is a customer id. */
const CUSTOMER_FIELDS = new Set(['customerId', 'referrerId', 'refereeId', 'fromCustomerId', 'toCustomerId', 'owner', 'target']);

/** One erasure, as its record keeps it (no old id: the key is a keyed hash of it). */
interface ErasureRecord {
  generation: number;
  status: 'running' | 'done';
  pseudonym: string;
  reason: string;
  startedAt: string;
  doneAt?: string;
}

/** The last collections rewritten: the sources of the free text a resumed erasure must still find (step 3). */
const LAST = ['caseCustomers', 'cases', 'entries'] as const satisfies readonly CollectionName[];
/** Collections keyed by the customer id first, where a late write of the customer's lands (read by that prefix). */
const OWN_ROWS = ['entries', 'moments', 'caseCustomers', 'warrantyContractOwners'] as const satisfies readonly CollectionName[];
/** Collections an erasure leaves alone: its own records, and what is kept outside tenants or names no customer. */
const UNTOUCHED = new Set<CollectionName>(['erasures', 'accounts', 'programs', 'apiKeys', 'webhookEndpoints', 'webhookCursors', 'leases', ...LAST]);

/**
 * Erases a customer and answers the pseudonym that stands for them from now on. NotFound when there is no such
 * customer, or it was erased already (the id answers 404 everywhere afterwards); a second call while an erasure
 * of the id is unfinished (crashed, or running) finishes it and answers the same pseudonym.
 *
 * @example
 * await eraseCustomer(ctx, 'shop', 'ayu', { reason: 'erasure request 2026-114' }) // { erased: true, pseudonym: 'erased-…' }
 */
export async function eraseCustomer(ctx: LedgerContext, tenantId: string, customerId: string, input: unknown, options: ReadOptions = {}): Promise<ErasureAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(customerId, '/customerId', 'customer id');
  const { reason } = checkInput(ErasureRequestSchema, input, '', 'erasure');
  const at = ctx.at(options);
  const { store } = ctx;
  const secret = await tenantSecret(store, tenantId);
  const recordKey = `customer:${keyedHash(secret, `handle\u0000${customerId}`)}`;
  const record = await begin(store, tenantId, customerId, recordKey, secret, reason, at);
  const { pseudonym } = record.doc;
  await markAccount(ctx, tenantId, customerId, at);
  const rewrite = await rewriter(store, tenantId, customerId, pseudonym);
  for (const collection of COLLECTIONS) if (!UNTOUCHED.has(collection)) await rewriteCollection(store, tenantId, collection, rewrite);
  await rewriteAccounts(ctx, tenantId, customerId, rewrite);
  for (const collection of LAST) await rewriteCollection(store, tenantId, collection, rewrite);
  // A write that was already past its check when the account was marked may have landed behind the pass: the
  // customer's own rows once more, while the old account still refuses every new write.
  for (const collection of OWN_ROWS) await rewriteCollection(store, tenantId, collection, rewrite, 'own');
  await rewriteCollection(store, tenantId, 'referralCodes', rewrite);
  await moveAccount(store, tenantId, customerId, pseudonym, at, rewrite);
  await finish(store, tenantId, recordKey, at);
  return { erased: true, pseudonym };
}

/** The tenant's erasure secret, created once (insert-if-absent: concurrent first erasures agree on one). */
async function tenantSecret(store: Store, tenantId: string): Promise<string> {
  const { record } = await store.insert<{ secret: string }>('erasures', tenantId, SECRET_KEY, { secret: randomBytes(32).toString('base64url') });
  return record.doc.secret;
}

function keyedHash(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url').slice(0, 22);
}

/**
 * The erasure record to work on: an unfinished one (resumed, whatever the account shows), or a new one when the id
 * has an account that is not erased (the next generation after an earlier erasure of the id); NotFound otherwise.
 */
async function begin(store: Store, tenantId: string, customerId: string, recordKey: string, secret: string, reason: string, at: string): Promise<Versioned<ErasureRecord>> {
  for (;;) {
    const found = await store.get<ErasureRecord>('erasures', tenantId, recordKey);
    if (found?.doc.status === 'running') return found;
    // No account, or an erased one with no erasure of this id unfinished (a pseudonym's): nobody's to erase.
    const account = await getAccount(store, tenantId, customerId, { erased: true });
    if (!account || account.doc.erasedAt !== undefined) throw new NotFound('customer', customerId);
    const generation = (found?.doc.generation ?? 0) + 1;
    const doc: ErasureRecord = { generation, status: 'running', pseudonym: `${PSEUDONYM_PREFIX}${keyedHash(secret, `pseudonym\u0000${generation}\u0000${customerId}`)}`, reason, startedAt: at };
    const written = found ? await store.replace('erasures', tenantId, recordKey, found.version, doc) : (await store.insert('erasures', tenantId, recordKey, doc)).record;
    // Another call began the same erasure first: that one is resumed.
    if (written?.doc.generation === generation && written.doc.status === 'running') return written;
  }
}

/** Step 2: flushes what the account left unflushed and marks it erased (one compare-and-set); nothing if moved already. */
async function markAccount(ctx: LedgerContext, tenantId: string, customerId: string, at: string): Promise<void> {
  for (;;) {
    const account = await getAccount(ctx.store, tenantId, customerId, { erased: true });
    if (!account || account.doc.erasedAt !== undefined) return;
    for (const item of account.doc.unflushed) await flush(ctx.protocol, tenantId, customerId, item);
    const next: AccountDoc = { ...account.doc, erasedAt: at };
    if (await replaceAccount(ctx.store, tenantId, account.version, next, summarize(next, account.doc))) return;
  }
}

/** How one erasure rewrites: keys, documents, and what it removes instead. */
interface Rewrite {
  customerId: string;
  pseudonym: string;
  key(key: string): string;
  value<T>(value: T): T;
  /** The document names the customer (its key or its body). */
  names(key: string, doc: object): boolean;
  /** The customer's referral codes, as keyed (codeKey). */
  codes: Set<string>;
}

/** The rewrite of one erasure, with the customer's free text read from its cases, entries and account. */
async function rewriter(store: Store, tenantId: string, customerId: string, pseudonym: string): Promise<Rewrite> {
  const texts = new Set<string>();
  const codes = new Set<string>();
  const addText = (text: unknown): void => {
    if (typeof text === 'string' && text.length > 0) texts.add(text);
  };
  for await (const row of pages((q) => store.list<{ caseId: string }>('caseCustomers', tenantId, { prefix: `${customerId}${SEP}`, ...q }))) {
    const found = await store.get<CaseDoc>('cases', tenantId, row.doc.caseId);
    if (!found) continue;
    const { summary, details, actions, resolution } = found.doc;
    [summary, details, resolution?.outcome, ...actions.map((a) => a.action)].forEach(addText);
  }
  const account = await getAccount(store, tenantId, customerId, { erased: true });
  const entries: Entry[] = account ? account.doc.unflushed.flatMap((item) => item.entries) : [];
  for await (const row of pages((q) => store.list<Entry>('entries', tenantId, { prefix: entryPrefix(customerId), ...q }), 500)) entries.push(row.doc);
  for (const entry of entries) if (entry.type === 'adjustment') addText(entry.reason);
  // A tier assigned by hand carries support's words about the customer (a status match, a complaint settled).
  addText(account?.doc.tierHold?.reason);
  const code = account?.doc.profile?.referralCode;
  if (code !== undefined) {
    const keyed = codeKey(code);
    if (keyed !== undefined) codes.add(keyed);
  }

  const escaped = customerId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const operation = new RegExp(`^(${CUSTOMER_OPERATION_FORMS.dated.join('|')}):${escaped}:(?=\\d{4})`);
  const front = `${customerId}${SEP}`;
  const back = `${SEP}${customerId}`;
  const inString = (s: string): string => {
    if (s.startsWith(front)) return `${pseudonym}${s.slice(customerId.length)}`;
    if (s.endsWith(back)) return `${s.slice(0, s.length - customerId.length)}${pseudonym}`;
    const whole = CUSTOMER_OPERATION_FORMS.whole.find((name) => s === `${name}:${customerId}`);
    if (whole !== undefined) return `${whole}:${pseudonym}`;
    return s.replace(operation, `$1:${pseudonym}:`);
  };
  const walk = (value: JsonValue | undefined, field: string | undefined): JsonValue | undefined => {
    if (typeof value === 'string') {
      if (value === customerId && field !== undefined && CUSTOMER_FIELDS.has(field)) return pseudonym;
      const rewritten = inString(value);
      if (rewritten !== value) return rewritten;
      return texts.has(value) ? ERASED_TEXT : value;
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, undefined) ?? null);
    if (value !== null && typeof value === 'object') {
      const out: { [key: string]: JsonValue | undefined } = {};
      for (const [k, v] of Object.entries(value)) out[inString(k)] = walk(v, k);
      // A goodwill override's reason (in the grant's answer and moment) is an agent's words about the customer.
      if (field === 'override' && typeof out.reason === 'string') out.reason = ERASED_TEXT;
      return out;
    }
    return value;
  };
  const mentions = (text: string): boolean => text.includes(customerId);
  return {
    customerId,
    pseudonym,
    codes,
    key: inString,
    value: <T>(value: T): T => walk(value as JsonValue, undefined) as T,
    names: (key, doc) => mentions(key) || mentions(JSON.stringify(doc)),
  };
}

/** What step 3 does with a document of a collection that names the customer: drop it, or rewrite it. */
function dropped(collection: CollectionName, key: string, doc: object, rewrite: Rewrite): boolean {
  const { customerId } = rewrite;
  const named = (doc as { customerId?: unknown }).customerId === customerId;
  switch (collection) {
    // Index rows that would list or deliver the customer's moments, or run them: the moments stop.
    case 'momentFeed':
      return String((doc as { key?: unknown }).key).startsWith(`${customerId}${SEP}`);
    case 'momentsDue':
      return key.endsWith(`${SEP}${customerId}`);
    case 'webhookQueues':
      return named;
    case 'webhookDeliveries':
      return named && (doc as { status?: unknown }).status === 'pending';
    // Personal data the ledger needs nothing of: the code's text, the answers kept for byte-identical replays.
    case 'referralCodes':
      return named || rewrite.codes.has(key);
    case 'idempotencyKeys':
      return true;
    default:
      return false;
  }
}

/**
 * Step 3 on one collection: every document of the tenant, or only the customer's own rows (`own`: those keyed by the
 * id first). The entries are always read by that prefix: nobody else's entries name the customer.
 */
async function rewriteCollection(store: Store, tenantId: string, collection: CollectionName, rewrite: Rewrite, scope: 'all' | 'own' = 'all'): Promise<void> {
  // Entries, moments, case rows and owner rows all key `<customer id> SEP ...`.
  const prefix = collection === 'entries' || scope === 'own' ? `${rewrite.customerId}${SEP}` : undefined;
  let after: string | undefined;
  for (;;) {
    const page = await store.list<object>(collection, tenantId, { limit: 200, ...(prefix !== undefined ? { prefix } : {}), ...(after !== undefined ? { after } : {}) });
    for (const record of page) {
      if (!rewrite.names(record.key, record.doc) && !(collection === 'referralCodes' && rewrite.codes.has(record.key))) continue;
      if (dropped(collection, record.key, record.doc, rewrite)) await store.remove(collection, tenantId, record.key);
      else await rewriteDocument(store, tenantId, collection, record, rewrite);
    }
    if (page.length < 200) return;
    after = page[page.length - 1]?.key;
    if (after === undefined || (prefix !== undefined && after >= prefix + KEY_END)) return;
  }
}

/** Moves a document to its rewritten key, or compare-and-sets it in place, leaving no earlier version behind. */
async function rewriteDocument(store: Store, tenantId: string, collection: CollectionName, record: Versioned<object>, rewrite: Rewrite): Promise<void> {
  const key = rewrite.key(record.key);
  if (key !== record.key) {
    await store.insert(collection, tenantId, key, rewrite.value(record.doc));
    await store.remove(collection, tenantId, record.key);
    return;
  }
  let current: Versioned<object> | undefined = record;
  while (current) {
    const next = rewrite.value(current.doc);
    if (JSON.stringify(next) === JSON.stringify(current.doc)) break;
    if (await store.replace(collection, tenantId, record.key, current.version, next)) break;
    current = await store.get<object>(collection, tenantId, record.key);
  }
  await store.dropHistory(collection, tenantId, record.key);
}

/**
 * Step 3 on other customers' accounts: their referral, follow-ups and moments naming the customer. Read as stored
 * (the cold part a string): only an account whose text names the customer or the code is decoded.
 */
async function rewriteAccounts(ctx: LedgerContext, tenantId: string, customerId: string, rewrite: Rewrite): Promise<void> {
  const usesCode = (code: string | undefined): boolean => code !== undefined && rewrite.codes.has(codeKey(code) ?? '');
  const codeTexts = [...rewrite.codes];
  for await (const record of pages((q) => ctx.store.list<StoredAccount | AccountDoc>('accounts', tenantId, q), 200)) {
    if (record.key === customerId || record.key === rewrite.pseudonym) continue;
    const text = JSON.stringify(record.doc);
    // A code is stored as presented ("ayu 2026"), keyed normalised ("AYU2026"): searched in the text normalised alike.
    if (!text.includes(customerId) && !(codeTexts.length > 0 && codeTexts.some((code) => text.toUpperCase().replace(/[\s-]/g, '').includes(code)))) continue;
    const account = decodeAccount(record.doc);
    if (!rewrite.names('', account) && !usesCode(account.referral?.code) && !usesCode(account.profile?.referredBy?.code)) continue;
    for (;;) {
      const found = await getAccount(ctx.store, tenantId, account.customerId, { erased: true });
      if (!found) break;
      const doc = found.doc;
      const next: AccountDoc = {
        ...rewrite.value(doc),
        ...(doc.referral ? { referral: { ...rewrite.value(doc.referral), ...(usesCode(doc.referral.code) ? { code: rewrite.pseudonym } : {}) } } : {}),
        ...(doc.profile ? { profile: { ...rewrite.value(doc.profile), ...(doc.profile.referredBy && usesCode(doc.profile.referredBy.code) ? { referredBy: { code: rewrite.pseudonym } } : {}) } } : {}),
      };
      if (await replaceAccount(ctx.store, tenantId, found.version, next, summarize(next, doc))) {
        await ctx.store.dropHistory('accounts', tenantId, account.customerId);
        break;
      }
    }
  }
}

/** Step 4: the account under the pseudonym, without its profile, marked erased; the old id's removed. */
async function moveAccount(store: Store, tenantId: string, customerId: string, pseudonym: string, at: string, rewrite: Rewrite): Promise<void> {
  const found = await store.get<StoredAccount | AccountDoc>('accounts', tenantId, customerId);
  if (found) {
    const doc = decodeAccount(found.doc);
    const { dueAt: _dueAt, dueProgram: _dueProgram, profile, ...rest } = rewrite.value(doc);
    const moved: AccountDoc = {
      ...rest,
      customerId: pseudonym,
      ...(profile ? { profile: { id: pseudonym, ...(profile.enrolledAt !== undefined ? { enrolledAt: profile.enrolledAt } : {}) } } : {}),
      erasedAt: doc.erasedAt ?? at,
    };
    await store.insert('accounts', tenantId, pseudonym, encodeAccount(moved, summarize(moved, doc)));
    await store.remove('accounts', tenantId, customerId);
  }
}

/** Step 5: the record done (compare-and-set; a concurrent finisher's done stands). */
async function finish(store: Store, tenantId: string, recordKey: string, at: string): Promise<void> {
  for (;;) {
    const found = await store.get<ErasureRecord>('erasures', tenantId, recordKey);
    if (!found || found.doc.status === 'done') return;
    if (await store.replace('erasures', tenantId, recordKey, found.version, { ...found.doc, status: 'done', doneAt: at })) return;
  }
}
