/**
 * The webhook delivery worker: every tenant's enabled endpoints, each pass reading the moments feed since the
 * endpoint's cursor and delivering every customer's queue in order (the ledger's webhook-deliveries.ts), each
 * moment signed per Standard Webhooks with the endpoint's current secrets and sent by the guarded sender (no private
 * addresses, no redirects, 10 s). Endpoints are served side by side, so a slow one never holds the others. When the
 * retry schedule gives up on a moment (3 days), its endpoint is disabled with the reason, for an admin to see.
 * Runs in the server (unless `PURNA_WEBHOOK_DELIVERY=off`) and as `purna worker`; any number may run at once.
 */
import { randomUUID } from 'node:crypto';
import { publicMoment, type DeliveryEndpoint, type DeliveryPass, type DeliveryPassResult, type MomentDoc } from '@purna/ledger';
import type { Logger } from 'pino';
import { startPeriodic, type PeriodicTask } from '../periodic-task.js';
import type { AllowHosts } from './allow-hosts.js';
import type { HostResolver } from './endpoint-url.js';
import { nextRetry } from './retry-schedule.js';
import { sendWebhook, type Connector } from './webhook-sender.js';
import { signedHeaders, signingKeys } from './webhook-signature.js';

/** An endpoint as the worker reads it: what delivery needs, and its secrets. */
export interface WorkerEndpoint extends DeliveryEndpoint {
  secrets: ReadonlyArray<{ secret: string; createdAt: string; expiresAt?: string }>;
}

/** What the worker needs from the ledger. */
export interface DeliveryLedger {
  tenants(): AsyncIterable<string>;
  webhookEndpoints: {
    list(tenantId: string, options: { cursor?: string; limit?: number }): Promise<{ items: WorkerEndpoint[]; nextCursor?: string }>;
    signingSecrets(endpoint: Pick<WorkerEndpoint, 'secrets'>, now: string): string[];
    disable(tenantId: string, id: string, reason: string, at: string): Promise<unknown>;
  };
  deliverWebhooks(tenantId: string, endpoint: DeliveryEndpoint, pass: DeliveryPass): Promise<DeliveryPassResult & { discovered: number }>;
}

/** How the worker sends. */
export interface DeliveryOptions {
  allowHosts: AllowHosts;
  /** Injected in tests, so nothing resolves or connects off the loopback range. */
  resolve?: HostResolver;
  connect?: Connector;
  timeoutMs?: number;
  /** Webhooks sent to one endpoint at once (default the ledger's, DEFAULT_DELIVERY_CONCURRENCY: 64). */
  concurrency?: number;
  /** Wall clock (ms). */
  now?: () => number;
  /** This worker's name in leases (default: a random one per process). */
  owner?: string;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** What one run did, over every tenant and endpoint. */
export interface DeliveryRun {
  delivered: number;
  failed: number;
}

async function* enabledEndpoints(ledger: DeliveryLedger, tenantId: string): AsyncGenerator<WorkerEndpoint> {
  let cursor: string | undefined;
  do {
    const page = await ledger.webhookEndpoints.list(tenantId, { limit: 100, ...(cursor !== undefined ? { cursor } : {}) });
    for (const endpoint of page.items) if (endpoint.enabled) yield endpoint;
    cursor = page.nextCursor;
  } while (cursor !== undefined);
}

/**
 * One run: every enabled endpoint of every tenant, side by side within a tenant.
 *
 * @example const { delivered } = await deliverOnce(ledger, { allowHosts, logger });
 */
export async function deliverOnce(ledger: DeliveryLedger, options: DeliveryOptions, stopped: () => boolean = () => false): Promise<DeliveryRun> {
  const now = options.now ?? Date.now;
  const owner = options.owner ?? `worker-${randomUUID()}`;
  const run: DeliveryRun = { delivered: 0, failed: 0 };
  for await (const tenantId of ledger.tenants()) {
    if (stopped()) break;
    const endpoints: WorkerEndpoint[] = [];
    for await (const endpoint of enabledEndpoints(ledger, tenantId)) endpoints.push(endpoint);
    await Promise.all(
      endpoints.map(async (endpoint) => {
        try {
          const result = await ledger.deliverWebhooks(tenantId, endpoint, pass(ledger, tenantId, endpoint, options, owner, now));
          run.delivered += result.delivered;
          run.failed += result.failed;
        } catch (error) {
          options.logger.error({ tenantId, endpointId: endpoint.id, err: error }, 'webhook delivery pass failed; the next pass goes on');
        }
      }),
    );
  }
  return run;
}

function pass(ledger: DeliveryLedger, tenantId: string, endpoint: WorkerEndpoint, options: DeliveryOptions, owner: string, now: () => number): DeliveryPass {
  // The keys of the secrets that sign, worked out once a second: parsing every secret's instants and its base64
  // for every webhook was a twentieth of a send. A previous secret may so sign for up to a second after it
  // expired: harmless, since the current one signs every webhook too.
  let signing: { second: number; keys: Buffer[] } | undefined;
  const keys = (): Buffer[] => {
    const second = Math.floor(now() / 1000);
    if (signing?.second !== second) signing = { second, keys: signingKeys(ledger.webhookEndpoints.signingSecrets(endpoint, new Date(second * 1000).toISOString())) };
    return signing.keys;
  };
  return {
    owner,
    now,
    ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
    async send(_endpoint, moment: MomentDoc) {
      const body = JSON.stringify(publicMoment(moment));
      // The signature's timestamp is the real time, whatever clock runs the schedule: receivers reject stale ones.
      const headers = signedHeaders(moment.id, Math.floor(Date.now() / 1000), body, keys());
      return sendWebhook({
        url: endpoint.url,
        body,
        headers,
        allowHosts: options.allowHosts,
        ...(options.resolve ? { resolve: options.resolve } : {}),
        ...(options.connect ? { connect: options.connect } : {}),
        ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      });
    },
    retry: (attempts, firstAttemptAt, at) => nextRetry(attempts, firstAttemptAt, at),
    async giveUp(_endpoint, moment, last) {
      const reason = `moment ${moment.id} (${moment.type}) failed for 3 days; last attempt: ${last.status !== undefined ? `status ${last.status}` : (last.reason ?? 'no answer')}${last.error ? ` (${last.error})` : ''}`;
      await ledger.webhookEndpoints.disable(tenantId, endpoint.id, reason, new Date(now()).toISOString());
      options.logger.warn({ tenantId, endpointId: endpoint.id, momentId: moment.id }, 'webhook endpoint disabled: a moment failed for 3 days');
    },
  };
}

/**
 * Starts the worker: a run at once, then one every `intervalMs`.
 *
 * @example
 * const worker = startDeliveryWorker(ledger, { intervalMs: 1000, allowHosts, logger });
 * await worker.stop();
 */
export function startDeliveryWorker(ledger: DeliveryLedger, options: DeliveryOptions & { intervalMs: number }): PeriodicTask {
  const owner = options.owner ?? `worker-${randomUUID()}`;
  return startPeriodic(
    'webhook delivery',
    async (stopped) => {
      const run = await deliverOnce(ledger, { ...options, owner }, stopped);
      if (run.delivered > 0 || run.failed > 0) options.logger.info({ ...run }, 'webhook deliveries');
    },
    options,
  );
}
