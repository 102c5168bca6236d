/**
 * `purna simulate <program.json> --orders <history.ndjson> [--customers <customers.ndjson>] [--baseline <previous.json>]
 *   [--return-days 60] [--json] [--progress|--quiet] [--skip-invalid]`
 *
 * Replays a past history (orders, and returns, redemptions, custom events, birthday and anniversary sweeps,
 * adjustments, rewards redeemed and their vouchers used), in time order, through the program (and the baseline program, side by side): points issued by rule
 * and by tier, tier movements, where the points went (clawed back, redeemed, expired, held), the liability in money,
 * what the open vouchers owe, and the difference against the baseline. The history is streamed and the customers file read on demand, so a
 * million records run in bounded memory; progress and ETA go to stderr.
 */
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { compareSimulations, compileProgram, DEFAULT_RETURN_DAYS, InputError, ProgramSimulation, type SimulationRecord } from '@purna/rules';
import { CliError, EXIT_OK, UsageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';
import { CustomerFile } from '../customer-file.js';
import { readNdjson } from '../ndjson-reader.js';
import { grouped } from '../number-format.js';
import { loadProgramFile } from '../program/program-file.js';
import { ProgressBar } from '../progress-bar.js';
import { formatSimulation, type SimulateOutput } from '../simulation-text.js';

const USAGE = `Usage: purna simulate <program.json> --orders <history.ndjson> [options]

Replays a past history (NDJSON, in time order: one order per line in the shape of POST /v1/orders, and optionally
records with a "type": return, redemption, event, birthday, anniversary, adjustment, reward, voucher-use) through
the program and reports the points it would have issued, by rule and by tier, tier movements, where the points went
(clawed back, redeemed, expired, held at the end), the liability in money, and the rewards redeemed with what their
open vouchers still owe.

Options:
  --orders <file>       the history (required)
  --customers <file>    customer profiles (NDJSON, PUT /v1/customers/{id} shape, sorted by id): conditions on
                        customers, birthdays, referrals
  --baseline <file>     a previous program: report the difference against it over the same history
  --return-days <n>     days after it was placed that an order can still be returned (default ${DEFAULT_RETURN_DAYS})
  --json                print the report as JSON on stdout
  --progress            show progress on stderr even when it is not a terminal
  --quiet               no progress
  --skip-invalid        skip records that cannot be decided (counted in the report) instead of stopping at the first
`;

/**
 * How V8 manages the heap during a simulation, set when the command starts (each is read at every collection).
 * A simulation holds a large, slowly changing state (each customer's lots and tier-window orders) while it allocates
 * fast for each record. With V8's defaults the heap grows up to fourfold past the live data when collections are
 * cheap, and pages freed by the death of old lots stay committed half empty, so the resident memory went on
 * growing (to about three times the live data) after the state had stopped growing. Compacting on every full
 * collection and growing the heap by a quarter keeps it close to what the simulation holds; on a 365,000-record
 * history it cost no measurable time (docs/benchmarks.md, "The million-order simulation").
 */
const V8_FLAGS = ['--heap-growing-percent=25', '--compact-on-every-full-gc'];

/** How many skipped records are listed by line. */
const SKIPPED_SHOWN = 10;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problems of an InputError as one line: "lines[0].unitPrice must be ...; currency is ...". */
function describeInputError(error: InputError): string {
  return error.errors.map((p) => p.message).join('; ');
}

/** `--return-days`, checked. */
function returnDaysOption(value: string | undefined): number {
  if (value === undefined) return DEFAULT_RETURN_DAYS;
  if (!/^\d{1,5}$/.test(value)) throw new UsageError(`--return-days must be a whole number of days, got ${JSON.stringify(value)}`, 'simulate');
  return Number(value);
}

/**
 * The `simulate` command.
 *
 * @example
 * npx purna simulate program.json --orders orders.ndjson --baseline current.json
 */
export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'replay past orders through a program: points by rule and tier, tier movements, liability, vs a baseline',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('simulate', args, {
      orders: { type: 'string' },
      customers: { type: 'string' },
      baseline: { type: 'string' },
      'return-days': { type: 'string' },
      json: { type: 'boolean' },
      progress: { type: 'boolean' },
      quiet: { type: 'boolean' },
      'skip-invalid': { type: 'boolean' },
    });
    if (printedHelp(simulateCommand, parsed, io)) return EXIT_OK;
    const [programFile = ''] = expectPositionals('simulate', parsed, ['program.json']);
    const ordersFile = stringOption(parsed, 'orders');
    if (ordersFile === undefined) throw new UsageError('purna simulate needs --orders <orders.ndjson>', 'simulate');
    const customersFile = stringOption(parsed, 'customers');
    const baselineFile = stringOption(parsed, 'baseline');
    const returnDays = returnDaysOption(stringOption(parsed, 'return-days'));
    const skipInvalid = parsed.values['skip-invalid'] === true;

    for (const flag of V8_FLAGS) setFlagsFromString(flag);
    const program = await loadProgramFile(programFile, io.cwd);
    const baselineProgram = baselineFile === undefined ? undefined : await loadProgramFile(baselineFile, io.cwd);
    const customers = customersFile === undefined ? undefined : await CustomerFile.open(customersFile, io.cwd);
    try {
      const options = { returnDays, ...(customers ? { customers } : {}) };
      const simulation = new ProgramSimulation(compileProgram(program), options);
      const baseline = baselineProgram === undefined ? undefined : new ProgramSimulation(compileProgram(baselineProgram), options);

      const showProgress = parsed.values.quiet !== true && (io.stderrIsTty || parsed.values.progress === true);
      const bar = showProgress ? new ProgressBar(io, 'simulate', { tty: io.stderrIsTty }) : undefined;
      const skipped = { count: 0, first: [] as Array<{ line: number; message: string }> };
      let records = 0;
      try {
        const progress = bar ? (p: { bytesRead: number; totalBytes: number }) => bar.update(p.bytesRead, p.totalBytes, `${grouped(records)} records`) : undefined;
        for await (const { line, value } of readNdjson(resolve(io.cwd, ordersFile), ordersFile, progress)) {
          try {
            if (!isObject(value)) throw new InputError([{ pointer: '', code: 'invalid-record', message: 'expected a record object (an order, or {"type": "return", ...})' }]);
            simulation.add(value as unknown as SimulationRecord);
            baseline?.add(value as unknown as SimulationRecord);
            records++;
          } catch (error) {
            if (!(error instanceof InputError)) throw error;
            const message = describeInputError(error);
            const hint = error.errors.some((p) => p.code === 'unknown-order') ? ' If the order is in the file, raise --return-days.' : '';
            if (!skipInvalid) throw new CliError(`${ordersFile}:${line}: ${message}\nFix the record, or run with --skip-invalid to skip records that cannot be decided.${hint}`);
            skipped.count++;
            if (skipped.first.length < SKIPPED_SHOWN) skipped.first.push({ line, message });
          }
        }
      } catch (error) {
        bar?.clear();
        throw error;
      }
      bar?.finish(`${grouped(records)} records`);

      const report = simulation.report();
      const baselineReport = baseline?.report();
      let output: SimulateOutput = { program: report, records, skipped, tierIds: (program.tiers?.levels ?? []).map((l) => l.id) };
      if (baselineReport) {
        const { candidate: _c, baseline: _b, ...difference } = compareSimulations(report, baselineReport);
        output = { ...output, baseline: baselineReport, difference };
      }
      io.stdout.write(parsed.values.json === true ? `${JSON.stringify(output, null, 2)}\n` : formatSimulation(output, programFile, baselineFile));
      return EXIT_OK;
    } finally {
      customers?.close();
    }
  },
};
