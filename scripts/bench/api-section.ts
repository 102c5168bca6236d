/**
 * API: autocannon against `POST /v1/orders/quote`, `POST /v1/orders` and `GET /v1/customers/{id}` on the embedded
 * (LMDB) and MongoDB stores, in rounds interleaved with a bare Express endpoint that only parses and answers JSON;
 * then a recorded order at a fixed 500 requests/s for its p99. Servers run in child processes (api-server.ts) on
 * 127.0.0.1; every run is bounded in time.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateOrders, SHOPS, type GeneratedOrder } from '../generate-orders.js';
import { startFerretDB, goAvailable, type RunningFerretDB } from '../ferretdb/ferretdb.js';
import { fastDataRoot } from './bench-data.js';
import { elapsedMs, median, percentile, type BenchReport } from './bench-report.js';
import type { ServerReady, ServerSpec } from './api-server.js';

const SECTION = 'api';
const SERVER_SCRIPT = fileURLToPath(new URL('./api-server.ts', import.meta.url));

interface RunningServer {
  readonly ready: ServerReady;
  readonly url: string;
  stop(): Promise<void>;
}

async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const child: ChildProcess = fork(SERVER_SCRIPT, [JSON.stringify(spec)], {
    execArgv: ['--conditions=purna-source', '--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<ServerReady>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench server ${JSON.stringify(spec)} did not start within 300 s`));
    }, 300_000);
    child.once('message', (message) => {
      clearTimeout(timer);
      resolve(message as ServerReady);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench server ${JSON.stringify(spec)} exited with code ${String(code)} before listening`));
    });
  });
  return {
    ready,
    url: `http://127.0.0.1:${ready.port}`,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('stop');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** One endpoint's traffic: a path and a body maker (a fresh body per request). */
interface Traffic {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: (n: number) => string;
  readonly body?: (n: number) => unknown;
  readonly headers: Record<string, string>;
}

interface Measured {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  readonly total: number;
}

async function load(url: string, traffic: Traffic, options: { durationSeconds: number; connections: number; overallRate?: number }): Promise<Measured> {
  let n = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.durationSeconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: traffic.method,
        setupRequest: (request) => {
          const i = n++;
          return {
            ...request,
            path: traffic.path(i),
            headers: { ...traffic.headers, ...(traffic.body ? { 'content-type': 'application/json' } : {}) },
            ...(traffic.body ? { body: JSON.stringify(traffic.body(i)) } : {}),
          };
        },
      },
    ],
  });
  // No answer within the run: latencies are unknown, not zero.
  const answered = result.requests.total > 0;
  return {
    perSecond: result.requests.average,
    p50: answered ? result.latency.p50 : Number.NaN,
    p99: answered ? result.latency.p99 : Number.NaN,
    failed: result.non2xx + result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/** Checks one request of each kind answers as the API documents before anything is timed. */
async function checkAnswers(url: string, traffic: readonly Traffic[]): Promise<void> {
  for (const t of traffic) {
    const response = await fetch(`${url}${t.path(-1)}`, {
      method: t.method,
      headers: { ...t.headers, ...(t.body ? { 'content-type': 'application/json' } : {}) },
      ...(t.body ? { body: JSON.stringify(t.body(-1)) } : {}),
    });
    const answer = (await response.json()) as Record<string, unknown>;
    const ok =
      t.name === 'quote' ? response.status === 200 && Number.isInteger(answer.points)
      : t.name === 'record order' ? response.status === 201 && Number.isInteger(answer.awarded)
      : t.name === 'read customer' ? response.status === 200 && typeof (answer.points as { balance?: unknown } | undefined)?.balance === 'number'
      : response.status === 200;
    if (!ok) throw new Error(`api: ${t.method} ${t.path(-1)} answered ${response.status} ${JSON.stringify(answer).slice(0, 400)}`);
  }
}

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

function orderPool(customerIds: readonly string[]): GeneratedOrder[] {
  const orders = [...generateOrders({ shop: SHOPS.id!, orders: 512, customers: customerIds.length, seed: 5, from: '2026-01-01T00:00:00+07:00', until: '2026-06-01T00:00:00+07:00' })];
  return orders.map((order, i) => ({ ...order, customerId: customerIds[i % customerIds.length]! }));
}

function purnaTraffic(ready: ServerReady, run: string): Traffic[] {
  const headers = { authorization: `Bearer ${ready.key!}` };
  const ids = ready.customerIds!;
  const pool = orderPool(ids);
  // No placedAt: a quote and a recorded order happen now, so each customer's orders arrive in time order.
  const order = (n: number) => {
    const { placedAt: _placedAt, ...rest } = pool[(n + pool.length) % pool.length]!;
    return rest;
  };
  return [
    { name: 'quote', method: 'POST', path: () => '/v1/orders/quote', body: order, headers },
    { name: 'record order', method: 'POST', path: () => '/v1/orders', body: (n) => ({ ...order(n), id: `${run}-${n < 0 ? 'check' : n}` }), headers },
    { name: 'read customer', method: 'GET', path: (n) => `/v1/customers/${ids[(n + ids.length) % ids.length]!}`, headers },
  ];
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
        const fixed = await load(server.url, traffic[1]!, { durationSeconds: options.quick ? 3 : 15, connections: 50, overallRate: 500 });
        report.add({
          section: SECTION,
          name: `POST record order (${store}) p99 at 500 req/s`,
          value: fixed.p99,
          unit: 'ms',
          ...(store === 'mongo' ? { goal: { text: 'p99 < 25 ms at 500 req/s', met: fixed.p99 < 25 && fixed.failed === 0 && fixed.perSecond >= 475 } } : {}),
          note: `p50 ${fixed.p50} ms; ${Math.round(fixed.perSecond)} req/s achieved; ${fixed.total} requests${fixed.failed > 0 ? `, ${fixed.failed} failed` : ''}; ${label}`,
        });
      } finally {
        await server.stop();
      }
    }
  } finally {
    await bare.stop();
    if ('ferret' in mongo) await mongo.ferret?.stop();
  }
}
