import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as tlsConnect } from 'node:tls';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { expect } from 'chai';
import { Webhook } from 'standardwebhooks';
import { NO_ALLOW_HOSTS, parseAllowHosts } from '../../src/webhooks/allow-hosts.js';
import type { HostResolver, ResolvedAddress } from '../../src/webhooks/endpoint-url.js';
import { generateWebhookSecret } from '../../src/webhooks/webhook-secret.js';
import {
  MAX_RESPONSE_BYTES,
  RESPONSE_EXCERPT_BYTES,
  sendWebhook,
  type ConnectTarget,
  type Connector,
} from '../../src/webhooks/webhook-sender.js';
import { webhookHeaders } from '../../src/webhooks/webhook-signature.js';

// Every test here either dials 127.0.0.1 itself (allow-listed URLs) or goes through loopbackConnector, which
// records the target the sender chose and dials 127.0.0.1 whatever that target was: no packet leaves the machine.

interface Receiver {
  readonly port: number;
  /** Each request, with its raw body once it is complete. */
  readonly requests: Array<{ method: string; url: string; headers: IncomingMessage['headers']; body: string }>;
  /** Resolves when the server has seen a connection closed by the sender. */
  readonly closedConnection: Promise<void>;
  close(): Promise<void>;
}

/** `keepAliveTimeoutMs`: the receiver's idle timeout, said in its `Keep-Alive` header (0: none, and never closed). */
async function startReceiver(answer: (req: IncomingMessage, res: ServerResponse, body: string) => void, keepAliveTimeoutMs?: number): Promise<Receiver> {
  const requests: Receiver['requests'] = [];
  let onClosed: () => void = () => undefined;
  const closedConnection = new Promise<void>((resolve) => {
    onClosed = resolve;
  });
  const server: Server = createServer((req, res) => {
    const entry = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: '' };
    requests.push(entry);
    res.on('close', onClosed);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      entry.body = Buffer.concat(chunks).toString('utf8');
      answer(req, res, entry.body);
    });
  });
  if (keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = keepAliveTimeoutMs;
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    closedConnection,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Records every target the sender asks for, and only ever dials 127.0.0.1 on the port given for that address. */
function loopbackConnector(portFor: (target: ConnectTarget) => number): Connector & { calls: ConnectTarget[]; closed: Array<Promise<unknown>> } {
  const calls: ConnectTarget[] = [];
  /** For each connection, in the order made: resolves once it has closed (and the sender has seen it close). */
  const closed: Array<Promise<unknown>> = [];
  const connector = (target: ConnectTarget): Socket => {
    calls.push(target);
    const socket = connect({ host: '127.0.0.1', port: portFor(target) });
    closed.push(new Promise((resolve) => socket.once('close', resolve)));
    return socket;
  };
  return Object.assign(connector, { calls, closed });
}

function fixedResolver(answers: Record<string, readonly ResolvedAddress[]>): HostResolver & { asked: string[] } {
  const asked: string[] = [];
  const resolve = (hostname: string): Promise<readonly ResolvedAddress[]> => {
    asked.push(hostname);
    return Promise.resolve(answers[hostname] ?? []);
  };
  return Object.assign(resolve, { asked });
}

async function closedPort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * A receiver written on bare TCP, for answers node:http would not give: each request (head and Content-Length body)
 * gets `answer(path, socket)` written back as it is. Counts the connections it was given.
 */
async function startRawReceiver(answer: (path: string, socket: Socket) => void): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createNetServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        answer(head.split(' ')[1]!, socket);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

const body = JSON.stringify({ type: 'points.earned', data: { customerId: 'c-42', points: 120 } });
const local = parseAllowHosts('127.0.0.1');

/** One send to a receiver of {@link startRawReceiver} (allow-listed, 1 s deadline). */
const sendToRaw = (port: number, path = '/') => sendWebhook({ url: `http://127.0.0.1:${port}${path}`, body, headers: {}, allowHosts: local, timeoutMs: 1000 });

describe('webhook sender', () => {
  let receiver: Receiver | undefined;
  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  it('POSTs a signed body to a local receiver, which verifies it with the standardwebhooks package', async () => {
    const secret = generateWebhookSecret();
    let verified: unknown;
    receiver = await startReceiver((req, res, raw) => {
      verified = new Webhook(secret).verify(raw, req.headers as Record<string, string>);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
    });
    const headers = webhookHeaders('msg_local_1', Math.floor(Date.now() / 1000), body, [secret]);
    const attempt = await sendWebhook({
      url: `http://127.0.0.1:${receiver.port}/hooks/purna?tenant=t1`,
      body,
      headers,
      allowHosts: local,
    });
    expect(attempt).to.include({ ok: true, status: 200, address: '127.0.0.1', responseExcerpt: 'thanks' });
    expect(attempt.reason).to.equal(undefined);
    expect(attempt.responseTruncated).to.equal(undefined);
    expect(attempt.durationMs).to.be.a('number').and.at.least(0);
    expect(verified).to.deep.equal(JSON.parse(body));
    expect(receiver.requests).to.have.length(1);
    const [seen] = receiver.requests;
    expect(seen).to.include({ method: 'POST', url: '/hooks/purna?tenant=t1', body });
    expect(seen?.headers).to.include({
      host: `127.0.0.1:${receiver.port}`,
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'webhook-id': 'msg_local_1',
    });
  });

  it('connects only to the address the check approved, sending the name as Host and TLS server name', async () => {
    receiver = await startReceiver((_req, res) => res.writeHead(204).end());
    const port = receiver.port;
    const connector = loopbackConnector(() => port);
    const resolve = fixedResolver({ 'hooks.example.test': [{ address: '8.8.8.8', family: 4 }] });
    const attempt = await sendWebhook({ url: 'https://hooks.example.test/in', body, headers: {}, resolve, connect: connector });
    expect(attempt).to.include({ ok: true, status: 204, address: '8.8.8.8' });
    expect(connector.calls).to.deep.equal([
      { hostname: 'hooks.example.test', address: '8.8.8.8', family: 4, port: 443, tls: true, servername: 'hooks.example.test' },
    ]);
    expect(receiver.requests[0]?.headers.host).to.equal('hooks.example.test');
  });

  it('checks the TLS certificate against the URL host: one no system trusts is a connection never made, nothing sent', async () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    let requests = 0;
    const server = createHttpsServer(
      { key: readFileSync(new URL('localhost-test-only.key.pem', fixtures)), cert: readFileSync(new URL('localhost-test-only.cert.pem', fixtures)) },
      (_req, res) => {
        requests += 1;
        res.writeHead(204).end();
      },
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      // The default connector dials what the (injected) resolver approved: 127.0.0.1, on the allow list as localhost.
      const resolve = fixedResolver({ localhost: [{ address: '127.0.0.1', family: 4 }] });
      const attempt = await sendWebhook({ url: `https://localhost:${port}/in`, body, headers: {}, resolve, allowHosts: parseAllowHosts('localhost') });
      expect(attempt).to.include({ ok: false, reason: 'connection-failed' });
      expect(attempt.error).to.equal(`could not connect to localhost port ${port}: 127.0.0.1 (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate)`);
      expect(requests).to.equal(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('sends over TLS once the handshake is done, and keeps the TLS connection for the next send', async () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    const cert = readFileSync(new URL('localhost-test-only.cert.pem', fixtures));
    const bodies: string[] = [];
    let connections = 0;
    const server = createHttpsServer({ key: readFileSync(new URL('localhost-test-only.key.pem', fixtures)), cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
      });
    });
    server.on('secureConnection', () => (connections += 1));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const targets: ConnectTarget[] = [];
      // The system trusts no test certificate: this connector trusts the fixture's, and dials only 127.0.0.1.
      const trusting: Connector = (target) => {
        targets.push(target);
        return tlsConnect({ host: '127.0.0.1', port: target.port, servername: target.servername!, ca: cert, ALPNProtocols: ['http/1.1'] });
      };
      const resolve = fixedResolver({ localhost: [{ address: '127.0.0.1', family: 4 }] });
      const send = () => sendWebhook({ url: `https://localhost:${port}/in`, body, headers: {}, resolve, allowHosts: parseAllowHosts('localhost'), connect: trusting });
      expect(await send()).to.include({ ok: true, status: 200, responseExcerpt: 'thanks' });
      expect(await send()).to.include({ ok: true, status: 200, responseExcerpt: 'thanks' });
      expect(bodies).to.deep.equal([body, body]);
      expect(connections).to.equal(1);
      expect(targets).to.deep.equal([{ hostname: 'localhost', address: '127.0.0.1', family: 4, port, tls: true, servername: 'localhost' }]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('keeps a connection for the next send to the same host and address only, and never for an answer cut short', async () => {
    receiver = await startReceiver((req, res) => (req.url === '/slow' ? undefined : res.writeHead(204).end()));
    const port = receiver.port;
    const connector = loopbackConnector(() => port);
    const answers: Record<string, ResolvedAddress[]> = { 'a.example.test': [{ address: '8.8.8.8', family: 4 }], 'b.example.test': [{ address: '8.8.8.8', family: 4 }] };
    const resolve: HostResolver = (hostname) => Promise.resolve(answers[hostname] ?? []);
    // An answer read to its end hands its connection on before the send answers: the next send takes it at once.
    const send = async (host: string, path = '/in') =>
      (await sendWebhook({ url: `https://${host}${path}`, body, headers: {}, resolve, connect: connector, timeoutMs: 300 })).ok;
    expect(await send('a.example.test')).to.equal(true);
    expect(await send('a.example.test')).to.equal(true);
    // Another host at the same address: its own connection (its own Host and TLS name).
    expect(await send('b.example.test')).to.equal(true);
    // The same host, now at another approved address: a new connection there.
    answers['a.example.test'] = [{ address: '1.1.1.1', family: 4 }];
    expect(await send('a.example.test')).to.equal(true);
    expect(connector.calls.map((call) => `${call.hostname} ${call.address}`)).to.deep.equal(['a.example.test 8.8.8.8', 'b.example.test 8.8.8.8', 'a.example.test 1.1.1.1']);
    // An answer that never came closes its connection: the next send opens a new one.
    expect(await send('a.example.test', '/slow')).to.equal(false);
    // The cut connection closes as the send answers; its pool hears of it a moment later.
    await connector.closed[2];
    expect(await send('a.example.test')).to.equal(true);
    expect(connector.calls).to.have.length(4);
    expect(receiver.requests.map((r) => r.headers.host)).to.deep.equal(['a.example.test', 'a.example.test', 'b.example.test', 'a.example.test', 'a.example.test', 'a.example.test']);
  });

  it('keeps an idle connection 4 s when the receiver says nothing, and 2 s less than its Keep-Alive timeout', async function () {
    this.timeout(10_000);
    // One receiver that names no timeout (and never closes), one that says `Keep-Alive: timeout=3` (kept 1 s).
    const quiet = await startReceiver((_req, res) => res.writeHead(204).end(), 0);
    const said = await startReceiver((_req, res) => res.writeHead(204).end(), 3000);
    try {
      const ports: Record<string, number> = { '8.8.8.8': quiet.port, '1.1.1.1': said.port };
      const connector = loopbackConnector((target) => ports[target.address]!);
      const resolve = fixedResolver({ 'quiet.example.test': [{ address: '8.8.8.8', family: 4 }], 'said.example.test': [{ address: '1.1.1.1', family: 4 }] });
      const send = async (host: string) => (await sendWebhook({ url: `https://${host}/in`, body, headers: {}, resolve, connect: connector })).ok;
      // Both idle 2.5 s: longer than the receiver that said 3 s allows less the margin, shorter than 4 s.
      const twice = async (host: string) => {
        expect(await send(host)).to.equal(true);
        await new Promise((next) => setTimeout(next, 2500));
        expect(await send(host)).to.equal(true);
      };
      await Promise.all([twice('quiet.example.test'), twice('said.example.test')]);
      expect(connector.calls.map((call) => call.hostname).sort()).to.deep.equal(['quiet.example.test', 'said.example.test', 'said.example.test']);
      expect(quiet.requests).to.have.length(2);
      expect(said.requests).to.have.length(2);
    } finally {
      await Promise.all([quiet.close(), said.close()]);
    }
  });

  it('keeps the connection of a chunked answer, and gives up one whose answer said Connection: close', async () => {
    const raw = await startRawReceiver((path, socket) => {
      if (path === '/close') socket.end('HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok');
      else socket.write('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n');
    });
    try {
      const send = (path: string) => sendToRaw(raw.port, path);
      expect(await send('/chunked')).to.include({ ok: true, status: 200, responseExcerpt: 'ok' });
      expect(await send('/chunked')).to.include({ ok: true, responseExcerpt: 'ok' });
      expect(raw.connections()).to.equal(1);
      expect(await send('/close')).to.include({ ok: true, responseExcerpt: 'ok' });
      expect(await send('/chunked')).to.include({ ok: true });
      expect(raw.connections()).to.equal(2);
    } finally {
      await raw.close();
    }
  });

  it('drops a kept connection the receiver closes while it waits, and opens a new one for the next send', async () => {
    const raw = await startRawReceiver((_path, socket) => {
      socket.write('HTTP/1.1 204 No Content\r\n\r\n');
      // The receiver's own idle timeout, short and unannounced.
      setTimeout(() => socket.end(), 30);
    });
    try {
      const send = () => sendToRaw(raw.port);
      expect(await send()).to.include({ ok: true, status: 204 });
      await new Promise((next) => setTimeout(next, 150));
      expect(await send()).to.include({ ok: true, status: 204 });
      expect(raw.connections()).to.equal(2);
    } finally {
      await raw.close();
    }
  });

  it('answers connection-failed when the receiver closes the connection without an answer', async () => {
    const raw = await startRawReceiver((_path, socket) => socket.end());
    try {
      const attempt = await sendToRaw(raw.port);
      expect(attempt).to.deep.include({
        ok: false,
        reason: 'connection-failed',
        error: 'the connection to 127.0.0.1 (127.0.0.1) failed: the connection closed before an answer',
        address: '127.0.0.1',
      });
    } finally {
      await raw.close();
    }
  });

  it('answers invalid-response to a receiver that does not speak HTTP/1.1, and closes its connection', async () => {
    let closed = 0;
    const raw = await startRawReceiver((_path, socket) => {
      socket.on('close', () => (closed += 1));
      socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n');
    });
    try {
      const attempt = await sendToRaw(raw.port);
      expect(attempt).to.deep.include({
        ok: false,
        reason: 'invalid-response',
        error: '127.0.0.1 (127.0.0.1) answered something that is not HTTP/1.1: the answer does not start with an HTTP/1.x status line ("SSH-2.0-OpenSSH_9.6")',
        address: '127.0.0.1',
      });
      expect(attempt.status).to.equal(undefined);
      for (let i = 0; i < 50 && closed === 0; i += 1) await new Promise((next) => setTimeout(next, 10));
      expect(closed).to.equal(1);
    } finally {
      await raw.close();
    }
  });

  it('never calls the connector when the name resolves to a private address', async () => {
    const connector = loopbackConnector(() => 9);
    const resolve = fixedResolver({ 'hooks.example.test': [{ address: '10.0.0.1', family: 4 }] });
    const attempt = await sendWebhook({ url: 'https://hooks.example.test/', body, headers: {}, resolve, connect: connector });
    expect(attempt).to.include({ ok: false, reason: 'private-address' });
    expect(attempt.error).to.match(/^url: hooks\.example\.test resolves to 10\.0\.0\.1, a private address/);
    expect(attempt.status).to.equal(undefined);
    expect(connector.calls).to.deep.equal([]);
  });

  it('checks the URL again at every send, and asks DNS once per send (no second lookup to rebind)', async () => {
    receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    const port = receiver.port;
    const connector = loopbackConnector(() => port);
    const answers: ResolvedAddress[][] = [[{ address: '8.8.8.8', family: 4 }], [{ address: '10.0.0.1', family: 4 }]];
    const asked: string[] = [];
    const rebinding: HostResolver = (hostname) => {
      asked.push(hostname);
      return Promise.resolve(answers[Math.min(asked.length - 1, answers.length - 1)] ?? []);
    };
    const first = await sendWebhook({ url: 'https://rebind.example.test/', body, headers: {}, resolve: rebinding, connect: connector });
    expect(first).to.include({ ok: true, address: '8.8.8.8' });
    expect(asked).to.have.length(1);
    const second = await sendWebhook({ url: 'https://rebind.example.test/', body, headers: {}, resolve: rebinding, connect: connector });
    expect(second).to.include({ ok: false, reason: 'private-address' });
    expect(asked).to.have.length(2);
    expect(connector.calls.map((call) => call.address)).to.deep.equal(['8.8.8.8']);
    expect(receiver.requests).to.have.length(1);
  });

  it('refuses plain http to a host off the allow list before connecting', async () => {
    const connector = loopbackConnector(() => 9);
    const attempt = await sendWebhook({ url: 'http://8.8.8.8/', body, headers: {}, allowHosts: NO_ALLOW_HOSTS, connect: connector });
    expect(attempt).to.include({ ok: false, reason: 'https-required' });
    expect(connector.calls).to.deep.equal([]);
  });

  it('records a redirect to a private address as a failure and makes no second request', async () => {
    receiver = await startReceiver((_req, res) => res.writeHead(302, { location: 'http://10.0.0.1/admin' }).end('moved'));
    const port = receiver.port;
    const connector = loopbackConnector(() => port);
    const attempt = await sendWebhook({ url: `http://127.0.0.1:${port}/hook`, body, headers: {}, allowHosts: local, connect: connector });
    expect(attempt).to.include({ ok: false, status: 302, reason: 'redirect-not-followed', responseExcerpt: 'moved' });
    expect(attempt.error).to.include('"http://10.0.0.1/admin"');
    expect(receiver.requests).to.have.length(1);
    expect(connector.calls).to.have.length(1);
  });

  it('records a non-2xx answer as a failure, with an excerpt cut at a character boundary', async () => {
    // 1023 ASCII bytes then a 3-byte "€": the first KiB ends inside the euro sign, which is dropped, not mangled.
    const answer = `${'a'.repeat(RESPONSE_EXCERPT_BYTES - 1)}€ and more`;
    receiver = await startReceiver((_req, res) => res.writeHead(500).end(answer));
    const attempt = await sendWebhook({ url: `http://127.0.0.1:${receiver.port}/`, body, headers: {}, allowHosts: local });
    expect(attempt).to.include({ ok: false, status: 500, reason: 'unsuccessful-status' });
    expect(attempt.error).to.equal('127.0.0.1 answered 500; only a 2xx status counts as delivered');
    expect(attempt.responseExcerpt).to.equal('a'.repeat(RESPONSE_EXCERPT_BYTES - 1));
  });

  it('gives up on a receiver that never answers, at the deadline, and closes the connection', async () => {
    receiver = await startReceiver(() => undefined);
    const attempt = await sendWebhook({
      url: `http://127.0.0.1:${receiver.port}/`,
      body,
      headers: {},
      allowHosts: local,
      timeoutMs: 200,
    });
    expect(attempt).to.include({ ok: false, reason: 'timeout', address: '127.0.0.1' });
    expect(attempt.status).to.equal(undefined);
    expect(attempt.error).to.equal('127.0.0.1 (127.0.0.1) gave no answer within 200 ms');
    // Node timers may fire a millisecond early; the bound only shows the deadline was waited for.
    expect(attempt.durationMs).to.be.at.least(195);
    await receiver.closedConnection;
  });

  it('stops reading an endless body at 64 KiB and keeps only its first KiB', async () => {
    let written = 0;
    receiver = await startReceiver((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(16 * 1024, 'x');
      // Writes for as long as the socket takes data, forever: only the sender hanging up stops it.
      const pump = (): void => {
        let more = true;
        while (more && !res.destroyed) {
          more = res.write(chunk);
          written += chunk.length;
        }
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const attempt = await sendWebhook({
      url: `http://127.0.0.1:${receiver.port}/`,
      body,
      headers: {},
      allowHosts: local,
    });
    expect(attempt).to.include({ ok: true, status: 200, responseTruncated: true });
    expect(attempt.reason).to.equal(undefined);
    // The default 10 s deadline was not what stopped it: the size limit was.
    expect(attempt.durationMs).to.be.below(10_000);
    expect(attempt.responseExcerpt).to.equal('x'.repeat(RESPONSE_EXCERPT_BYTES));
    await receiver.closedConnection;
    expect(written).to.be.greaterThan(MAX_RESPONSE_BYTES);
  });

  it('keeps the status of an answer whose body stalls, once the deadline comes', async () => {
    receiver = await startReceiver((_req, res) => {
      res.writeHead(202, { 'content-type': 'text/plain' });
      res.write('accepted, more to come');
    });
    const attempt = await sendWebhook({
      url: `http://127.0.0.1:${receiver.port}/`,
      body,
      headers: {},
      allowHosts: local,
      timeoutMs: 200,
    });
    expect(attempt).to.include({ ok: true, status: 202, responseExcerpt: 'accepted, more to come', responseTruncated: true });
    await receiver.closedConnection;
  });

  it('tries the next approved address when one refuses the connection, and the receiver gets one request', async () => {
    receiver = await startReceiver((_req, res) => res.writeHead(200).end());
    const dead = await closedPort();
    const live = receiver.port;
    const connector = loopbackConnector((target) => (target.address === '8.8.8.8' ? dead : live));
    const resolve = fixedResolver({
      'hooks.example.test': [
        { address: '8.8.8.8', family: 4 },
        { address: '1.1.1.1', family: 4 },
      ],
    });
    const attempt = await sendWebhook({ url: 'https://hooks.example.test/', body, headers: {}, resolve, connect: connector });
    expect(attempt).to.include({ ok: true, status: 200, address: '1.1.1.1' });
    expect(connector.calls.map((call) => call.address)).to.deep.equal(['8.8.8.8', '1.1.1.1']);
    expect(receiver.requests).to.have.length(1);
  });

  it('answers connection-failed, never throwing, when no address can be reached or the connector throws', async () => {
    const dead = await closedPort();
    const refused = await sendWebhook({ url: `http://127.0.0.1:${dead}/`, body, headers: {}, allowHosts: local });
    expect(refused).to.include({ ok: false, reason: 'connection-failed' });
    expect(refused.error).to.match(new RegExp(`^could not connect to 127\\.0\\.0\\.1 port ${dead}: 127\\.0\\.0\\.1 \\(.*ECONNREFUSED`));
    const throwing: Connector = () => {
      throw new Error('no sockets today');
    };
    const thrown = await sendWebhook({ url: `http://127.0.0.1:${dead}/`, body, headers: {}, allowHosts: local, connect: throwing });
    expect(thrown).to.include({ ok: false, reason: 'connection-failed' });
    expect(thrown.error).to.include('no sockets today');
  });

  it('times out a URL check whose resolver never answers', async () => {
    const connector = loopbackConnector(() => 9);
    const attempt = await sendWebhook({
      url: 'https://slow.example.test/',
      body,
      headers: {},
      resolve: () => new Promise<readonly ResolvedAddress[]>(() => undefined),
      connect: connector,
      timeoutMs: 100,
    });
    expect(attempt).to.include({ ok: false, reason: 'timeout', error: 'the URL check (DNS) took more than 100 ms' });
    expect(connector.calls).to.deep.equal([]);
  });

  it('rejects programming errors instead of sending something broken', async () => {
    const url = 'http://127.0.0.1:9/';
    await sendWebhook({ url, body: { a: 1 } as unknown as string, headers: {}, allowHosts: local }).then(
      () => expect.fail('should reject'),
      (error: Error) => expect(error).to.be.instanceOf(TypeError).with.property('message').that.matches(/body must be the signed JSON string/),
    );
    await sendWebhook({ url, body, headers: { 'webhook-id': 'a\r\nx: y' }, allowHosts: local }).then(
      () => expect.fail('should reject'),
      (error: Error) => expect(error).to.be.instanceOf(TypeError).with.property('message').that.matches(/header "webhook-id" cannot be sent/),
    );
    await sendWebhook({ url, body, headers: {}, allowHosts: local, timeoutMs: 0 }).then(
      () => expect.fail('should reject'),
      (error: Error) => expect(error).to.be.instanceOf(TypeError).with.property('message').that.matches(/timeoutMs must be a positive/),
    );
  });
});
