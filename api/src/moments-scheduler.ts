/**
 * The moments scheduler built into the server: every `intervalMs` it runs each tenant's moments job as of now
 * (birthday and anniversary rewards, downgrades, expiries, every time-based moment due), so no external cron is
 * needed. Runs never overlap within a server; across servers they may, and the ledger makes that safe (each
 * account's part is one operation decided on the account). `PURNA_SCHEDULER=off` turns it off, for operators who
 * call `POST /v1/jobs/moments` from their own cron.
 */
import type { Logger } from 'pino';

/** What the scheduler needs from the ledger. */
export interface SchedulerLedger {
  tenants(): AsyncIterable<string>;
  runMomentsJob(tenantId: string, options: { at?: string }): Promise<{ emitted: number; customers: number }>;
}

/** A started scheduler. */
export interface MomentsScheduler {
  /** Runs once now (what each tick does); resolves when done. */
  runOnce(): Promise<void>;
  /** Stops ticking and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the scheduler: a first run at once, then one every `intervalMs`.
 *
 * @example
 * const scheduler = startMomentsScheduler(ledger, { intervalMs: 60_000, logger, now: () => new Date().toISOString() });
 * await scheduler.stop();
 */
export function startMomentsScheduler(ledger: SchedulerLedger, options: { intervalMs: number; logger: Pick<Logger, 'info' | 'error'>; now: () => string }): MomentsScheduler {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = async (): Promise<void> => {
    for await (const tenantId of ledger.tenants()) {
      if (stopped) return;
      try {
        const answer = await ledger.runMomentsJob(tenantId, { at: options.now() });
        if (answer.emitted > 0) options.logger.info({ tenantId, ...answer }, 'moments run');
      } catch (error) {
        // One tenant's failure (a storage hiccup) must not stop the others; the next tick tries again.
        options.logger.error({ tenantId, err: error }, 'moments run failed; the next run catches up');
      }
    }
  };
  const runOnce = (): Promise<void> => {
    running ??= run()
      .catch((error: unknown) => options.logger.error({ err: error }, 'moments run could not list the tenants; the next run tries again'))
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  const timer = setInterval(() => void runOnce(), options.intervalMs);
  timer.unref();
  void runOnce();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
