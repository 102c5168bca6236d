/**
 * parseProgram: the boundary where an untrusted program becomes a typed `Program`, or one `ProgramError` listing
 * every problem (capped) with its JSON pointer and a sentence a marketer understands.
 */
import { ProgramError, type Problem } from '../errors.js';
import { checkProgram } from './check-program.js';
import { deepFreeze } from './deep-freeze.js';
import { checkJsonBounds, DEFAULT_JSON_LIMITS, type JsonLimits } from './json-bounds.js';
import type { Program } from './program-schema.js';
import { programValidator } from './program-validator.js';
import { schemaErrorsToProblems } from './schema-messages.js';

/** Options of {@link parseProgram}. */
export interface ParseProgramOptions {
  /** Most problems listed; the last entry then says how many more there were. Default 50. */
  readonly maxErrors?: number;
  /** Size limits of the document. */
  readonly limits?: Partial<JsonLimits>;
}

function capped(problems: Problem[], maxErrors: number): Problem[] {
  if (problems.length <= maxErrors) return problems;
  const more = problems.length - maxErrors;
  return [...problems.slice(0, maxErrors), { pointer: '', code: 'too-many-errors', message: `and ${more} more problem${more === 1 ? '' : 's'} not listed; fix these first` }];
}

/**
 * Validates a program (JSON text or an already-parsed value) and returns it typed and frozen, or throws one
 * {@link ProgramError} with every problem: schema violations and semantic ones (thresholds, tier names, validity
 * windows, rules that can never apply, duplicate ids, unknown facts or operators).
 *
 * @example
 * const program = parseProgram(await file.text());
 * const compiled = compileProgram(program, { version: 3 });
 */
export function parseProgram(json: unknown, options: ParseProgramOptions = {}): Program {
  const limits: JsonLimits = { ...DEFAULT_JSON_LIMITS, ...options.limits };
  const maxErrors = options.maxErrors ?? 50;
  let value: unknown = json;
  if (typeof json === 'string') {
    if (json.length > limits.maxChars) {
      throw new ProgramError([{ pointer: '', code: 'program-too-large', message: `the program is ${json.length} characters long; at most ${limits.maxChars} are accepted` }]);
    }
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw new ProgramError([{ pointer: '', code: 'invalid-json', message: `the program is not valid JSON: ${(error as Error).message}` }]);
    }
  }
  const tooBig = checkJsonBounds(value, limits);
  if (tooBig) throw new ProgramError([tooBig]);
  // Our own copy: the caller's object may change after this, the compiled program must not.
  const copy: unknown = typeof json === 'string' ? value : structuredClone(value);

  const validate = programValidator();
  const problems: Problem[] = [];
  if (!validate(copy)) problems.push(...schemaErrorsToProblems(validate.errors ?? []));
  const dirty = problems.map((p) => p.pointer);
  // A section is checked semantically only when the schema found nothing wrong at, above or under it.
  const clean = (pointer: string) => !dirty.some((p) => p === '' || p === pointer || p.startsWith(`${pointer}/`) || pointer.startsWith(`${p}/`));
  if (typeof copy === 'object' && copy !== null && Array.isArray((copy as { earning?: unknown }).earning) && !dirty.includes('/earning')) {
    problems.push(...checkProgram(copy as Program, clean));
  }
  if (problems.length > 0) throw new ProgramError(capped(problems, maxErrors));
  return deepFreeze(copy as Program);
}
