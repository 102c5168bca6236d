/**
 * Builds (once, cached by source hash) and starts our FerretDB v1 wrapper, so tests of the MongoDB store run
 * against a real MongoDB-wire-compatible server on machines where MongoDB itself cannot be installed.
 *
 * Backend: SQLite. Each start gets a fresh temporary directory, so runs never see each other's data, and
 * nothing beyond Go is needed. `PURNA_FERRETDB_HANDLER=postgresql` (with `PURNA_FERRETDB_POSTGRESQL_URL`) selects
 * PostgreSQL instead. See docs/development.md.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = dirname(fileURLToPath(import.meta.url));

export interface RunningFerretDB {
  uri: string;
  stop(): Promise<void>;
}

/** True when a Go toolchain is on the PATH. */
export function goAvailable(): boolean {
  const probe = spawnSync('go', ['version'], { stdio: 'ignore' });
  return probe.status === 0;
}

function cacheDir(): string {
  const base = process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache');
  return join(base, 'purna', 'ferretdb');
}

/** Path of the wrapper binary, built now if no binary for the current sources is cached. */
export function ensureFerretBinary(log: (line: string) => void = () => undefined): string {
  const hash = createHash('sha256');
  for (const file of ['go.mod', 'go.sum', 'main.go']) hash.update(readFileSync(join(moduleDir, file)));
  const binary = join(cacheDir(), `purna-ferretdb-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(binary)) return binary;

  mkdirSync(cacheDir(), { recursive: true });
  log(`building FerretDB wrapper (first run only) into ${binary}`);
  const partial = `${binary}.partial-${process.pid}`;
  const build = spawnSync('go', ['build', '-trimpath', '-o', partial, '.'], {
    cwd: moduleDir,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, GOFLAGS: '-mod=readonly' },
  });
  if (build.status !== 0) {
    throw new Error(`go build of scripts/ferretdb failed with exit code ${String(build.status)}`);
  }
  renameSync(partial, binary);
  return binary;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts FerretDB on a free loopback port; resolves once it prints its URI. */
export async function startFerretDB(log: (line: string) => void = () => undefined): Promise<RunningFerretDB> {
  const binary = ensureFerretBinary(log);
  const port = await freePort();
  const handler = process.env.PURNA_FERRETDB_HANDLER ?? 'sqlite';
  const dataDir = mkdtempSync(join(tmpdir(), 'purna-ferretdb-'));
  const args = ['-listen', `127.0.0.1:${port}`, '-handler', handler];
  if (handler === 'sqlite') args.push('-sqlite-dir', dataDir);
  else args.push('-postgresql-url', process.env.PURNA_FERRETDB_POSTGRESQL_URL ?? 'postgres://127.0.0.1:5432/postgres');

  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`FerretDB did not start within 30 s: ${stderr}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited with code ${String(code)} before listening: ${stderr}`));
    });
    child.stdout?.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(chunk.toString().trim());
    });
  });

  return {
    uri,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
