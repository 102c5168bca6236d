/**
 * `purna import FILE`: imports the customers of an NDJSON file (one customer a line, as `purna export` and
 * `GET /v1/customers/{id}/export` write them) into a tenant of the store the API uses, through the ledger's import:
 * streamed in bounded memory, every line checked on its own, each customer once. Named by `--key` (default: the
 * file's name), an import run again after an interruption skips the customers it holds already.
 */
import { createReadStream } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ImportStatus } from '@purna/ledger';
import { EXIT_OK } from '../cli-error.js';
import type { CliIo } from '../cli-io.js';
import { expectPositionals, parseCommandLine, printedHelp, stringOption, type Command } from '../command.js';
import { fileSize } from '../ndjson-reader.js';
import { grouped } from '../number-format.js';
import { ProgressBar } from '../progress-bar.js';
import { openStoreLedger, STORAGE_USAGE, tenantOf } from '../store-ledger.js';

const USAGE = `Usage: purna import <file.ndjson> [--tenant default] [--key <name>] [--json] [--progress]

  Imports customers from another program: one customer a line,
  {"id", "enrolledAt", "birthDate"?, "timezone"?, "emailHash"?, "phoneHash"?, "referralCode"?, "tags"?,
   "lots"?: [{"points", "availableAt"?, "expiresAt"?, "reason"?}], "tier"?: {"id", "until"}}
  (docs/data.md, "Migrating from another program"). Bad lines are listed with their line number and pointer; the
  others are imported. The import is named by --key (default: the file's name): run it again with the same key to
  finish an interrupted one; the customers it holds already are skipped.

  --json       print the import's status as JSON
  --progress   draw the progress bar even when stderr is not a terminal

${STORAGE_USAGE}`;

/** The line errors listed on the terminal (the status keeps more; --json prints them all). */
const SHOWN_ERRORS = 20;

/** `purna import`. */
export const importCommand: Command = {
  name: 'import',
  summary: 'import customers with their balances and tiers from an NDJSON file',
  usage: USAGE,
  async run(args: readonly string[], io: CliIo): Promise<number> {
    const parsed = parseCommandLine('import', args, {
      tenant: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean' },
      progress: { type: 'boolean' },
      'data-dir': { type: 'string' },
      'mongodb-uri': { type: 'string' },
    });
    if (printedHelp(importCommand, parsed, io)) return EXIT_OK;
    const [file] = expectPositionals('import', parsed, ['file.ndjson']) as [string];
    const tenant = tenantOf(parsed, 'import');
    const path = resolve(io.cwd, file);
    const total = await fileSize(path, file);
    const bar = new ProgressBar(io, 'import', { tty: io.stderrIsTty || parsed.values.progress === true });
    let bytesRead = 0;
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
        bytesRead += chunk.length;
        yield chunk;
      }
    }
    const ledger = await openStoreLedger(parsed, io);
    let status: ImportStatus;
    try {
      status = await ledger.importCustomers(tenant, counted(), {
        idempotencyKey: stringOption(parsed, 'key') ?? basename(file),
        onProgress: (now) => bar.update(bytesRead, total, `${grouped(now.processed)} lines, ${grouped(now.imported)} imported, ${grouped(now.failed)} failed`),
      });
    } catch (error) {
      bar.clear();
      throw error;
    } finally {
      await ledger.close();
    }
    bar.finish(`${grouped(status.processed)} lines`);
    if (parsed.values.json === true) {
      io.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return EXIT_OK;
    }
    const lines = [`Import ${status.importId} into tenant "${tenant}": ${grouped(status.imported)} customers imported, ${grouped(status.failed)} lines refused.`];
    for (const error of status.errors.slice(0, SHOWN_ERRORS)) lines.push(`  ${file}:${error.line} ${error.pointer === '' ? '' : `${error.pointer}: `}${error.message}`);
    if (status.failed > SHOWN_ERRORS) lines.push(`  ... and ${grouped(status.failed - SHOWN_ERRORS)} more (--json lists ${status.errors.length})`);
    io.stdout.write(`${lines.join('\n')}\n`);
    return EXIT_OK;
  },
};
