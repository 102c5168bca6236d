/**
 * `purna simulate <program.json> --orders <orders.ndjson> [--customers <customers.ndjson>] [--baseline <previous.json>]
 *   [--json] [--progress|--quiet] [--skip-invalid]`
 *
 * Replays past orders, in time order, through the program (and the baseline program, side by side): points issued
 * by rule and by tier, tier movements, the liability in money, and the difference against the baseline. Orders are
 * streamed, so a million of them run in constant memory; progress and ETA go to stderr.
 */
import { resolve } from 'node:path';
import { compareSimulations, compileProgram, InputError, ProgramSimulation, type CustomerInput, type OrderInput, type SimulationComparison, type SimulationReport } from '@purna/rules';
import { CliError, EXIT_OK, UsageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';
import { readNdjson } from '../ndjson-reader.js';
import { grouped, percentOf, rounded2, signed, table } from '../number-format.js';
import { loadProgramFile } from '../program/program-file.js';
import { ProgressBar } from '../progress-bar.js';

const USAGE = `Usage: purna simulate <program.json> --orders <orders.ndjson> [options]

Replays past orders (NDJSON, one order per line in the shape of POST /v1/orders, in time order) through the program
and reports the points it would have issued, by rule and by tier, tier movements and the liability in money.

Options:
  --orders <file>      the orders (required)
  --customers <file>   customer profiles (NDJSON, PUT /v1/customers/{id} shape) for conditions on customers
  --baseline <file>    a previous program: report the difference against it over the same orders
  --json               print the report as JSON on stdout
  --progress           show progress on stderr even when it is not a terminal
  --quiet              no progress
  --skip-invalid       skip orders that cannot be quoted (counted in the report) instead of stopping at the first
`;

/** How many skipped orders are listed by line. */
const SKIPPED_SHOWN = 10;

/** What the command prints with --json. */
export interface SimulateOutput {
  readonly program: SimulationReport;
  readonly baseline?: SimulationReport;
  readonly difference?: Omit<SimulationComparison, 'candidate' | 'baseline'>;
  readonly skipped: { readonly count: number; readonly first: ReadonlyArray<{ line: number; message: string }> };
  /** The program's tier ids, lowest first. */
  readonly tierIds: readonly string[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Customers by id, read whole: simulations look them up by each order's customerId. */
async function loadCustomers(path: string, io: CliIo): Promise<Map<string, CustomerInput>> {
  const customers = new Map<string, CustomerInput>();
  for await (const { line, value } of readNdjson(resolve(io.cwd, path), path)) {
    if (!isObject(value) || typeof value.id !== 'string' || value.id === '') throw new CliError(`${path}:${line}: expected a customer object with an "id", got ${JSON.stringify(value).slice(0, 60)}`);
    customers.set(value.id, value as unknown as CustomerInput);
  }
  return customers;
}

/** The problems of an InputError as one line: "lines[0].unitPrice must be ...; currency is ...". */
function describeInputError(error: InputError): string {
  return error.errors.map((p) => p.message).join('; ');
}

function formatReport(output: SimulateOutput, programFile: string, baselineFile: string | undefined): string {
  const r = output.program;
  const money = (value: string | null) => (value === null ? 'n/a (no points.redemption.pointValue)' : `${r.currency} ${rounded2(value)}`);
  const out: string[] = [];
  out.push(`Program ${r.programId} (${programFile}) over ${grouped(r.orders)} orders from ${grouped(r.customers)} customers`);
  if (r.from !== null) out.push(`  ${r.from} .. ${r.until ?? ''}`);
  out.push('');
  out.push(
    table([
      ['spend', `${r.currency} ${rounded2(r.spend)}`],
      ['points issued', grouped(r.points)],
      ['points per unit spent', r.pointsPerSpend],
      ['point value', r.pointValue === null ? 'n/a' : `${r.currency} ${r.pointValue}`],
      ['liability (points × point value)', money(r.liability)],
      ['reward rate (liability ÷ spend)', r.rewardRate === null ? 'n/a' : percentOf(r.rewardRate)],
    ]),
  );
  out.push('', 'Points by rule (exact shares after the tier multiplier)');
  const ruleRows: string[][] = [['rule', 'orders', 'points']];
  for (const [id, totals] of Object.entries(r.byRule)) ruleRows.push([`  ${id}`, grouped(totals.orders), rounded2(totals.points)]);
  ruleRows.push(['  (rounding)', '', rounded2(r.rounding)]);
  out.push(table(ruleRows));
  const tierIds = Object.keys(r.byTier);
  if (tierIds.length > 0) {
    out.push('', 'By tier held before the order');
    const rows: string[][] = [['tier', 'orders', 'spend', 'points']];
    for (const [id, t] of Object.entries(r.byTier)) rows.push([`  ${id}`, grouped(t.orders), rounded2(t.spend), grouped(t.points)]);
    out.push(table(rows));
  }
  if (r.tierMovements.length > 0) {
    out.push('', 'Tier movements');
    out.push(table(r.tierMovements.map((m) => [`  ${m.from ?? 'none'} → ${m.to ?? 'none'}`, grouped(m.count)])));
  }
  if (Object.keys(r.tiersAtEnd).length > 0) {
    out.push('', `Customers by tier at ${r.until ?? 'the end'}`);
    out.push(table(Object.entries(r.tiersAtEnd).map(([id, n]) => [`  ${id}`, grouped(n)])));
  }
  const reached = new Set([...Object.keys(r.byTier), ...Object.keys(r.tiersAtEnd), ...r.tierMovements.map((m) => m.to ?? 'none')]);
  const neverReached = output.tierIds.filter((id) => !reached.has(id));
  if (r.orders > 0 && neverReached.length > 0) out.push('', `No customer reached ${neverReached.join(', ')} in this history.`);
  if (output.baseline && output.difference) {
    const b = output.baseline;
    const d = output.difference;
    out.push('', `Against the baseline ${b.programId} (${baselineFile ?? ''})`);
    out.push(
      table([
        ['', 'baseline', 'program', 'difference'],
        ['  points issued', grouped(b.points), grouped(r.points), signed(d.points)],
        ['  liability', b.liability === null ? 'n/a' : rounded2(b.liability), r.liability === null ? 'n/a' : rounded2(r.liability), d.liability === null ? 'n/a' : signed(d.liability, 2)],
        ...Object.entries(d.byRule).map(([id, diff]) => [`  rule ${id}`, rounded2(b.byRule[id]?.points ?? '0'), rounded2(r.byRule[id]?.points ?? '0'), signed(diff, 2)]),
        ...Object.entries(d.tiersAtEnd).map(([id, diff]) => [`  customers at ${id}`, grouped(b.tiersAtEnd[id] ?? 0), grouped(r.tiersAtEnd[id] ?? 0), signed(diff)]),
      ]),
    );
  }
  if (output.skipped.count > 0) {
    out.push('', `Skipped ${grouped(output.skipped.count)} orders that could not be quoted:`);
    for (const s of output.skipped.first) out.push(`  line ${s.line}: ${s.message}`);
    if (output.skipped.count > output.skipped.first.length) out.push(`  ... and ${grouped(output.skipped.count - output.skipped.first.length)} more`);
  }
  return `${out.join('\n')}\n`;
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
    const skipInvalid = parsed.values['skip-invalid'] === true;

    const program = await loadProgramFile(programFile, io.cwd);
    const simulation = new ProgramSimulation(compileProgram(program));
    const baseline = baselineFile === undefined ? undefined : new ProgramSimulation(compileProgram(await loadProgramFile(baselineFile, io.cwd)));
    const customers = customersFile === undefined ? undefined : await loadCustomers(customersFile, io);

    const showProgress = parsed.values.quiet !== true && (io.stderrIsTty || parsed.values.progress === true);
    const bar = showProgress ? new ProgressBar(io, 'simulate', { tty: io.stderrIsTty }) : undefined;
    const skipped = { count: 0, first: [] as Array<{ line: number; message: string }> };
    try {
      const progress = bar ? (p: { bytesRead: number; totalBytes: number }) => bar.update(p.bytesRead, p.totalBytes, `${grouped(simulation.orders)} orders`) : undefined;
      for await (const { line, value } of readNdjson(resolve(io.cwd, ordersFile), ordersFile, progress)) {
        try {
          if (!isObject(value)) throw new InputError([{ pointer: '', code: 'invalid-order', message: 'expected an order object' }]);
          const order = value as unknown as OrderInput;
          const customer = typeof order.customerId === 'string' ? customers?.get(order.customerId) : undefined;
          simulation.add(order, customer);
          baseline?.add(order, customer);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          const message = describeInputError(error);
          if (!skipInvalid) throw new CliError(`${ordersFile}:${line}: ${message}\nFix the order, or run with --skip-invalid to skip orders that cannot be quoted.`);
          skipped.count++;
          if (skipped.first.length < SKIPPED_SHOWN) skipped.first.push({ line, message });
        }
      }
    } catch (error) {
      bar?.clear();
      throw error;
    }
    bar?.finish(`${grouped(simulation.orders)} orders`);

    const report = simulation.report();
    const baselineReport = baseline?.report();
    let output: SimulateOutput = { program: report, skipped, tierIds: (program.tiers?.levels ?? []).map((l) => l.id) };
    if (baselineReport) {
      const { candidate: _c, baseline: _b, ...difference } = compareSimulations(report, baselineReport);
      output = { ...output, baseline: baselineReport, difference };
    }
    io.stdout.write(parsed.values.json === true ? `${JSON.stringify(output, null, 2)}\n` : formatReport(output, programFile, baselineFile));
    return EXIT_OK;
  },
};
