/**
 * The app over real HTTP: `app.listen(0)` on 127.0.0.1 and a client with a bounded, keep-alive connection pool
 * (node:http's Agent with `maxSockets`), so a thousand concurrent requests queue on a few dozen sockets the way a
 * checkout's HTTP client would, instead of opening a thousand connections.
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

/** A listening app and a pooled client for it. */
export interface LiveServer {
  baseUrl: string;
  send(method: string, path: string, options?: { key?: string; body?: unknown; headers?: Record<string, string> }): Promise<HttpAnswer>;
  close(): Promise<void>;
}

/** Starts `app` on a free loopback port, with a client pool of at most `maxSockets` connections. */
export async function listen(app: PurnaApp, maxSockets = 50): Promise<LiveServer> {
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets });
  const send: LiveServer['send'] = (method, path, options = {}) =>
    new Promise((resolve, reject) => {
      const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            accept: 'application/json',
            ...(options.key ? { authorization: `Bearer ${options.key}` } : {}),
            ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
            ...options.headers,
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
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    send,
    async close() {
      agent.destroy();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
