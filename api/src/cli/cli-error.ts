/**
 * How the `purna` command ends. Exit codes are part of its contract with a marketer's CI: 0 when everything is
 * fine, 1 when the input is wrong (an invalid program, a bad order line), 2 when the command itself was misused.
 */

/** The command did what was asked and found nothing wrong. */
export const EXIT_OK = 0;
/** The input (a program, an order file) has problems; they were printed. */
export const EXIT_INVALID = 1;
/** The command line was wrong (unknown option, missing file argument). */
export const EXIT_USAGE = 2;

/**
 * A failure the CLI reports as one clear message on stderr, without a stack trace.
 *
 * @example
 * throw new CliError(`orders.ndjson:3:14: expected a JSON object`);
 */
export class CliError extends Error {
  /** The exit code the process ends with. */
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT_INVALID) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/**
 * A command line that cannot be run as written; the message ends with how to get help.
 *
 * @example
 * throw new UsageError('simulate needs --orders <file>', 'simulate');
 */
export class UsageError extends CliError {
  constructor(message: string, command?: string) {
    super(`${message}\nRun "purna ${command ? `${command} ` : ''}--help" for usage.`, EXIT_USAGE);
    this.name = 'UsageError';
  }
}
