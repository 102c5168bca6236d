/**
 * Mocha global fixtures: find a MongoDB-wire-compatible server for the MongoDB suites.
 *
 * Order: `MONGODB_URI` if set; else build (once, cached) and start FerretDB when `go` is on the PATH; else the
 * MongoDB suites are skipped with one loud line, and with `CI=true` that skip is a failure.
 */
import { goAvailable, startFerretDB, type RunningFerretDB } from '../../scripts/ferretdb/ferretdb.js';
import { mongoTarget } from './mongo-target.js';

let ferret: RunningFerretDB | undefined;

export async function mochaGlobalSetup(): Promise<void> {
  if (process.env.MONGODB_URI) {
    mongoTarget.uri = process.env.MONGODB_URI;
    mongoTarget.source = 'MONGODB_URI';
    return;
  }
  if (!goAvailable()) {
    mongoTarget.skipReason = 'no MONGODB_URI and no `go` on the PATH to build FerretDB';
    return;
  }
  try {
    ferret = await startFerretDB((line) => console.error(`[ferretdb] ${line}`));
    mongoTarget.uri = ferret.uri;
    mongoTarget.source = 'FerretDB (SQLite backend, started by the test harness)';
  } catch (error) {
    mongoTarget.skipReason = `FerretDB could not be started: ${(error as Error).message}`;
  }
}

export async function mochaGlobalTeardown(): Promise<void> {
  await ferret?.stop();
}
