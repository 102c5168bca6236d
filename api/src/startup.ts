/**
 * What every Purna process does first (the server, `purna worker`): read the configuration, or print every bad
 * variable in one message and exit with 1 (never a stack trace); and open the ledger on the store it names.
 */
import { statSync } from 'node:fs';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { openLedger, type Ledger } from '@purna/ledger';
import { ConfigError, loadConfig, type Config } from './config.js';

/**
 * The configuration from the environment; on a bad one, prints the problems and exits with 1.
 *
 * @example const config = readConfigOrExit();
 */
export function readConfigOrExit(env: NodeJS.ProcessEnv = process.env): Config {
  try {
    return loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/** True when `path` exists and is not a folder; a path that cannot be looked at is left to the store to refuse. */
function existsAsNonFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === false;
  } catch {
    return false;
  }
}

/**
 * How a listen address appears in a URL: `localhost` for every address (HOST unset, `0.0.0.0`, `::`), brackets
 * around an IPv6 address.
 *
 * @example urlHost('::1') // '[::1]'
 */
export function urlHost(host: string | undefined): string {
  if (host === undefined || host === '0.0.0.0' || host === '::') return 'localhost';
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** The store the configuration names: MongoDB when `MONGODB_URI` is set, else the embedded store in the data folder. */
export function storeOf(config: Config): { kind: 'mongo'; uri: string } | { kind: 'lmdb'; path: string } {
  return config.mongodbUri ? { kind: 'mongo', uri: config.mongodbUri } : { kind: 'lmdb', path: resolve(config.dataDir) };
}

/**
 * Opens the ledger on the configured store; when the store cannot be opened, prints one sentence naming the
 * variable to check and exits with 1.
 *
 * @example const ledger = await openConfiguredLedger(config);
 */
export async function openConfiguredLedger(config: Config): Promise<Ledger> {
  const store = storeOf(config);
  // The embedded store would open an existing file as its database file (and write into it): the data folder
  // must be a folder, created when missing, used as it is when it exists (a container volume, empty or not).
  if (store.kind === 'lmdb' && existsAsNonFolder(store.path)) {
    console.error(`PURNA_DATA_DIR must name a folder, and ${store.path} is a file: point it at a folder (created when missing) or move the file away.`);
    process.exit(1);
  }
  try {
    return await openLedger({ store });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    console.error(
      store.kind === 'lmdb'
        ? `Purna could not open its embedded store in ${store.path} (${reason}): PURNA_DATA_DIR must name a folder this process can create and write.`
        : `Purna could not open MongoDB (${reason}): check MONGODB_URI.`,
    );
    process.exit(1);
  }
}
