/**
 * A server for the API benchmark, run as a child process (api-section.ts forks it) so that autocannon and the
 * server do not share one event loop. Listens on 127.0.0.1 only, on a free port, and reports it over IPC.
 *
 * argv[2] is JSON: `{ "kind": "bare" }` for an Express endpoint that only parses and answers JSON, or
 * `{ "kind": "purna", "store": "lmdb" | "mongo", "uri"?, "customers": n }` for the Purna app on that store with the
 * recipe program published, `n` customers enrolled and an admin key; rate limits are set far above what a benchmark
 * sends.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openLedger } from '@purna/ledger';
import express from 'express';
import { createApp } from '../../api/src/app.js';
import { ensureAdminKey } from '../../api/src/auth/admin-key.js';
import { benchCustomerId, enrolCustomers, fastDataRoot, RECIPE_PROGRAM } from './bench-data.js';

/** What the parent asks for. */
export type ServerSpec = { kind: 'bare' } | { kind: 'purna'; store: 'lmdb' | 'mongo'; uri?: string; customers: number };

/** What the child reports once it listens. */
export interface ServerReady {
  port: number;
  /** Bearer key (Purna only). */
  key?: string;
  /** Ids of the enrolled customers (Purna only). */
  customerIds?: string[];
}

async function start(spec: ServerSpec): Promise<{ app: express.Express; ready: Omit<ServerReady, 'port'>; close: () => Promise<void> }> {
  if (spec.kind === 'bare') {
    const app = express();
    app.disable('x-powered-by');
    app.use(express.json({ limit: '1mb' }));
    app.post('/echo', (req, res) => {
      const body = req.body as { id?: unknown; lines?: unknown[] };
      res.json({ id: body.id ?? null, lines: Array.isArray(body.lines) ? body.lines.length : 0 });
    });
    return { app, ready: {}, close: () => Promise.resolve() };
  }
  const dir = spec.store === 'lmdb' ? mkdtempSync(join(fastDataRoot().root, 'purna-bench-api-')) : undefined;
  const ledger = await openLedger({
    store: spec.store === 'lmdb' ? { kind: 'lmdb', path: dir! } : { kind: 'mongo', uri: spec.uri!, dbName: `purna_bench_${process.pid}` },
  });
  await ledger.publishProgram('default', JSON.parse(readFileSync(RECIPE_PROGRAM, 'utf8')));
  const admin = await ensureAdminKey(ledger.apiKeys, undefined, new Date().toISOString());
  await enrolCustomers(ledger, 'default', spec.customers);
  const app = createApp({ ledger, rateLimit: { perMinute: 1_000_000, burst: 1_000_000 } });
  return {
    app,
    ready: { key: admin.key!, customerIds: Array.from({ length: spec.customers }, (_, n) => benchCustomerId(n)) },
    // LMDB is left to the process exit (crash-safe by design): lmdb-js can throw from a pending read-transaction
    // timer when the environment is closed right after load (see the findings in docs/benchmarks.md).
    close: async () => {
      if (dir) rmSync(dir, { recursive: true, force: true });
      else await ledger.close();
    },
  };
}

const spec = JSON.parse(process.argv[2] ?? '{"kind":"bare"}') as ServerSpec;
const { app, ready, close } = await start(spec);
const server = app.listen(0, '127.0.0.1', () => {
  const port = (server.address() as AddressInfo).port;
  process.send?.({ port, ...ready } satisfies ServerReady);
});
process.on('message', (message) => {
  if (message === 'stop') {
    server.closeAllConnections();
    server.close(() => void close().then(() => process.exit(0)));
  }
});
process.on('disconnect', () => process.exit(0));
