/** The shipped example program and scenario, read from ../shared (ground truth for the numbers). */
import { readFileSync } from 'node:fs';

const shared = new URL('../../../../../shared/examples/', import.meta.url);

/** A fresh, mutable copy of examples/toko-rewards.program.json. */
export function exampleProgramJson(): Record<string, unknown> & { earning: Array<Record<string, unknown>> } {
  return JSON.parse(readFileSync(new URL('toko-rewards.program.json', shared), 'utf8')) as Record<string, unknown> & { earning: Array<Record<string, unknown>> };
}

/** The text of examples/toko-basic.scenario.json. */
export function exampleScenarioText(): string {
  return readFileSync(new URL('toko-basic.scenario.json', shared), 'utf8');
}
