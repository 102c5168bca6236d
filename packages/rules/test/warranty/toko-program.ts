/**
 * The shared example program (../shared/examples/toko-rewards.program.json), loaded once for the after-sales
 * tests, plus a helper to derive variants of it without mutating the original.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { compileProgram } from '../../src/engine/compile-program.js';
import type { CompiledProgram } from '../../src/engine/compiled-program.js';
import { parseProgram } from '../../src/index.js';
import type { Program } from '../../src/program/program-schema.js';

const file = resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'examples', 'toko-rewards.program.json');

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
