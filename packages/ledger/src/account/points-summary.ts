/**
 * The points summary: a customer's balances precomputed at each write for the instants ahead, so that a balance
 * read answers from a few hundred bytes instead of settling every lot (docs/ledger.md "Balance reads").
 *
 * Between two writes the balances change only when a lot becomes available or expires (and, while there is debt,
 * when an available lot repays it). The summary lists the view at the write's instant and at each of the next
 * `SUMMARY_STEPS` such changes, and the lots that can be among the first `EXPIRING_LIMIT` expiring at any of them.
 * A read at an instant the summary covers answers exactly what `viewPoints` answers; any other instant (before the
 * latest write, or past the last change listed) reads the lots.
 */
import { bySoonestExpiry, settle, EXPIRING_LIMIT, type PointsState, type PointsView } from '@purna/rules';

/** Changes of the balances listed ahead of the latest write (two a day for a customer who orders daily). */
export const SUMMARY_STEPS = 16;

/** The balances from one change on (`at`, inclusive) to the next. */
export interface SummaryStep {
  at: string;
  available: number;
  pending: number;
  expired: number;
  balance: number;
  debt: number;
}

/** A lot that may be listed as expiring at one of the steps. */
export interface ExpiringLot {
  points: number;
  availableAt: string;
  expiresAt: string;
}

/** The balances of one account from its latest write to `until`. */
export interface PointsSummary {
  /** The first step's instant: the points state's clock. */
  from: string;
  /** The instant the last step stops being exact (exclusive); empty when nothing changes after it. */
  until: string;
  /** Lifetime points redeemed (only writes change it). */
  redeemed: number;
  /** Ascending by `at`; the first is at `from`. */
  steps: SummaryStep[];
  /** Soonest expiry first (`bySoonestExpiry`). */
  expiring: ExpiringLot[];
}

/**
 * The index of the first of `instants` (ascending) at or after `value`: `instants.length` when none is. Most lots
 * became available before the first instant and expire after the last, so both ends are tried first.
 */
function firstAtOrAfter(instants: readonly string[], value: string): number {
  if (value <= instants[0]!) return 0;
  let high = instants.length;
  if (value > instants[high - 1]!) return high;
  let low = 1;
  high -= 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (instants[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * The summary of `state` from its clock on. While the state owes debt, a lot becoming available repays it (its
 * `remaining` changes), so the summary stops at the first change; without debt no lot changes between writes and
 * it lists the next `SUMMARY_STEPS` changes.
 *
 * One pass over the lots, not one per step (a year of daily lots, every write): as `viewPoints` reads a lot at an
 * instant, it is expired from its `expiresAt` on, else pending before its `availableAt`, else available. So each
 * lot is pending over the steps before the first at or after either of its instants, available from its
 * `availableAt` to its `expiresAt`, and expired from then on; the steps' totals add those runs up.
 */
export function summarizePoints(state: PointsState): PointsSummary {
  const from = state.clock;
  const settled = settle(state, from);
  const lots = [...settled.lots].sort(bySoonestExpiry);
  const changes = new Set<string>();
  for (const lot of lots) {
    if (lot.availableAt > from) changes.add(lot.availableAt);
    if (lot.expiresAt > from) changes.add(lot.expiresAt);
  }
  // Only the first SUMMARY_STEPS changes and the one after them are read: a year of daily lots has ~800.
  const ahead = smallest(changes, SUMMARY_STEPS + 1);
  const count = settled.debt > 0 ? 0 : Math.min(SUMMARY_STEPS, ahead.length);
  const instants = [from, ...ahead.slice(0, count)];
  const steps = instants.length;
  // Differences: what each step adds to the one before it.
  const pending = new Array<number>(steps + 1).fill(0);
  const availableLots = new Array<number>(steps + 1).fill(0);
  const expiredUnrecorded = new Array<number>(steps + 1).fill(0);
  // The first step each lot is available at and the first it is expired at, in expiry order.
  const availableFrom = new Array<number>(lots.length);
  const expiredFrom = new Array<number>(lots.length);
  lots.forEach((lot, k) => {
    const expired = firstAtOrAfter(instants, lot.expiresAt);
    const available = Math.min(firstAtOrAfter(instants, lot.availableAt), expired);
    availableFrom[k] = available;
    expiredFrom[k] = expired;
    pending[0]! += lot.remaining;
    pending[available]! -= lot.remaining;
    availableLots[available]! += lot.remaining;
    availableLots[expired]! -= lot.remaining;
    expiredUnrecorded[expired]! += lot.remaining;
  });
  const listed = new Array<boolean>(lots.length).fill(false);
  // Lots in expiry order: those expired at a step are a prefix, which later steps skip too.
  let unexpired = 0;
  let pendingSum = 0;
  let availableSum = 0;
  let expiredSum = 0;
  const summarySteps = instants.map((at, i): SummaryStep => {
    pendingSum += pending[i]!;
    availableSum += availableLots[i]!;
    expiredSum += expiredUnrecorded[i]!;
    while (unexpired < lots.length && expiredFrom[unexpired]! <= i) unexpired += 1;
    let shown = 0;
    for (let k = unexpired; k < lots.length && shown < EXPIRING_LIMIT; k += 1) {
      if (availableFrom[k]! > i || expiredFrom[k]! <= i) continue;
      listed[k] = true;
      shown += 1;
    }
    return {
      at,
      available: Math.max(0, availableSum - settled.debt),
      pending: pendingSum,
      expired: settled.expiredRecorded + expiredSum,
      balance: availableSum + pendingSum - settled.debt,
      debt: settled.debt,
    };
  });
  return {
    from,
    until: ahead[count] ?? '',
    redeemed: settled.redeemed,
    steps: summarySteps,
    expiring: lots.filter((_, k) => listed[k]).map((lot) => ({ points: lot.remaining, availableAt: lot.availableAt, expiresAt: lot.expiresAt })),
  };
}

/** The `k` smallest of distinct `values`, ascending (what `[...values].sort().slice(0, k)` answers). */
function smallest(values: Iterable<string>, k: number): string[] {
  const kept: string[] = [];
  for (const value of values) {
    if (kept.length === k && value >= kept[k - 1]!) continue;
    let low = 0;
    let high = kept.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (kept[mid]! < value) low = mid + 1;
      else high = mid;
    }
    kept.splice(low, 0, value);
    if (kept.length > k) kept.pop();
  }
  return kept;
}

/** Whether the summary answers the instant `at`. */
export function summaryCovers(summary: PointsSummary, at: string): boolean {
  return at >= summary.from && (summary.until === '' || at < summary.until);
}

/** The balances as of `at` from the summary, exactly as `viewPoints` would answer them; undefined when not covered. */
export function viewFromSummary(summary: PointsSummary, at: string): PointsView | undefined {
  if (!summaryCovers(summary, at)) return undefined;
  let step = summary.steps[0];
  for (const next of summary.steps) {
    if (next.at > at) break;
    step = next;
  }
  if (!step) return undefined;
  const expiring: PointsView['expiring'] = [];
  for (const lot of summary.expiring) {
    if (expiring.length >= EXPIRING_LIMIT) break;
    if (lot.availableAt <= at && at < lot.expiresAt) expiring.push({ points: lot.points, at: lot.expiresAt });
  }
  return { available: step.available, pending: step.pending, expired: step.expired, redeemed: summary.redeemed, balance: step.balance, debt: step.debt, expiring };
}
