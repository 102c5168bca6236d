/**
 * The moments run (`POST /v1/jobs/moments`, the server's scheduler): as of `at`, on every account something is due
 * for, one operation grants the birthday and anniversary rewards due, records a downgrade at the end of a grace,
 * expires what has expired, and emits the time-based moments due since the account's last run (decideMomentsRun).
 * A late run catches up; a repeated run emits nothing; any number of runs may overlap, since each account's part
 * is decided on the account inside the write protocol.
 *
 * The accounts come from the due index (moments-due.ts): the rows filed at or before `at`, so a run costs what is
 * due, not what is stored. Under a program version the index was not built for, the run first reads every account
 * once (moments-due.ts explains why).
 */
import { operationId } from '@purna/rules';
import { getAccountHead } from '../account/account-store.js';
import type { AccountDoc } from '../account/account-doc.js';
import type { MomentsJobAnswer } from '../contract/moments.js';
import { DUE_INDEX_KEY, dueRows, fileDue, type DueIndexDoc } from '../moments/moments-due.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { customerOf } from './account-view.js';
import type { LedgerContext, ReadOptions } from './ledger-context.js';
import type { LoadedProgram } from './programs.js';
import { decideMomentsRun, nextMomentDue } from './rules-port.js';

/** Runs the moments due at `at` (default now) on every account of the tenant something is due for. */
export async function runMomentsJob(ctx: LedgerContext, tenantId: string, options: ReadOptions = {}): Promise<MomentsJobAnswer> {
  const at = ctx.at(options);
  const loaded = await ctx.programs.load(tenantId);
  const total: MomentsJobAnswer = { emitted: 0, customers: 0 };
  const add = (part: MomentsJobAnswer): void => {
    total.emitted += part.emitted;
    total.customers += part.customers;
  };
  const index = await ctx.store.get<DueIndexDoc>('counters', tenantId, DUE_INDEX_KEY);
  if (index?.doc.programVersion !== loaded.version) {
    for await (const account of ctx.accounts(tenantId)) {
      if (decideMomentsRun(loaded.compiled, account, customerOf(account), { at }).due) {
        add(await runAccount(ctx, tenantId, loaded, account.customerId, at));
        continue;
      }
      // Not due now: filed where this version makes it due, when that is sooner than where it is filed.
      const dueAt = nextMomentDue(loaded.compiled, account, customerOf(account), at);
      if (dueAt !== undefined && (account.dueAt === undefined || account.dueProgram !== loaded.version || dueAt < account.dueAt)) {
        await fileDue(ctx.store, tenantId, account.customerId, dueAt);
      }
    }
    await recordIndexVersion(ctx, tenantId, loaded.version, index);
  }
  for await (const row of dueRows(ctx.store, tenantId, at)) {
    const head = await getAccountHead(ctx.store, tenantId, row.customerId);
    // Filed later by a write under this program (the row is older than the account's last filing): nothing to do.
    const stale = head === undefined || (head.doc.dueProgram === loaded.version && head.doc.dueAt !== undefined && head.doc.dueAt > at);
    if (!stale) add(await runAccount(ctx, tenantId, loaded, row.customerId, at));
    await ctx.store.remove('momentsDue', tenantId, row.key);
    // A run that leaves the account due at this very instant keeps its row (a removal never unfiles an account).
    const after = await getAccountHead(ctx.store, tenantId, row.customerId);
    if (after?.doc.dueAt === row.dueAt) await fileDue(ctx.store, tenantId, row.customerId, row.dueAt);
  }
  return total;
}

/** The run's operation on one account: decided on the account as it is, filed again by the write protocol. */
async function runAccount(ctx: LedgerContext, tenantId: string, loaded: LoadedProgram, customerId: string, at: string): Promise<MomentsJobAnswer> {
  const result = await runOperation<MomentsJobAnswer>(ctx.protocol, tenantId, {
    opId: operationId.momentsRun(customerId, at),
    kind: 'moments',
    customerId,
    requestHash: hashRequest({ customerId, at }),
    at,
    createAccount: false,
    program: loaded,
    decide: (current: AccountDoc) => {
      const run = decideMomentsRun(loaded.compiled, current, customerOf(current), { at });
      return { commit: { actions: run.actions, answer: (applied) => ({ emitted: applied.moments.length, customers: applied.moments.length > 0 ? 1 : 0 }) } };
    },
  });
  if (result.replayed || result.refused) return { emitted: 0, customers: 0 };
  return result.answer;
}

/** Records that the index is built for `version` (compare-and-set: of two runs, either record is right). */
async function recordIndexVersion(ctx: LedgerContext, tenantId: string, version: number, index: { version: number; doc: DueIndexDoc } | undefined): Promise<void> {
  if (index) await ctx.store.replace<DueIndexDoc>('counters', tenantId, DUE_INDEX_KEY, index.version, { programVersion: version });
  else await ctx.store.insert<DueIndexDoc>('counters', tenantId, DUE_INDEX_KEY, { programVersion: version });
}
