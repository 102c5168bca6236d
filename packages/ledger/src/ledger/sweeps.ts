/**
 * Sweeps: the work that runs over every account of a tenant (birthday and anniversary rewards, expiry, the tier
 * review) and the reconciliation. Each account's part is an operation with a natural id (the customer and the
 * year, instant or month), so any number of workers may run a sweep at once and each change happens once.
 */
import { decideAnniversary, decideBirthday, operationId } from '@purna/rules';
import type { AccountDoc } from '../account/account-doc.js';
import type { Entry } from '../account/entry.js';
import type { ExpirySweepAnswer, ReconcileAnswer, ReconcileDifference, TierChange, TierReviewAnswer, YearlySweepAnswer } from '../contract/answers.js';
import { NotFound } from '../errors.js';
import type { Versioned } from '../store/store.js';
import { entryPrefix, flush, hashRequest, runOperation } from '../write-protocol.js';
import { customerOf } from './account-view.js';
import { pages } from './paging.js';
import type { LedgerContext, ReadOptions } from './ledger-context.js';
import type { LoadedProgram } from './programs.js';
import { reconcileAccount } from './reconcile.js';
import { decideExpiry, decideTierReview, tierReviewPeriod } from './rules-port.js';

const yearlyDecisions = { birthday: decideBirthday, anniversary: decideAnniversary } as const;

/**
 * Grants the birthday (or purchase-anniversary) rewards due at `at`. Any number of workers may run it at once:
 * each customer's year is granted once.
 */
export async function runYearlySweep(ctx: LedgerContext, tenantId: string, kind: 'birthday' | 'anniversary', options: ReadOptions = {}): Promise<YearlySweepAnswer> {
  const at = ctx.at(options);
  const loaded = await ctx.programs.load(tenantId);
  const decideYearly = yearlyDecisions[kind];
  let granted = 0;
  let skipped = 0;
  for await (const account of ctx.accounts(tenantId)) {
    // Decided here for the year (the operation's id), and again inside the operation on the account as it is then.
    const { decision } = decideYearly(loaded.compiled, account, customerOf(account), { at });
    if (!decision.due || decision.year === undefined) {
      skipped++;
      continue;
    }
    const result = await runOperation<{ customerId: string; year: number; points: number }>(ctx.protocol, tenantId, {
      opId: operationId.yearly(kind, account.customerId, decision.year),
      kind,
      customerId: account.customerId,
      requestHash: hashRequest({ customerId: account.customerId, year: decision.year }),
      at,
      createAccount: false,
      program: loaded,
      decide: (current) => {
        const outcome = decideYearly(loaded.compiled, current, customerOf(current), { at });
        return { commit: { actions: outcome.actions, answer: () => ({ customerId: current.customerId, year: decision.year ?? 0, points: outcome.decision.points }) } };
      },
    });
    if (result.replayed) skipped++;
    else granted++;
  }
  return { granted, skipped };
}

/**
 * Records expire transactions for every lot expired by `at`. Safe to run by any number of workers at once: each
 * expired point is recorded (and counted in the answers) once.
 */
export async function runExpirySweep(ctx: LedgerContext, tenantId: string, options: ReadOptions = {}): Promise<ExpirySweepAnswer> {
  const at = ctx.at(options);
  // The program only refreshes the tier the accounts' read summaries answer; lots expire without one.
  const loaded = await ctx.programs.load(tenantId).catch((error: unknown) => {
    if (error instanceof NotFound) return undefined;
    throw error;
  });
  let customers = 0;
  let expired = 0;
  for await (const account of ctx.accounts(tenantId)) {
    if (!hasExpiredLots(account, at)) continue;
    const result = await expireAccount(ctx, tenantId, account.customerId, at, loaded);
    // A replay is another worker's expiry of the same lots: counted by that worker.
    if (!result.replayed && result.points > 0) {
      customers++;
      expired += result.points;
    }
  }
  return { customers, expired };
}

/** Records the expiry of one customer's lots expired by `at`. */
async function expireAccount(ctx: LedgerContext, tenantId: string, customerId: string, at: string, loaded: LoadedProgram | undefined): Promise<{ points: number; replayed: boolean }> {
  const result = await runOperation<{ points: number }>(ctx.protocol, tenantId, {
    opId: operationId.expiry(customerId, at),
    kind: 'expire',
    customerId,
    requestHash: hashRequest({ customerId, at }),
    at,
    createAccount: false,
    ...(loaded ? { program: loaded } : {}),
    // The lots due are read from this version of the account: a lot expired by another worker is gone already.
    decide: (account) => {
      const actions = decideExpiry(account, at);
      return { commit: { actions, answer: (applied) => ({ points: -applied.entries.reduce((sum, entry) => sum + entry.points, 0) }) } };
    },
  });
  return { points: result.answer.points, replayed: result.replayed };
}

/** Whether the account has lots with points left that expired by `at` (what an expire operation records). */
function hasExpiredLots(account: AccountDoc, at: string): boolean {
  return account.points.lots.some((lot) => lot.expiresAt <= at && lot.remaining > 0);
}

/**
 * Tier review: records the tier each customer holds at `at` (and since when), once per customer and calendar
 * month in the program's zone, and reports the changes since the tier last recorded (by a review or an order).
 * Safe to run by any number of workers at once: each customer's review of a month is one operation.
 */
export async function runTierReview(ctx: LedgerContext, tenantId: string, options: ReadOptions = {}): Promise<TierReviewAnswer> {
  const at = ctx.at(options);
  const loaded = await ctx.programs.load(tenantId);
  const period = tierReviewPeriod(loaded.compiled, at);
  let reviewed = 0;
  const changed: TierChange[] = [];
  for await (const account of ctx.accounts(tenantId)) {
    const result = await runOperation<TierChange>(ctx.protocol, tenantId, {
      opId: operationId.tierReview(account.customerId, period),
      kind: 'tier-review',
      customerId: account.customerId,
      requestHash: hashRequest({ customerId: account.customerId, period }),
      at,
      createAccount: false,
      program: loaded,
      decide: (current) => {
        const review = decideTierReview(loaded.compiled, current, at);
        return { commit: { actions: review.actions, answer: () => ({ customerId: current.customerId, from: review.from, to: review.to }) } };
      },
    });
    if (result.replayed) continue;
    reviewed++;
    if (result.answer.from !== result.answer.to) changed.push(result.answer);
  }
  return { reviewed, changed };
}

/** Recomputes every account from its entries and reports each difference from the materialized balances. */
export async function reconcile(ctx: LedgerContext, tenantId: string): Promise<ReconcileAnswer> {
  let checked = 0;
  const differences: ReconcileDifference[] = [];
  // The tenant's entries in key order, read beside its accounts in the same order (an entry's key begins with its
  // customer's id and a separator below every character of an id): one scan of each collection instead of a
  // prefix query per account, which a store without an index on the key (FerretDB v1 on SQLite) answers by reading
  // every entry of the tenant, each time.
  const stored = new EntryScan(ctx, tenantId);
  for await (const account of ctx.accounts(tenantId, { erased: true })) {
    let flushed = false;
    for (const item of account.unflushed) if (await flush(ctx.protocol, tenantId, account.customerId, item)) flushed = true;
    let entries = await stored.take(account.customerId);
    // A flush that wrote entries the scan may have passed already: this account's are read on their own.
    if (flushed) entries = await customerEntries(ctx, tenantId, account.customerId);
    let found = reconcileAccount(account, entries);
    // The scan read ahead of the account: a write between the two shows as a difference. Read the entries again.
    if (found.length > 0) found = reconcileAccount(account, await customerEntries(ctx, tenantId, account.customerId));
    checked++;
    differences.push(...found);
  }
  return { checked, differences };
}

/** A customer's stored entries, read with a prefix query. */
async function customerEntries(ctx: LedgerContext, tenantId: string, customerId: string): Promise<Entry[]> {
  const entries: Entry[] = [];
  for await (const entry of ctx.storedEntries(tenantId, customerId)) entries.push(entry);
  return entries;
}

/** The tenant's entries in key order, taken a customer at a time (customers asked for in id order). */
class EntryScan {
  private readonly scan: AsyncGenerator<Versioned<Entry>>;
  private head: Versioned<Entry> | undefined;
  private started = false;

  constructor(ctx: LedgerContext, tenantId: string) {
    this.scan = pages((query) => ctx.store.list<Entry>('entries', tenantId, query), 1000);
  }

  /** The entries of `customerId`, passing those of customers before it (entries without an account). */
  async take(customerId: string): Promise<Entry[]> {
    const prefix = entryPrefix(customerId);
    const taken: Entry[] = [];
    if (!this.started) await this.advance();
    this.started = true;
    while (this.head !== undefined && this.head.key < prefix) await this.advance();
    while (this.head?.key.startsWith(prefix)) {
      taken.push(this.head.doc);
      await this.advance();
    }
    return taken;
  }

  private async advance(): Promise<void> {
    const next = await this.scan.next();
    this.head = next.done === true ? undefined : next.value;
  }
}
