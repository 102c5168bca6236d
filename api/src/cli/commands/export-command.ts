/**
 * `purna export`: writes a tenant's customers as NDJSON, one customer a line, in the form `purna import` (and
 * `POST /v1/imports`) takes back: the profile, the points still held as lots with their own dates, the debt, and the
 * tier with the date it is held until (customer-export.ts, importLineOf). One account in memory at a time.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { EXIT_OK } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';
import { openStoreLedger, STORAGE_USAGE, tenantOf } from '../store-ledger.js';

const USAGE = `Usage: purna export [--tenant default] [--out customers.ndjson] [--at <instant>]

  Writes every customer of the tenant as NDJSON (to --out, or to stdout), as of --at (default now), in the form
  purna import takes back: docs/data.md, "Export" and "Migrating from another program".

${STORAGE_USAGE}`;

/** `purna export`. */
export const exportCommand: Command = {
  name: 'export',
  summary: "write a tenant's customers as NDJSON, as purna import takes them back",
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('export', args, {
      tenant: { type: 'string' },
      out: { type: 'string' },
      at: { type: 'string' },
      'data-dir': { type: 'string' },
      'mongodb-uri': { type: 'string' },
    });
    if (printedHelp(exportCommand, parsed, io)) return EXIT_OK;
    expectPositionals('export', parsed, []);
    const tenant = tenantOf(parsed, 'export');
    const out = stringOption(parsed, 'out');
    const at = stringOption(parsed, 'at');
    const ledger = await openStoreLedger(parsed, io);
    const file = out === undefined ? undefined : createWriteStream(resolve(io.cwd, out));
    let count = 0;
    try {
      for await (const line of ledger.exportTenant(tenant, at === undefined ? {} : { at })) {
        // Waits for a full file stream to drain: memory stays flat however many customers there are.
        const text = `${JSON.stringify(line)}\n`;
        if (!file) io.stdout.write(text);
        else if (!file.write(text)) await once(file, 'drain');
        count += 1;
      }
    } finally {
      await ledger.close();
      if (file) await new Promise<void>((done, fail) => file.end((error?: Error | null) => (error ? fail(error) : done())));
    }
    io.stderr.write(`exported ${count} customers of tenant "${tenant}"${out === undefined ? '' : ` to ${out}`}\n`);
    return EXIT_OK;
  },
};
