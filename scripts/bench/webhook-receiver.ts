/**
 * A webhook receiver for the benchmarks: a node:http server on 127.0.0.1 that answers every POST 204 at once and
 * remembers each distinct `webhook-id`, so a benchmark can wait until every moment arrived and tell a moment
 * delivered twice from two moments. It reads each body to its end (a receiver must, to verify the signature) but
 * does not verify: the signature is the sender's cost, not the receiver's, and is tested elsewhere.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A running receiver. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port>/hooks`. */
  readonly url: string;
  /** Distinct `webhook-id`s received. */
  distinct(): number;
  /** Requests received, duplicates included. */
  requests(): number;
  /** Connections the sender opened. */
  connections(): number;
  /** Requests without a `webhook-id`, `webhook-timestamp` or `webhook-signature` header. */
  unsigned(): number;
  /** Resolves when `count` distinct ids have arrived, or rejects after `timeoutMs` saying how many had. */
  waitFor(count: number, timeoutMs: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a receiver on a free port of 127.0.0.1.
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * await receiver.waitFor(5000, 60_000);
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const ids = new Set<string>();
  let requests = 0;
  let unsigned = 0;
  let connections = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const server: Server = createServer((req, res) => {
    req.on('data', () => undefined);
    req.on('end', () => {
      requests += 1;
      const id = req.headers['webhook-id'];
      if (typeof id !== 'string' || req.headers['webhook-timestamp'] === undefined || req.headers['webhook-signature'] === undefined) unsigned += 1;
      else ids.add(id);
      res.writeHead(204).end();
      for (let i = waiters.length - 1; i >= 0; i -= 1) {
        if (ids.size >= waiters[i]!.count) waiters.splice(i, 1)[0]!.resolve();
      }
    });
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    distinct: () => ids.size,
    requests: () => requests,
    unsigned: () => unsigned,
    connections: () => connections,
    waitFor(count, timeoutMs) {
      if (ids.size >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`webhook receiver: ${ids.size} of ${count} moments arrived within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
