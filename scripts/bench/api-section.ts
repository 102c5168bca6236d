/**
 * API: autocannon against `POST /v1/orders/quote`, `POST /v1/orders` and `GET /v1/customers/{id}` on the embedded
 * (LMDB) and MongoDB stores. On LMDB each route runs in rounds interleaved with a bare Express endpoint that only
 * parses and answers JSON; on MongoDB with the bare-driver anchors on the same server (bare-driver.ts: an order
 * write in two commands, a read in one), and the MongoDB commands each route sends are counted. Then a recorded
 * order at a fixed rate (500 requests/s embedded, 200 on MongoDB) for its p99. Servers run in child processes (api-server.ts) on
 * 127.0.0.1; every run is bounded in time.
 */
import { startFerretDB, goAvailable, type RunningFerretDB } from '../ferretdb/ferretdb.js';
import { bareDriverTraffic, checkAnswers, load, purnaTraffic, startServer, type Measured, type RunningServer, type Traffic } from './api-load.js';
import { fastDataRoot } from './bench-data.js';
import { elapsedMs, median, percentile, type BenchReport } from './bench-report.js';
import { webhookRows } from './webhook-section.js';

const SECTION = 'api';

/** p50 and p99 (ms) of `count` sequential requests: the cost of one request with nothing queued before it. */
async function sequential(url: string, traffic: Traffic, count: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const start = process.hrtime.bigint();
    const response = await fetch(`${url}${traffic.path(1_000_000 + i)}`, {
      method: traffic.method,
      headers: { ...traffic.headers, ...(traffic.body ? { 'content-type': 'application/json' } : {}) },
      ...(traffic.body ? { body: JSON.stringify(traffic.body(1_000_000 + i)) } : {}),
    });
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`api: ${traffic.method} ${traffic.name} answered ${response.status} in the sequential run`);
    times.push(elapsedMs(start));
  }
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** A MongoDB server the section measures Purna on, beside the bare-driver anchors on the same server. */
interface MongoTarget {
  /** The row label: `mongo` for `MONGODB_URI`, else `ferretdb-sqlite` or `ferretdb-postgresql`. */
  name: string;
  uri: string;
  label: string;
  ferret?: RunningFerretDB;
}

/**
 * `MONGODB_URI` when set; otherwise FerretDB v1 twice, on SQLite (its files on tmpfs) and on the PostgreSQL server
 * at 127.0.0.1:5432, side by side in one run (docs/development.md says which one CI uses and why).
 */
async function mongoTargets(report: BenchReport): Promise<MongoTarget[]> {
  if (process.env.MONGODB_URI) return [{ name: 'mongo', uri: process.env.MONGODB_URI, label: 'MONGODB_URI' }];
  if (!goAvailable()) {
    report.add({ section: SECTION, name: 'mongo store', value: Number.NaN, unit: '', note: 'skipped: no MONGODB_URI and no Go toolchain to build FerretDB' });
    return [];
  }
  const targets: MongoTarget[] = [];
  // FerretDB keeps its SQLite files in the OS temp folder: point that at tmpfs while it starts.
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = fastDataRoot().root;
  try {
    const ferret = await startFerretDB((line) => process.stderr.write(`${line}\n`), { handler: 'sqlite' });
    targets.push({ name: 'ferretdb-sqlite', uri: ferret.uri, label: `FerretDB v1, SQLite ${fastDataRoot().label}`, ferret });
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  try {
    const ferret = await startFerretDB((line) => process.stderr.write(`${line}\n`), { handler: 'postgresql' });
    targets.push({ name: 'ferretdb-postgresql', uri: ferret.uri, label: 'FerretDB v1, PostgreSQL at 127.0.0.1:5432', ferret });
  } catch (error) {
    report.add({ section: SECTION, name: 'mongo store (ferretdb-postgresql)', value: Number.NaN, unit: '', note: `skipped: ${(error as Error).message.split('\n')[0] ?? ''}` });
  }
  return targets;
}

/** What one store's rows are measured against: bare Express on the embedded store, the bare driver on MongoDB. */
interface Anchor {
  url: string;
  traffic: (name: string) => Traffic;
  against: (name: string) => string;
}

/** Goals of issue 19, by store kind and route. */
function goalOf(store: 'lmdb' | 'mongo', route: string, ratio: number, failed: number): { text: string; met: boolean } | undefined {
  const least = store === 'lmdb' ? ({ quote: 0.5, 'record order': 0.3 } as Record<string, number>)[route] : 0.5;
  if (least === undefined) return undefined;
  const against = store === 'lmdb' ? 'bare Express' : route === 'record order' ? 'the bare driver write' : 'the bare findOne';
  return { text: `≥ ${least}× ${against}`, met: ratio >= least && failed === 0 };
}

/**
 * The server's MongoDB command count once the requests still in flight after a load run are done (the count stays
 * the same for half a second, or 30 s have passed): the sequential requests counted next must not pay for them. An
 * autocannon run ends at its duration with up to one request a connection still being served, and on FerretDB a
 * recorded order under load takes a second, so these added 7 to 14 commands to each of the next 10 counted.
 */
async function settledCommands(server: RunningServer): Promise<number> {
  let last = (await server.ask('commands')).commands ?? 0;
  for (const started = Date.now(); Date.now() - started < 30_000; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const now = (await server.ask('commands')).commands ?? 0;
    if (now === last) return now;
    last = now;
  }
  return last;
}

/** Runs the section. */
export async function apiSection(report: BenchReport, options: { quick: boolean }): Promise<void> {
  const rounds = options.quick ? 1 : 3;
  const seconds = options.quick ? 1 : 3;
  const warmUpSeconds = options.quick ? 3 : 5;
  const connections = 16;
  const bare = await startServer({ kind: 'bare' });
  const bareTraffic: Traffic = { name: 'bare', method: 'POST', path: () => '/echo', body: (n) => ({ id: `o-${n}`, lines: [{ sku: 'A', quantity: 1, unitPrice: '100' }] }), headers: {} };
  const mongo = await mongoTargets(report);
  const stores: Array<{ store: 'lmdb' | 'mongo'; name: string; uri?: string; label: string }> = [{ store: 'lmdb', name: 'lmdb', label: `embedded LMDB ${fastDataRoot().label}` }];
  for (const target of mongo) stores.push({ store: 'mongo', name: target.name, uri: target.uri, label: target.label });
  try {
    await checkAnswers(bare.url, [bareTraffic]);
    for (const { store, name, uri, label } of stores) {
      // Enrolment goes through the ledger one upsert at a time; FerretDB is the slow one to fill.
      const customers = (options.quick ? 200 : 2000) / (store === 'mongo' ? 4 : 1);
      const server = await startServer({ kind: 'purna', store, ...(uri ? { uri } : {}), customers });
      const driver = uri ? await startServer({ kind: 'bare-driver', uri, customers }) : undefined;
      try {
        const run = `bench-${name}-${Date.now()}`;
        const traffic = purnaTraffic(server.ready, run);
        await checkAnswers(server.url, traffic);
        let anchor: Anchor = { url: bare.url, traffic: () => bareTraffic, against: () => 'bare Express' };
        if (driver) {
          const anchors = bareDriverTraffic(driver.ready, run);
          await checkAnswers(driver.url, anchors);
          anchor = {
            url: driver.url,
            traffic: (route) => anchors.find((t) => t.name === route)!,
            against: (route) => (route === 'record order' ? 'bare driver write' : 'bare driver findOne'),
          };
        }
        for (const t of traffic) {
          const mine: Measured[] = [];
          const base: Measured[] = [];
          const baseTraffic = anchor.traffic(t.name);
          // Warm both servers on this route before its first timed round (JIT, connection pools): a route's code is
          // optimised only after seconds of its own traffic, and a round that starts colder measures the start-up.
          await load(anchor.url, baseTraffic, { durationSeconds: warmUpSeconds, connections });
          await load(server.url, t, { durationSeconds: warmUpSeconds, connections });
          for (let round = 0; round < rounds; round += 1) {
            if (round % 2 === 0) base.push(await load(anchor.url, baseTraffic, { durationSeconds: seconds, connections }));
            mine.push(await load(server.url, t, { durationSeconds: seconds, connections }));
            if (round % 2 === 1) base.push(await load(anchor.url, baseTraffic, { durationSeconds: seconds, connections }));
          }
          const sent = store === 'mongo' ? await settledCommands(server) : 0;
          const count = options.quick ? 10 : 40;
          const one = await sequential(server.url, t, count);
          const ratio = median(mine.map((m, i) => m.perSecond / base[i]!.perSecond));
          const failed = mine.reduce((s, m) => s + m.failed, 0);
          const total = mine.reduce((s, m) => s + m.total, 0);
          const goal = goalOf(store, t.name, ratio, failed);
          report.add({
            section: SECTION,
            name: `${t.method} ${t.name} (${name}) req/s`,
            value: median(mine.map((m) => m.perSecond)),
            unit: 'req/s',
            ratio: { value: ratio, against: anchor.against(t.name) },
            ...(goal ? { goal } : {}),
            note: `under load p50 ${median(mine.map((m) => m.p50))} ms, p99 ${median(mine.map((m) => m.p99))} ms; one at a time p50 ${one.p50.toFixed(1)} ms, p99 ${one.p99.toFixed(1)} ms; ${anchor.against(t.name)} ${Math.round(median(base.map((b) => b.perSecond))).toLocaleString('en')} req/s (p99 ${median(base.map((b) => b.p99))} ms); ${connections} connections, ${rounds}×${seconds} s interleaved; ${label}${failed > 0 ? `; ${failed} of ${total} failed` : ''}`,
          });
          if (store === 'mongo') {
            const commands = (((await server.ask('commands')).commands ?? 0) - sent) / count;
            report.add({
              section: SECTION,
              name: `MongoDB commands per ${t.name} (${name})`,
              value: commands,
              unit: 'commands',
              note: `counted by command monitoring over ${count} sequential requests; the bare driver endpoint sends ${t.name === 'record order' ? 2 : 1}; ${label}`,
            });
          }
        }
        // Issue 19 holds a MongoDB deployment to 200 recorded orders a second; the embedded store to 500.
        const rate = store === 'mongo' ? 200 : 500;
        const fixedSeconds = options.quick ? 3 : 15;
        const fixed = await load(server.url, traffic[1]!, { durationSeconds: fixedSeconds, connections: 50, overallRate: rate });
        report.add({
          section: SECTION,
          name: `POST record order (${name}) p99 at ${rate} req/s`,
          value: fixed.p99,
          unit: 'ms',
          ...(store === 'mongo' ? { goal: { text: `p99 < 100 ms at ${rate} req/s`, met: fixed.p99 < 100 && fixed.failed === 0 && fixed.perSecond >= rate * 0.95 } } : {}),
          note:
            fixed.total === 0
              ? `no order answered within the ${fixedSeconds} s run (each a new order; ${label})`
              : `p50 ${fixed.p50} ms; ${Math.round(fixed.perSecond)} req/s achieved; ${fixed.total} requests${fixed.failed > 0 ? `, ${fixed.failed} failed` : ''}; ${label}`,
        });
      } finally {
        await server.stop();
        await driver?.stop();
      }
    }
  } finally {
    await bare.stop();
    for (const target of mongo) await target.ferret?.stop();
  }
  // On LMDB only: webhook-section.ts says why MongoDB is left out.
  await webhookRows(report, options);
}
