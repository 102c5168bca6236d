/**
 * Errors thrown by @purna/rules. Each carries a stable `code` and every problem found, not only the first, each
 * with the JSON pointer of the offending value and a sentence a marketer (or an integrating developer) understands.
 * "Not eligible" is never an error: evaluations answer it with reasons.
 */

/** One problem in a program or an evaluation input. */
export interface Problem {
  /** RFC 6901 JSON pointer of the offending value ("" for the document itself). */
  readonly pointer: string;
  /** Stable machine-readable code, e.g. `invalid-decimal`, `unknown-fact`, `duplicate-id`. */
  readonly code: string;
  /** One sentence a person understands. */
  readonly message: string;
}

function summarize(title: string, errors: readonly Problem[]): string {
  const first = errors.slice(0, 3).map((e) => e.message).join('; ');
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : '';
  return `${title}: ${first}${more}`;
}

/** Base of the errors that carry every problem found. */
abstract class ProblemsError extends Error {
  /** Every problem found. */
  readonly errors: readonly Problem[];

  protected constructor(title: string, errors: readonly Problem[]) {
    super(summarize(title, errors));
    this.errors = errors;
  }
}

/**
 * A program that cannot be used, with every problem found (capped; the last entry then says how many more).
 *
 * @example
 * try { parseProgram(json) } catch (e) { if (e instanceof ProgramError) console.log(e.errors) }
 */
export class ProgramError extends ProblemsError {
  /** Stable code of the error class. */
  readonly code = 'invalid-program';

  constructor(errors: readonly Problem[]) {
    super('Invalid program', errors);
    this.name = 'ProgramError';
  }
}

/**
 * Bad input to an evaluation (an order in another currency, an invalid instant, a negative line amount...).
 *
 * @example
 * throw new InputError([{ pointer: '/order/currency', code: 'currency-mismatch', message: '...' }]);
 */
export class InputError extends ProblemsError {
  /** Stable code of the error class. */
  readonly code = 'invalid-input';

  constructor(errors: readonly Problem[]) {
    super('Invalid input', errors);
    this.name = 'InputError';
  }
}

/** Throws one InputError with a single problem. */
export function inputError(pointer: string, code: string, message: string): never {
  throw new InputError([{ pointer, code, message }]);
}
