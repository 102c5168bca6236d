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

/** A reward redeemed, as the simulate request carries it. */
export interface SimulatedRewardRedemption {
  readonly id: string;
  readonly customerId: string;
  readonly rewardId: string;
  readonly at: string;
}

/**
 * The report of `orders` and `rewards` (each in time order, replayed together in time order; an order and a reward
 * at the same instant: the order first) through `programJson`.
 *
 * @throws InputError whose pointers locate the bad record in the request (`/orders/3/placedAt`, `/rewards/0/at`).
 * @example
 * simulateProgram(program, [order1, order2], [], [{ id: 'rr-1', customerId: 'ayu', rewardId: 'voucher-50k', at }]).rewards.redeemed
 */
export function simulateProgram(
  programJson: unknown,
  orders: readonly OrderInput[],
  customers: readonly CustomerInput[],
  rewards: readonly SimulatedRewardRedemption[] = [],
): SimulationReport {
  const simulation = new ProgramSimulation(compileProgram(parseProgram(programJson)), { customers: customerDirectory(customers) });
  const add = (record: Parameters<ProgramSimulation['add']>[0], pointer: string): void => {
    try {
      simulation.add(record);
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.errors.map((problem) => ({ ...problem, pointer: `${pointer}${problem.pointer}` })));
      throw error;
    }
  };
  const instant = (text: string | undefined): number => {
    const ms = text === undefined ? NaN : Date.parse(text);
    // An unreadable instant goes where it stands; the simulation's own check then names it with its pointer.
    return Number.isNaN(ms) ? -Infinity : ms;
  };
  let r = 0;
  orders.forEach((order, index) => {
    const placed = instant(order.placedAt);
    for (; r < rewards.length && instant(rewards[r]?.at) < placed; r++) add({ type: 'reward', ...(rewards[r] as SimulatedRewardRedemption) }, `/rewards/${r}`);
    add(order, `/orders/${index}`);
  });
  for (; r < rewards.length; r++) add({ type: 'reward', ...(rewards[r] as SimulatedRewardRedemption) }, `/rewards/${r}`);
  return simulation.report();
}
