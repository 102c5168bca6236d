/**
 * The real server (`api/src/server.ts`, what `npm start` runs) as a child process on a free loopback port, with
 * the configuration a deployment would give it. Nothing in-process is shared with it: its MongoDB connection, its
 * readiness check and its answer cache are the production ones. Its log (JSON lines at `LOG_LEVEL`) is kept so a
 * failing test can show what the server said.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort } from '../../../scripts/ferretdb/ferretdb.js';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..');

/** A running server process. */
export interface ServerProcess {
  port: number;
  /** The admin key of tenant `default` it was started with (`PURNA_ADMIN_KEY`). */
  adminKey: string;
  /** The last lines it wrote (stdout and stderr), newest last. */
  output(): string;
  /** Its log lines at level error (50) or above, parsed. */
  errors(): Array<Record<string, unknown>>;
  /** SIGTERM (graceful shutdown), SIGKILL if it is still running 10 s later. */
  stop(): Promise<void>;
  /**
   * SIGKILL, as a crash or an OOM kill ends it: no graceful shutdown, requests and background work in flight are
   * cut where they stand. Resolves once the process has exited; its data (folder or database) stays.
   */
  kill(): Promise<void>;
  /**
   * Starts it again after `kill` or `stop`, with the same environment, port and admin key: the same data (the
   * `PURNA_DATA_DIR` folder or the `MONGODB_URI` database), reached at the URL clients already hold. Waits until
   * `/readyz` answers 200, as the first start did; the output carries on after a line that marks the restart.
   */
  restart(readyWithinMs?: number): Promise<void>;
}

/**
 * Starts the server with `env` on top of this process's environment (`PORT`, `PURNA_ADMIN_KEY` and
 * `LOG_LEVEL=error` are set here) and waits until `/readyz` answers 200, at most `readyWithinMs`.
 */
export async function startServerProcess(env: Record<string, string>, readyWithinMs = 90_000): Promise<ServerProcess> {
  const port = await freePort();
  const adminKey = `pk_reliability_${randomBytes(24).toString('hex')}`;
  let output = '';
  const errorLines: Array<Record<string, unknown>> = [];
  const take = (chunk: Buffer): void => {
    const text = chunk.toString();
    output = (output + text).slice(-20_000);
    for (const line of text.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (typeof parsed.level === 'number' && parsed.level >= 50) errorLines.push(parsed);
      } catch {
        // A line cut across two chunks: it stays in `output`.
      }
    }
  };

  let life = await launch(env, port, adminKey, take, () => output, readyWithinMs);
  return {
    port,
    adminKey,
    output: () => output,
    errors: () => [...errorLines],
    async stop() {
      if (life.ended()) return;
      life.child.kill('SIGTERM');
      await Promise.race([life.exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (!life.ended()) {
        life.child.kill('SIGKILL');
        await life.exited;
      }
    },
    async kill() {
      if (life.ended()) return;
      life.child.kill('SIGKILL');
      await life.exited;
    },
    async restart(readyWithin = readyWithinMs) {
      if (!life.ended()) throw new Error('restart: the server is still running; kill() or stop() it first');
      output = `${output}\n--- restarted on port ${port} ---\n`;
      life = await launch(env, port, adminKey, take, () => output, readyWithin);
    },
  };
}

/** One life of the server process: spawned, and ready. */
interface Life {
  child: ChildProcess;
  ended(): boolean;
  exited: Promise<void>;
}

async function launch(env: Record<string, string>, port: number, adminKey: string, take: (chunk: Buffer) => void, output: () => string, readyWithinMs: number): Promise<Life> {
  const child = spawn(process.execPath, ['--conditions=purna-source', '--import', 'tsx', 'api/src/server.ts'], {
    cwd: repoRoot,
    // Tests say when time-based work runs; the built-in scheduler (real now) stays off unless a test turns it on.
    env: { ...process.env, LOG_LEVEL: 'error', PURNA_SCHEDULER: 'off', ...env, PORT: String(port), PURNA_ADMIN_KEY: adminKey },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const ended = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  const deadline = Date.now() + readyWithinMs;
  for (;;) {
    if (ended()) throw new Error(`the server exited with ${String(child.exitCode ?? child.signalCode)} before it was ready:\n${output()}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(5000) }).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) return { child, ended, exited };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the server was not ready within ${readyWithinMs} ms:\n${output()}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
