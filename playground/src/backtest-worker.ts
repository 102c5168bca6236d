/**
 * The backtest, off the page's thread: replays an orders file through the program in the editor and the published
 * one side by side (ProgramSimulation, as `purna simulate` does), posting progress as it goes and the reports at the
 * end. A record that cannot be decided stops the run with its line, as the CLI does without --skip-invalid.
 */
import { compareSimulations, compileProgram, InputError, parseProgram, ProgramError, ProgramSimulation, type SimulationRecord } from '@purna/rules';
import type { BacktestMessage, BacktestRequest } from './backtest-protocol.js';
import { OrdersFileError, ordersFileRecords } from './orders-file.js';

/** Records between two progress messages. */
const PROGRESS_EVERY = 200;

interface WorkerScope {
  onmessage: ((event: MessageEvent<BacktestRequest>) => void) | null;
  postMessage(message: BacktestMessage): void;
}
const scope = globalThis as unknown as WorkerScope;

function programOf(text: string, which: string) {
  try {
    return parseProgram(text);
  } catch (error) {
    if (error instanceof ProgramError) throw new Error(`${which} is not valid: ${error.errors.map((p) => `${p.pointer || '/'} ${p.message}`).join('; ')}`);
    throw error;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function run(request: BacktestRequest): Promise<BacktestMessage> {
  const program = programOf(request.program, 'the program in the editor');
  const baselineProgram = request.baseline === undefined ? undefined : programOf(request.baseline, 'the published program');
  const simulation = new ProgramSimulation(compileProgram(program));
  const baseline = baselineProgram === undefined ? undefined : new ProgramSimulation(compileProgram(baselineProgram));
  const text = await request.orders.text();
  let records = 0;
  for (const { line, value, end } of ordersFileRecords(text, request.fileName)) {
    try {
      if (!isObject(value)) throw new InputError([{ pointer: '', code: 'invalid-record', message: 'expected a record object (an order, or {"type": "return", ...})' }]);
      simulation.add(value as unknown as SimulationRecord);
      baseline?.add(value as unknown as SimulationRecord);
    } catch (error) {
      if (error instanceof InputError) throw new OrdersFileError(request.fileName, line, error.errors.map((p) => p.message).join('; '));
      throw error;
    }
    records++;
    if (records % PROGRESS_EVERY === 0) scope.postMessage({ type: 'progress', done: end, total: text.length, records });
  }
  scope.postMessage({ type: 'progress', done: text.length, total: text.length, records });
  const report = simulation.report();
  const baselineReport = baseline?.report();
  if (!baselineReport) return { type: 'done', records, report, baseline: undefined, difference: undefined };
  const { candidate: _candidate, baseline: _baseline, ...difference } = compareSimulations(report, baselineReport);
  return { type: 'done', records, report, baseline: baselineReport, difference };
}

scope.onmessage = (event) => {
  run(event.data).then(
    (message) => scope.postMessage(message),
    (error: unknown) => scope.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
};
