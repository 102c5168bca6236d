/**
 * The moments run (`POST /v1/jobs/moments`, the server's scheduler): as of `at`, on every account something is due
 * for, one operation grants the birthday and anniversary rewards due, records a downgrade at the end of a grace,
 * expires what has expired, and emits the time-based moments due since the account's last run (decideMomentsRun).
 * A late run catches up; a repeated run emits nothing; any number of runs may overlap, since each account's part
 * is decided on the account inside the write protocol.
 */
import type { MomentsJobAnswer } from '../contract/moments.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { customerOf } from './account-view.js';
import type { LedgerContext, ReadOptions } from './ledger-context.js';
import { decideMomentsRun } from './rules-port.js';

/** Runs the moments due at `at` (default now) on every account of the tenant. */
export async function runMomentsJob(ctx: LedgerContext, tenantId: string, options: ReadOptions = {}): Promise<MomentsJobAnswer> {
  const at = ctx.at(options);
  const loaded = await ctx.programs.load(tenantId);
  let emitted = 0;
  let customers = 0;
  for await (const account of ctx.accounts(tenantId)) {
    // Decided here to skip the accounts nothing is due for, and again inside the operation on the account as it is.
    if (!decideMomentsRun(loaded.compiled, account, customerOf(account), { at }).due) continue;
    const result = await runOperation<MomentsJobAnswer>(ctx.protocol, tenantId, {
      opId: `moments:${account.customerId}:${at}`,
      kind: 'moments',
      customerId: account.customerId,
      requestHash: hashRequest({ customerId: account.customerId, at }),
      at,
      createAccount: false,
      program: loaded,
      decide: (current) => {
        const run = decideMomentsRun(loaded.compiled, current, customerOf(current), { at });
        return { commit: { actions: run.actions, answer: (applied) => ({ emitted: applied.moments.length, customers: applied.moments.length > 0 ? 1 : 0 }) } };
      },
    });
    if (result.replayed || result.refused) continue;
    emitted += result.answer.emitted;
    customers += result.answer.customers;
  }
  return { emitted, customers };
}
