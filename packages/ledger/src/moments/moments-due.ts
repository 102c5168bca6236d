/**
 * The due index of the moments run: every account filed under the next instant a run would find something due on
 * it (nextMomentDue: a moment, an expiry, the end of a tier hold, a birthday or anniversary window), so a run reads
 * the accounts that are due and no others (docs/moments.md, "The due index").
 *
 * Storage, without multi-document transactions:
 * - `momentsDue`, key = `dueAt SEP customerId`: one row per filing, ordered by the instant. A write files the
 *   account BEFORE the compare-and-set that records `dueAt` on it, so a crash between the two leaves a row too
 *   many (which a run reads and drops), never an account filed nowhere.
 * - the account's `dueAt` and `dueProgram` (the program version it was computed with): a row whose account is
 *   filed later under the same program is stale and is dropped without a write. A write whose account is filed
 *   no later than its new instant, on the same side of its `at`, keeps that filing (`withDueAt`).
 * - `counters`, key `moments-due-index`: the program version the index was last built for. A run under another
 *   version (a program was published, or the accounts were stored before the index existed) reads every account
 *   once and files those the new version makes due sooner.
 */
import { nextMomentDue } from '@purna/rules';
import type { AccountDoc } from '../account/account-doc.js';
import type { Store } from '../store/store.js';
import type { ProgramVersion } from '../write-protocol.js';
import { customerOf } from '../ledger/account-view.js';

const SEP = '\u0001';

/** One row of the due index. */
export interface DueRow {
  customerId: string;
  dueAt: string;
}

/** The key of the row filing `customerId` under `dueAt` (UTC ISO, so keys sort by instant). */
export function dueKey(dueAt: string, customerId: string): string {
  return `${dueAt}${SEP}${customerId}`;
}

/** The counters document that records which program version the index was built for. */
export const DUE_INDEX_KEY = 'moments-due-index';

/** What the counters document holds. */
export interface DueIndexDoc {
  programVersion: number;
}

/**
 * The account about to be written, with `dueAt` computed by `program` at `at`, filed in the index first when the
 * instant changed. Without a program the account keeps what it had (no lot, tier or reward is decided without one).
 *
 * @example const next = await withDueAt(store, 't1', before, after, loaded, at); await replaceAccount(store, 't1', version, next, ...)
 */
export async function withDueAt(store: Store, tenantId: string, before: AccountDoc, next: AccountDoc, program: ProgramVersion | undefined, at: string): Promise<AccountDoc> {
  const filing = dueFiling(before, next, program, at);
  if (filing.file !== undefined) await fileDue(store, tenantId, next.customerId, filing.file);
  return filing.account;
}

/**
 * What {@link withDueAt} decides, without writing: the account with its `dueAt`, and the instant it must be filed
 * under first (undefined when the filing it has stands). An import files a batch of new accounts at once with it.
 */
export function dueFiling(before: AccountDoc, next: AccountDoc, program: ProgramVersion | undefined, at: string): { account: AccountDoc; file?: string } {
  if (!program) return { account: next };
  const dueAt = nextMomentDue(program.compiled, next, customerOf(next), at);
  const { dueAt: _dueAt, dueProgram: _dueProgram, ...rest } = next;
  if (dueAt === undefined) return { account: rest };
  // Filed already under this program no later than now needed, and on the same side of `at` (both due already, or
  // both ahead): a run reads the account by then anyway, so the filing stands and no row is written. A customer
  // with a year of daily lots moves the instant at nearly every write (the oldest lot leaves each day). A filing
  // that is due while the new instant lies ahead is not kept, so the run's own write files the account ahead.
  const filed = before.dueProgram === program.version ? before.dueAt : undefined;
  if (filed !== undefined && filed <= dueAt && (filed > at) === (dueAt > at)) return { account: { ...rest, dueAt: filed, dueProgram: program.version } };
  const account = { ...rest, dueAt, dueProgram: program.version };
  return dueAt !== before.dueAt ? { account, file: dueAt } : { account };
}

/**
 * Files the customer's account under `dueAt` (insert-if-absent) without changing the account: every write's filing
 * (withDueAt), and the rebuild after a program change (the account itself is filed again by the run the row leads to).
 */
export async function fileDue(store: Store, tenantId: string, customerId: string, dueAt: string): Promise<void> {
  await store.insert<DueRow>('momentsDue', tenantId, dueKey(dueAt, customerId), { customerId, dueAt });
}

/**
 * The rows due at or before `at`, oldest first, a page at a time. Rows may be removed while this runs (a page
 * continues after the last key it answered).
 */
export async function* dueRows(store: Store, tenantId: string, at: string, pageSize = 100): AsyncGenerator<DueRow & { key: string }> {
  let after: string | undefined;
  for (;;) {
    // LMDB answers synchronously: without a turn of the event loop per page, a run over many due accounts would hold
    // the process it runs in (the API server's scheduler) until its last account (as ctx.accounts() explains).
    await new Promise<void>((resolve) => setImmediate(resolve));
    const page = await store.list<DueRow>('momentsDue', tenantId, { limit: pageSize, ...(after !== undefined ? { after } : {}) });
    for (const row of page) {
      if (row.doc.dueAt > at) return;
      yield { ...row.doc, key: row.key };
    }
    if (page.length < pageSize) return;
    after = page[page.length - 1]?.key;
  }
}
