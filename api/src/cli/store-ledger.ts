/**
 * The ledger on the store the API uses (the embedded store in PURNA_DATA_DIR, or MongoDB with MONGODB_URI), for the
 * commands that work on it directly (keys, import, export), and the tenant they name.
 */
import { resolve } from 'node:path';
import type { Ledger } from '@purna/ledger';
import { ConfigError, loadConfig } from '../config.js';
import { CliError, UsageError } from './cli-error.js';
import type { CliIo } from './cli-io.js';
import { stringOption, type ParsedCommandLine } from './command.js';

/** The storage options every such command takes, for its usage text. */
export const STORAGE_USAGE = `Storage options (the same as the API's, also from the environment):
  --data-dir <folder>   PURNA_DATA_DIR, the embedded store (default ./.purna-data)
  --mongodb-uri <uri>   MONGODB_URI, use MongoDB instead
`;

const TENANT_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** Opens the ledger on the store the API would use with these options and environment. */
export async function openStoreLedger(parsed: ParsedCommandLine, io: CliIo): Promise<Ledger> {
  const env = { ...io.env };
  const dataDir = stringOption(parsed, 'data-dir');
  const mongodbUri = stringOption(parsed, 'mongodb-uri');
  if (dataDir !== undefined) env.PURNA_DATA_DIR = dataDir;
  if (mongodbUri !== undefined) env.MONGODB_URI = mongodbUri;
  let config;
  try {
    config = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message);
    throw error;
  }
  const store = config.mongodbUri ? ({ kind: 'mongo', uri: config.mongodbUri } as const) : ({ kind: 'lmdb', path: resolve(io.cwd, config.dataDir) } as const);
  // Loaded here, not at the top: the ledger brings the storage drivers, which the other commands never need.
  const { openLedger } = await import('@purna/ledger');
  return openLedger({ store });
}

export function tenantOf(parsed: ParsedCommandLine, command: string): string {
  const tenant = stringOption(parsed, 'tenant') ?? 'default';
  if (!TENANT_PATTERN.test(tenant)) throw new UsageError(`--tenant must be lowercase letters, digits, ".", "_" or "-", got ${JSON.stringify(tenant)}`, command);
  return tenant;
}

