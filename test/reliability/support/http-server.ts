/**
 * The app over real HTTP: `app.listen(0)` on 127.0.0.1 and a client with a bounded, keep-alive connection pool
 * (node:http's Agent with `maxSockets`), so a thousand concurrent requests queue on a few dozen sockets the way a
 * checkout's HTTP client would, instead of opening a thousand connections. The same client also drives a server
 * running in another process (`httpClient`).
 */
import { Agent, request } from 'node:http';
import type { AddressInfo, Server } from 'node:net';
import type { PurnaApp } from '../../../api/src/app.js';

/** One answer: status, headers (lower-case names) and the parsed JSON body. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/** A pooled client of one server. */
export interface HttpClient {
  baseUrl: string;
  send(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** A listening app and a pooled client for it. */
export type LiveServer = HttpClient;

/** How the client talks to its server. */
export interface HttpClientOptions {
  /** At most this many connections at once; further requests queue. */
  maxSockets?: number;
  /**
   * A request whose socket stays silent this long is abandoned and its promise rejects with an error saying so
   * (a hang becomes a failure the test can name instead of a test timeout). Unbounded when absent.
   */
  timeoutMs?: number;
}

/** A client of the server on 127.0.0.1:`port`. */
export function httpClient(port: number, options: HttpClientOptions = {}): HttpClient {
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 50 });
  const send: HttpClient['send'] = (method, path, sendOptions = {}) =>
    new Promise((resolve, reject) => {
      const payload = sendOptions.body === undefined ? undefined : Buffer.from(JSON.stringify(sendOptions.body));
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            accept: 'application/json',
            ...(sendOptions.key ? { authorization: `Bearer ${sendOptions.key}` } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...sendOptions.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let body: unknown = text;
            try {
              body = text.length > 0 ? JSON.parse(text) : undefined;
            } catch {
              // Not JSON: keep the text, the test will say what came back.
            }
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
          });
          res.on('error', reject);
        },
      );
      const { timeoutMs } = options;
      if (timeoutMs !== undefined) {
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      }
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    send,
    close() {
      agent.destroy();
      return Promise.resolve();
    },
  };
}

/** Starts `app` on a free loopback port, with a client pool of at most `maxSockets` connections. */
export async function listen(app: PurnaApp, maxSockets = 50): Promise<LiveServer> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const client = httpClient(port, { maxSockets });
  return {
    ...client,
    async close() {
      await client.close();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
