/**
 * `POST /v1/program/simulate`: replays orders through a draft (or the published) program with the rules'
 * `ProgramSimulation`, so a marketer sees what a change would cost before publishing it. Nothing is written.
 */
import {
  compileProgram,
  customerDirectory,
  InputError,
  parseProgram,
  ProgramSimulation,
  type CustomerInput,
  type OrderInput,
  type SimulationReport,
} from '@purna/rules';

/**
 * The report of `orders` (in time order) through `programJson`.
 *
 * @throws InputError whose pointers locate the bad order in the request (`/orders/3/placedAt`).
 * @example
 * simulateProgram(program, [order1, order2], []).points
 */
export function simulateProgram(
  programJson: unknown,
  orders: readonly OrderInput[],
  customers: readonly CustomerInput[],
): SimulationReport {
  const simulation = new ProgramSimulation(compileProgram(parseProgram(programJson)), { customers: customerDirectory(customers) });
  orders.forEach((order, index) => {
    try {
      simulation.add(order);
    } catch (error) {
      if (error instanceof InputError) {
        throw new InputError(error.errors.map((problem) => ({ ...problem, pointer: `/orders/${index}${problem.pointer}` })));
      }
      throw error;
    }
  });
  return simulation.report();
}
