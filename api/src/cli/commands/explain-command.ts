/**
 * `purna explain <program.json> --order <order.json> [--customer <customer.json>] [--history <history.json>]
 *   [--at ISO] [--lang en|id|fil] [--json]`
 *
 * Quotes one order and explains its points in sentences a customer or a support agent can read, in English,
 * Indonesian or Filipino, from the same trace the API returns: one answer to "why did I get these points?".
 */
import { compileProgram, explainOrder, explanationText, InputError, isLanguage, LANGUAGES, quoteOrder, type CustomerHistory, type CustomerInput, type OrderInput } from '@purna/rules';
import { CliError, EXIT_OK, UsageError } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';
import { JsonDocument, JsonSyntaxError } from '../json-document.js';
import { loadProgramFile, readTextFile } from '../program/program-file.js';

const USAGE = `Usage: purna explain <program.json> --order <order.json> [options]

Explains the points of one order in sentences, from the quote's trace.

Options:
  --order <file>      the order (POST /v1/orders shape) (required)
  --customer <file>   the customer profile, for conditions on the customer
  --history <file>    the customer's history summary { "orders": [...], "usage": {...} } (default: none, a new customer)
  --at <instant>      when the question is asked (default: the order's placedAt)
  --lang en|id|fil    English (default), Indonesian or Filipino
  --json              print { points, paragraphs, quote } as JSON
`;

/** Reads a JSON file, with syntax errors at their line and column. */
async function readJsonFile(path: string, io: CliIo): Promise<unknown> {
  const text = await readTextFile(path, io.cwd);
  try {
    return JsonDocument.parse(text).value;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    const p = error.problems[0];
    throw new CliError(`${path}:${p?.position.line ?? 1}:${p?.position.column ?? 1}: ${p?.message ?? 'invalid JSON'}`);
  }
}

/**
 * The `explain` command.
 *
 * @example
 * npx purna explain program.json --order order.json --lang id
 */
export const explainCommand: Command = {
  name: 'explain',
  summary: 'explain the points of one order in sentences (English, Indonesian or Filipino)',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('explain', args, {
      order: { type: 'string' },
      customer: { type: 'string' },
      history: { type: 'string' },
      at: { type: 'string' },
      lang: { type: 'string' },
      json: { type: 'boolean' },
    });
    if (printedHelp(explainCommand, parsed, io)) return EXIT_OK;
    const [programFile = ''] = expectPositionals('explain', parsed, ['program.json']);
    const orderFile = stringOption(parsed, 'order');
    if (orderFile === undefined) throw new UsageError('purna explain needs --order <order.json>', 'explain');
    const lang = stringOption(parsed, 'lang') ?? 'en';
    if (!isLanguage(lang)) throw new UsageError(`--lang must be one of ${LANGUAGES.join(', ')}, got ${JSON.stringify(lang)}`, 'explain');

    const program = await loadProgramFile(programFile, io.cwd);
    const orderJson = await readJsonFile(orderFile, io);
    if (typeof orderJson !== 'object' || orderJson === null || Array.isArray(orderJson)) throw new CliError(`${orderFile} must hold one order object {"id", "currency", "lines", ...}`);
    const order = orderJson as OrderInput;
    const customerFile = stringOption(parsed, 'customer');
    const historyFile = stringOption(parsed, 'history');
    const customer = customerFile === undefined ? undefined : ((await readJsonFile(customerFile, io)) as CustomerInput);
    const history = historyFile === undefined ? { orders: [], usage: {} } : ((await readJsonFile(historyFile, io)) as CustomerHistory);
    const at = stringOption(parsed, 'at') ?? order.placedAt;
    if (at === undefined) throw new UsageError('the order has no "placedAt": give --at <instant> to say when it is placed', 'explain');

    let quote;
    try {
      quote = quoteOrder(compileProgram(program), customer === undefined ? { order, history } : { customer, order, history }, { at, trace: true });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      throw new CliError(`cannot quote ${orderFile}:\n${error.errors.map((p) => `  ${p.pointer || '/'}: ${p.message}`).join('\n')}`);
    }
    const explanation = explainOrder(program, quote, order.id, lang);
    if (parsed.values.json === true) io.stdout.write(`${JSON.stringify({ language: explanation.language, points: explanation.points, paragraphs: explanation.paragraphs, quote }, null, 2)}\n`);
    else io.stdout.write(explanationText(explanation));
    return EXIT_OK;
  },
};
