/** The shipped example program and scenario, read from ../shared (ground truth for the numbers). */
import { readFileSync } from 'node:fs';
import type { OrderInput } from '../../src/index.js';

const shared = new URL('../../../../../shared/examples/', import.meta.url);

/** A fresh, mutable copy of examples/toko-rewards.program.json. */
export function exampleProgramJson(): Record<string, unknown> & { earning: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(new URL('toko-rewards.program.json', shared), 'utf8')) as Record<string, unknown> & { earning: Array<Record<string, unknown>> };
}

/** The text of examples/toko-basic.scenario.json. */
export function exampleScenarioText(): string {
  return readFileSync(new URL('toko-basic.scenario.json', shared), 'utf8');
}

/**
 * A fresh copy of the order `orderId` as the scenario first records it (its first `order.record` step's input), so
 * tests quote the scenario's own orders instead of copies of them.
 *
 * @example const o1001 = scenarioOrder('o-1001'); // { id: 'o-1001', customerId: 'ayu', placedAt: ..., lines: [...] }
 */
export function scenarioOrder(orderId: string): OrderInput & { customerId: string; placedAt: string } {
  const { steps } = JSON.parse(exampleScenarioText()) as { steps: Array<{ op: string; input?: { id?: unknown } }> };
  const step = steps.find((s) => s.op === 'order.record' && s.input?.id === orderId);
  if (!step) throw new Error(`examples/toko-basic.scenario.json records no order ${JSON.stringify(orderId)}`);
  return step.input as OrderInput & { customerId: string; placedAt: string };
}
