/**
 * What the API benchmarks share: servers in child processes (api-server.ts) on 127.0.0.1, the Purna traffic sent
 * to them, and autocannon runs bounded in time or in requests.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { generateOrders, SHOPS, type GeneratedOrder } from '../generate-orders.js';
import type { ServerAnswer, ServerAsk, ServerReady, ServerSpec } from './api-server.js';

const SERVER_SCRIPT = fileURLToPath(new URL('./api-server.ts', import.meta.url));

/** A server in its child process. */
export interface RunningServer {
  readonly ready: ServerReady;
  readonly url: string;
  /** Asks the child something (api-server.ts); every answer carries the CPU time the child has used. */
  ask(what: ServerAsk['ask']): Promise<ServerAnswer>;
  stop(): Promise<void>;
}

/**
 * Forks api-server.ts with `spec` and waits until it listens.
 *
 * @example
 * const server = await startServer({ kind: 'purna', store: 'lmdb', customers: 200 });
 * await server.stop();
 */
export async function startServer(spec: ServerSpec): Promise<RunningServer> {
  const child: ChildProcess = fork(SERVER_SCRIPT, [JSON.stringify(spec)], {
    // PURNA_BENCH_CPU_PROF=<folder>: each server writes a CPU profile there when it stops (node --cpu-prof).
    execArgv: ['--conditions=purna-source', '--import', 'tsx', ...(process.env.PURNA_BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.PURNA_BENCH_CPU_PROF] : [])],
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
  const pending = new Map<number, (answer: ServerAnswer) => void>();
  let asked = 0;
  child.on('message', (message) => {
    const answer = message as ServerAnswer;
    pending.get(answer.id)?.(answer);
    pending.delete(answer.id);
  });
  return {
    ready,
    url: `http://127.0.0.1:${ready.port}`,
    ask(what) {
      const id = (asked += 1);
      return new Promise<ServerAnswer>((resolve, reject) => {
        if (!child.connected) {
          reject(new Error(`bench server ${JSON.stringify(spec)} is gone`));
          return;
        }
        pending.set(id, resolve);
        child.send({ ask: what, id } satisfies ServerAsk);
      });
    },
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
export interface Traffic {
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: (n: number) => string;
  readonly body?: (n: number) => unknown;
  readonly headers: Record<string, string>;
}

/** What one autocannon run measured. */
export interface Measured {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly failed: number;
  readonly total: number;
}

/** The next request number of each traffic: runs go on from where the previous one stopped. */
const nextRequest = new WeakMap<Traffic, number>();

/**
 * Sends `traffic` to `url` for `durationSeconds`, or until `amount` requests were sent, from `connections`
 * connections (at `overallRate` requests/s when given). Request numbers go on from the traffic's previous run, so
 * that no two runs of a `record order` traffic send the same order id (a repeated id is an idempotent replay, a
 * cheaper request than the one meant).
 */
export async function load(url: string, traffic: Traffic, options: { durationSeconds?: number; amount?: number; connections: number; overallRate?: number }): Promise<Measured> {
  const result = await autocannon({
    url,
    connections: options.connections,
    ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.durationSeconds ?? 1 }),
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: traffic.method,
        setupRequest: (request) => {
          const i = nextRequest.get(traffic) ?? 0;
          nextRequest.set(traffic, i + 1);
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
export async function checkAnswers(url: string, traffic: readonly Traffic[]): Promise<void> {
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

function orderPool(customerIds: readonly string[]): GeneratedOrder[] {
  const orders = [...generateOrders({ shop: SHOPS.id!, orders: 512, customers: customerIds.length, seed: 5, from: '2026-01-01T00:00:00+07:00', until: '2026-06-01T00:00:00+07:00' })];
  return orders.map((order, i) => ({ ...order, customerId: customerIds[i % customerIds.length]! }));
}

/**
 * The Purna traffic of the API section: quote, record order (a fresh order id per request, `<run>-<n>`) and read
 * customer, spread over the enrolled customers.
 */
export function purnaTraffic(ready: ServerReady, run: string): Traffic[] {
  return routeTraffic(ready, run, { quote: '/v1/orders/quote', order: '/v1/orders', customer: '/v1/customers/' });
}

/** The same traffic, sent to the bare-driver anchors (bare-driver.ts). */
export function bareDriverTraffic(ready: ServerReady, run: string): Traffic[] {
  return routeTraffic(ready, run, { quote: '/orders/quote', order: '/orders', customer: '/customers/' });
}

function routeTraffic(ready: ServerReady, run: string, paths: { quote: string; order: string; customer: string }): Traffic[] {
  const headers: Record<string, string> = ready.key ? { authorization: `Bearer ${ready.key}` } : {};
  const ids = ready.customerIds!;
  const pool = orderPool(ids);
  // No placedAt: a quote and a recorded order happen now, so each customer's orders arrive in time order.
  const order = (n: number) => {
    const { placedAt: _placedAt, ...rest } = pool[(n + pool.length) % pool.length]!;
    return rest;
  };
  return [
    { name: 'quote', method: 'POST', path: () => paths.quote, body: order, headers },
    { name: 'record order', method: 'POST', path: () => paths.order, body: (n) => ({ ...order(n), id: `${run}-${n < 0 ? 'check' : n}` }), headers },
    { name: 'read customer', method: 'GET', path: (n) => `${paths.customer}${ids[(n + ids.length) % ids.length]!}`, headers },
  ];
}
