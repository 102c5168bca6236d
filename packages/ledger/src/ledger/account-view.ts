/**
 * What the rules need from an account (the customer as `CustomerInput`, the bounded history summary) and how the
 * account's summary is kept bounded (docs/architecture.md "The history summary").
 */
import type { CustomerHistory, CustomerInput, HistoryOrder, Program } from '@purna/rules';
import { DateTime } from 'luxon';
import type { AccountDoc, UsageCounter } from '../account/account-doc.js';
import type { TierSummarizer } from '../account/account-store.js';
import type { TierSummary } from '../account/stored-account.js';
import { utcInstant } from './input-check.js';
import type { Compiled, TierAnswer, UsageDelta } from './rules-port.js';
import { evaluateTier } from './rules-port.js';

/** The customer as evaluations receive it. */
export function customerOf(account: Pick<AccountDoc, 'customerId' | 'profile'>): CustomerInput {
  return { ...(account.profile ?? {}), id: account.customerId };
}

/** The history summary as of `at`: orders placed by then, and every counter. */
export function historyOf(account: AccountDoc, at: string): CustomerHistory {
  return {
    orders: account.orders.filter((order) => order.placedAt <= at),
    usage: Object.fromEntries(account.usage.map((counter) => [counter.key, counter.count])),
  };
}

/** Months of orders the tier needs: the window, the downgrade grace, and a month of slack for calendar edges. */
export function retentionMonths(program: Program): number {
  const tiers = program.tiers;
  if (!tiers) return 1;
  const window = tiers.window.type === 'calendar-year' ? 24 : (tiers.window.months ?? 12);
  return window + (tiers.downgrade?.graceMonths ?? 0) + 1;
}

/** Keeps the orders the tier can still see from `now` on, so the account stays bounded. */
export function pruneOrders(orders: HistoryOrder[], program: Program, now: string): HistoryOrder[] {
  const cutoff = DateTime.fromISO(now, { zone: 'UTC' }).minus({ months: retentionMonths(program) }).toUTC().toISO() ?? '';
  return orders.filter((order) => order.placedAt >= cutoff);
}

/** Counters not touched for this long belong to periods no rule reads any more. */
const USAGE_RETENTION_MONTHS = 26;

/** Adds counter changes and drops counters of long-gone periods. */
export function addUsage(usage: UsageCounter[], deltas: readonly UsageDelta[] | undefined, at: string): UsageCounter[] {
  const byKey = new Map(usage.map((counter) => [counter.key, { ...counter }]));
  for (const delta of deltas ?? []) {
    const counter = byKey.get(delta.key) ?? { key: delta.key, count: 0, at };
    counter.count += delta.count;
    if (at > counter.at) counter.at = at;
    byKey.set(delta.key, counter);
  }
  const cutoff = DateTime.fromISO(at, { zone: 'UTC' }).minus({ months: USAGE_RETENTION_MONTHS }).toUTC().toISO() ?? '';
  return [...byKey.values()].filter((counter) => counter.at >= cutoff && counter.count !== 0);
}

/** A tier id (or a tier answer) as `{ id, name, heldUntil? }`. */
export function tierOf(program: Program, answer: TierAnswer | string | null | undefined): { id: string; name: string; heldUntil?: string } | undefined {
  if (answer === undefined || answer === null) return undefined;
  const id = typeof answer === 'string' ? answer : answer.tierId;
  if (id === null) return undefined;
  const heldUntil = typeof answer === 'string' ? null : answer.until;
  const level = program.tiers?.levels.find((l) => l.id === id);
  return { id, name: level?.name ?? id, ...(heldUntil ? { heldUntil } : {}) };
}

/** The tier held at `at` from the account's history; undefined when the program has no tiers. */
export function tierAt(compiled: Compiled, account: AccountDoc, at: string): { id: string; name: string; heldUntil?: string } | undefined {
  if (!compiled.program.tiers) return undefined;
  return tierOf(compiled.program, evaluateTier(compiled, historyOf(account, at), { at }));
}

/** A program version, as a write knows it. */
export interface ProgramVersion {
  id: string;
  version: number;
  compiled: Compiled;
}

/**
 * The tier summary a write stores (stored-account.ts): the tier from the latest order on. Without new orders the
 * basis only falls, so the tier held then stays until its hold ends (`heldUntil`), or forever when none is held.
 */
export function tierSummarizer(program: ProgramVersion): TierSummarizer {
  const summarize = (account: AccountDoc): TierSummary | undefined => {
    let from = '';
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
