/**
 * Builds (once, cached by source hash) and starts our FerretDB v1 wrapper, so tests of the MongoDB store run
 * against a real MongoDB-wire-compatible server on machines where MongoDB itself cannot be installed.
 *
 * Backend: SQLite. Each start gets a fresh temporary directory, so runs never see each other's data, and
 * nothing beyond Go is needed. A test that drops the database and brings it back (test 7 of docs/reliability.md)
 * passes its own directory and port instead, kills the server, and starts it again on the same data. `PURNA_FERRETDB_HANDLER=postgresql` (with `PURNA_FERRETDB_POSTGRESQL_URL`) selects
 * PostgreSQL instead. See docs/development.md.
 *
 * Connection pools. FerretDB v1 runs an `update` (and `findAndModify`) by opening a query on one backend connection
 * and, while that query is still open, taking a second connection for the write. When as many of those commands
 * arrive at once as its pool holds (`pool_max_conns`, 50 by default on PostgreSQL), every connection is held by a
 * query waiting for a second one and FerretDB stops answering, with no statement running in PostgreSQL. A
 * standalone run of 200 concurrent `updateOne` of one document with the driver's default pool (100) wedged it after
 * 95; with the driver's pool at 40 the same run finished every round. So the server gets an explicit
 * `pool_max_conns` and the URI clients get carries a `maxPoolSize` that leaves room for several clients at once
 * (docs/development.md, "FerretDB's connection pools").
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const moduleDir = dirname(fileURLToPath(import.meta.url));

/** FerretDB's own pool of PostgreSQL connections (PostgreSQL serves 100 here by default; other clients need some). */
export const FERRETDB_POSTGRESQL_POOL = 64;
/**
 * The driver pool each client of FerretDB gets through `uri` (`maxPoolSize`): five clients at full load stay below
 * the pool above, so an update always finds its second connection.
 */
export const FERRETDB_CLIENT_POOL = 12;

/** The PostgreSQL URL with `pool_max_conns` set, unless the caller's URL sets it. */
function withPoolBound(postgresqlUrl: string): string {
  const url = new URL(postgresqlUrl);
  if (!url.searchParams.has('pool_max_conns')) url.searchParams.set('pool_max_conns', String(FERRETDB_POSTGRESQL_POOL));
  return url.toString();
}

/**
 * A MongoDB URI naming the database `dbName`, its options kept (`mongodb://h1,h2/old?x=1` → `mongodb://h1,h2/new?x=1`).
 *
 * @example mongoUriWithDatabase('mongodb://127.0.0.1:27017/?maxPoolSize=12', 'purna') // 'mongodb://127.0.0.1:27017/purna?maxPoolSize=12'
 */
export function mongoUriWithDatabase(uri: string, dbName: string): string {
  const parts = /^(mongodb(?:\+srv)?:\/\/[^/?]+)(?:\/[^?]*)?(\?.*)?$/.exec(uri);
  if (!parts) throw new TypeError(`not a MongoDB URI: ${JSON.stringify(uri)}`);
  return `${parts[1]!}/${dbName}${parts[2] ?? ''}`;
}

/** The MongoDB URI FerretDB printed, with the driver pool bound and, when given, a database name. */
export function ferretClientUri(printed: string, dbName?: string): string {
  const url = new URL(printed);
  url.searchParams.set('maxPoolSize', String(FERRETDB_CLIENT_POOL));
  return dbName === undefined ? url.toString() : mongoUriWithDatabase(url.toString(), dbName);
}

export interface RunningFerretDB {
  /** The URI clients connect with: FerretDB's own, with the driver pool bound (`maxPoolSize`), no database. */
  uri: string;
  /** `uri` naming a database. */
  databaseUri(dbName: string): string;
  /** The loopback port it listens on. */
  port: number;
  /** The SQLite directory (PostgreSQL backend: unused). */
  dataDir: string;
  /** Stops it with SIGTERM (SIGKILL after 5 s) and removes the data directory unless the caller gave it. */
  stop(): Promise<void>;
  /**
   * Kills it with SIGKILL, as a crash or a cut cable would end it: no clean shutdown, connections drop, and the
   * data directory stays so that `startFerretDB` with the same `dataDir` and `port` brings the same data back.
   */
  kill(): Promise<void>;
}

/** Where to start FerretDB; by default a free port and a fresh temporary directory. */
export interface FerretDBOptions {
  /**
   * SQLite directory to use (created if missing). The caller owns it: `stop()` leaves it, so a second start on
   * the same directory sees the same databases.
   */
  dataDir?: string;
  /** Loopback port to listen on (a restart on the port clients already know); by default a free one. */
  port?: number;
  /** Backend: `sqlite` or `postgresql`; by default `PURNA_FERRETDB_HANDLER`, else `sqlite`. */
  handler?: 'sqlite' | 'postgresql';
  /** PostgreSQL backend only: its URL; by default `PURNA_FERRETDB_POSTGRESQL_URL`, else the local server's `postgres` database. */
  postgresqlUrl?: string;
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

/** A loopback port nothing listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
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

/**
 * Starts FerretDB on a loopback port; resolves once it prints its URI.
 *
 * @example
 * const db = await startFerretDB(console.error, { dataDir, port }); // same data and port as before a kill()
 */
export async function startFerretDB(
  log: (line: string) => void = () => undefined,
  options: FerretDBOptions = {},
): Promise<RunningFerretDB> {
  if (options.port !== undefined && (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535)) {
    throw new RangeError(`startFerretDB: port must be a whole number from 1 to 65535, got ${String(options.port)}`);
  }
  const binary = ensureFerretBinary(log);
  const port = options.port ?? (await freePort());
  const handler = options.handler ?? process.env.PURNA_FERRETDB_HANDLER ?? 'sqlite';
  if (handler !== 'sqlite' && handler !== 'postgresql') {
    throw new RangeError(`startFerretDB: the backend must be sqlite or postgresql (PURNA_FERRETDB_HANDLER), got ${JSON.stringify(handler)}`);
  }
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'purna-ferretdb-'));
  const args = ['-listen', `127.0.0.1:${port}`, '-handler', handler];
  if (handler === 'sqlite') args.push('-sqlite-dir', dataDir);
  else args.push('-postgresql-url', withPoolBound(options.postgresqlUrl ?? process.env.PURNA_FERRETDB_POSTGRESQL_URL ?? 'postgres://127.0.0.1:5432/postgres'));

  const child: ChildProcess = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });

  const uri = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`FerretDB did not start within 30 s on 127.0.0.1:${port}: ${stderr}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited with code ${String(code)} before listening on 127.0.0.1:${port}: ${stderr}`));
    });
    child.stdout?.once('data', (chunk: Buffer) => {
      clearTimeout(timer);
      resolve(ferretClientUri(chunk.toString().trim()));
    });
  });

  const ended = (): boolean => child.exitCode !== null || child.signalCode !== null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    uri,
    databaseUri: (dbName) => ferretClientUri(uri, dbName),
    port,
    dataDir,
    async stop() {
      if (!ended()) {
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (!ended()) {
          child.kill('SIGKILL');
          await exited;
        }
      }
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
    async kill() {
      if (!ended()) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
