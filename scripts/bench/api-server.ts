/**
 * A server for the API benchmark, run as a child process (api-section.ts forks it) so that autocannon and the
 * server do not share one event loop. Listens on 127.0.0.1 only, on a free port, and reports it over IPC.
 *
 * argv[2] is JSON: `{ "kind": "bare" }` for an Express endpoint that only parses and answers JSON,
 * `{ "kind": "bare-driver", "uri", "customers": n }` for the MongoDB anchors (bare-driver.ts), or
 * `{ "kind": "purna", "store": "lmdb" | "mongo", "uri"?, "customers": n, "webhooks"? }` for the Purna app on that store
 * with the recipe program published, `n` customers enrolled and an admin key; rate limits are set far above what a
 * benchmark sends. On MongoDB the server counts the commands its driver sends (command monitoring), for the
 * parent's `{ ask: 'commands' }`.
 *
 * With `webhooks`, the server is configured as production's would be for a receiver on this machine
 * (PURNA_WEBHOOK_ALLOW_HOSTS=127.0.0.1, PURNA_WEBHOOK_DELIVERY on, read by the API's own `loadConfig`) and runs the
 * API's background tasks (`startBackgroundTasks`, the moments scheduler off so that it cannot fire in one round and
 * not the other): `"delivery": "running"` starts the delivery worker with the server, `"on-request"` when the parent
 * sends `{ ask: 'start-delivery' }`. The parent may also ask `{ ask: 'cpu' }` for the CPU time this process has used.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MongoStore, openLedger, type Ledger } from '@purna/ledger';
import express from 'express';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { createApp } from '../../api/src/app.js';
import { ensureAdminKey } from '../../api/src/auth/admin-key.js';
import { startBackgroundTasks, type BackgroundTasks } from '../../api/src/background-tasks.js';
import { loadConfig, type Config } from '../../api/src/config.js';
import { bareDriverApp } from './bare-driver.js';
import { benchCustomerId, enrolCustomers, fastDataRoot, RECIPE_PROGRAM } from './bench-data.js';

/** What the parent asks for. */
export type ServerSpec =
  | { kind: 'bare' }
  | { kind: 'bare-driver'; uri: string; customers: number }
  | { kind: 'purna'; store: 'lmdb' | 'mongo'; uri?: string; customers: number; webhooks?: { delivery: 'running' | 'on-request' } };

/** What the parent may ask once the server listens; each is answered with the same `ask` and an `id`. */
export type ServerAsk = { ask: 'cpu'; id: number } | { ask: 'start-delivery'; id: number } | { ask: 'commands'; id: number };

/**
 * The answer to a {@link ServerAsk}: `cpuMicros` is user + system CPU time of the whole process (every thread),
 * `commands` how many MongoDB commands the server has sent so far (a Purna server on MongoDB only).
 */
export interface ServerAnswer {
  id: number;
  cpuMicros: number;
  commands?: number;
}

/** MongoDB commands sent by this process (command monitoring), when it runs Purna on MongoDB. */
let commandsSent: number | undefined;

/** What the child reports once it listens. */
export interface ServerReady {
  port: number;
  /** Bearer key (Purna only). */
  key?: string;
  /** Ids of the enrolled customers (Purna only). */
  customerIds?: string[];
}

/** The API's configuration for a server that delivers webhooks to a receiver on 127.0.0.1. */
function webhookConfig(delivery: 'running' | 'on-request'): Config {
  return loadConfig({
    PURNA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    PURNA_WEBHOOK_DELIVERY: delivery === 'running' ? 'on' : 'off',
    PURNA_SCHEDULER: 'off',
    PURNA_RATE_LIMIT_PER_MINUTE: '1000000',
    PURNA_RATE_LIMIT_BURST: '1000000',
    LOG_LEVEL: 'warn',
  });
}

interface Started {
  app: express.Express;
  ready: Omit<ServerReady, 'port'>;
  /** Starts webhook delivery when the spec asked for it on request. */
  startDelivery: () => void;
  close: () => Promise<void>;
}

async function start(spec: ServerSpec): Promise<Started> {
  if (spec.kind === 'bare') {
    const app = express();
    app.disable('x-powered-by');
    app.use(express.json({ limit: '1mb' }));
    app.post('/echo', (req, res) => {
      const body = req.body as { id?: unknown; lines?: unknown[] };
      res.json({ id: body.id ?? null, lines: Array.isArray(body.lines) ? body.lines.length : 0 });
    });
    return { app, ready: {}, startDelivery: () => undefined, close: () => Promise.resolve() };
  }
  if (spec.kind === 'bare-driver') {
    const anchor = await bareDriverApp(spec.uri, `purna_bench_bare_${process.pid}`, spec.customers);
    return { app: anchor.app, ready: { customerIds: anchor.customerIds }, startDelivery: () => undefined, close: anchor.close };
  }
  const dir = spec.store === 'lmdb' ? mkdtempSync(join(fastDataRoot().root, 'purna-bench-api-')) : undefined;
  if (spec.store === 'mongo') commandsSent = 0;
  const dbName = `purna_bench_${process.pid}`;
  const ledger = await openLedger({
    store:
      spec.store === 'lmdb'
        ? { kind: 'lmdb', path: dir! }
        : await MongoStore.open({
            uri: spec.uri!,
            dbName,
            onCommandStarted: () => {
              commandsSent = (commandsSent ?? 0) + 1;
            },
          }),
  });
  await ledger.publishProgram('default', JSON.parse(readFileSync(RECIPE_PROGRAM, 'utf8')));
  const admin = await ensureAdminKey(ledger.apiKeys, undefined, new Date().toISOString());
  await enrolCustomers(ledger, 'default', spec.customers);
  const config = spec.webhooks ? webhookConfig(spec.webhooks.delivery) : undefined;
  const app = createApp({
    ledger,
    rateLimit: { perMinute: 1_000_000, burst: 1_000_000 },
    ...(config ? { webhooks: { allowHosts: config.webhookAllowHosts } } : {}),
  });
  const tasks: BackgroundTasks[] = [];
  if (config) tasks.push(backgroundTasks(ledger, config));
  return {
    app,
    ready: { key: admin.key!, customerIds: Array.from({ length: spec.customers }, (_, n) => benchCustomerId(n)) },
    startDelivery: () => {
      if (config && !config.webhookDelivery) tasks.push(backgroundTasks(ledger, { ...config, webhookDelivery: true }));
    },
    // LMDB is left to the process exit (crash-safe by design): lmdb-js can throw from a pending read-transaction
    // timer when the environment is closed right after load (see the findings in docs/benchmarks.md).
    close: async () => {
      await Promise.all(tasks.map((task) => task.stop()));
      if (dir) rmSync(dir, { recursive: true, force: true });
      else {
        await ledger.close();
        await dropDatabase(spec.uri!, dbName);
      }
    },
  };
}

/** Drops a bench database, so that a PostgreSQL-backed FerretDB keeps nothing of the run. */
async function dropDatabase(uri: string, dbName: string): Promise<void> {
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    await client.db(dbName).dropDatabase();
  } finally {
    await client.close();
  }
}

/** The server's own background tasks, logging warnings to stderr (stdout carries the bench's table). */
function backgroundTasks(ledger: Ledger, config: Config): BackgroundTasks {
  return startBackgroundTasks(ledger, config, pino({ level: config.logLevel }, pino.destination(2)));
}

const spec = JSON.parse(process.argv[2] ?? '{"kind":"bare"}') as ServerSpec;
const { app, ready, startDelivery, close } = await start(spec);
const server = app.listen(0, '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port;
  process.send?.({ port, ...ready } satisfies ServerReady);
});
process.on('message', (message: 'stop' | ServerAsk) => {
  if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => void close().then(() => process.exit(0)));
    return;
  }
  if (message.ask === 'start-delivery') startDelivery();
  const usage = process.cpuUsage();
  process.send?.({ id: message.id, cpuMicros: usage.user + usage.system, ...(commandsSent === undefined ? {} : { commands: commandsSent }) } satisfies ServerAnswer);
});
process.on('disconnect', () => process.exit(0));
