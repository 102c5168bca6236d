/**
 * API: autocannon against `POST /v1/orders/quote`, `POST /v1/orders` and `GET /v1/customers/{id}` on the embedded
 * (LMDB) and MongoDB stores, in rounds interleaved with a bare Express endpoint that only parses and answers JSON;
 * then a recorded order at a fixed 500 requests/s for its p99. Servers run in child processes (api-server.ts) on
 * 127.0.0.1; every run is bounded in time.
 */
import { startFerretDB, goAvailable, type RunningFerretDB } from '../ferretdb/ferretdb.js';
import { checkAnswers, load, purnaTraffic, startServer, type Measured, type Traffic } from './api-load.js';
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

async function mongoUri(): Promise<{ uri: string; label: string; ferret?: RunningFerretDB } | { skipped: string }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, label: 'MONGODB_URI' };
  if (!goAvailable()) return { skipped: 'no MONGODB_URI and no Go toolchain to build FerretDB' };
  // FerretDB keeps its SQLite files in the OS temp folder: point that at tmpfs while it starts.
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = fastDataRoot().root;
  try {
    const ferret = await startFerretDB((line) => process.stderr.write(`${line}\n`));
    return { uri: ferret.uri, label: `FerretDB v1, SQLite ${fastDataRoot().label}`, ferret };
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
}

/** Runs the section. */
export async function apiSection(report: BenchReport, options: { quick: boolean }): Promise<void> {
  const rounds = options.quick ? 1 : 3;
  const seconds = options.quick ? 1 : 3;
  const connections = 16;
  const bare = await startServer({ kind: 'bare' });
  const bareTraffic: Traffic = { name: 'bare', method: 'POST', path: () => '/echo', body: (n) => ({ id: `o-${n}`, lines: [{ sku: 'A', quantity: 1, unitPrice: '100' }] }), headers: {} };
  const mongo = await mongoUri();
  const stores: Array<{ store: 'lmdb' | 'mongo'; uri?: string; label: string }> = [{ store: 'lmdb', label: `embedded LMDB ${fastDataRoot().label}` }];
  if ('uri' in mongo) stores.push({ store: 'mongo', uri: mongo.uri, label: mongo.label });
  else report.add({ section: SECTION, name: 'mongo store', value: Number.NaN, unit: '', note: `skipped: ${mongo.skipped}` });
  try {
    await checkAnswers(bare.url, [bareTraffic]);
    for (const { store, uri, label } of stores) {
      // Enrolment goes through the ledger one upsert at a time; FerretDB on SQLite is the slow one to fill.
      const customers = (options.quick ? 200 : 2000) / (store === 'mongo' ? 4 : 1);
      const server = await startServer({ kind: 'purna', store, ...(uri ? { uri } : {}), customers });
      try {
        const traffic = purnaTraffic(server.ready, `bench-${store}-${Date.now()}`);
        await checkAnswers(server.url, traffic);
        // Warm both servers (JIT, connection pools) before the first timed round.
        await load(bare.url, bareTraffic, { durationSeconds: 1, connections });
        await load(server.url, traffic[0]!, { durationSeconds: 1, connections });
        for (const t of traffic) {
          const mine: Measured[] = [];
          const base: Measured[] = [];
          for (let round = 0; round < rounds; round += 1) {
            if (round % 2 === 0) base.push(await load(bare.url, bareTraffic, { durationSeconds: seconds, connections }));
            mine.push(await load(server.url, t, { durationSeconds: seconds, connections }));
            if (round % 2 === 1) base.push(await load(bare.url, bareTraffic, { durationSeconds: seconds, connections }));
          }
          const one = await sequential(server.url, t, options.quick ? 10 : 40);
          const ratio = median(mine.map((m, i) => m.perSecond / base[i]!.perSecond));
          const failed = mine.reduce((s, m) => s + m.failed, 0);
          const total = mine.reduce((s, m) => s + m.total, 0);
          report.add({
            section: SECTION,
            name: `${t.method} ${t.name} (${store}) req/s`,
            value: median(mine.map((m) => m.perSecond)),
            unit: 'req/s',
            ratio: { value: ratio, against: 'bare Express' },
            ...(t.name === 'quote' ? { goal: { text: '≥ 0.5× bare Express', met: ratio >= 0.5 && failed === 0 } } : {}),
            note: `under load p50 ${median(mine.map((m) => m.p50))} ms, p99 ${median(mine.map((m) => m.p99))} ms; one at a time p50 ${one.p50.toFixed(1)} ms, p99 ${one.p99.toFixed(1)} ms; bare ${Math.round(median(base.map((b) => b.perSecond))).toLocaleString('en')} req/s (p99 ${median(base.map((b) => b.p99))} ms); ${connections} connections, ${rounds}×${seconds} s interleaved; ${label}${failed > 0 ? `; ${failed} of ${total} failed` : ''}`,
          });
        }
        const fixedSeconds = options.quick ? 3 : 15;
        const fixed = await load(server.url, traffic[1]!, { durationSeconds: fixedSeconds, connections: 50, overallRate: 500 });
        report.add({
          section: SECTION,
          name: `POST record order (${store}) p99 at 500 req/s`,
          value: fixed.p99,
          unit: 'ms',
          ...(store === 'mongo' ? { goal: { text: 'p99 < 25 ms at 500 req/s', met: fixed.p99 < 25 && fixed.failed === 0 && fixed.perSecond >= 475 } } : {}),
          note:
            fixed.total === 0
              ? `no order answered within the ${fixedSeconds} s run (each a new order; ${label})`
              : `p50 ${fixed.p50} ms; ${Math.round(fixed.perSecond)} req/s achieved; ${fixed.total} requests${fixed.failed > 0 ? `, ${fixed.failed} failed` : ''}; ${label}`,
        });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await bare.stop();
    if ('ferret' in mongo) await mongo.ferret?.stop();
  }
  // On LMDB only: webhook-section.ts says why MongoDB is left out.
  await webhookRows(report, options);
}
