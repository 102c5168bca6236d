/** evaluateTier: the tier held at an instant, since when its threshold is met, until when it is held. */
import type { CustomerHistory } from '../../input/customer-history.js';
import type { TierLevel } from '../../program/tiers-section.js';
import type { InstantLike } from '../../time.js';
import { Decimal } from '../../money/money.js';
import type { CompiledProgram, CompiledTiers } from '../compiled-program.js';
import { basisAt, fitsSweep, heldLevel, holdAt, sortedBy, tierEntries, type TierEntry } from './tier-window.js';
import type { ZoneClock } from '../zone-clock.js';

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
  /**
   * Until when the threshold stays met (or the hand-assigned hold lasts) if nothing else happens: `until` before the
   * grace. What an export writes as the tier's `until`, so that an import (a hold with the same grace) ends it when
   * this program would.
   */
  readonly metUntil: string | null;
  /** Present when the tier is held because it was assigned by hand: since when, until when (before the grace), and why. */
  readonly manual?: { readonly since: string; readonly until: string; readonly reason: string };
}

/**
 * The basis at each change point (orders entering and leaving the window), ascending: one sweep of what entered by
 * each point minus what left by it, in whole units of 10^-6 when every value fits, in Decimals otherwise.
 */
function basisSteps(entries: readonly TierEntry[]): { at: number[]; units: number[] | undefined; decimals: Decimal[] | undefined } {
  const byEntry = sortedBy(entries, 'from') ? entries : [...entries].sort((a, b) => a.from - b.from);
  const byExit = sortedBy(entries, 'until') ? entries : [...entries].sort((a, b) => a.until - b.until);
  // Every instant an order enters or leaves, ascending and once each: a merge of the two sorted lists.
  const at: number[] = [];
  for (let i = 0, j = 0; i < byEntry.length || j < byExit.length;) {
    const entering = i < byEntry.length ? byEntry[i]!.from : Infinity;
    const leaving = j < byExit.length ? byExit[j]!.until : Infinity;
    const point = Math.min(entering, leaving);
    if (at.length === 0 || at[at.length - 1] !== point) at.push(point);
    if (entering === point) i += 1;
    else j += 1;
  }
  const whole = fitsSweep(entries);
  const units: number[] = [];
  const decimals: Decimal[] = [];
  let e = 0;
  let x = 0;
  let wholeSum = 0;
  let decimalSum = new Decimal(0);
  for (const point of at) {
    for (; e < byEntry.length && byEntry[e]!.from <= point; e += 1) {
      if (whole) wholeSum += byEntry[e]!.units!;
      else decimalSum = decimalSum.plus(byEntry[e]!.value);
    }
    for (; x < byExit.length && byExit[x]!.until <= point; x += 1) {
      if (whole) wholeSum -= byExit[x]!.units!;
      else decimalSum = decimalSum.minus(byExit[x]!.value);
    }
    if (whole) units.push(wholeSum);
    else decimals.push(decimalSum);
  }
  return whole ? { at, units, decimals: undefined } : { at, units: undefined, decimals };
}

function runOf(tiers: CompiledTiers, clock: ZoneClock, entries: readonly TierEntry[], index: number, metAt: number): { since: number | null; end: number | null; until: number | null } {
  const threshold = tiers.levels[index]!.threshold;
  if (threshold.lte(0)) return { since: null, end: null, until: null };
  const steps = basisSteps(entries);
  const thresholdUnits = tiers.thresholdUnits?.[index];
  const meetsAt = (i: number): boolean =>
    steps.units !== undefined && thresholdUnits !== undefined ? steps.units[i]! >= thresholdUnits : (steps.decimals?.[i] ?? new Decimal(steps.units![i]!).div(1e6)).gte(threshold);
  let since: number | null = null;
  for (let i = 0; i < steps.at.length && steps.at[i]! <= metAt; i += 1) {
    const meets = meetsAt(i);
    if (meets && since === null) since = steps.at[i]!;
    if (!meets) since = null;
  }
  let end: number | null = null;
  for (let i = 0; i < steps.at.length; i += 1) {
    if (steps.at[i]! > metAt && !meetsAt(i)) {
      end = steps.at[i]!;
      break;
    }
  }
  const until = end === null ? null : tiers.graceMonths > 0 ? clock.plusMonths(end, tiers.graceMonths) : end;
  return { since, end, until };
}

/**
 * The tier held at `at` from the customer's history (orders net of returns; SEMANTICS rule 4).
 *
 * @example
 * evaluateTier(compiled, { orders, usage: {} }, { at: '2027-02-16T00:00:00+07:00' }).tierId // 'silver' (grace)
 */
export function evaluateTier(compiled: CompiledProgram, history: Pick<CustomerHistory, 'orders' | 'tierHold'>, options: { readonly at: InstantLike }): TierEvaluation {
  const atMs = compiled.clock.millis(options.at, '/at');
  const tiers = compiled.tiers;
  const none = { tierId: null, level: null, multiplier: '1', inGrace: false, since: null, until: null, metUntil: null } as const;
  if (!tiers) return { ...none, basis: '0' };
  const { clock } = compiled;
  const entries = tierEntries(tiers, clock, history.orders, atMs);
  const basis = basisAt(entries, atMs);
  const earned = heldLevel(tiers, clock, entries, atMs);
  const hold = holdAt(tiers, clock, history.tierHold, atMs);
  const run = earned.index >= 0 ? runOf(tiers, clock, entries, earned.index, earned.metAt) : undefined;
  // A tier assigned by hand wins over a lower earned one, and over the same one when it is held longer.
  const manual = hold !== undefined && (hold.index > earned.index || (hold.index === earned.index && run !== undefined && run.until !== null && hold.end > run.until));
  if (manual) {
    const held = tiers.levels[hold.index]!;
    const { since, until, reason } = history.tierHold!;
    return {
      tierId: held.id,
      level: held.level,
      multiplier: held.multiplier.toString(),
      basis: basis.toString(),
      inGrace: atMs >= hold.until,
      since: clock.format(clock.millis(since, '/tierHold/since')),
      until: clock.format(hold.end),
      metUntil: clock.format(hold.until),
      manual: { since, until, reason },
    };
  }
  if (earned.index < 0 || run === undefined) return { ...none, basis: basis.toString() };
  const held = tiers.levels[earned.index]!;
  return {
    tierId: held.id,
    level: held.level,
    multiplier: held.multiplier.toString(),
    basis: basis.toString(),
    inGrace: basis.lt(held.threshold),
    since: run.since === null ? null : clock.format(run.since),
    until: run.until === null ? null : clock.format(run.until),
    metUntil: run.end === null ? null : clock.format(run.end),
  };
}
