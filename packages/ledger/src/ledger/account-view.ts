/**
 * What the ledger reads of an account beyond its points: the customer as evaluations receive it, the tier held at
 * an instant, and the tier part of the read summary (stored-account.ts).
 */
import { heldTier, utcInstant, type CustomerInput, type Program, type TierEvaluation } from '@purna/rules';
import type { AccountDoc } from '../account/account-doc.js';
import type { TierSummarizer } from '../account/account-store.js';
import type { TierSummary } from '../account/stored-account.js';
import type { TierView } from '../contract/answers.js';
import type { ProgramVersion } from '../write-protocol.js';
import type { Compiled } from './rules-port.js';

/** The customer as evaluations receive it. */
export function customerOf(account: Pick<AccountDoc, 'customerId' | 'profile'>): CustomerInput {
  return { ...(account.profile ?? {}), id: account.customerId };
}

/** A tier id (or a tier answer) as `{ id, name, heldUntil?, manual? }`. */
export function tierOf(program: Program, answer: TierEvaluation | string | null | undefined): TierView | undefined {
  if (answer === undefined || answer === null) return undefined;
  const id = typeof answer === 'string' ? answer : answer.tierId;
  if (id === null) return undefined;
  const heldUntil = typeof answer === 'string' ? null : answer.until;
  const manual = typeof answer === 'string' ? undefined : answer.manual;
  const level = program.tiers?.levels.find((l) => l.id === id);
  return { id, name: level?.name ?? id, ...(heldUntil ? { heldUntil } : {}), ...(manual ? { manual: { until: manual.until, reason: manual.reason } } : {}) };
}

/** The tier held at `at` from the account's orders and its tier assigned by hand; undefined when the program has no tiers. */
export function tierAt(compiled: Compiled, account: Pick<AccountDoc, 'orders' | 'tierHold'>, at: string): TierView | undefined {
  return tierOf(compiled.program, heldTier(compiled, account, at));
}

/**
 * The tier summary a write stores (stored-account.ts): the tier from the latest order (or tier assigned by hand) on.
 * Without new orders the basis only falls, so the tier held then stays until its hold ends (`heldUntil`), or forever
 * when none is held.
 */
export function tierSummarizer(program: ProgramVersion): TierSummarizer {
  const summarize = (account: AccountDoc): TierSummary | undefined => {
    let from = account.tierHold?.since ?? '';
    for (const order of account.orders) if (order.placedAt > from) from = order.placedAt;
    if (from === '') from = account.points.clock;
    if (from === '') return undefined;
    const tier = tierAt(program.compiled, account, from) ?? null;
    const until = tier?.heldUntil ? utcInstant(tier.heldUntil, '/tier/heldUntil') : '';
    return { programId: program.id, programVersion: program.version, from, until, tier };
  };
  return { programId: program.id, programVersion: program.version, summarize };
}

/** The tier at `at` from a tier summary; undefined when it was made with another program version or ends before. */
export function tierFromSummary(summary: TierSummary | undefined, program: Omit<ProgramVersion, 'compiled'>, at: string): { tier: TierSummary['tier'] } | undefined {
  if (!summary || summary.programId !== program.id || summary.programVersion !== program.version) return undefined;
  if (at < summary.from || (summary.until !== '' && at >= summary.until)) return undefined;
  return { tier: summary.tier };
}
