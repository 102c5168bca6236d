/**
 * A task the server runs by itself every so often (the moments scheduler, webhook delivery): a first run at once,
 * then one every `intervalMs`, never two at once within the process, a failure logged and left to the next run, and
 * a stop that waits for the run in progress. Across processes runs may overlap; each task makes that safe itself.
 */
import type { Logger } from 'pino';

/** A started task. */
export interface PeriodicTask {
  /** Runs once now, or joins the run in progress; resolves when it is done. */
  runOnce(): Promise<void>;
  /** Stops ticking and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Starts `run` every `intervalMs` (the timer does not keep the process alive). `run` is told whether the task was
 * stopped, so a long run can end early.
 *
 * @example
 * const task = startPeriodic('moments', (stopped) => runAll(stopped), { intervalMs: 60_000, logger });
 * await task.stop();
 */
export function startPeriodic(name: string, run: (stopped: () => boolean) => Promise<void>, options: { intervalMs: number; logger: Pick<Logger, 'error'> }): PeriodicTask {
  let running: Promise<void> | undefined;
  let stopped = false;
  const runOnce = (): Promise<void> => {
    running ??= run(() => stopped)
      .catch((error: unknown) => options.logger.error({ err: error }, `${name}: the run failed; the next run tries again`))
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
