/**
 * Crash an operation before each of its writes in turn, retry it, and check the outcome: the shape every
 * crash-safety test shares.
 */
import { expect } from 'chai';
import { SimulatedCrash, type FaultyStore } from '../../src/store/faulty-store.js';

export interface CrashPlan<T> {
  /** Sets up round `n` (0 is the dry run that counts the writes). */
  prepare?: (n: number) => Promise<void>;
  /** The operation of round `n`. */
  run: (n: number) => Promise<T>;
  /** Checks round `n` once the retry has answered `result`. */
  check: (n: number, result: T) => Promise<void>;
}

/** Runs the plan once without faults to count the writes, then once per write with a crash before it. */
export async function crashBeforeEachWrite<T>(faulty: FaultyStore, plan: CrashPlan<T>): Promise<number> {
  await plan.prepare?.(0);
  faulty.reset();
  await plan.run(0);
  const steps = faulty.writes.length;
  expect(steps, 'writes of one operation').to.be.greaterThanOrEqual(3);
  for (let n = 1; n <= steps; n++) {
    await plan.prepare?.(n);
    faulty.crashAt(n);
    let crashed: unknown;
    try {
      await plan.run(n);
    } catch (error) {
      crashed = error;
    }
    expect(crashed, `crash before write ${n} of ${steps}`).to.be.instanceOf(SimulatedCrash);
    faulty.reset();
    await plan.check(n, await plan.run(n));
  }
  return steps;
}
