/**
 * The shared example program (../shared/examples/toko-rewards.program.json), loaded once for the after-sales
 * tests, plus a helper to derive variants of it without mutating the original.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileProgram } from '../../src/engine/compile/compile-program.js';
import type { CompiledProgram } from '../../src/engine/compiled-program.js';
import { parseProgram } from '../../src/index.js';
import type { OrderInput } from '../../src/input/order-input.js';
import type { Program } from '../../src/program/program-schema.js';

const file = resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'examples', 'toko-rewards.program.json');
const scenarios = [
  resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'examples', 'toko-basic.scenario.json'),
  resolve(import.meta.dirname, '..', '..', '..', '..', 'test', 'scenarios', 'toko-returns-debt-referral.scenario.json'),
];

/** A fresh copy of the example program, validated by parseProgram. */
export function tokoProgramJson(): Program {
  return parseProgram(JSON.parse(readFileSync(file, 'utf8')));
}

/** The example program, compiled. */
export function tokoCompiled(): CompiledProgram {
  return compileProgram(tokoProgramJson());
}

/** The example program with `change` applied to a fresh copy, validated again (a variant is a real program) and compiled. */
export function tokoVariant(change: (program: Program) => void): CompiledProgram {
  const program = structuredClone(tokoProgramJson());
  change(program);
  return compileProgram(parseProgram(program));
}

/** The input of the first `order.record` step for order `id` in the toko scenarios, so tests use their exact data. */
export function scenarioOrder(id: string): OrderInput {
  for (const path of scenarios) {
    const scenario = JSON.parse(readFileSync(path, 'utf8')) as { steps: Array<{ op: string; input: { id?: string } }> };
    const step = scenario.steps.find((s) => s.op === 'order.record' && s.input.id === id);
    if (step) return step.input as OrderInput;
  }
  throw new Error(`no order.record step for ${id} in the toko scenarios`);
}
