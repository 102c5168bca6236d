/**
 * `npm run scenario -- <file> [--target library|memory|lmdb|embedded|mongo|http|http-mongo]`
 *
 * Runs a scenario file through one target and prints every step; exits 1 when any expectation fails, and (except
 * on `library`, which has no ledger) when any step was not run or only partly checked. A step that was not run is
 * never reported as a pass. `mongo` and `http-mongo` use
 * `MONGODB_URI`, or start FerretDB when Go is available.
 */
import { mongoUriWithDatabase, startFerretDB, type RunningFerretDB } from '../ferretdb/ferretdb.js';
import { formatReports, loadScenario, runScenario, type Target } from './scenario.js';

export const TARGETS = ['library', 'memory', 'lmdb', 'embedded', 'mongo', 'http', 'http-mongo'] as const;
export type TargetName = (typeof TARGETS)[number];

/**
 * Builds a target by name; `mongoUri` is required for the mongo ones, which use database `dbName` (by default a new
 * `purna_scenario_<time>`; the tests pass one of their run's names, which their teardown drops).
 */
export async function makeTarget(name: TargetName, mongoUri?: string, dbName = `purna_scenario_${Date.now().toString(36)}`): Promise<Target> {
  switch (name) {
    case 'library':
      return (await import('./targets/library.js')).libraryTarget();
    case 'memory':
      return (await import('./targets/ledger.js')).ledgerTarget('memory');
    case 'lmdb':
    case 'embedded':
      return (await import('./targets/ledger.js')).ledgerTarget('lmdb');
    case 'mongo':
      if (!mongoUri) throw new Error('the mongo target needs a MongoDB URI');
      return (await import('./targets/ledger.js')).ledgerTarget({ kind: 'mongo', uri: mongoUri, dbName });
    case 'http':
      return (await import('./targets/http.js')).httpTarget();
    case 'http-mongo':
      if (!mongoUri) throw new Error('the http-mongo target needs a MongoDB URI');
      return (await import('./targets/http.js')).httpTarget({ mongoUri: mongoUriWithDatabase(mongoUri, dbName) });
  }
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((arg) => !arg.startsWith('--target'));
  const targetIndex = argv.indexOf('--target');
  const inline = argv.find((arg) => arg.startsWith('--target='));
  const targetName = inline ? inline.slice('--target='.length) : targetIndex >= 0 ? argv[targetIndex + 1] : 'library';
  const file = args.find((arg, i) => argv[i - 1] !== '--target' && arg !== targetName);
  const unknown = args.filter((arg) => arg.startsWith('-'));
  if (!file || unknown.length > 0 || !targetName || !(TARGETS as readonly string[]).includes(targetName)) {
    if (unknown.length > 0 && !unknown.every((arg) => arg === '--help' || arg === '-h')) console.error(`unknown option ${unknown.join(', ')}`);
    console.error(`usage: npm run scenario -- <scenario.json> [--target ${TARGETS.join('|')}]`);
    return 2;
  }
  let scenario: ReturnType<typeof loadScenario>;
  try {
    scenario = loadScenario(file);
  } catch (error) {
    // A missing or malformed file is the caller's: a sentence, not a stack trace.
    console.error((error as Error).message);
    return 2;
  }
  let ferret: RunningFerretDB | undefined;
  let mongoUri = process.env.MONGODB_URI;
  if (!mongoUri && (targetName === 'mongo' || targetName === 'http-mongo')) {
    ferret = await startFerretDB((line) => console.error(line));
    mongoUri = ferret.uri;
  }
  try {
    const target = await makeTarget(targetName as TargetName, mongoUri);
    const reports = await runScenario(scenario, target);
    console.log(formatReports(scenario, targetName, reports));
    const conformance = target.conformance?.();
    if (conformance) {
      console.log(`  ${conformance.exchanges} requests and responses checked against /openapi.json, ${conformance.violations.length} violations`);
      for (const line of conformance.violations) console.log(`      ${line}`);
    }
    // The library target has no ledger: balances unchecked and redemptions not run are expected there, and are
    // printed as such; on every other target anything short of a pass fails.
    const acceptable = targetName === 'library' ? ['pass', 'partial', 'not-run'] : ['pass'];
    return reports.every((report) => acceptable.includes(report.status)) && (conformance?.violations.length ?? 0) === 0 ? 0 : 1;
  } finally {
    await ferret?.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
