/**
 * A program packed for a storefront: checked once where the full library runs (a server, or a build step), then
 * compiled in the browser without checking it again.
 *
 * Why the program and not the compiled program: a CompiledProgram is closures, Decimals and BigInts, which JSON
 * cannot carry; compileProgram is plain computation (no code generation), so compiling the checked program in the
 * browser gives the very object the server would have. What the browser must not do is parseProgram: its schema
 * validator (ajv) generates code with `new Function`, which a page under `script-src 'self'` refuses. The envelope
 * names the rules version that checked the program, so a storefront bundle of another version refuses it instead
 * of quoting a program whose meaning may have changed.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import { compileProgram } from '../engine/compile/compile-program.js';
import { ProgramError } from '../errors.js';
import { preview } from '../money/money.js';
import { deepFreeze } from '../program/deep-freeze.js';
import type { Program } from '../program/program-schema.js';
import { RULES_VERSION } from '../version.js';

/** The `format` of a {@link QuoteProgram}. */
export const QUOTE_PROGRAM_FORMAT = 'purna.quote-program';

/** A program checked by parseProgram, as JSON for a storefront (packQuoteProgram makes it, reviveQuoteProgram reads it). */
export interface QuoteProgram {
  readonly format: typeof QUOTE_PROGRAM_FORMAT;
  /** RULES_VERSION of the library that checked the program; the storefront's must be the same. */
  readonly rulesVersion: string;
  /** The published version of the program, recorded in quote snapshots (null when unknown). */
  readonly version: number | null;
  readonly program: Program;
}

function refuse(pointer: string, code: string, message: string): never {
  throw new ProgramError([{ pointer, code, message }]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Compiles a {@link QuoteProgram} (JSON text or the parsed value) for quoteOrder, without the schema validator: the
 * program was checked by packQuoteProgram. Throws a ProgramError when the value is not a packed program or was
 * packed by another version of @purna/rules. The program is frozen, as parseProgram freezes it.
 *
 * @example
 * const compiled = reviveQuoteProgram(await (await fetch('/loyalty/program.quote.json')).text());
 * quoteOrder(compiled, { order, history: { orders: [], usage: {} } }, { at: new Date().toISOString() }).points;
 */
export function reviveQuoteProgram(packed: unknown): CompiledProgram {
  let value = packed;
  if (typeof packed === 'string') {
    try {
      value = JSON.parse(packed);
    } catch (error) {
      refuse('', 'invalid-json', `the packed program is not valid JSON: ${(error as Error).message}`);
    }
  }
  if (!isRecord(value) || value.format !== QUOTE_PROGRAM_FORMAT) {
    const got = isRecord(value) ? `format ${preview(value.format)}` : preview(value);
    refuse('/format', 'not-a-quote-program', `expected a program packed by packQuoteProgram (format "${QUOTE_PROGRAM_FORMAT}"), got ${got}`);
  }
  if (value.rulesVersion !== RULES_VERSION) {
    refuse('/rulesVersion', 'rules-version-mismatch', `the program was checked by @purna/rules ${preview(value.rulesVersion)}, this is ${RULES_VERSION}: pack it with the same version the storefront bundles`);
  }
  if (!isRecord(value.program)) refuse('/program', 'invalid-program', `the packed program has no program object, got ${preview(value.program)}`);
  const version = value.version;
  if (version !== null && !Number.isInteger(version)) refuse('/version', 'invalid-version', `version must be a whole number or null, got ${preview(version)}`);
  const program = deepFreeze(value.program as unknown as Program);
  return compileProgram(program, version === null ? {} : { version: version as number });
}
