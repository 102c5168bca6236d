/**
 * One sub-command of `purna` (validate, simulate, explain, serve, keys) and the strict option parsing they share.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/** A sub-command: its name, one line for the overview, its full usage, and what it does. */
export interface Command {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  /** Runs with the arguments after the command name; answers the exit code. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** Option declarations as node:util parseArgs takes them. */
export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

/** Parsed options: strings and booleans by name, and the positional arguments. */
export interface ParsedCommandLine {
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly positionals: readonly string[];
}

/**
 * Parses `args` strictly: an unknown option or a missing value is a {@link UsageError} that names the command.
 *
 * @example
 * const { values, positionals } = parseCommandLine('simulate', args, { orders: { type: 'string' } });
 */
export function parseCommandLine(command: string, args: readonly string[], options: OptionSpec): ParsedCommandLine {
  try {
    const parsed = parseArgs({ args: [...args], options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true });
    return { values: parsed.values, positionals: parsed.positionals };
  } catch (error) {
    // parseArgs's messages already name the option ("Unknown option '--ordrs'"); keep them, add how to get help.
    throw new UsageError(`purna ${command}: ${(error as Error).message}`, command);
  }
}

/** The value of a string option, or undefined. */
export function stringOption(parsed: ParsedCommandLine, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

/** Exactly `count` positional arguments, or a usage error saying what was expected. */
export function expectPositionals(command: string, parsed: ParsedCommandLine, names: readonly string[]): string[] {
  if (parsed.positionals.length !== names.length) {
    const expected = names.map((n) => `<${n}>`).join(' ');
    const got = parsed.positionals.length === 0 ? 'none' : parsed.positionals.map((p) => JSON.stringify(p)).join(' ');
    throw new UsageError(`purna ${command} expects ${expected}, got ${got}`, command);
  }
  return [...parsed.positionals];
}

/** Writes the usage of a command when `--help` was given; answers whether it did. */
export function printedHelp(command: Command, parsed: ParsedCommandLine, io: CliIo): boolean {
  if (parsed.values.help !== true) return false;
  io.stdout.write(`${command.usage.trimEnd()}\n`);
  return true;
}
