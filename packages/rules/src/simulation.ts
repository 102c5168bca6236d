/** Simulation: replay a history through a program and total what it would have issued (pure, no I/O). */
export { ProgramSimulation, customerDirectory, referralKey, simulatedVoucherCode, DEFAULT_RETURN_DAYS, type SimulationOptions } from './simulation/program-simulation.js';
export { compareSimulations } from './simulation/compare-simulations.js';
export {
  recordType,
  RECORD_TYPES,
  type RecordType,
  type SimulationRecord,
  type OrderRecord,
  type ReturnRecord,
  type RedemptionRecord,
  type EventRecord,
  type BirthdayRecord,
  type AnniversaryRecord,
  type AdjustmentRecord,
  type RewardRecord,
  type VoucherUseRecord,
  type CustomerDirectory,
} from './simulation/simulation-record.js';
export type {
  SimulationReport,
  SimulationComparison,
  RuleTotals,
  TierTotals,
  TierMovement,
  PointsFlow,
  ReturnTotals,
  RedemptionTotals,
  EventTotals,
  BirthdayTotals,
  AnniversaryTotals,
  ReferralTotals,
  AdjustmentTotals,
  RewardTotals,
  RewardTotalsOne,
  VoucherLiability,
} from './simulation/simulation-report.js';
