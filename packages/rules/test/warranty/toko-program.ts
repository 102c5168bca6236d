/**
 * The shared example program (../shared/examples/toko-rewards.program.json), loaded once for the after-sales
 * tests, plus a helper to derive variants of it without mutating the original.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Program } from '../../src/program/program-schema.js';

const file = resolve(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'examples', 'toko-rewards.program.json');

/** A fresh copy of the example program, as JSON. */
export function tokoProgramJson(): Program {
  return JSON.parse(readFileSync(file, 'utf8')) as Program;
}

/** The example program with `change` applied to a fresh copy. */
export function tokoVariant(change: (program: Program) => void): Program {
  const program = tokoProgramJson();
  change(program);
  return program;
}
