/**
 * A real webhook receiver on 127.0.0.1 (node:http), as a CRM would run one, that a test switches between three
 * states: `accepting` (verifies each request with the official `standardwebhooks` library and answers 204, or 400
 * when it does not verify), `unavailable` (answers 503, as a receiver behind a failing load balancer) and `closed`
 * (not listening, its open sockets destroyed, so connections are refused; it opens again on the same port, so the
 * registered URL stays valid). Every request that reached it is kept in arrival order with what it answered.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** What the receiver does with the next request. */
export type ReceiverState = 'accepting' | 'unavailable' | 'closed';

/** One request that reached the receiver. */
export interface Arrival {
  /** The `webhook-id` header. */
  webhookId: string;
  /** What it answered: 204 (accepted, verified), 400 (did not verify), 503 (unavailable). */
  status: number;
  /** Wall-clock ms when the request was answered. */
  at: number;
  /** The verified payload (accepted requests only). */
  moment?: ReceivedMoment;
  /** Why it did not verify. */
  error?: string;
}

/** A moment as its webhook carries it. */
export interface ReceivedMoment {
  id: string;
  type: string;
  occurredAt: string;
  customerId: string;
  data: Record<string, unknown>;
}

/** A running receiver. */
export interface WebhookReceiver {
  /** The URL to register: `http://127.0.0.1:<port>/hook`. */
  readonly url: string;
  readonly port: number;
  /** Every request so far, in arrival order. */
  readonly arrivals: readonly Arrival[];
  state(): ReceiverState;
  /** The endpoint's signing secret (`whsec_…`), answered when it was registered; until then nothing verifies. */
  trust(secret: string): void;
  /** Answers 204 after verifying (listening again on the same port if it was closed). */
  accept(): Promise<void>;
  /** Answers 503 to everything (listening again on the same port if it was closed). */
  refuse(): Promise<void>;
  /** Stops listening and destroys open connections: attempts meet a refused connection. */
  close(): Promise<void>;
}

function header(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

/**
 * Starts a receiver on a free loopback port, accepting.
 *
 * @example
 * const receiver = await startWebhookReceiver();
 * receiver.trust(endpoint.secret);
 * await receiver.refuse(); // 503s
 * await receiver.close(); // refused connections
 * await receiver.accept(); // back, same URL
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const arrivals: Arrival[] = [];
  let webhook: Webhook | undefined;
  let current: ReceiverState = 'accepting';
  const sockets = new Set<Socket>();

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const webhookId = header(req, 'webhook-id');
      const answer = (status: number, extra: Partial<Arrival> = {}): void => {
        arrivals.push({ webhookId, status, at: Date.now(), ...extra });
        res.statusCode = status;
        res.end();
      };
      if (current !== 'accepting') return answer(503);
      if (!webhook) return answer(400, { error: 'no secret to verify with yet' });
      try {
        // The library checks the signature over id.timestamp.body and that the timestamp is within 5 minutes.
        const moment = webhook.verify(body, {
          'webhook-id': webhookId,
          'webhook-timestamp': header(req, 'webhook-timestamp'),
          'webhook-signature': header(req, 'webhook-signature'),
        }) as ReceivedMoment;
        if (moment.id !== webhookId) return answer(400, { error: `the body's id ${moment.id} is not the webhook-id` });
        answer(204, { moment });
      } catch (error) {
        answer(400, { error: (error as Error).message });
      }
    });
  };

  let server: Server | undefined;
  let port = 0;
  const listen = async (): Promise<void> => {
    if (server) return;
    const opening = createServer(handle);
    opening.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      opening.once('error', reject);
      opening.listen(port, '127.0.0.1', () => resolve());
    });
    port = (opening.address() as AddressInfo).port;
    server = opening;
  };
  await listen();

  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    arrivals,
    state: () => current,
    trust(secret) {
      webhook = new Webhook(secret);
    },
    async accept() {
      await listen();
      current = 'accepting';
    },
    async refuse() {
      await listen();
      current = 'unavailable';
    },
    async close() {
      current = 'closed';
      const closing = server;
      server = undefined;
      if (!closing) return;
      const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
