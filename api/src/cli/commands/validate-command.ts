/**
 * `purna validate <program.json>... [--json] [--strict] [--at ISO] [--max-multiplier 3] [--max-reward-rate 0.1]`
 *
 * Every error of every file at once, each at `file:line:column` with its JSON pointer, then warnings for programs
 * that are valid but suspicious. Exit 0 when every file is valid (warnings allowed unless `--strict`), 1 otherwise:
 * a marketer's CI can gate a program change on it.
 */
import { Decimal, isDecimalString } from '@purna/rules';
import { DateTime } from 'luxon';
import { EXIT_INVALID, EXIT_OK, UsageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';
import { checkProgramFile, formatFinding, placeFinding, type Finding } from '../program/program-file.js';
import { defaultBounds, programWarnings, type WarningBounds } from '../program/program-warnings.js';

const USAGE = `Usage: purna validate <program.json>... [options]

Checks each program against the schema and the rules the schema cannot express, and warns about valid programs
that look like mistakes (rules that never apply, unreachable tiers, multipliers that stack past a bound, a reward
rate above a bound). Exit code 0 when every file is valid, 1 when any has an error.

Options:
  --json                     print one JSON document instead of lines
  --strict                   treat warnings as errors (exit 1)
  --at <instant>             "now" for rules whose validity has ended (default: the current time)
  --max-multiplier <n>       warn when multipliers stack above this (default 3)
  --max-reward-rate <share>  warn when more than this share of spend comes back as points value (default 0.1)
`;

function boundsFrom(values: Parameters<typeof stringOption>[0]): WarningBounds {
  const atText = stringOption(values, 'at');
  const at = atText === undefined ? DateTime.now().setZone('UTC') : DateTime.fromISO(atText, { zone: 'UTC', setZone: true });
  if (!at.isValid) throw new UsageError(`--at must be an ISO 8601 instant like 2026-12-01T00:00:00+07:00, got ${JSON.stringify(atText)}`, 'validate');
  const decimal = (name: string, fallback: Decimal): Decimal => {
    const text = stringOption(values, name);
    if (text === undefined) return fallback;
    if (!isDecimalString(text) || new Decimal(text).lte(0)) throw new UsageError(`--${name} must be a positive decimal like "3" or "0.1", got ${JSON.stringify(text)}`, 'validate');
    return new Decimal(text);
  };
  const defaults = defaultBounds(at);
  return { at, maxMultiplier: decimal('max-multiplier', defaults.maxMultiplier), maxRewardRate: decimal('max-reward-rate', defaults.maxRewardRate) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * The `validate` command.
 *
 * @example
 * npx purna validate program.json --strict
 */
export const validateCommand: Command = {
  name: 'validate',
  summary: 'check program files: every error with line, column and pointer; warnings for suspicious programs',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('validate', args, {
      json: { type: 'boolean' },
      strict: { type: 'boolean' },
      at: { type: 'string' },
      'max-multiplier': { type: 'string' },
      'max-reward-rate': { type: 'string' },
    });
    if (printedHelp(validateCommand, parsed, io)) return EXIT_OK;
    if (parsed.positionals.length === 0) throw new UsageError('purna validate expects at least one <program.json>', 'validate');
    const bounds = boundsFrom(parsed);
    const strict = parsed.values.strict === true;
    const reports: Array<{ file: string; valid: boolean; errors: Finding[]; warnings: Finding[] }> = [];
    for (const file of parsed.positionals) {
      const checked = await checkProgramFile(file, io.cwd);
      const { program, document } = checked;
      const warnings = program && document ? programWarnings(program, bounds).map((w) => placeFinding('warning', file, document, w)) : [];
      reports.push({ file, valid: checked.errors.length === 0 && (!strict || warnings.length === 0), errors: [...checked.errors], warnings });
    }
    const ok = reports.every((r) => r.valid);
    if (parsed.values.json === true) {
      io.stdout.write(`${JSON.stringify({ valid: ok, files: reports }, null, 2)}\n`);
      return ok ? EXIT_OK : EXIT_INVALID;
    }
    for (const report of reports) {
      for (const finding of [...report.errors, ...report.warnings]) io.stdout.write(`${formatFinding(finding)}\n`);
      const summary =
        report.errors.length > 0
          ? `✖ ${report.file}: ${plural(report.errors.length, 'error')}, ${plural(report.warnings.length, 'warning')}`
          : `✔ ${report.file} is a valid program${report.warnings.length > 0 ? ` (${plural(report.warnings.length, 'warning')}${strict ? ', not allowed with --strict' : ''})` : ''}`;
      io.stdout.write(`${summary}\n`);
    }
    return ok ? EXIT_OK : EXIT_INVALID;
  },
};
