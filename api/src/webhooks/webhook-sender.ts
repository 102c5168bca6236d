/**
 * One delivery attempt: a POST of a signed JSON body to an endpoint URL, answered as a record the delivery worker
 * can store. It never throws for anything the network or the receiver does.
 *
 * Why it is built this way:
 * - The URL is checked again at every send (endpoint-url.ts), because DNS answers change between attempts.
 * - The connection goes to one of the addresses that check just approved, by IP: the sender's connection pool
 *   makes its connections itself, so Node never resolves the name again. A DNS rebinding between the check and the
 *   connect (first a public answer, then 10.0.0.1) has no second lookup to exploit. The name is still sent as
 *   `Host` and as the TLS server name, so virtual hosting and certificate checks work as usual.
 * - The HTTP client is undici's (Node's own fetch is built on it), driven through its low-level `dispatch`: it
 *   took about a third less CPU a webhook than `node:http` with an agent, where the client was a third of what a
 *   delivery cost the server. Redirects are not followed by it, and it never resolves a name: the connector below
 *   makes every connection.
 * - A connection whose answer was read to its end is kept for the next send: 4 s when the receiver says nothing,
 *   or 2 s less than the receiver's `Keep-Alive: timeout=` (30 s at most), so that it outlives the pause between two
 *   delivery passes of a busy endpoint (opening one per webhook cost the worker more than the rest of a send). It
 *   is reused only for the same URL host, approved address, port and scheme (one pool each, closed after a minute
 *   unused), so reuse never takes a request where a fresh connection would not go; an answer cut short (deadline,
 *   endless body) closes its connection.
 * - The connection is made by an injectable {@link Connector}. The default dials the address; tests inject one
 *   that records every (host, address, port) asked for and only ever dials 127.0.0.1, so no test sends a packet
 *   off the machine even if the check were wrong.
 * - Redirects are never followed (a 3xx is a failed attempt, `redirect-not-followed`): following one would let the
 *   receiver send us to an address nobody checked, and the spec asks producers to update the URL instead.
 * - One deadline (10 s by default) covers the check, the connect, the request and the answer's head. The answer's
 *   body is read up to 64 KiB and then dropped (the first 1 KiB is kept as an excerpt), so a huge or endless body
 *   never holds a worker.
 * - A 2xx status is success, whatever the body; anything else is failure.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { StringDecoder } from 'node:string_decoder';
import { connect as connectTls, TLSSocket } from 'node:tls';
import { Pool, type buildConnector, type Dispatcher } from 'undici';
import type { AllowHosts } from './allow-hosts.js';
import { checkEndpointUrl, type CheckedEndpoint, type EndpointReason, type HostResolver } from './endpoint-url.js';

/**
 * Default deadline of one attempt, from the URL check to the answer's status line.
 *
 * @example
 * await sendWebhook({ url, body, headers, timeoutMs: DEFAULT_SEND_TIMEOUT_MS });
 */
export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/**
 * Bytes of the answer's body read before the connection is dropped.
 *
 * @example
 * if (attempt.responseTruncated) log(`answer over ${MAX_RESPONSE_BYTES} bytes, or too slow`);
 */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/**
 * Bytes of the answer's body kept, as text, in the attempt record.
 *
 * @example
 * attempt.responseExcerpt; // at most RESPONSE_EXCERPT_BYTES bytes of UTF-8
 */
export const RESPONSE_EXCERPT_BYTES = 1024;

/**
 * Where the sender asks a {@link Connector} to connect: always an address the URL check approved.
 *
 * @example
 * // { hostname: 'hooks.example.com', address: '203.0.113.9', family: 4, port: 443, tls: true, servername: 'hooks.example.com' }
 */
export interface ConnectTarget {
  /** The URL's host (no brackets), sent as `Host` and used as the TLS server name. */
  readonly hostname: string;
  /** The checked IP address to dial. */
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  /** True for https: the connector must hand back a TLS socket. */
  readonly tls: boolean;
  /** The TLS server name (SNI and certificate name); undefined when the URL's host is an IP literal. */
  readonly servername: string | undefined;
}

/**
 * Opens the socket a request is written to.
 *
 * @example
 * // In tests: record the target, but only ever dial the local receiver.
 * const connect: Connector = (target) => { calls.push(target); return net.connect({ host: '127.0.0.1', port }); };
 */
export type Connector = (target: ConnectTarget) => Socket;

/**
 * Dials the checked address directly: TCP for http, TLS (certificate checked against the URL's host) for https.
 *
 * @example
 * const socket = directConnector({ hostname: 'hooks.example.com', address: '93.184.215.14', family: 4, port: 443, tls: true, servername: 'hooks.example.com' });
 */
export const directConnector: Connector = (target) =>
  target.tls
    ? connectTls({
        host: target.address,
        port: target.port,
        ...(target.servername === undefined ? {} : { servername: target.servername }),
        ALPNProtocols: ['http/1.1'],
      })
    : connectTcp({ host: target.address, port: target.port });

/**
 * Why an attempt failed (kebab-case, stable): a URL-check reason, or what happened on the wire.
 *
 * @example
 * if (attempt.reason === 'redirect-not-followed') tellOwner('update the endpoint URL');
 */
export type AttemptReason =
  | EndpointReason
  | 'redirect-not-followed'
  | 'unsuccessful-status'
  | 'timeout'
  | 'connection-failed';

/**
 * What one attempt did, for the delivery log.
 *
 * @example
 * // { ok: false, status: 302, reason: 'redirect-not-followed', error: 'hooks.example.com answered 302 (…)',
 * //   address: '203.0.113.9', durationMs: 41, responseExcerpt: 'moved' }
 */
export interface DeliveryAttempt {
  /** True when the receiver answered 2xx. */
  readonly ok: boolean;
  /** The receiver's status, when it answered. */
  readonly status?: number;
  /** Why the attempt failed (absent on success). */
  readonly reason?: AttemptReason;
  /** A sentence on what went wrong (absent on success). */
  readonly error?: string;
  /** The address connected to, when a connection was opened. */
  readonly address?: string;
  readonly durationMs: number;
  /** The first 1 KiB of the answer's body, as UTF-8 text. */
  readonly responseExcerpt?: string;
  /** True when the body was not read to its end: it passed 64 KiB, or it was still coming at the deadline. */
  readonly responseTruncated?: boolean;
}

/**
 * One POST to send.
 *
 * @example
 * const options: SendWebhookOptions = { url: endpoint.url, body, headers: webhookHeaders(id, ts, body, secrets), allowHosts };
 */
export interface SendWebhookOptions {
  readonly url: string;
  /** The exact JSON string that was signed. */
  readonly body: string;
  /** The `webhook-*` headers (see webhook-signature.ts) and any others; Host and Content-Length are set here. */
  readonly headers: Readonly<Record<string, string>>;
  readonly allowHosts?: AllowHosts;
  /** Default: the system resolver. */
  readonly resolve?: HostResolver;
  /** Default: {@link directConnector}. */
  readonly connect?: Connector;
  /** Default: {@link DEFAULT_SEND_TIMEOUT_MS}. */
  readonly timeoutMs?: number;
  readonly userAgent?: string;
}

type Outcome = Omit<DeliveryAttempt, 'durationMs'>;

/**
 * How long a connection may sit unused in a pool before it is closed, when the receiver's answer has no
 * `Keep-Alive: timeout=`: under the idle timeouts receivers commonly keep without saying (uvicorn 5 s, nginx 75 s,
 * Go's server and most proxies 60 s or more), and over the pause between two passes that find moments. With 2 s,
 * a steady 300 orders a second (passes that find moments two seconds apart) opened a connection every eight
 * webhooks, and the opening cost a delivered moment more than the rest of its send (docs/benchmarks.md).
 */
const IDLE_CONNECTION_MS = 4000;

/** The longest a connection is kept when the receiver's `Keep-Alive: timeout=` allows more. */
const IDLE_CONNECTION_MAX_MS = 30_000;

/**
 * How much sooner than the receiver's `Keep-Alive: timeout=` a kept connection is given up, so that a send never
 * races the receiver's own close: a Node receiver (5 s) has its connections kept 3 s.
 */
const KEEP_ALIVE_MARGIN_MS = 2000;

/** A pool of connections to one checked target, and when a send last used it (performance.now() ms). */
interface TargetPool {
  readonly pool: Pool;
  lastUsed: number;
}

/** How long a pool may go unused before it is closed (its connections are gone before, after at most 30 s). */
const IDLE_POOL_MS = 60_000;

/**
 * The pools of each connector, keyed by everything a connection is made for: the URL's host (the Host header and the
 * TLS name the certificate was checked against), the checked address, the port and the scheme. A connection is
 * reused only for a send whose check approved that very address for that very host, so reuse never takes a request
 * anywhere a fresh check would not.
 */
const pools = new WeakMap<Connector, Map<string, TargetPool>>();

function poolFor(connector: Connector, target: ConnectTarget): Pool {
  let byTarget = pools.get(connector);
  if (byTarget === undefined) {
    byTarget = new Map();
    pools.set(connector, byTarget);
  }
  const key = `${target.tls ? 'https' : 'http'}|${target.hostname}|${target.address}|${target.port}`;
  const now = performance.now();
  let entry = byTarget.get(key);
  if (entry === undefined) {
    // A new target is the moment to close the pools no send has used for a minute: the map holds only the targets
    // of the last minute, however many endpoints and DNS answers came and went.
    for (const [known, old] of byTarget) {
      if (now - old.lastUsed < IDLE_POOL_MS) continue;
      byTarget.delete(known);
      // Nothing is in flight on it (unused for a minute); closing can only fail if it was closed already.
      old.pool.close().catch(() => undefined);
    }
    const host = target.family === 6 ? `[${target.address}]` : target.address;
    entry = {
      pool: new Pool(`${target.tls ? 'https' : 'http'}://${host}:${target.port}`, {
        connect: pinnedConnect(connector, target),
        keepAliveTimeout: IDLE_CONNECTION_MS,
        keepAliveMaxTimeout: IDLE_CONNECTION_MAX_MS,
        keepAliveTimeoutThreshold: KEEP_ALIVE_MARGIN_MS,
        // The send's own deadline covers the connect, the request and the answer's head (see post).
        headersTimeout: 0,
        bodyTimeout: 0,
      }),
      lastUsed: now,
    };
    byTarget.set(key, entry);
  }
  entry.lastUsed = now;
  return entry.pool;
}

/** How long a connection may take to open, whatever the send that asked for it (its deadline may be shorter). */
const CONNECT_TIMEOUT_MS = DEFAULT_SEND_TIMEOUT_MS;

/**
 * The pool's way to open a connection: always the connector, always to the checked target. A TLS socket is handed
 * over once its handshake is done, so a certificate refused is a connection never made (nothing of the request was
 * sent; the next approved address is tried). The error listener stays: undici adds its own only once it has the
 * socket (after compiling its parser, the first time), and an `error` with no listener would end the process; an
 * error in that gap leaves the send to its deadline.
 */
function pinnedConnect(connector: Connector, target: ConnectTarget): buildConnector.connector {
  return (_options, callback): void => {
    let socket: Socket;
    try {
      socket = connector(target);
    } catch (error) {
      callback(error instanceof Error ? error : new Error(String(error)), null);
      return;
    }
    let waiting = true;
    const timer = setTimeout(() => socket.destroy(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
    const answer = (error: Error | null): void => {
      if (!waiting) return;
      waiting = false;
      clearTimeout(timer);
      if (error) callback(error, null);
      else callback(null, socket);
    };
    socket.on('error', answer);
    if (socket.destroyed) answer(new Error('the connector answered a closed socket'));
    else if (socket instanceof TLSSocket ? socket.authorized : !socket.connecting) answer(null);
    else socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => answer(null));
  };
}

/**
 * Checks the URL, then POSTs `body` to one of the approved addresses and answers what happened.
 * Resolves for every network outcome; rejects only on a programming error (a body that is not a string, a bad
 * timeout, a header name or value Node would refuse).
 *
 * @example
 * const body = JSON.stringify(event);
 * const headers = webhookHeaders(messageId, Math.floor(Date.now() / 1000), body, secrets);
 * const attempt = await sendWebhook({ url: endpoint.url, body, headers, allowHosts });
 * if (!attempt.ok) scheduleRetry(attempt.reason, attempt.error);
 */
export async function sendWebhook(options: SendWebhookOptions): Promise<DeliveryAttempt> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  checkOptions(options, timeoutMs);
  const started = performance.now();
  const deadline = started + timeoutMs;
  const finish = (outcome: Outcome): DeliveryAttempt => ({
    ...outcome,
    durationMs: Math.round(performance.now() - started),
  });

  const check = await withDeadline(
    checkEndpointUrl(options.url, {
      ...(options.allowHosts === undefined ? {} : { allowHosts: options.allowHosts }),
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    }),
    deadline,
  );
  if (check === undefined) {
    return finish({ ok: false, reason: 'timeout', error: `the URL check (DNS) took more than ${timeoutMs} ms` });
  }
  if (!check.ok) return finish({ ok: false, reason: check.reason, error: check.message });

  const failures: string[] = [];
  for (const { address, family } of check.addresses) {
    const target: ConnectTarget = {
      hostname: check.hostname,
      address,
      family,
      port: check.port,
      tls: check.tls,
      // SNI carries names only; for an IP-literal URL the certificate is checked against the address itself.
      servername: check.tls && isIP(check.hostname) === 0 ? check.hostname : undefined,
    };
    const result = await post(target, check, options, deadline, timeoutMs);
    if (result.kind === 'done') return finish(result.outcome);
    failures.push(`${address} (${result.error})`);
    // The next address is tried only when this one never connected: no byte of the request left, so the
    // receiver cannot get the message twice.
    if (performance.now() >= deadline) break;
  }
  return finish({
    ok: false,
    reason: 'connection-failed',
    error: `could not connect to ${check.hostname} port ${check.port}: ${failures.join('; ')}`,
  });
}

type PostResult = { kind: 'done'; outcome: Outcome } | { kind: 'not-connected'; error: string };

function post(
  target: ConnectTarget,
  endpoint: CheckedEndpoint,
  options: SendWebhookOptions,
  deadline: number,
  timeoutMs: number,
): Promise<PostResult> {
  return new Promise<PostResult>((resolve) => {
    let connected = false;
    let settled = false;
    let status: number | undefined;
    let location: string | undefined;
    let received = 0;
    const excerpt: Buffer[] = [];
    let excerptBytes = 0;
    let abort: ((error?: Error) => void) | undefined;

    const settle = (result: PostResult, complete = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Whatever is still open (an endless body, a silent server) is cut now, its connection closed; the record is
      // already complete. An answer read to its end leaves its connection to the pool.
      if (!complete) abort?.();
      resolve(result);
    };
    const answered = (truncated: boolean): void =>
      settle({ kind: 'done', outcome: judge(target, status ?? 0, location, excerpt, truncated) }, !truncated);
    // What cuts a send short (its deadline, a broken connection): once the status line has come, the answer stands
    // with what was read of its body; before it, the attempt failed as `failure` says.
    const cutShort = (failure: () => Outcome): void => {
      if (status !== undefined) answered(true);
      else settle({ kind: 'done', outcome: failure() });
    };

    const timer = setTimeout(
      () =>
        cutShort(() => ({
          ok: false,
          reason: 'timeout',
          error: `${target.hostname} (${target.address}) gave no answer within ${timeoutMs} ms`,
          ...(connected ? { address: target.address } : {}),
        })),
      Math.max(0, deadline - performance.now()),
    );

    const handler: Dispatcher.DispatchHandlers = {
      onConnect(abortRequest) {
        // Called once a connection is ready, before a byte is written: a send that has already ended (its deadline
        // came while the connection opened) is never written.
        if (settled) {
          abortRequest();
          return;
        }
        connected = true;
        abort = abortRequest;
      },
      onHeaders(statusCode, rawHeaders) {
        if (settled || statusCode < 200) return true;
        status = statusCode;
        for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
          if (rawHeaders[i]!.length === 8 && rawHeaders[i]!.toString('latin1').toLowerCase() === 'location') location = rawHeaders[i + 1]!.toString('latin1');
        }
        return true;
      },
      onData(chunk) {
        if (settled) return false;
        if (excerptBytes < RESPONSE_EXCERPT_BYTES) {
          const part = chunk.subarray(0, RESPONSE_EXCERPT_BYTES - excerptBytes);
          excerpt.push(part);
          excerptBytes += part.length;
        }
        received += chunk.length;
        if (received >= MAX_RESPONSE_BYTES) answered(true);
        return true;
      },
      onComplete() {
        answered(false);
      },
      onError(error) {
        if (settled) return;
        if (!connected) {
          settle({ kind: 'not-connected', error: describeError(error) });
          return;
        }
        cutShort(() => ({
          ok: false,
          reason: 'connection-failed',
          error: `the connection to ${target.hostname} (${target.address}) failed: ${describeError(error)}`,
          address: target.address,
        }));
      },
    };

    try {
      poolFor(options.connect ?? directConnector, target).dispatch(
        {
          method: 'POST',
          path: `${endpoint.url.pathname}${endpoint.url.search}`,
          headers: {
            'content-type': 'application/json',
            'user-agent': options.userAgent ?? 'Purna-Webhooks/1',
            ...options.headers,
            host: endpoint.url.host,
          },
          body: options.body,
        },
        handler,
      );
    } catch (error) {
      // A target undici cannot make a pool for: nothing was sent.
      settle({ kind: 'not-connected', error: describeError(error) });
    }
  });
}

function judge(
  target: ConnectTarget,
  status: number,
  location: string | undefined,
  excerpt: Buffer[],
  truncated: boolean,
): Outcome {
  // StringDecoder holds back a character cut by the 1 KiB limit instead of turning it into U+FFFD.
  const text = excerpt.length === 0 ? undefined : new StringDecoder('utf8').write(Buffer.concat(excerpt));
  const common = {
    status,
    address: target.address,
    ...(text === undefined ? {} : { responseExcerpt: text }),
    ...(truncated ? { responseTruncated: true } : {}),
  };
  if (status >= 200 && status <= 299) return { ok: true, ...common };
  if (status >= 300 && status <= 399) {
    const where = location === undefined ? '' : ` to ${JSON.stringify(location.slice(0, 200))}`;
    return {
      ok: false,
      reason: 'redirect-not-followed',
      error: `${target.hostname} answered ${status} (a redirect${where}); redirects are not followed, so the endpoint URL should be updated instead`,
      ...common,
    };
  }
  return {
    ok: false,
    reason: 'unsuccessful-status',
    error: `${target.hostname} answered ${status}; only a 2xx status counts as delivered`,
    ...common,
  };
}

function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), Math.max(0, deadline - performance.now()));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

function checkOptions(options: SendWebhookOptions, timeoutMs: number): void {
  if (typeof options.body !== 'string') {
    throw new TypeError(`sendWebhook: body must be the signed JSON string; got ${typeof options.body}.`);
  }
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`sendWebhook: timeoutMs must be a positive number of milliseconds; got ${String(timeoutMs)}.`);
  }
  for (const [name, value] of Object.entries(options.headers)) {
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch (error) {
      throw new TypeError(`sendWebhook: header ${JSON.stringify(name)} cannot be sent: ${(error as Error).message}`);
    }
  }
}
