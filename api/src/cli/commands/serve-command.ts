/**
 * `purna serve [--port 3000] [--host ADDRESS] [--data-dir ./.purna-data] [--mongodb-uri URI]`: starts the API. The options become the
 * environment variables the API's own server entry (api/src/server.ts) reads and validates, then that entry runs:
 * one way to start the server, whether through `npm start` or `npx purna serve`.
 */
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';

const USAGE = `Usage: purna serve [--port <n>] [--host <address>] [--data-dir <folder>] [--mongodb-uri <uri>] [--admin-key <key>]

Starts the REST API (docs at /docs). Every option is also an environment variable:
  --port <n>            PORT (default 3000)
  --host <address>      HOST, the address to listen on (default every address of the machine)
  --data-dir <folder>   PURNA_DATA_DIR, where the embedded store keeps its data (default ./.purna-data)
  --mongodb-uri <uri>   MONGODB_URI; when set, MongoDB is the store instead of the embedded one
  --admin-key <key>     PURNA_ADMIN_KEY, an admin key of tenant "default" (otherwise one is printed at start)
`;

/** Which option sets which environment variable. */
const ENVIRONMENT: ReadonlyArray<readonly [option: string, variable: string]> = [
  ['port', 'PORT'],
  ['host', 'HOST'],
  ['data-dir', 'PURNA_DATA_DIR'],
  ['mongodb-uri', 'MONGODB_URI'],
  ['admin-key', 'PURNA_ADMIN_KEY'],
];

/**
 * The `serve` command.
 *
 * @example
 * npx purna serve --port 8080
 */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'start the REST API (embedded store, or MongoDB with --mongodb-uri)',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('serve', args, Object.fromEntries(ENVIRONMENT.map(([option]) => [option, { type: 'string' as const }])));
    if (printedHelp(serveCommand, parsed, io)) return 0;
    expectPositionals('serve', parsed, []);
    for (const [option, variable] of ENVIRONMENT) {
      const value = stringOption(parsed, option);
      if (value !== undefined) process.env[variable] = value;
    }
    // The server entry reads its configuration, opens the store and listens as it loads; it owns the process from
    // here (signals, shutdown), so the command simply lets it run.
    await import('../../server.js');
    return 0;
  },
};
