/**
 * `purna worker [--data-dir ./.purna-data] [--mongodb-uri URI]`: runs webhook delivery and the moments scheduler
 * without the API. The options become the environment variables the worker entry (api/src/worker.ts) reads and
 * validates, as `purna serve` does for the server.
 */
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';

const USAGE = `Usage: purna worker [--data-dir <folder>] [--mongodb-uri <uri>]

Delivers webhooks and runs the moments scheduler (unless PURNA_SCHEDULER=off), without the API. Every option is
also an environment variable:
  --data-dir <folder>   PURNA_DATA_DIR, where the embedded store keeps its data (default ./.purna-data)
  --mongodb-uri <uri>   MONGODB_URI; when set, MongoDB is the store instead of the embedded one
Also read: PURNA_WEBHOOK_ALLOW_HOSTS, PURNA_WEBHOOK_DELIVERY_INTERVAL_MS, PURNA_SCHEDULER_INTERVAL_MS, LOG_LEVEL.
The embedded store is one process's: with it, run the worker instead of the server's own delivery, not beside it.
`;

/** Which option sets which environment variable. */
const ENVIRONMENT: ReadonlyArray<readonly [option: string, variable: string]> = [
  ['data-dir', 'PURNA_DATA_DIR'],
  ['mongodb-uri', 'MONGODB_URI'],
];

/**
 * The `worker` command.
 *
 * @example
 * npx purna worker --mongodb-uri mongodb://db:27017/purna
 */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'deliver webhooks and run the moments scheduler, without the API',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('worker', args, Object.fromEntries(ENVIRONMENT.map(([option]) => [option, { type: 'string' as const }])));
    if (printedHelp(workerCommand, parsed, io)) return 0;
    expectPositionals('worker', parsed, []);
    for (const [option, variable] of ENVIRONMENT) {
      const value = stringOption(parsed, option);
      if (value !== undefined) process.env[variable] = value;
    }
    // The worker entry reads its configuration, opens the store and starts as it loads; it owns the process from
    // here (signals, shutdown), so the command simply lets it run.
    await import('../../worker.js');
    return 0;
  },
};
