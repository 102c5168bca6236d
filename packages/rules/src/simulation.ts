/** Simulation: replay an order history through a program and total what it would have issued (pure, no I/O). */
export { ProgramSimulation } from './simulation/program-simulation.js';
export { compareSimulations } from './simulation/compare-simulations.js';
export type { SimulationReport, SimulationComparison, RuleTotals, TierTotals, TierMovement } from './simulation/simulation-report.js';
