/** The difference between a candidate program and a baseline over the same orders. */
import { Decimal } from '../money.js';
import type { SimulationComparison, SimulationReport } from './simulation-report.js';

/**
 * `candidate − baseline` for points, liability, each rule and each tier.
 *
 * @example
 * compareSimulations(next.report(), current.report()).points; // +12500: the change would issue 12,500 more points
 */
export function compareSimulations(candidate: SimulationReport, baseline: SimulationReport): SimulationComparison {
  const byRule: Record<string, string> = {};
  for (const id of new Set([...Object.keys(candidate.byRule), ...Object.keys(baseline.byRule)])) {
    byRule[id] = new Decimal(candidate.byRule[id]?.points ?? '0').minus(baseline.byRule[id]?.points ?? '0').toString();
  }
  const byTier: Record<string, number> = {};
  for (const id of new Set([...Object.keys(candidate.byTier), ...Object.keys(baseline.byTier)])) {
    byTier[id] = (candidate.byTier[id]?.points ?? 0) - (baseline.byTier[id]?.points ?? 0);
  }
  const tiersAtEnd: Record<string, number> = {};
  for (const id of new Set([...Object.keys(candidate.tiersAtEnd), ...Object.keys(baseline.tiersAtEnd)])) {
    tiersAtEnd[id] = (candidate.tiersAtEnd[id] ?? 0) - (baseline.tiersAtEnd[id] ?? 0);
  }
  const liability = candidate.liability !== null && baseline.liability !== null ? new Decimal(candidate.liability).minus(baseline.liability).toString() : null;
  return { candidate, baseline, points: candidate.points - baseline.points, liability, byRule, byTier, tiersAtEnd };
}
