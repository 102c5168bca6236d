/** The difference between a candidate program and a baseline over the same history. */
import { Decimal } from '../money/money.js';
import type { SimulationComparison, SimulationReport } from './simulation-report.js';

function keysOf(...records: ReadonlyArray<Readonly<Record<string, unknown>>>): Set<string> {
  return new Set(records.flatMap((r) => Object.keys(r)));
}

/**
 * `candidate − baseline` for points, liability, each rule and each tier.
 *
 * @example
 * compareSimulations(next.report(), current.report()).points; // +12500: the change would issue 12,500 more points
 */
export function compareSimulations(candidate: SimulationReport, baseline: SimulationReport): SimulationComparison {
  const byRule: Record<string, string> = {};
  for (const id of keysOf(candidate.byRule, baseline.byRule)) {
    byRule[id] = new Decimal(candidate.byRule[id]?.points ?? '0').minus(baseline.byRule[id]?.points ?? '0').toString();
  }
  const byTier: Record<string, number> = {};
  for (const id of keysOf(candidate.byTier, baseline.byTier)) byTier[id] = (candidate.byTier[id]?.points ?? 0) - (baseline.byTier[id]?.points ?? 0);
  const tiersAtEnd: Record<string, number> = {};
  for (const id of keysOf(candidate.tiersAtEnd, baseline.tiersAtEnd)) tiersAtEnd[id] = (candidate.tiersAtEnd[id] ?? 0) - (baseline.tiersAtEnd[id] ?? 0);
  const liability = candidate.liability !== null && baseline.liability !== null ? new Decimal(candidate.liability).minus(baseline.liability).toString() : null;
  return {
    candidate,
    baseline,
    points: candidate.points - baseline.points,
    issued: candidate.flow.issued - baseline.flow.issued,
    outstanding: candidate.flow.outstanding - baseline.flow.outstanding,
    expired: candidate.flow.expired - baseline.flow.expired,
    liability,
    byRule,
    byTier,
    tiersAtEnd,
  };
}
