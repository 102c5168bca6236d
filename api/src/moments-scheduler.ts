/**
 * The moments scheduler built into the server: every `intervalMs` it runs each tenant's moments job as of now
 * (birthday and anniversary rewards, downgrades, expiries, every time-based moment due), so no external cron is
 * needed. Runs never overlap within a server; across servers they may, and the ledger makes that safe (each
 * account's part is one operation decided on the account). `PURNA_SCHEDULER=off` turns it off, for operators who
 * call `POST /v1/jobs/moments` from their own cron.
 */
import type { Logger } from 'pino';
import { startPeriodic, type PeriodicTask } from './periodic-task.js';

/** What the scheduler needs from the ledger. */
export interface SchedulerLedger {
  tenants(): AsyncIterable<string>;
  runMomentsJob(tenantId: string, options: { at?: string }): Promise<{ emitted: number; customers: number }>;
}

/**
 * Starts the scheduler: a first run at once, then one every `intervalMs`.
 *
 * @example
 * const scheduler = startMomentsScheduler(ledger, { intervalMs: 60_000, logger, now: () => new Date().toISOString() });
 * await scheduler.stop();
 */
export function startMomentsScheduler(ledger: SchedulerLedger, options: { intervalMs: number; logger: Pick<Logger, 'info' | 'error'>; now: () => string }): PeriodicTask {
  return startPeriodic(
    'moments run',
    async (stopped) => {
      for await (const tenantId of ledger.tenants()) {
        if (stopped()) return;
        try {
          const answer = await ledger.runMomentsJob(tenantId, { at: options.now() });
          if (answer.emitted > 0) options.logger.info({ tenantId, ...answer }, 'moments run');
        } catch (error) {
          // One tenant's failure (a storage hiccup) must not stop the others; the next tick tries again.
          options.logger.error({ tenantId, err: error }, 'moments run failed; the next run catches up');
        }
      }
    },
    options,
  );
}
