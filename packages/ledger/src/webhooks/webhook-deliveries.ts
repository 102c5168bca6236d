/**
 * Webhook deliveries: how the moments outbox (../moments/moment-store.ts) reaches each endpoint, once per moment id,
 * in each customer's order, with retries, whatever crashes and however many workers run at once. The ledger does no
 * network I/O: the caller passes `send` (the API's signed sender) and the retry schedule.
 *
 * Storage, without multi-document transactions:
 * - `webhookCursors`, key = endpoint id: how far the endpoint has read the tenant's feed. A pass reads the feed
 *   after it and makes sure each matching moment's customer has a queue, then moves the cursor (compare-and-set).
 * - `webhookQueues`, key = `<endpoint id>\u0001<customer id>`: one customer's moments for one endpoint, delivered
 *   strictly by their number (`nextSeq` up to `lastSeq`), so a later moment is never delivered before an earlier
 *   one. A worker takes a queue with a lease (compare-and-set on its version), and while the moment at its head
 *   fails, the queue waits for the retry instant; the customers behind other queues go on.
 * - `webhookDeliveries`, key = `<endpoint id>\u0001<moment id>`: the delivery log of one moment, every attempt.
 *
 * A receiver may get a moment twice only if a worker dies between the receiver's answer and the record of it; the
 * `webhook-id` (the moment id) is the same, so a receiver de-duplicates by it (Standard Webhooks).
 */
import type { MomentType } from '@purna/rules';
import { feedKey, momentKey, type MomentDoc } from '../moments/moment-store.js';
import { readMoments } from '../moments/moment-feed.js';
import { KEY_END, type Store, type Versioned } from '../store/store.js';

const SEP = '\u0001';

/** What delivery needs to know of an endpoint. */
export interface DeliveryEndpoint {
  id: string;
  url: string;
  /** Moment types it wants; empty: every type. */
  types: readonly MomentType[];
  enabled: boolean;
  /** When it was registered (UTC ISO): it gets the moments stored from then on. */
  createdAt: string;
}

/** One attempt, as the log keeps it. */
export interface DeliveryAttemptRecord {
  at: string;
  ok: boolean;
  status?: number;
  reason?: string;
  error?: string;
  durationMs: number;
}

/** The delivery log of one moment to one endpoint. */
export interface DeliveryDoc {
  endpointId: string;
  momentId: string;
  customerId: string;
  seq: number;
  type: MomentType;
  status: 'pending' | 'delivered' | 'failed';
  attempts: DeliveryAttemptRecord[];
  /** When the next attempt is due, while pending. */
  nextAttemptAt?: string;
  /** When an admin last asked for a retry: the retry schedule counts from there. */
  retryFrom?: string;
}

interface QueueDoc {
  endpointId: string;
  customerId: string;
  /** The number of the customer's next moment to deliver (or to skip, when its type is not wanted). */
  nextSeq: number;
  /** The highest number known to be in the feed for this endpoint. */
  lastSeq: number;
  /** The head's retry: not before this instant (UTC ISO). */
  notBefore?: string;
  leaseOwner?: string;
  /** Epoch ms. */
  leaseUntil?: number;
}

interface CursorDoc {
  after: string;
}

/** What `send` answers: one attempt's outcome (the API's `sendWebhook` answer fits). */
export interface SendOutcome {
  ok: boolean;
  status?: number;
  reason?: string;
  error?: string;
  durationMs: number;
}

/** The retry schedule: when to try again after `attempts` failures since `firstAttemptAt` (ms), or give up. */
export type RetryPolicy = (attempts: number, firstAttemptAtMs: number, nowMs: number) => { giveUp: true } | { giveUp: false; retryAt: number };

/** One delivery pass. */
export interface DeliveryPass {
  /** The worker's name, for leases. */
  owner: string;
  /** Wall-clock ms. */
  now: () => number;
  /** Sends one moment to one endpoint (signing included); never throws for network outcomes. */
  send: (endpoint: DeliveryEndpoint, moment: MomentDoc) => Promise<SendOutcome>;
  retry: RetryPolicy;
  /** Called once when an endpoint's head moment has failed for the whole retry horizon. */
  giveUp: (endpoint: DeliveryEndpoint, moment: MomentDoc, last: SendOutcome) => Promise<void>;
  /** How long a lease holds (ms, default 60 s): longer than one send with its timeout. */
  leaseMs?: number;
  /** Queues of one endpoint worked on at once (default 8). */
  concurrency?: number;
}

/** What a pass did. */
export interface DeliveryPassResult {
  delivered: number;
  failed: number;
}

function wants(endpoint: DeliveryEndpoint, type: MomentType): boolean {
  return endpoint.types.length === 0 || endpoint.types.includes(type);
}

const queueKey = (endpointId: string, customerId: string): string => `${endpointId}${SEP}${customerId}`;
const deliveryKey = (endpointId: string, momentId: string): string => `${endpointId}${SEP}${momentId}`;

/** Compare-and-set loop: `change` answers the new document, or undefined to leave it. */
async function update<T extends object>(store: Store, collection: 'webhookQueues' | 'webhookDeliveries' | 'webhookCursors', tenantId: string, key: string, change: (doc: T) => T | undefined): Promise<Versioned<T> | undefined> {
  for (;;) {
    const current = await store.get<T>(collection, tenantId, key);
    if (!current) return undefined;
    const next = change(current.doc);
    if (next === undefined) return current;
    const stored = await store.replace<T>(collection, tenantId, key, current.version, next);
    if (stored) return stored;
  }
}

/**
 * Reads the feed after the endpoint's cursor and makes sure every customer with a moment it wants has a queue
 * covering it; then moves the cursor. Idempotent: a pass that dies half-way is done again by the next.
 */
export async function discover(store: Store, tenantId: string, endpoint: DeliveryEndpoint, nowMs: number): Promise<number> {
  // Just before every feed key stamped at or after the endpoint's registration ('~' sorts after every id).
  const start = feedKey(Date.parse(endpoint.createdAt) - 1, '~');
  const cursor = (await store.insert<CursorDoc>('webhookCursors', tenantId, endpoint.id, { after: start })).record;
  const page = await readMoments(store, tenantId, { after: cursor.doc.after, limit: 500 }, nowMs);
  const highest = new Map<string, number>();
  for (const moment of page.items) {
    if (wants(endpoint, moment.type)) highest.set(moment.customerId, Math.max(highest.get(moment.customerId) ?? 0, moment.seq));
  }
  for (const [customerId, seq] of highest) {
    const key = queueKey(endpoint.id, customerId);
    const first = await firstSeqSince(store, tenantId, customerId, seq, start);
    const created = await store.insert<QueueDoc>('webhookQueues', tenantId, key, { endpointId: endpoint.id, customerId, nextSeq: first, lastSeq: seq });
    if (!created.inserted) await update<QueueDoc>(store, 'webhookQueues', tenantId, key, (q) => (q.lastSeq >= seq ? undefined : { ...q, lastSeq: seq }));
  }
  if (page.nextCursor !== undefined && page.nextCursor !== cursor.doc.after) {
    const moved = page.nextCursor;
    await update<CursorDoc>(store, 'webhookCursors', tenantId, endpoint.id, (c) => (c.after >= moved ? undefined : { after: moved }));
  }
  return page.items.length;
}

/**
 * The lowest number of a run of the customer's moments ending at `seq` that were all stored since `start`: a queue
 * created now starts there, so moments stored before the endpoint existed are not sent, and none after is skipped
 * even when the feed showed a later one first.
 */
async function firstSeqSince(store: Store, tenantId: string, customerId: string, seq: number, start: string): Promise<number> {
  let first = seq;
  while (first > 1) {
    const previous = await store.get<MomentDoc>('moments', tenantId, momentKey(customerId, first - 1));
    if (!previous?.doc.feedKey || previous.doc.feedKey < start) break;
    first -= 1;
  }
  return first;
}

/** Delivers what is due on every queue of the endpoint, several queues at once; answers what it did. */
export async function deliverEndpoint(store: Store, tenantId: string, endpoint: DeliveryEndpoint, pass: DeliveryPass): Promise<DeliveryPassResult> {
  const result: DeliveryPassResult = { delivered: 0, failed: 0 };
  const prefix = `${endpoint.id}${SEP}`;
  let after: string | undefined;
  const concurrency = pass.concurrency ?? 8;
  let stop = false;
  for (;;) {
    const page = await store.list<QueueDoc>('webhookQueues', tenantId, { prefix, limit: 200, ...(after !== undefined ? { after } : {}) });
    const ready = page.filter((q) => q.doc.nextSeq <= q.doc.lastSeq);
    for (let i = 0; i < ready.length && !stop; i += concurrency) {
      const outcomes = await Promise.all(ready.slice(i, i + concurrency).map((q) => drainQueue(store, tenantId, endpoint, q.key, pass)));
      for (const outcome of outcomes) {
        result.delivered += outcome.delivered;
        result.failed += outcome.failed;
        if (outcome.gaveUp) stop = true;
      }
    }
    if (stop || page.length < 200) return result;
    after = page[page.length - 1]?.key;
    if (after === undefined || after >= prefix + KEY_END) return result;
  }
}

/** Takes the queue's lease, delivers from its head in order until it is empty or its head fails, and lets go. */
async function drainQueue(store: Store, tenantId: string, endpoint: DeliveryEndpoint, key: string, pass: DeliveryPass): Promise<DeliveryPassResult & { gaveUp: boolean }> {
  const done = { delivered: 0, failed: 0, gaveUp: false };
  const leaseMs = pass.leaseMs ?? 60_000;
  const nowIso = (): string => new Date(pass.now()).toISOString();
  const leased = await update<QueueDoc>(store, 'webhookQueues', tenantId, key, (q) => {
    const now = pass.now();
    if (q.nextSeq > q.lastSeq) return undefined;
    if (q.notBefore !== undefined && q.notBefore > nowIso()) return undefined;
    if (q.leaseOwner !== undefined && q.leaseOwner !== pass.owner && (q.leaseUntil ?? 0) > now) return undefined;
    return { ...q, leaseOwner: pass.owner, leaseUntil: now + leaseMs };
  });
  if (!leased || leased.doc.leaseOwner !== pass.owner) return done;
  let queue = leased;
  try {
    while (queue.doc.nextSeq <= queue.doc.lastSeq) {
      if ((queue.doc.leaseUntil ?? 0) < pass.now() + 1000) return done; // the lease is running out: another worker may take it
      const moment = await store.get<MomentDoc>('moments', tenantId, momentKey(queue.doc.customerId, queue.doc.nextSeq));
      if (!moment) return done; // not flushed yet: the next pass finds it
      const seq = queue.doc.nextSeq;
      if (wants(endpoint, moment.doc.type)) {
        const outcome = await attempt(store, tenantId, endpoint, moment.doc, pass);
        if (outcome === 'retry') return { ...done, failed: done.failed + 1 };
        if (outcome === 'gave-up') return { ...done, failed: done.failed + 1, gaveUp: true };
        done.delivered += 1;
      }
      const advanced = await store.replace<QueueDoc>('webhookQueues', tenantId, key, queue.version, withoutRetry({ ...queue.doc, nextSeq: seq + 1 }));
      if (!advanced) return done; // lost the lease to another worker: it goes on from the stored head
      queue = advanced;
    }
    return done;
  } finally {
    await update<QueueDoc>(store, 'webhookQueues', tenantId, key, (q) => (q.leaseOwner === pass.owner ? withoutLease(q) : undefined));
  }
}

function withoutRetry(q: QueueDoc): QueueDoc {
  const { notBefore: _notBefore, ...rest } = q;
  return rest;
}

function withoutLease(q: QueueDoc): QueueDoc {
  const { leaseOwner: _owner, leaseUntil: _until, ...rest } = q;
  return rest;
}

/** One attempt at the queue's head, recorded in the delivery log; a failure sets the queue's retry instant. */
async function attempt(store: Store, tenantId: string, endpoint: DeliveryEndpoint, moment: MomentDoc, pass: DeliveryPass): Promise<'delivered' | 'retry' | 'gave-up'> {
  const key = deliveryKey(endpoint.id, moment.id);
  const log = await store.insert<DeliveryDoc>('webhookDeliveries', tenantId, key, {
    endpointId: endpoint.id,
    momentId: moment.id,
    customerId: moment.customerId,
    seq: moment.seq,
    type: moment.type,
    status: 'pending',
    attempts: [],
  });
  // Delivered already (a worker died after recording it, before moving the queue): move on without sending again.
  if (log.record.doc.status === 'delivered') return 'delivered';
  const startedAt = pass.now();
  const outcome = await pass.send(endpoint, moment);
  const record: DeliveryAttemptRecord = {
    at: new Date(startedAt).toISOString(),
    ok: outcome.ok,
    durationMs: outcome.durationMs,
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error.slice(0, 500) } : {}),
  };
  const verdict: { is: 'delivered' | 'retry' | 'gave-up'; retryAt?: string } = { is: 'delivered' };
  await update<DeliveryDoc>(store, 'webhookDeliveries', tenantId, key, (doc) => {
    const attempts = [...doc.attempts, record];
    if (outcome.ok) {
      verdict.is = 'delivered';
      const { nextAttemptAt: _next, ...rest } = doc;
      return { ...rest, status: 'delivered', attempts };
    }
    // The schedule counts from the first attempt, or from the last retry an admin asked for.
    const counted = doc.retryFrom === undefined ? attempts : attempts.filter((a) => a.at >= (doc.retryFrom ?? ''));
    const firstAt = Date.parse(counted[0]?.at ?? record.at);
    const next = pass.retry(Math.max(counted.length, 1), firstAt, pass.now());
    if (next.giveUp) {
      verdict.is = 'gave-up';
      const { nextAttemptAt: _next, ...rest } = doc;
      return { ...rest, status: 'failed', attempts };
    }
    verdict.is = 'retry';
    verdict.retryAt = new Date(next.retryAt).toISOString();
    return { ...doc, attempts, nextAttemptAt: verdict.retryAt };
  });
  const notBefore = verdict.retryAt;
  if (verdict.is === 'retry' && notBefore !== undefined) {
    await update<QueueDoc>(store, 'webhookQueues', tenantId, queueKey(endpoint.id, moment.customerId), (q) => ({ ...q, notBefore }));
  }
  if (verdict.is === 'gave-up') await pass.giveUp(endpoint, moment, outcome);
  return verdict.is;
}

/** One page of an endpoint's delivery log, by moment id. */
export async function listDeliveries(store: Store, tenantId: string, endpointId: string, options: { after?: string; limit?: number } = {}): Promise<{ items: DeliveryDoc[]; nextCursor?: string }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const prefix = `${endpointId}${SEP}`;
  const page = await store.list<DeliveryDoc>('webhookDeliveries', tenantId, { prefix, limit: limit + 1, ...(options.after !== undefined ? { after: options.after } : {}) });
  const items = page.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map((r) => r.doc), ...(page.length > limit && last ? { nextCursor: last.key } : {}) };
}

/**
 * An admin's retry of one delivery: it is pending again, due now, and the retry schedule starts over from `at`; the
 * customer's queue waits no longer. A delivery already made is answered unchanged. Undefined when the endpoint has
 * no delivery of that moment. (A disabled endpoint is enabled again by changing it, not by this.)
 */
export async function retryDelivery(store: Store, tenantId: string, endpointId: string, momentId: string, at: string): Promise<DeliveryDoc | undefined> {
  const delivery = await update<DeliveryDoc>(store, 'webhookDeliveries', tenantId, deliveryKey(endpointId, momentId), (doc) =>
    doc.status === 'delivered' ? undefined : { ...doc, status: 'pending', nextAttemptAt: at, retryFrom: at },
  );
  if (!delivery) return undefined;
  if (delivery.doc.status !== 'delivered') await update<QueueDoc>(store, 'webhookQueues', tenantId, queueKey(endpointId, delivery.doc.customerId), (q) => (q.notBefore === undefined ? undefined : withoutRetry(q)));
  return delivery.doc;
}
