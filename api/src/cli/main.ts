/**
 * `purna <command> [options]`: validate, simulate and explain loyalty programs before they cost money; start the
 * API; manage API keys. See docs/cli.md.
 */
import { CliError, EXIT_INVALID, EXIT_OK, EXIT_USAGE, UsageError } from './cli-error.js';
import { processIo, type CliIo } from './cli-io.js';
import type { Command } from './command.js';
import { packageVersion } from './package-version.js';
import { explainCommand } from './commands/explain-command.js';
import { keysCommand } from './commands/keys-command.js';
import { importCommand } from './commands/import-command.js';
import { exportCommand } from './commands/export-command.js';
import { packQuoteCommand } from './commands/pack-quote-command.js';
import { serveCommand } from './commands/serve-command.js';
import { workerCommand } from './commands/worker-command.js';
import { simulateCommand } from './commands/simulate-command.js';
import { validateCommand } from './commands/validate-command.js';

/** Every command, in the order the overview lists them. */
export const COMMANDS: readonly Command[] = [validateCommand, simulateCommand, explainCommand, packQuoteCommand, serveCommand, workerCommand, keysCommand, importCommand, exportCommand];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: purna <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "purna <command> --help" for the options of one command, "purna --version" for the version.',
    'Exit codes: 0 ok, 1 invalid input, 2 bad usage.',
  ].join('\n');
}

/**
 * Runs one command line and answers the exit code; never throws.
 *
 * @example
 * process.exitCode = await runCli(['validate', 'program.json']);
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === undefined) {
      io.stderr.write(`${overview()}\n`);
      return EXIT_USAGE;
    }
    if (name === 'help' || name === '--help' || name === '-h') {
      const topic = COMMANDS.find((c) => c.name === rest[0]);
      io.stdout.write(`${topic ? topic.usage.trimEnd() : overview()}\n`);
      return EXIT_OK;
    }
    if (name === '--version' || name === '-v') {
      io.stdout.write(`${packageVersion()}\n`);
      return EXIT_OK;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new UsageError(`purna: unknown command ${JSON.stringify(name)} (expected one of ${COMMANDS.map((c) => c.name).join(', ')})`);
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`purna: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return EXIT_INVALID;
  }
}
