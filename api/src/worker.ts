/**
 * `purna worker`: the background work without the API: webhook delivery and, unless `PURNA_SCHEDULER=off`, the
 * moments scheduler, on the store the same variables as the server's name. Run as many as you like beside the
 * servers (set `PURNA_WEBHOOK_DELIVERY=off` on the servers to leave delivery to the workers). Stops on SIGTERM or
 * SIGINT once the runs in progress end. Importing this module starts the worker.
 */
import { pino } from 'pino';
import { startBackgroundTasks } from './background-tasks.js';
import { openConfiguredLedger, readConfigOrExit, storeOf } from './startup.js';

const config = readConfigOrExit();
const logger = pino({ level: config.logLevel });
const ledger = await openConfiguredLedger(config);
// Delivery is what a worker is for, whatever the servers' setting says.
const background = startBackgroundTasks(ledger, { ...config, webhookDelivery: true }, logger);
// The tasks' timers do not hold a process open (a server's listening socket does); a worker has nothing else, so
// this one keeps it running until it is told to stop.
const keepAlive = setInterval(() => undefined, 60 * 60 * 1000);
console.log(`Purna worker: ${background.running.join(' and ')} (data: ${storeOf(config).kind === 'mongo' ? 'MongoDB' : config.dataDir})`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'worker stopping: finishing the runs in progress');
  await background.stop();
  await ledger.close();
  clearInterval(keepAlive);
  process.exit(0);
}
process.once('SIGTERM', () => void stop('SIGTERM'));
process.once('SIGINT', () => void stop('SIGINT'));
