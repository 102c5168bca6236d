/**
 * The work a Purna process does besides answering requests: the moments scheduler (time-based moments, rewards,
 * downgrades, expiries) and webhook delivery. The server runs both unless `PURNA_SCHEDULER=off` or
 * `PURNA_WEBHOOK_DELIVERY=off`; `purna worker` runs them without the API. Several processes may run them at once.
 */
import type { Ledger } from '@purna/ledger';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { startMomentsScheduler } from './moments-scheduler.js';
import type { PeriodicTask } from './periodic-task.js';
import { startDeliveryWorker } from './webhooks/delivery-worker.js';

/** The tasks started; `stop` ends them and waits for runs in progress. */
export interface BackgroundTasks {
  readonly running: readonly string[];
  stop(): Promise<void>;
}

/**
 * Starts the tasks `config` turns on.
 *
 * @example
 * const tasks = startBackgroundTasks(ledger, config, logger);
 * await tasks.stop();
 */
export function startBackgroundTasks(ledger: Ledger, config: Config, logger: Logger): BackgroundTasks {
  const tasks: Array<[string, PeriodicTask]> = [];
  if (config.scheduler) tasks.push(['moments scheduler', startMomentsScheduler(ledger, { intervalMs: config.schedulerIntervalMs, logger, now: () => new Date().toISOString() })]);
  if (config.webhookDelivery) tasks.push(['webhook delivery', startDeliveryWorker(ledger, { intervalMs: config.deliveryIntervalMs, concurrency: config.deliveryConcurrency, allowHosts: config.webhookAllowHosts, logger })]);
  return {
    running: tasks.map(([name]) => name),
    async stop() {
      await Promise.all(tasks.map(([, task]) => task.stop()));
    },
  };
}
