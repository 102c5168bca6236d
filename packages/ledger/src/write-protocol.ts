/**
 * The write protocol: how one operation changes one customer's account exactly once, with no multi-document
 * transaction, whatever crashes or races happen (docs/ledger.md explains why each step is there).
 *
 * 1. Claim: insert the operation record under its natural id (unique). A duplicate with another request hash is
 *    an `IdempotencyMismatch`; a duplicate that is done answers its stored answer; a pending one is resumed.
 * 2. Read the account, then the operation record (in that order: an operation is dropped from the account's
 *    `unflushed` list only after it is marked done, so "not done and not in unflushed" means "not applied").
 * 3. Finish what earlier writers committed but did not flush (their entries, order, follow-ups, done mark).
 * 4. Decide with the rules on this version of the account (`decide…` answers actions), apply them with the rules'
 *    reducer (`applyActions`), file the account in the moments run's due index when its next due instant changed
 *    (moments-due.ts), and commit with ONE compare-and-set on its version: the new balances, counters, due instant
 *    and the operation's entries and moments in `unflushed`. A lost race re-reads and decides again.
 *    A refusal by the claimer is written on the operation record alone (compare-and-set from `pending`); anyone
 *    else first reserves the operation (`pending` -> `committing`) and then decides through the account, so a
 *    refusal and a commit of one operation can never both happen.
 * 5. Flush: insert the entries (deterministic ids, insert-if-absent) and the order together, beside the moments in
 *    sequence (the outbox: moment-store.ts), then any other document the operation writes (a warranty contract),
 *    run the follow-ups on other accounts (each its own operation), then mark the operation done.
 */
import { createHash } from 'node:crypto';
import { applyActions, operationId, settle, type AccountAction, type Applied, type CompiledProgram, type EffectAction } from '@purna/rules';
import type { AccountDoc, CommittedDocument, FollowUp, OperationDoc, OrderDoc, Unflushed } from './account/account-doc.js';
import { getAccount, insertAccount, replaceAccount, summarize } from './account/account-store.js';
import type { Entry } from './account/entry.js';
import { tierSummarizer } from './ledger/account-view.js';
import { ContentionError, CustomerErased, IdempotencyMismatch } from './errors.js';
import { setNewest } from './bounded-map.js';
import type { Store, Versioned } from './store/store.js';
import { momentDocs, storeMoments } from './moments/moment-store.js';
import { withDueAt } from './moments/moments-due.js';

/** What to commit: the decision's actions, and what to answer (and store beside) once they are applied. */
export interface Commit<A extends object> {
  actions: readonly AccountAction[];
  /** When the entries happen, when not the operation's `at` (a follow-up writes at the account's clock). */
  at?: string;
  /** The answer, from what `applyActions` produced. */
  answer: (applied: Applied<AccountDoc>) => A;
  /** An order document to create with the operation. */
  order?: (applied: Applied<AccountDoc>) => OrderDoc;
  /** Other documents to write once the operation is committed (account-doc.ts, CommittedDocument). */
  documents?: readonly CommittedDocument[];
}

/** A decision: commit actions, or refuse (the refusal is stored as the first answer; nothing else changes). */
export type Decision<A extends object, R extends object> = { commit: Commit<A> } | { refusal: R };

/** A program version, as a write knows it. */
export interface ProgramVersion {
  id: string;
  version: number;
  compiled: CompiledProgram;
}

/** One operation to run; `A` is its answer, `R` its refusal. */
export interface OperationSpec<A extends object, R extends object> {
  opId: string;
  kind: string;
  customerId: string;
  requestHash: string;
  /** When it happens (UTC ISO). */
  at: string;
  /** Create the account if it does not exist (orders and events may come before the profile). */
  createAccount: boolean;
  /** Called with the account settled at `at`; may be called again after a lost race. */
  decide: (account: AccountDoc) => Decision<A, R> | Promise<Decision<A, R>>;
  /**
   * The program the decision used: its retention policy says what the account may forget, and the read summary's
   * tier is computed with it (stored-account.ts). Without it nothing is forgotten and the tier summary is kept.
   */
  program?: ProgramVersion;
}

/** The outcome of an operation: its answer, or its refusal. */
export type OperationResult<A extends object, R extends object> = {
  /** Another call claimed this operation first; this is its answer. */
  replayed: boolean;
} & ({ refused: false; answer: A } | { refused: true; answer: R });

/** What the protocol needs around the store. */
export interface ProtocolContext {
  store: Store;
  /** Runs a follow-up on another account (an operation of its own). */
  runFollowUp: (tenantId: string, followUp: FollowUp) => Promise<void>;
  /** Attempts before giving up under contention. */
  maxAttempts?: number;
  /** Wall-clock milliseconds, for the moments feed's stamps (default `Date.now`; never the business `at`). */
  wallClock?: () => number;
  /** The program in force, for a write that names none (a follow-up): the due index needs it (moments-due.ts). */
  programFor?: (tenantId: string) => Promise<ProgramVersion | undefined>;
  /**
   * Operations this process saw marked done, so that flushing them again (the last item stays in the account's
   * `unflushed` until the next commit) asks the store nothing: done is final.
   */
  flushed?: RecentlyDone;
}

/**
 * A bounded set of `(tenant, operation)` pairs known to be done; the oldest are forgotten first. Forgetting one
 * costs a read, never correctness: the store's operation record says done too.
 *
 * @example
 * const flushed = new RecentlyDone(10_000);
 */
export class RecentlyDone {
  readonly #keys = new Map<string, true>();

  constructor(private readonly capacity: number) {}

  has(tenantId: string, opId: string): boolean {
    return this.#keys.has(`${tenantId}\u0000${opId}`);
  }

  add(tenantId: string, opId: string): void {
    const key = `${tenantId}\u0000${opId}`;
    if (!this.#keys.has(key)) setNewest(this.#keys, key, true, this.capacity);
  }
}

/** A stable hash of a request: canonical JSON (sorted keys), SHA-256. */
export function hashRequest(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

/** JSON with every object's keys in code-unit order and undefined members left out: equal values, equal text. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i += 1) out += `${i === 0 ? '' : ','}${canonicalJson(value[i])}`;
    return `${out}]`;
  }
  const object = value as Record<string, unknown>;
  let out = '';
  for (const key of Object.keys(object).sort()) {
    const member = object[key];
    if (member !== undefined) out += `${out === '' ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `{${out}}`;
}

const SEP = '\u0001';

/** The key of a customer's entries in the `entries` collection: ordered by commit, then index. */
export function entryKey(customerId: string, commit: number, index: number): string {
  return `${customerId}${SEP}${String(commit).padStart(12, '0')}${SEP}${String(index).padStart(4, '0')}`;
}

/** The entries of operation `opId` as commit `number` of the customer's account stores them. */
export function committedEntries(applied: Pick<Applied<AccountDoc>, 'entries'>, customerId: string, number: number, opId: string): Entry[] {
  return applied.entries.map((entry, i) => ({ ...entry, customerId, seq: entryKey(customerId, number, i), opId }));
}

/** The prefix of all of one customer's entry keys. */
export function entryPrefix(customerId: string): string {
  return `${customerId}${SEP}`;
}

const pause = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** Math.min(attempt, 6), 40)));

/**
 * Reads the account, creating an empty one when asked to. An account being erased (or left by an erasure) is
 * refused: a write that reaches it once the erasure has marked it must not add to what the erasure is removing.
 */
export async function readAccount(store: Store, tenantId: string, customerId: string, create: boolean): Promise<Versioned<AccountDoc> | undefined> {
  const found = (await getAccount(store, tenantId, customerId, { erased: true })) ?? (create ? (await insertAccount(store, tenantId, customerId)).record : undefined);
  if (found?.doc.erasedAt !== undefined) throw new CustomerErased(customerId);
  return found;
}

/** The stored answer of an operation, typed by the caller's spec (the one place it is read back untyped). */
function result<A extends object, R extends object>(answer: object | undefined, replayed: boolean, refused: boolean): OperationResult<A, R> {
  return refused ? { replayed, refused: true, answer: (answer ?? {}) as R } : { replayed, refused: false, answer: (answer ?? {}) as A };
}

/** The follow-up that runs an effect of operation `opId` (made by `customerId`'s account at `at`). */
function followUpOf(effect: EffectAction, opId: string, customerId: string, at: string): FollowUp {
  if (effect.type === 'campaign') return { opId: operationId.campaign(opId), customerId, at, action: effect };
  return { opId: operationId.referrer(opId), customerId: effect.referrerId, at, action: effect };
}

/** Runs one operation through the protocol (see the module comment). */
export async function runOperation<A extends object, R extends object = never>(ctx: ProtocolContext, tenantId: string, spec: OperationSpec<A, R>): Promise<OperationResult<A, R>> {
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
    if (op.status === 'done') return result(op.answer, replayed, op.refused === true);
  }
  const maxAttempts = ctx.maxAttempts ?? 2000;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    const account = await readAccount(store, tenantId, spec.customerId, spec.createAccount).catch(async (error: unknown) => {
      // An erased customer's write is refused; its fresh claim goes too, so that no record names the old id again.
      if (error instanceof CustomerErased && primary) await store.remove('operations', tenantId, spec.opId);
      throw error;
    });
    let op = await store.get<OperationDoc>('operations', tenantId, spec.opId);
    if (!op) throw new Error(`ledger: operation ${spec.opId} vanished`);
    if (op.doc.status === 'done') return result(op.doc.answer, replayed, op.doc.refused === true);
    if (!account) {
      // Nothing to apply to: the answer is the decision on an empty account (the service checks existence first).
      throw new Error(`ledger: account ${spec.customerId} does not exist for operation ${spec.opId}`);
    }
    const mine = account.doc.unflushed.find((item) => item.opId === spec.opId);
    if (mine) {
      await flush(ctx, tenantId, spec.customerId, mine);
      return result(mine.answer, replayed, mine.refused === true);
    }
    for (const item of account.doc.unflushed) await flush(ctx, tenantId, spec.customerId, item);

    const current: AccountDoc = { ...account.doc, points: settle(account.doc.points, spec.at), unflushed: [] };
    const decision = await spec.decide(current);
    if ('refusal' in decision && primary && op.doc.status === 'pending') {
      // Fast refusal: only the claimer may answer without touching the account, and only while nobody has
      // reserved the operation for a commit (the compare-and-set on the operation record decides which).
      const done: OperationDoc = { ...op.doc, status: 'done', answer: decision.refusal, refused: true };
      if (await store.replace<OperationDoc>('operations', tenantId, spec.opId, op.version, done)) return result(decision.refusal, replayed, true);
      continue;
    }
    if (!primary && op.doc.status === 'pending') {
      // Anyone but the claimer reserves the operation before deciding through the account, so that the claimer
      // can no longer refuse it on the side.
      const reserved = await store.replace<OperationDoc>('operations', tenantId, spec.opId, op.version, { ...op.doc, status: 'committing' });
      if (!reserved) continue;
      op = reserved;
    }
    // A refusal by anyone else is committed like any other decision (an item with no entries).
    const commit = 'commit' in decision ? decision.commit : undefined;
    const at = commit?.at ?? spec.at;
    const applied = applyActions(current, commit?.actions ?? [], { at, id: spec.opId, ...(spec.program ? { compiled: spec.program.compiled } : {}) });
    const answer: object = commit ? commit.answer(applied) : (decision as { refusal: R }).refusal;
    const number = current.commits + 1;
    const entries = committedEntries(applied, spec.customerId, number, spec.opId);
    const order = commit?.order?.(applied);
    const momentCount = current.momentCount ?? 0;
    const moments = momentDocs(spec.customerId, applied.moments, momentCount);
    const item: Unflushed = {
      opId: spec.opId,
      entries,
      followUps: applied.effects.map((effect) => followUpOf(effect, spec.opId, spec.customerId, at)),
      ...(moments.length > 0 ? { moments } : {}),
      answer,
      ...(order ? { order } : {}),
      ...(commit?.documents && commit.documents.length > 0 ? { documents: [...commit.documents] } : {}),
      ...(commit ? {} : { refused: true }),
    };
    // Filed in the due index before the commit that records it (moments-due.ts).
    const next = await withDueAt(store, tenantId, current, {
      ...applied.state,
      commits: entries.length > 0 ? number : current.commits,
      ...(moments.length > 0 ? { momentCount: momentCount + moments.length } : {}),
      unflushed: [item],
    }, spec.program ?? (await ctx.programFor?.(tenantId)), at);
    const tier = spec.program ? tierSummarizer(spec.program) : undefined;
    if (!(await replaceAccount(store, tenantId, account.version, next, summarize(next, current, tier)))) {
      await pause(attempt);
      continue;
    }
    // Just committed: the operation record is the one read (or reserved) above unless another writer has since
    // flushed it, which markDone's compare-and-set finds out.
    await flush(ctx, tenantId, spec.customerId, item, op);
    return result(answer, replayed, !commit);
  }
  throw new ContentionError(spec.opId);
}

/**
 * Writes what a committed operation left to write; every step is idempotent, so anyone may do it, any number of
 * times. `op` is the operation record as the caller last saw it, when it has just committed the item (then the
 * record is not read again first); otherwise the record is read, and a done operation is left alone. Answers whether
 * it wrote anything (false for an operation done already).
 */
export async function flush(ctx: ProtocolContext, tenantId: string, _customerId: string, item: Unflushed, op?: Versioned<OperationDoc>): Promise<boolean> {
  const { store } = ctx;
  if (ctx.flushed?.has(tenantId, item.opId)) return false;
  const known = op ?? (await store.get<OperationDoc>('operations', tenantId, item.opId));
  if (known?.doc.status === 'done') {
    ctx.flushed?.add(tenantId, item.opId);
    return false;
  }
  // The entries and the order are inserts-if-absent that nothing orders among themselves (a listing merges the
  // entries still in `unflushed`), so they go together, beside the moments' feed entries: one LMDB commit, or
  // concurrent round trips, instead of one after the other (an order that also records expired lots writes two
  // entries and two moments). The moments themselves stay in sequence (storeMoments).
  const now = ctx.wallClock ?? Date.now;
  await Promise.all([
    ...item.entries.map((entry) => store.insert<Entry>('entries', tenantId, entry.seq, entry)),
    ...(item.order ? [store.insert<OrderDoc>('orders', tenantId, item.order.orderId, item.order)] : []),
    storeMoments(store, tenantId, item.moments ?? [], now),
  ]);
  for (const document of item.documents ?? []) await writeDocument(store, tenantId, document);
  for (const followUp of item.followUps) await ctx.runFollowUp(tenantId, followUp);
  await markDone(store, tenantId, item.opId, item.answer, item.refused === true, known);
  ctx.flushed?.add(tenantId, item.opId);
  return true;
}

/** Writes one document of a committed operation, idempotently. */
async function writeDocument(store: Store, tenantId: string, document: CommittedDocument): Promise<void> {
  if (document.write === 'insert') {
    await store.insert(document.collection, tenantId, document.key, document.doc);
    return;
  }
  if (await store.replace(document.collection, tenantId, document.key, document.expectedVersion, document.doc)) return;
  const now = await store.get(document.collection, tenantId, document.key);
  if (!now || now.version <= document.expectedVersion) {
    throw new Error(`ledger: ${document.collection} ${document.key} could not be moved on from version ${document.expectedVersion} (found ${now ? `version ${now.version}` : 'none'})`);
  }
}

/** Marks the operation done, first on the version the caller saw (`seen`), then on whatever the store holds. */
async function markDone(store: Store, tenantId: string, opId: string, answer: object, refused: boolean, seen: Versioned<OperationDoc> | undefined): Promise<void> {
  if (seen) {
    const done: OperationDoc = { ...seen.doc, status: 'done', answer, ...(refused ? { refused } : {}) };
    if (await store.replace<OperationDoc>('operations', tenantId, opId, seen.version, done)) return;
  }
  for (;;) {
    const op = await store.get<OperationDoc>('operations', tenantId, opId);
    if (!op) throw new Error(`ledger: operation ${opId} vanished`);
    if (op.doc.status === 'done') return;
    const done: OperationDoc = { ...op.doc, status: 'done', answer, ...(refused ? { refused } : {}) };
    if (await store.replace<OperationDoc>('operations', tenantId, opId, op.version, done)) return;
  }
}
