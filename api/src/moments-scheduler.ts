/**
 * The moments scheduler built into the server: every `intervalMs` it runs each tenant's moments job as of now
 * (birthday and anniversary rewards, downgrades, expiries, every time-based moment due), so no external cron is
 * needed. Runs never overlap within a server. Across servers, each tenant's run is taken with a store lease
 * (`moments-run`, held for `intervalMs` by the instance that ran it, StoreLeases of @purna/ledger): of N servers one
 * runs a tenant each interval, and when it dies another takes over once the lease runs out. Were two runs to meet
 * anyway (a run longer than the interval), the ledger makes that safe: each account's part is one operation decided
 * on the account. `PURNA_SCHEDULER=off` turns it off, for operators who call `POST /v1/jobs/moments` from their own
 * cron.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { StoreLeases } from '@purna/ledger';
import type { Logger } from 'pino';
import { startPeriodic, type PeriodicTask } from './periodic-task.js';

/** What the scheduler needs from the ledger. */
export interface SchedulerLedger {
  tenants(): AsyncIterable<string>;
  runMomentsJob(tenantId: string, options: { at?: string }): Promise<{ emitted: number; customers: number }>;
  readonly leases: Pick<StoreLeases, 'take'>;
}

/** The lease a tenant's scheduled moments run is taken under. */
export const MOMENTS_RUN_LEASE = 'moments-run';

/**
 * Starts the scheduler: a first run at once, then one every `intervalMs`.
 *
 * @example
 * const scheduler = startMomentsScheduler(ledger, { intervalMs: 60_000, logger, now: () => new Date().toISOString() });
 * await scheduler.stop();
 */
export function startMomentsScheduler(ledger: SchedulerLedger, options: { intervalMs: number; logger: Pick<Logger, 'info' | 'error'>; now: () => string; owner?: string }): PeriodicTask {
  const owner = options.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  return startPeriodic(
    'moments run',
    async (stopped) => {
      for await (const tenantId of ledger.tenants()) {
        if (stopped()) return;
        try {
          // Another instance ran this tenant within the interval: its run covers ours.
          if (!(await ledger.leases.take(tenantId, MOMENTS_RUN_LEASE, owner, options.intervalMs))) continue;
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
