/**
 * `npm start`: reads config, opens storage and listens.
 */
import { ConfigError, loadConfig } from './config.js';

try {
  loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
console.error('The ledger is not wired yet: @purna/ledger does not export openLedger.');
process.exit(1);
