/**
 * Reconciliation: rebuild an account's points from its entries alone (through the same `applyEntry` the writes
 * use) and compare with the materialized state and with the read summary balance reads answer from. Any difference
 * is reported, never repaired silently.
 */
import type { AccountDoc } from '../account/account-doc.js';
import type { Entry } from '../account/entry.js';
import type { ReconcileDifference } from '../contract/answers.js';
import { viewFromSummary } from '../account/points-summary.js';
import { applyEntry, emptyPointsState, settle, sumOfEntries, viewPoints, type PointsState } from '@purna/rules';

/** Compares one account with the replay of its entries (which must include every committed operation). */
export function reconcileAccount(account: AccountDoc, entries: readonly Entry[]): ReconcileDifference[] {
  const sorted = [...entries].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
  let replay: PointsState = emptyPointsState();
  const out: ReconcileDifference[] = [];
  const diff = (field: string, materialized: number | string, recomputed: number | string): void => {
    if (materialized !== recomputed) out.push({ customerId: account.customerId, field, materialized, recomputed });
  };
  try {
    for (const entry of sorted) replay = applyEntry(replay, entry);
  } catch (error) {
    diff('entries', 'consistent', (error as Error).message);
    return out;
  }
  const clock = account.points.clock > replay.clock ? account.points.clock : replay.clock;
  const mine = settle(account.points, clock);
  replay = settle(replay, clock);
  diff('debt', mine.debt, replay.debt);
  diff('redeemed', mine.redeemed, replay.redeemed);
  diff('expiredRecorded', mine.expiredRecorded, replay.expiredRecorded);
  const lots = (s: PointsState): Map<string, number> => new Map(s.lots.map((lot) => [lot.id, lot.remaining]));
  const a = lots(mine);
  const b = lots(replay);
  for (const id of new Set([...a.keys(), ...b.keys()])) diff(`lots.${id}.remaining`, a.get(id) ?? 0, b.get(id) ?? 0);
  const held = mine.lots.reduce((sum, lot) => sum + lot.remaining, 0) - mine.debt;
  diff('sumOfEntries', held, sumOfEntries(sorted));
  // Every instant the summary lists must read what the entries say (format-1 accounts have no summary).
  const summary = account.summary?.points;
  if (summary) {
    for (const step of summary.steps) {
      const stored = viewFromSummary(summary, step.at);
      const recomputed = viewPoints(replay, step.at);
      if (!stored) {
        diff(`summary.${step.at}`, 'covered', 'not covered');
        continue;
      }
      for (const field of ['available', 'pending', 'expired', 'redeemed', 'balance', 'debt'] as const) diff(`summary.${step.at}.${field}`, stored[field], recomputed[field]);
      diff(`summary.${step.at}.expiring`, JSON.stringify(stored.expiring), JSON.stringify(recomputed.expiring));
    }
  }
  return out;
}
