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
 * - The request is one write of its head and body, and the answer is read by our own HTTP/1.1 reader
 *   (http1-response.ts): a webhook needs a status, a bounded excerpt and the message's end. It replaced undici's
 *   `dispatch` (which had replaced `node:http`, a third dearer): in the delivery passes of
 *   scripts/bench/webhook-passes.ts a delivered moment cost about 160 µs with undici and about 130 with this, the
 *   difference in the client's objects and callbacks and in the garbage they leave. It never follows a redirect and
 *   never resolves a name: the connector below makes every connection.
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
import type { AllowHosts } from './allow-hosts.js';
import { checkEndpointUrl, type CheckedEndpoint, type EndpointReason, type HostResolver } from './endpoint-url.js';
import { ResponseReader, type ResponseEvents, type ResponseHead } from './http1-response.js';
import { closeSocket, KeptConnections } from './kept-connections.js';

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
  | 'connection-failed'
  | 'invalid-response';

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
 * How long a connection may sit unused before it is closed, when the receiver's answer has no
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

/** How long a kept connection may wait, after an answer that said `keepAliveTimeoutMs` (or nothing). */
function idleFor(keepAliveTimeoutMs: number | undefined): number {
  if (keepAliveTimeoutMs === undefined) return IDLE_CONNECTION_MS;
  return Math.min(keepAliveTimeoutMs - KEEP_ALIVE_MARGIN_MS, IDLE_CONNECTION_MAX_MS);
}

/**
 * The kept connections of each connector, by everything a connection is made for: the URL's host (the Host header
 * and the TLS name the certificate was checked against), the checked address, the port and the scheme. A connection
 * is reused only for a send whose check approved that very address for that very host, so reuse never takes a
 * request anywhere a fresh check would not.
 */
const kept = new WeakMap<Connector, KeptConnections>();

function keptFor(connector: Connector): KeptConnections {
  let connections = kept.get(connector);
  if (connections === undefined) {
    connections = new KeptConnections();
    kept.set(connector, connections);
  }
  return connections;
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

/** Header names the sender writes itself (the message's framing and its target), whatever `headers` says. */
const OWN_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection']);

/** The request's head: the sender's own headers, then the caller's (which may replace the type and the agent). */
function requestHead(endpoint: CheckedEndpoint, options: SendWebhookOptions, bodyBytes: number): string {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': options.userAgent ?? 'Purna-Webhooks/1' };
  for (const name in options.headers) {
    const lower = name.toLowerCase();
    if (!OWN_HEADERS.has(lower)) headers[lower] = options.headers[name]!;
  }
  let head = `POST ${endpoint.url.pathname}${endpoint.url.search} HTTP/1.1\r\nhost: ${endpoint.url.host}\r\ncontent-length: ${bodyBytes}\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]!}\r\n`;
  return `${head}\r\n`;
}

/**
 * One POST to one approved address: on a kept connection to the target if one waits, else on a new one the
 * connector makes (a TLS one handed over once its handshake is done, so a certificate refused is a connection never
 * made: nothing of the request was sent, and the next approved address is tried).
 */
function post(target: ConnectTarget, endpoint: CheckedEndpoint, options: SendWebhookOptions, deadline: number, timeoutMs: number): Promise<PostResult> {
  return new Promise<PostResult>((resolve) => new Exchange(target, endpoint, options, deadline, timeoutMs, resolve).start());
}

/** The send a socket is carrying, for the listeners below (shared by every send: no closures per webhook). */
const exchangeOf = new WeakMap<Socket, Exchange>();

function onSocketData(this: Socket, chunk: Buffer): void {
  exchangeOf.get(this)?.reader.push(chunk);
}
function onSocketEnd(this: Socket): void {
  exchangeOf.get(this)?.reader.close();
}
function onSocketError(this: Socket, error: Error): void {
  exchangeOf.get(this)?.broken(describeError(error));
}
function onSocketClose(this: Socket): void {
  exchangeOf.get(this)?.broken('the connection closed before the answer ended');
}
function onConnectError(this: Socket, error: Error): void {
  this.off('error', onConnectError);
  exchangeOf.get(this)?.notConnected(describeError(error));
}
function onConnected(this: Socket): void {
  this.off('error', onConnectError);
  exchangeOf.get(this)?.write(this);
}
function onDeadline(exchange: Exchange): void {
  exchange.deadlineCame();
}

/** One request and its answer on one connection (see {@link post}); it is the {@link ResponseReader}'s listener. */
class Exchange implements ResponseEvents {
  readonly reader = new ResponseReader(this);
  private readonly key: string;
  private readonly connector: Connector;
  private readonly connections: KeptConnections;
  private readonly timer: NodeJS.Timeout;
  /** The connection, until the answer hands it on or the send closes it. */
  private socket: Socket | undefined;
  private connected = false;
  private settled = false;
  private written = false;
  private status: number | undefined;
  private location: string | undefined;
  private keepAliveTimeoutMs: number | undefined;
  private received = 0;
  private readonly excerpt: Buffer[] = [];
  private excerptBytes = 0;

  constructor(
    private readonly target: ConnectTarget,
    private readonly endpoint: CheckedEndpoint,
    private readonly options: SendWebhookOptions,
    deadline: number,
    private readonly timeoutMs: number,
    private readonly resolve: (result: PostResult) => void,
  ) {
    this.connector = options.connect ?? directConnector;
    this.connections = keptFor(this.connector);
    this.key = `${target.tls ? 'https' : 'http'}|${target.hostname}|${target.address}|${target.port}`;
    this.timer = setTimeout(onDeadline, Math.max(0, deadline - performance.now()), this);
  }

  start(): void {
    const reused = this.connections.take(this.key);
    if (reused !== undefined) {
      this.write(reused);
      return;
    }
    let opening: Socket;
    try {
      opening = this.connector(this.target);
    } catch (error) {
      this.settle({ kind: 'not-connected', error: describeError(error) });
      return;
    }
    // Until it is ready, the connection is the send's to close (its deadline may come first).
    this.socket = opening;
    exchangeOf.set(opening, this);
    opening.on('error', onConnectError);
    if (opening.destroyed) this.notConnected('the connector answered a closed socket');
    else if (opening instanceof TLSSocket ? opening.authorized : !opening.connecting) onConnected.call(opening);
    else opening.once(opening instanceof TLSSocket ? 'secureConnect' : 'connect', onConnected);
  }

  /** Writes the request on a connection that is ready. A send whose deadline came while it opened writes nothing. */
  write(socket: Socket): void {
    if (this.settled) {
      closeSocket(socket);
      return;
    }
    this.socket = socket;
    this.connected = true;
    exchangeOf.set(socket, this);
    socket.setNoDelay(true);
    socket.on('data', onSocketData).on('end', onSocketEnd).on('error', onSocketError).on('close', onSocketClose);
    const { body } = this.options;
    socket.cork();
    socket.write(requestHead(this.endpoint, this.options, Buffer.byteLength(body)), 'latin1');
    socket.write(body, 'utf8', (error) => {
      if (!error) this.written = true;
    });
    socket.uncork();
  }

  notConnected(error: string): void {
    this.settle({ kind: 'not-connected', error });
  }

  onHead(head: ResponseHead): void {
    this.status = head.status;
    this.location = head.location;
    this.keepAliveTimeoutMs = head.keepAliveTimeoutMs;
  }

  onBody(chunk: Buffer): void {
    if (this.excerptBytes < RESPONSE_EXCERPT_BYTES) {
      // Copied: the chunk is a view into the socket's buffer.
      const part = Buffer.from(chunk.subarray(0, RESPONSE_EXCERPT_BYTES - this.excerptBytes));
      this.excerpt.push(part);
      this.excerptBytes += part.length;
    }
    this.received += chunk.length;
    if (this.received >= MAX_RESPONSE_BYTES) this.answered(true);
  }

  onEnd(reusable: boolean): void {
    const socket = this.socket;
    if (this.settled || socket === undefined) return;
    this.release(socket);
    // Kept only when the whole request went out first: a receiver that answered before reading it all may still be
    // reading, and would take the next request for the rest of this one.
    if (reusable && this.written) this.connections.keep(this.key, socket, idleFor(this.keepAliveTimeoutMs));
    else closeSocket(socket);
    this.answered(false);
  }

  onError(message: string, cutShort: boolean): void {
    if (cutShort) this.broken(message);
    else if (this.status !== undefined) this.answered(true);
    else {
      const { hostname, address } = this.target;
      this.settle({ kind: 'done', outcome: { ok: false, reason: 'invalid-response', error: `${hostname} (${address}) answered something that is not HTTP/1.1: ${message}`, address } });
    }
  }

  /** The connection broke (an error, or it closed) before the answer ended. */
  broken(why: string): void {
    const { hostname, address } = this.target;
    this.cutShort(() => ({ ok: false, reason: 'connection-failed', error: `the connection to ${hostname} (${address}) failed: ${why}`, address }));
  }

  deadlineCame(): void {
    const { hostname, address } = this.target;
    this.cutShort(() => ({
      ok: false,
      reason: 'timeout',
      error: `${hostname} (${address}) gave no answer within ${this.timeoutMs} ms`,
      ...(this.connected ? { address } : {}),
    }));
  }

  /**
   * What cuts a send short (its deadline, a broken connection): once the status line has come, the answer stands
   * with what was read of its body; before it, the attempt failed as `failure` says.
   */
  private cutShort(failure: () => Outcome): void {
    if (this.status !== undefined) this.answered(true);
    else this.settle({ kind: 'done', outcome: failure() });
  }

  private answered(truncated: boolean): void {
    this.settle({ kind: 'done', outcome: judge(this.target, this.status ?? 0, this.location, this.excerpt, truncated) });
  }

  /** Takes the send's listeners off the connection: it is no longer this send's. */
  private release(socket: Socket): void {
    socket.off('data', onSocketData).off('end', onSocketEnd).off('error', onSocketError).off('close', onSocketClose).off('error', onConnectError);
    exchangeOf.delete(socket);
    this.socket = undefined;
  }

  private settle(result: PostResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    // Whatever is still open (an endless body, a silent server, a connection still opening) is cut now; the record
    // is already complete. An answer read to its end has handed its connection on before this.
    const socket = this.socket;
    if (socket !== undefined) {
      this.release(socket);
      closeSocket(socket);
    }
    this.resolve(result);
  }
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
  if (options.userAgent !== undefined) {
    try {
      validateHeaderValue('user-agent', options.userAgent);
    } catch (error) {
      throw new TypeError(`sendWebhook: userAgent cannot be sent: ${(error as Error).message}`);
    }
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
