/**
 * `purna pack-quote <program.json> [--version N] [--out file]`
 *
 * Checks a program and writes it packed for a storefront's `@purna/rules/quote` (docs/storefront.md): the build step
 * of a shop's page that quotes in the browser under a strict Content-Security-Policy, without writing code.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { packQuoteProgram } from '@purna/rules';
import { CliError, EXIT_OK, UsageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';
import { loadProgramFile } from '../program/program-file.js';

const USAGE = `Usage: purna pack-quote <program.json> [options]

Checks the program (as purna validate does) and prints it packed for @purna/rules/quote, which quotes orders in a
storefront's page without a schema validator (docs/storefront.md). Exit code 0 when packed, 1 when the program has
errors (printed at their line and column).

Options:
  --version <n>   the published version recorded in quote snapshots (default: the program's own "version")
  --out <file>    write the packed program to this file instead of stdout
`;

/**
 * The `pack-quote` command.
 *
 * @example
 * npx purna pack-quote toko-rewards.program.json --version 3 --out public/loyalty/program.quote.json
 */
export const packQuoteCommand: Command = {
  name: 'pack-quote',
  summary: 'check a program and pack it for @purna/rules/quote in a storefront page',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('pack-quote', args, { version: { type: 'string' }, out: { type: 'string' } });
    if (printedHelp(packQuoteCommand, parsed, io)) return EXIT_OK;
    const [file] = expectPositionals('pack-quote', parsed, ['program.json']);
    const versionText = stringOption(parsed, 'version');
    if (versionText !== undefined && !/^[1-9][0-9]{0,8}$/.test(versionText)) {
      throw new UsageError(`--version must be a whole number of 1 or more, got ${JSON.stringify(versionText)}`, 'pack-quote');
    }
    const program = await loadProgramFile(file!, io.cwd);
    const packed = `${JSON.stringify(packQuoteProgram(program, versionText === undefined ? {} : { version: Number(versionText) }))}\n`;
    const out = stringOption(parsed, 'out');
    if (out === undefined) {
      io.stdout.write(packed);
      return EXIT_OK;
    }
    try {
      await writeFile(resolve(io.cwd, out), packed);
    } catch (error) {
      throw new CliError(`cannot write ${out}: ${(error as Error).message}`);
    }
    io.stderr.write(`packed ${file} into ${out}\n`);
    return EXIT_OK;
  },
};
