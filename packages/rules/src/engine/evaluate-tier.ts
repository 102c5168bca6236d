/** evaluateTier: the tier held at an instant, since when its threshold is met, until when it is held. */
import type { CustomerHistory } from '../input/customer-history.js';
import type { TierLevel } from '../program/tiers-section.js';
import type { InstantLike } from '../time.js';
import type { CompiledProgram, CompiledTiers } from './compiled-program.js';
import { basisAt, heldLevel, tierEntries, type TierEntry } from './tier-window.js';
import type { ZoneClock } from './zone-clock.js';

/** The tier held at an instant. */
export interface TierEvaluation {
  /** The tier id, or null when the program has no tiers or no threshold is met. */
  readonly tierId: string | null;
  readonly level: TierLevel | null;
  /** Points multiplier of the tier ("1" without a tier). */
  readonly multiplier: string;
  /** The basis (spend, points or orders) inside the window at `at`. */
  readonly basis: string;
  /** True when the threshold is no longer met at `at` and the tier is kept by `downgrade.graceMonths`. */
  readonly inGrace: boolean;
  /** Start of the run during which the basis has met the tier's threshold (null for a threshold of 0). */
  readonly since: string | null;
  /**
   * Until when the tier is held if nothing else happens: the moment the basis falls below the threshold (orders
   * leaving the window) plus the grace period. Null when it never ends (a threshold of 0).
   */
  readonly until: string | null;
}

/** Change points of the basis (orders entering and leaving the window), ascending. */
function changePoints(entries: readonly TierEntry[]): number[] {
  return [...new Set(entries.flatMap((e) => [e.from, e.until]))].sort((a, b) => a - b);
}

function runOf(tiers: CompiledTiers, clock: ZoneClock, entries: readonly TierEntry[], index: number, metAt: number): { since: number | null; until: number | null } {
  const threshold = tiers.levels[index]!.threshold;
  if (threshold.lte(0)) return { since: null, until: null };
  const points = changePoints(entries);
  let since: number | null = null;
  for (const p of points) {
    if (p > metAt) break;
    const meets = basisAt(entries, p).gte(threshold);
    if (meets && since === null) since = p;
    if (!meets) since = null;
  }
  let end: number | null = null;
  for (const p of points) {
    if (p > metAt && basisAt(entries, p).lt(threshold)) {
      end = p;
      break;
    }
  }
  const until = end === null ? null : tiers.graceMonths > 0 ? clock.plusMonths(end, tiers.graceMonths) : end;
  return { since, until };
}

/**
 * The tier held at `at` from the customer's history (orders net of returns; SEMANTICS rule 4).
 *
 * @example
 * evaluateTier(compiled, { orders, usage: {} }, { at: '2027-02-16T00:00:00+07:00' }).tierId // 'silver' (grace)
 */
export function evaluateTier(compiled: CompiledProgram, history: Pick<CustomerHistory, 'orders'>, options: { readonly at: InstantLike }): TierEvaluation {
  const atMs = compiled.clock.millis(options.at, '/at');
  const tiers = compiled.tiers;
  if (!tiers) return { tierId: null, level: null, multiplier: '1', basis: '0', inGrace: false, since: null, until: null };
  const entries = tierEntries(tiers, compiled.clock, history.orders, atMs);
  const basis = basisAt(entries, atMs);
  const { index, metAt } = heldLevel(tiers, compiled.clock, entries, atMs);
  if (index < 0) return { tierId: null, level: null, multiplier: '1', basis: basis.toString(), inGrace: false, since: null, until: null };
  const held = tiers.levels[index]!;
  const run = runOf(tiers, compiled.clock, entries, index, metAt);
  return {
    tierId: held.id,
    level: held.level,
    multiplier: held.multiplier.toString(),
    basis: basis.toString(),
    inGrace: basis.lt(held.threshold),
    since: run.since === null ? null : compiled.clock.format(run.since),
    until: run.until === null ? null : compiled.clock.format(run.until),
  };
}
