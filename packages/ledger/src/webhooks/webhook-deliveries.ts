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
 * - `webhookDeliveries`, key = `<endpoint id>\u0001<moment id>`: the delivery log of one moment, every attempt. A
 *   worker moves its queue's head once, as it lets the lease go, so the log is also what keeps a moment that went
 *   from being sent again after a worker died half-way through a queue.
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

/**
 * Compare-and-set loop: `change` answers the new document, or undefined to leave it. `known` is a record the caller
 * has just read, tried first instead of reading it again.
 */
async function update<T extends object>(
  store: Store,
  collection: 'webhookQueues' | 'webhookDeliveries' | 'webhookCursors',
  tenantId: string,
  key: string,
  change: (doc: T) => T | undefined,
  known?: Versioned<T>,
): Promise<Versioned<T> | undefined> {
  let current = known;
  for (;;) {
    current ??= await store.get<T>(collection, tenantId, key);
    if (!current) return undefined;
    const next = change(current.doc);
    if (next === undefined) return current;
    const stored = await store.replace<T>(collection, tenantId, key, current.version, next);
    if (stored) return stored;
    current = undefined;
  }
}

/** Feed pages (of 500 moments) one discovery reads at most before it writes the queues they cover. */
const DISCOVERY_PAGES = 20;

/**
 * Reads the feed after the endpoint's cursor, up to {@link DISCOVERY_PAGES} pages (a backlog is caught up in one
 * pass, not 500 moments a pass), and makes sure every customer with a moment it wants has a queue covering it, each
 * queue written once; then moves the cursor. Idempotent: a pass that dies half-way is done again by the next.
 */
export async function discover(store: Store, tenantId: string, endpoint: DeliveryEndpoint, nowMs: number): Promise<number> {
  // Just before every feed key stamped at or after the endpoint's registration ('~' sorts after every id).
  const start = feedKey(Date.parse(endpoint.createdAt) - 1, '~');
  // Read first: every pass reads the cursor, and an insert is a write transaction even when the cursor exists.
  const cursor =
    (await store.get<CursorDoc>('webhookCursors', tenantId, endpoint.id)) ??
    (await store.insert<CursorDoc>('webhookCursors', tenantId, endpoint.id, { after: start })).record;
  const highest = new Map<string, number>();
  let after = cursor.doc.after;
  let found = 0;
  for (let pages = 0; pages < DISCOVERY_PAGES; pages += 1) {
    const page = await readMoments(store, tenantId, { after, limit: 500 }, nowMs);
    found += page.items.length;
    for (const moment of page.items) {
      if (wants(endpoint, moment.type)) highest.set(moment.customerId, Math.max(highest.get(moment.customerId) ?? 0, moment.seq));
    }
    // Caught up when a read moves the cursor no further (the feed's end, or moments within its horizon).
    if (page.nextCursor === undefined || page.nextCursor === after) break;
    after = page.nextCursor;
  }
  for (const [customerId, seq] of highest) await coverQueue(store, tenantId, endpoint, customerId, seq, start);
  if (after !== cursor.doc.after) {
    const moved = after;
    await update<CursorDoc>(store, 'webhookCursors', tenantId, endpoint.id, (c) => (c.after >= moved ? undefined : { after: moved }), cursor);
  }
  return found;
}

/** Makes the customer's queue reach `seq`: created (from its first moment since `start`) or its `lastSeq` raised. */
async function coverQueue(store: Store, tenantId: string, endpoint: DeliveryEndpoint, customerId: string, seq: number, start: string): Promise<void> {
  const key = queueKey(endpoint.id, customerId);
  let queue = await store.get<QueueDoc>('webhookQueues', tenantId, key);
  if (!queue) {
    const first = await firstSeqSince(store, tenantId, customerId, seq, start);
    const created = await store.insert<QueueDoc>('webhookQueues', tenantId, key, { endpointId: endpoint.id, customerId, nextSeq: first, lastSeq: seq });
    if (created.inserted) return;
    queue = created.record;
  }
  await update<QueueDoc>(store, 'webhookQueues', tenantId, key, (q) => (q.lastSeq >= seq ? undefined : { ...q, lastSeq: seq }), queue);
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

/**
 * Delivers what is due on every queue of the endpoint, `pass.concurrency` queues at once (a queue starts as soon as
 * another ends, so one long queue does not hold the others); answers what it did.
 */
export async function deliverEndpoint(store: Store, tenantId: string, endpoint: DeliveryEndpoint, pass: DeliveryPass): Promise<DeliveryPassResult> {
  const result: DeliveryPassResult = { delivered: 0, failed: 0 };
  const prefix = `${endpoint.id}${SEP}`;
  let after: string | undefined;
  const concurrency = pass.concurrency ?? 8;
  const now = new Date(pass.now()).toISOString();
  let stop = false;
  for (;;) {
    const page = await store.list<QueueDoc>('webhookQueues', tenantId, { prefix, limit: 200, ...(after !== undefined ? { after } : {}) });
    const ready = page.filter((q) => q.doc.nextSeq <= q.doc.lastSeq && (q.doc.notBefore === undefined || q.doc.notBefore <= now));
    let next = 0;
    const drainer = async (): Promise<void> => {
      while (!stop && next < ready.length) {
        const queue = ready[next++]!;
        const outcome = await drainQueue(store, tenantId, endpoint, queue, pass);
        result.delivered += outcome.delivered;
        result.failed += outcome.failed;
        if (outcome.gaveUp) stop = true;
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, ready.length) }, drainer));
    if (stop || page.length < 200) return result;
    after = page[page.length - 1]?.key;
    if (after === undefined || after >= prefix + KEY_END) return result;
  }
}

/**
 * Takes the queue's lease, delivers from its head in order until it is empty or its head fails, and lets go. The
 * head is moved once, as the lease is let go: each moment's delivery log says whether it went, so a worker that
 * dies half-way leaves a head that the next one moves past without sending again.
 */
async function drainQueue(store: Store, tenantId: string, endpoint: DeliveryEndpoint, listed: Versioned<QueueDoc>, pass: DeliveryPass): Promise<DeliveryPassResult & { gaveUp: boolean }> {
  const done = { delivered: 0, failed: 0, gaveUp: false };
  const leaseMs = pass.leaseMs ?? 60_000;
  const nowIso = (): string => new Date(pass.now()).toISOString();
  const key = listed.key;
  const leased = await update<QueueDoc>(
    store,
    'webhookQueues',
    tenantId,
    key,
    (q) => {
      const now = pass.now();
      if (q.nextSeq > q.lastSeq) return undefined;
      if (q.notBefore !== undefined && q.notBefore > nowIso()) return undefined;
      if (q.leaseOwner !== undefined && q.leaseOwner !== pass.owner && (q.leaseUntil ?? 0) > now) return undefined;
      return { ...q, leaseOwner: pass.owner, leaseUntil: now + leaseMs };
    },
    listed,
  );
  if (!leased || leased.doc.leaseOwner !== pass.owner) return done;
  const queue = leased.doc;
  let head = queue.nextSeq;
  let retryAt: string | undefined;
  try {
    while (head <= queue.lastSeq) {
      if ((queue.leaseUntil ?? 0) < pass.now() + 1000) break; // the lease is running out: another worker may take it
      const moment = await store.get<MomentDoc>('moments', tenantId, momentKey(queue.customerId, head));
      if (!moment) break; // not flushed yet: the next pass finds it
      if (wants(endpoint, moment.doc.type)) {
        const outcome = await attempt(store, tenantId, endpoint, moment.doc, pass);
        if (outcome.is === 'retry') {
          retryAt = outcome.retryAt;
          done.failed += 1;
          break;
        }
        if (outcome.is === 'gave-up') {
          done.failed += 1;
          done.gaveUp = true;
          break;
        }
        done.delivered += 1;
      }
      head += 1;
    }
    return done;
  } finally {
    const moved = head;
    await update<QueueDoc>(store, 'webhookQueues', tenantId, key, (q) => {
      // Lost the lease to another worker: it goes on from the stored head, and the log keeps it from sending again.
      if (q.leaseOwner !== pass.owner) return undefined;
      const freed = withoutLease({ ...q, nextSeq: Math.max(q.nextSeq, moved) });
      if (retryAt !== undefined) return { ...freed, notBefore: retryAt };
      return moved > queue.nextSeq ? withoutRetry(freed) : freed;
    });
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

/**
 * One attempt at the queue's head, recorded in the delivery log (one write: the log is read before the send and
 * written after it); a failure answers when to retry, which the caller stores on the queue as it lets go.
 */
async function attempt(store: Store, tenantId: string, endpoint: DeliveryEndpoint, moment: MomentDoc, pass: DeliveryPass): Promise<{ is: 'delivered' | 'gave-up' } | { is: 'retry'; retryAt: string }> {
  const key = deliveryKey(endpoint.id, moment.id);
  const log = await store.get<DeliveryDoc>('webhookDeliveries', tenantId, key);
  // Delivered already (a worker died after recording it, before moving the queue): move on without sending again.
  if (log?.doc.status === 'delivered') return { is: 'delivered' };
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
  let verdict: { is: 'delivered' | 'gave-up' } | { is: 'retry'; retryAt: string } = { is: 'delivered' };
  const withAttempt = (doc: DeliveryDoc): DeliveryDoc => {
    const attempts = [...doc.attempts, record];
    if (outcome.ok) {
      verdict = { is: 'delivered' };
      const { nextAttemptAt: _next, ...rest } = doc;
      return { ...rest, status: 'delivered', attempts };
    }
    // The schedule counts from the first attempt, or from the last retry an admin asked for.
    const counted = doc.retryFrom === undefined ? attempts : attempts.filter((a) => a.at >= (doc.retryFrom ?? ''));
    const firstAt = Date.parse(counted[0]?.at ?? record.at);
    const next = pass.retry(Math.max(counted.length, 1), firstAt, pass.now());
    if (next.giveUp) {
      verdict = { is: 'gave-up' };
      const { nextAttemptAt: _next, ...rest } = doc;
      return { ...rest, status: 'failed', attempts };
    }
    const retryAt = new Date(next.retryAt).toISOString();
    verdict = { is: 'retry', retryAt };
    return { ...doc, attempts, nextAttemptAt: retryAt };
  };
  const first: DeliveryDoc = { endpointId: endpoint.id, momentId: moment.id, customerId: moment.customerId, seq: moment.seq, type: moment.type, status: 'pending', attempts: [] };
  // The first attempt creates the log; a log another worker created meanwhile is updated instead.
  const created = log ? undefined : await store.insert<DeliveryDoc>('webhookDeliveries', tenantId, key, withAttempt(first));
  if (!created?.inserted) await update<DeliveryDoc>(store, 'webhookDeliveries', tenantId, key, withAttempt, log ?? created?.record);
  if (verdict.is === 'gave-up') await pass.giveUp(endpoint, moment, outcome);
  return verdict;
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
