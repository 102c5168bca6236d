/**
 * The write protocol: how one operation changes one customer's account exactly once, with no multi-document
 * transaction, whatever crashes or races happen (docs/ledger.md explains why each step is there).
 *
 * 1. Claim: insert the operation record under its natural id (unique). A duplicate with another request hash is
 *    an `IdempotencyMismatch`; a duplicate that is done answers its stored answer; a pending one is resumed.
 * 2. Read the account, then the operation record (in that order: an operation is dropped from the account's
 *    `unflushed` list only after it is marked done, so "not done and not in unflushed" means "not applied").
 * 3. Finish what earlier writers committed but did not flush (their entries, order, follow-ups, done mark).
 * 4. Decide with the rules on this version of the account, and commit with ONE compare-and-set on its version:
 *    the new balances, counters and the operation's entries in `unflushed`. A lost race re-reads and decides again.
 *    A refusal by the claimer is written on the operation record alone (compare-and-set from `pending`); anyone
 *    else first reserves the operation (`pending` -> `committing`) and then decides through the account, so a
 *    refusal and a commit of one operation can never both happen.
 * 5. Flush: insert the entries (deterministic ids, insert-if-absent), the order, run the follow-ups on other
 *    accounts (each its own operation), then mark the operation done with its answer.
 */
import { createHash } from 'node:crypto';
import type { AccountDoc, FollowUp, OperationDoc, OrderDoc, Unflushed } from './account/account-doc.js';
import { getAccount, insertAccount, replaceAccount, summarize, type TierSummarizer } from './account/account-store.js';
import type { Entry } from './account/entry.js';
import { applyEntry, settle } from './account/points-state.js';
import { ContentionError, IdempotencyMismatch } from './errors.js';
import type { Store, Versioned } from './store/store.js';

/** An entry as a decision describes it; the protocol adds its id, position and operation. */
export type EntryDraft = Omit<Entry, 'id' | 'customerId' | 'seq' | 'opId'>;

/** What to commit: entries, other changes to the account, and the answer. */
export interface Commit {
  entries: EntryDraft[];
  /** Changes to the account besides points (counters, order summary, profile...). Must be pure. */
  update?: (account: AccountDoc) => AccountDoc;
  answer: object;
  order?: OrderDoc;
  followUps?: FollowUp[];
}

/** A decision: commit changes, or answer without changing any balance (a refusal, stored as the first answer). */
export type Decision = { commit: Commit } | { answer: object; refused?: boolean };

/** One operation to run. */
export interface OperationSpec {
  opId: string;
  kind: string;
  customerId: string;
  requestHash: string;
  /** When it happens (UTC ISO). */
  at: string;
  /** Create the account if it does not exist (orders and events may come before the profile). */
  createAccount: boolean;
  /** Called with the account settled at `at`; may be called again after a lost race. */
  decide: (account: AccountDoc) => Decision | Promise<Decision>;
  /** The tier summary of the account after the commit, with the program the decision used (stored-account.ts). */
  tierSummary?: TierSummarizer;
}

/** The outcome of an operation. */
export interface OperationResult {
  answer: object;
  /** Another call claimed this operation first; this is its answer. */
  replayed: boolean;
  refused: boolean;
}

/** What the protocol needs around the store. */
export interface ProtocolContext {
  store: Store;
  /** Runs a follow-up on another account (an operation of its own). */
  runFollowUp: (tenantId: string, followUp: FollowUp) => Promise<void>;
  /** Attempts before giving up under contention. */
  maxAttempts?: number;
}

/** A stable hash of a request: canonical JSON (sorted keys), SHA-256. */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const SEP = '\u0001';

/** The key of a customer's entries in the `entries` collection: ordered by commit, then index. */
export function entryKey(customerId: string, commit: number, index: number): string {
  return `${customerId}${SEP}${String(commit).padStart(12, '0')}${SEP}${String(index).padStart(4, '0')}`;
}

/** The prefix of all of one customer's entry keys. */
export function entryPrefix(customerId: string): string {
  return `${customerId}${SEP}`;
}

const pause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** Math.min(attempt, 6), 40)));

/** Reads the account, creating an empty one when asked to. */
export async function readAccount(store: Store, tenantId: string, customerId: string, create: boolean): Promise<Versioned<AccountDoc> | undefined> {
  const found = await getAccount(store, tenantId, customerId);
  if (found || !create) return found;
  return (await insertAccount(store, tenantId, customerId)).record;
}

/** Runs one operation through the protocol (see the module comment). */
export async function runOperation(ctx: ProtocolContext, tenantId: string, spec: OperationSpec): Promise<OperationResult> {
  const { store } = ctx;
  const claim = await store.insert<OperationDoc>('operations', tenantId, spec.opId, {
    opId: spec.opId,
    kind: spec.kind,
    customerId: spec.customerId,
    requestHash: spec.requestHash,
    status: 'pending',
  });
  const replayed = !claim.inserted;
  const primary = claim.inserted;
  if (replayed) {
    const op = claim.record.doc;
    if (op.requestHash !== spec.requestHash || op.kind !== spec.kind) throw new IdempotencyMismatch(spec.opId);
    if (op.status === 'done') return { answer: op.answer ?? {}, replayed, refused: op.refused === true };
  }
  const maxAttempts = ctx.maxAttempts ?? 2000;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const account = await readAccount(store, tenantId, spec.customerId, spec.createAccount);
    const op = await store.get<OperationDoc>('operations', tenantId, spec.opId);
    if (!op) throw new Error(`ledger: operation ${spec.opId} vanished`);
    if (op.doc.status === 'done') return { answer: op.doc.answer ?? {}, replayed, refused: op.doc.refused === true };
    if (!account) {
      // Nothing to apply to: the answer is the decision on an empty account (the service checks existence first).
      throw new Error(`ledger: account ${spec.customerId} does not exist for operation ${spec.opId}`);
    }
    const mine = account.doc.unflushed.find((item) => item.opId === spec.opId);
    if (mine) {
      await flush(ctx, tenantId, spec.customerId, mine);
      return { answer: mine.answer, replayed, refused: mine.refused === true };
    }
    for (const item of account.doc.unflushed) await flush(ctx, tenantId, spec.customerId, item);

    const current: AccountDoc = { ...account.doc, points: settle(account.doc.points, spec.at), unflushed: [] };
    const decision = await spec.decide(current);
    const refusing = !('commit' in decision);
    if (refusing && primary && op.doc.status === 'pending') {
      // Fast refusal: only the claimer may answer without touching the account, and only while nobody has
      // reserved the operation for a commit (the compare-and-set on the operation record decides which).
      const done: OperationDoc = { ...op.doc, status: 'done', answer: decision.answer, refused: decision.refused === true };
      if (await store.replace<OperationDoc>('operations', tenantId, spec.opId, op.version, done)) {
        return { answer: decision.answer, replayed, refused: decision.refused === true };
      }
      continue;
    }
    if (!primary && op.doc.status === 'pending') {
      // Anyone but the claimer reserves the operation before deciding through the account, so that the claimer
      // can no longer refuse it on the side.
      const reserved: OperationDoc = { ...op.doc, status: 'committing' };
      if (!(await store.replace<OperationDoc>('operations', tenantId, spec.opId, op.version, reserved))) continue;
    }
    // A refusal by anyone else is committed like any other decision (an item with no entries).
    const commit: Commit = 'commit' in decision ? decision.commit : { entries: [], answer: decision.answer };
    const refused = !('commit' in decision) && decision.refused === true;
    const number = current.commits + 1;
    const entries: Entry[] = commit.entries.map((draft, i) => ({
      ...draft,
      id: `${spec.opId}#${i}`,
      customerId: spec.customerId,
      seq: entryKey(spec.customerId, number, i),
      opId: spec.opId,
    }));
    let points = current.points;
    for (const entry of entries) points = applyEntry(points, entry);
    const base = commit.update ? commit.update(current) : current;
    const item: Unflushed = {
      opId: spec.opId,
      entries,
      followUps: commit.followUps ?? [],
      answer: commit.answer,
      ...(commit.order ? { order: commit.order } : {}),
      ...(refused ? { refused } : {}),
    };
    const next: AccountDoc = { ...base, points, commits: entries.length > 0 ? number : current.commits, unflushed: [item] };
    if (!(await replaceAccount(store, tenantId, account.version, next, summarize(next, current, spec.tierSummary)))) {
      await pause(attempt);
      continue;
    }
    await flush(ctx, tenantId, spec.customerId, item);
    return { answer: commit.answer, replayed, refused };
  }
  throw new ContentionError(spec.opId);
}

/** Writes what a committed operation left to write; every step is idempotent, so anyone may do it, any number of times. */
export async function flush(ctx: ProtocolContext, tenantId: string, _customerId: string, item: Unflushed): Promise<void> {
  const { store } = ctx;
  const op = await store.get<OperationDoc>('operations', tenantId, item.opId);
  if (op?.doc.status === 'done') return;
  for (const entry of item.entries) await store.insert<Entry>('entries', tenantId, entry.seq, entry);
  if (item.order) await store.insert<OrderDoc>('orders', tenantId, item.order.orderId, item.order);
  for (const followUp of item.followUps) await ctx.runFollowUp(tenantId, followUp);
  await markDone(store, tenantId, item.opId, item.answer, item.refused === true);
}

async function markDone(store: Store, tenantId: string, opId: string, answer: object, refused: boolean): Promise<void> {
  for (;;) {
    const op = await store.get<OperationDoc>('operations', tenantId, opId);
    if (!op) throw new Error(`ledger: operation ${opId} vanished`);
    if (op.doc.status === 'done') return;
    const done: OperationDoc = { ...op.doc, status: 'done', answer, ...(refused ? { refused } : {}) };
    if (await store.replace<OperationDoc>('operations', tenantId, opId, op.version, done)) return;
  }
}
