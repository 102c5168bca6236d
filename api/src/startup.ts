/**
 * What every Purna process does first (the server, `purna worker`): read the configuration, or print every bad
 * variable in one message and exit with 1 (never a stack trace); and open the ledger on the store it names.
 */
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
