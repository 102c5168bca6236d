/**
 * Webhook deliveries: how the moments outbox (../moments/moment-store.ts) reaches each endpoint, once per moment id,
 * in each customer's order, with retries, whatever crashes and however many workers run at once. The ledger does no
 * network I/O: the caller passes `send` (the API's signed sender) and the retry schedule.
 *
 * Storage, without multi-document transactions:
 * - `webhookCursors`, key = endpoint id: how far the endpoint has read the tenant's feed, and which worker's discovery
 *   holds it (a lease: one discovery at a time reads an endpoint's feed). A pass reads the feed after it, sends the
 *   moments of the customers that were caught up (see `drainCaughtUp`: their queue empty, nothing written but each
 *   moment's log unless a head fails), makes sure every other customer with a matching moment has a queue reaching
 *   it, and only then moves the cursor (compare-and-set): everything before the cursor is delivered, not wanted, or
 *   in a queue.
 * - `webhookQueues`, key = `<endpoint id>\u0001<customer id>`: one customer's moments for one endpoint, delivered
 *   strictly by their number (`nextSeq` up to `lastSeq`), so a later moment is never delivered before an earlier
 *   one. A worker takes a queue with a lease (compare-and-set on its version), and while the moment at its head
 *   fails, the queue waits for the retry instant; the customers behind other queues go on.
 * - `webhookDeliveries`, key = `<endpoint id>\u0001<moment id>`: the delivery log of one moment, every attempt. A
 *   worker moves its queue's head once, as it lets the lease go, so the log is also what keeps a moment that went
 *   from being sent again after a worker died half-way through a queue. Only then can a head be behind a delivered
 *   moment, and only then does the queue still carry a lease when the next worker takes it: a worker that takes a
 *   queue nobody held (a *clean* lease) sends its heads without reading their logs first.
 *
 * A receiver may get a moment twice only if a worker dies between the receiver's answer and the record of it; the
 * `webhook-id` (the moment id) is the same, so a receiver de-duplicates by it (Standard Webhooks).
 */
import type { MomentType } from '@purna/rules';
import { feedKey, momentKey, type MomentDoc } from '../moments/moment-store.js';
import { readMoments } from '../moments/moment-feed.js';
import { setNewest } from '../bounded-map.js';
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

/** One customer's queue for one endpoint (see the file's header). */
export interface QueueDoc {
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
  /** The worker whose discovery reads the feed after `after` now (see {@link discover}). */
  leaseOwner?: string;
  /** Epoch ms. */
  leaseUntil?: number;
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
  /** How long a lease holds (ms, default {@link DEFAULT_LEASE_MS}, 60 s): longer than one send with its timeout. */
  leaseMs?: number;
  /** Queues of one endpoint worked on at once: sends in flight to it (default {@link DEFAULT_DELIVERY_CONCURRENCY}, 64). */
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

/** How long a lease holds unless the pass says otherwise (ms): longer than one send with its timeout. */
export const DEFAULT_LEASE_MS = 60_000;

/** Queue records a {@link QueueRecords} keeps by default. */
export const QUEUE_RECORDS_KEPT = 10_000;

/**
 * The queue records a worker process wrote or read last (the newest {@link QUEUE_RECORDS_KEPT}), by tenant and queue:
 * a pass's discovery changes the one it knows (compare-and-set on its version) instead of reading the queue first,
 * one store read less per queue. A record another worker changed since fails its compare-and-set and is read again:
 * a stale one costs a write attempt, never a wrong write.
 */
export class QueueRecords {
  private readonly records = new Map<string, Versioned<QueueDoc>>();
  /** By tenant and endpoint: the version of the cursor as this process let its lease go last. */
  private readonly cursors = new Map<string, number>();
  /** By tenant and queue: the customer's moment this process delivered last from a caught-up customer, its queue empty. */
  private readonly delivered = new Map<string, number>();

  constructor(private readonly max = QUEUE_RECORDS_KEPT) {}

  /** The version the endpoint's cursor had when this process let it go last, if it did. */
  cursorLeft(tenantId: string, endpointId: string): number | undefined {
    return this.cursors.get(`${tenantId}${SEP}${endpointId}`);
  }

  leftCursor(tenantId: string, endpointId: string, version: number): void {
    setNewest(this.cursors, `${tenantId}${SEP}${endpointId}`, version, this.max);
  }

  /** The number of the customer's moment this process delivered last with the queue empty, if it is known. */
  caughtUpTo(tenantId: string, key: string): number | undefined {
    return this.delivered.get(`${tenantId}${SEP}${key}`);
  }

  caughtUp(tenantId: string, key: string, seq: number | undefined): void {
    const at = `${tenantId}${SEP}${key}`;
    if (seq === undefined) this.delivered.delete(at);
    else setNewest(this.delivered, at, seq, this.max);
  }

  get(tenantId: string, key: string): Versioned<QueueDoc> | undefined {
    return this.records.get(`${tenantId}${SEP}${key}`);
  }

  /** Keeps `record` (the queue as stored), or forgets the queue when it is gone. */
  set(tenantId: string, key: string, record: Versioned<QueueDoc> | undefined): void {
    const at = `${tenantId}${SEP}${key}`;
    if (record === undefined) this.records.delete(at);
    else setNewest(this.records, at, record, this.max);
  }
}

/** Queues of the endpoint listed at once; each page's ready queues are drained before the next page is read. */
const QUEUE_PAGE = 200;

/** Queues covered at once by discovery, or worked on at once by delivery (unless the pass says otherwise). */
const AT_ONCE = 100;

/**
 * Queues of one endpoint worked on at once, so sends in flight to it, unless the pass says otherwise. Each step of a
 * group shares one store commit and one wait for answers, so a group of 64 costs a delivered moment about a fifth
 * less CPU than one of 16 (scripts/bench/webhook-passes.ts), and a receiver 100 ms away takes up to 640 moments a
 * second instead of 160.
 *
 * @example
 * await ledger.deliverWebhooks(tenantId, endpoint, { ...pass, concurrency: DEFAULT_DELIVERY_CONCURRENCY });
 */
export const DEFAULT_DELIVERY_CONCURRENCY = 64;

/**
 * Runs `work` on every item, `size` at a time. The calls of one group are made together, so their store writes go
 * to the store together (one commit on LMDB, where a commit of its own costs about twenty writes in one).
 */
async function inGroups<T>(items: readonly T[], size: number, work: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(work));
}

/** Feed pages (of 500 moments) one discovery reads at most before it writes the queues they cover. */
const DISCOVERY_PAGES = 20;

/** A worker's claim on the queues it covers, when discovery is the first step of its delivery pass. */
export interface DiscoveryLease {
  owner: string;
  /** Epoch ms until which the lease holds. */
  until: number;
}

/** A queue a worker has just leased, and whether it was clean: nobody held it before (no log read is needed). */
export interface LeasedQueue {
  record: Versioned<QueueDoc>;
  clean: boolean;
}

/** What a discovery did: moments read from the feed, and the queues it leased for the caller. */
export interface Discovery {
  found: number;
  leased: LeasedQueue[];
  /**
   * Queues it covered with moments due now that it could not lease (another worker held them; without a lease, every
   * such queue). A queue waiting for a retry is not counted: listing the queues would not lease it either.
   */
  unleased: number;
  /** The moments the feed read gave, by moment key: a drain reads a queue's head here before asking the store. */
  read: ReadonlyMap<string, MomentDoc>;
  /**
   * With a lease: the customers that were caught up (their queue empty, every moment before this read's first one
   * delivered or not wanted), whose moments {@link drainCaughtUp} sends without writing their queue.
   */
  caughtUp: Drain[];
  /**
   * With a lease, when the read found moments: the endpoint's cursor, held until {@link settleDiscovery} moves it and
   * lets it go. (A discovery that finds the cursor held by another worker reads nothing.)
   */
  hold?: CursorHold;
}

/**
 * How long a discovery holds the endpoint's cursor (ms), renewed while its caught-up customers are sent to: short,
 * so that a worker that died leaves the feed to another within seconds.
 */
export const CURSOR_LEASE_MS = 15_000;

/** A discovery's hold on the endpoint's cursor (see {@link discover}). */
export interface CursorHold {
  owner: string;
  /** Epoch ms; renewed by the caught-up drains. */
  until: number;
  record: Versioned<CursorDoc>;
  /** The cursor when the discovery took it, and where its read got to: the cursor moves there when settled. */
  from: string;
  reached: string;
  /** Taken from nobody: no caught-up moment can have been sent before, so their logs are not read before a send. */
  clean: boolean;
  /** Lost to another worker (a renewal failed): the cursor is left as it is. */
  lost: boolean;
}

/** Takes the endpoint's cursor for a discovery, as the caller read it: when nobody holds it, or its holder's lease ran out. */
async function takeCursor(store: Store, tenantId: string, endpointId: string, cursor: Versioned<CursorDoc>, owner: string, nowMs: number): Promise<CursorHold | undefined> {
  const until = nowMs + CURSOR_LEASE_MS;
  const c = cursor.doc;
  if (c.leaseOwner !== undefined && (c.leaseUntil ?? 0) > nowMs) return undefined;
  // On the version the caller read the feed from: not retried on another.
  const taken = await store.replace<CursorDoc>('webhookCursors', tenantId, endpointId, cursor.version, { ...c, leaseOwner: owner, leaseUntil: until });
  if (taken === undefined) return undefined;
  return { owner, until, record: taken, from: c.after, reached: c.after, clean: c.leaseOwner === undefined, lost: false };
}

/**
 * The hold a step of the caught-up drains starts with, at least (ms): a step waits for its sends (each at most the
 * API sender's 10 s) and then writes their logs, all before the hold may run out.
 */
const CURSOR_STEP_MS = 12_000;

/** Renews the hold when less than a step's worth of it is left; false when another worker holds the cursor now. */
async function renewCursor(store: Store, tenantId: string, endpointId: string, hold: CursorHold, nowMs: number): Promise<boolean> {
  if (hold.lost) return false;
  if (hold.until - nowMs >= CURSOR_STEP_MS) return true;
  const until = nowMs + CURSOR_LEASE_MS;
  const renewed = await update<CursorDoc>(store, 'webhookCursors', tenantId, endpointId, (c) =>
    c.leaseOwner === hold.owner && c.leaseUntil === hold.until ? { ...c, leaseUntil: until } : undefined,
  hold.record);
  if (renewed?.doc.leaseOwner === hold.owner && renewed.doc.leaseUntil === until) {
    hold.record = renewed;
    hold.until = until;
    return true;
  }
  hold.lost = true;
  return false;
}

/**
 * Ends a discovery that held the cursor: moves it to where the read got (when `move`: the caught-up customers are
 * settled, each delivered or given a queue) and lets it go, unless another worker holds it by now.
 */
export async function settleDiscovery(store: Store, tenantId: string, endpointId: string, discovery: Pick<Discovery, 'hold'>, move: boolean, queues?: QueueRecords): Promise<void> {
  const { hold } = discovery;
  if (hold === undefined || hold.lost) return;
  const stored = await update<CursorDoc>(store, 'webhookCursors', tenantId, endpointId, (c) => {
    if (c.leaseOwner !== hold.owner || c.leaseUntil !== hold.until) return undefined;
    // Not moved (a store failure): the lease is left run out, so the next discovery reads the logs of what it sends.
    if (!move) return { ...c, leaseUntil: 0 };
    const { leaseOwner: _owner, leaseUntil: _until, ...rest } = c;
    return hold.reached > c.after ? { ...rest, after: hold.reached } : rest;
  }, hold.record);
  if (stored !== undefined && stored.doc.leaseOwner === undefined) queues?.leftCursor(tenantId, endpointId, stored.version);
}

/**
 * Reads the feed after the endpoint's cursor, up to {@link DISCOVERY_PAGES} pages (a backlog is caught up in one
 * pass, not 500 moments a pass), and makes sure every customer with a moment it wants has a queue covering it, each
 * queue written once; then moves the cursor. Nothing is read while another worker's discovery holds the cursor.
 *
 * With `lease` (a worker's pass) and moments found, it takes the cursor (see {@link CursorHold}) and leaves it to
 * the caller to move: the customers that are caught up (see caughtUpHead) get no queue but a drain in `caughtUp`,
 * for {@link drainCaughtUp}, then {@link settleDiscovery}. The others' queues are covered, and the same write also
 * leases every queue nobody holds, which the pass then drains: one store write per queue less, and no listing of
 * the endpoint's queues to find them. Idempotent: a pass that dies half-way is done again by the next, once its
 * hold and leases run out. `queues`: what this process knows (queue records, caught-up customers, the cursor it let
 * go), tried before reading the store and kept up to date.
 */
export async function discover(store: Store, tenantId: string, endpoint: DeliveryEndpoint, nowMs: number, lease?: DiscoveryLease, queues?: QueueRecords): Promise<Discovery> {
  // Just before every feed key stamped at or after the endpoint's registration ('~' sorts after every id).
  const start = feedKey(Date.parse(endpoint.createdAt) - 1, '~');
  // Read first: every pass reads the cursor, and an insert is a write transaction even when the cursor exists.
  let cursor =
    (await store.get<CursorDoc>('webhookCursors', tenantId, endpoint.id)) ??
    (await store.insert<CursorDoc>('webhookCursors', tenantId, endpoint.id, { after: start })).record;
  const nothing = (): Discovery => ({ found: 0, leased: [], unleased: 0, read: new Map(), caughtUp: [] });
  // One discovery at a time reads an endpoint's feed: the caught-up customers' moments it sends are written nowhere
  // until the cursor moves past them.
  if (cursor.doc.leaseOwner !== undefined && (cursor.doc.leaseUntil ?? 0) > nowMs) return nothing();
  const highest = new Map<string, number>();
  // With a hold, every number of each customer the read gave, wanted or not.
  const numbers = new Map<string, number[]>();
  const read = new Map<string, MomentDoc>();
  let after = cursor.doc.after;
  let found = 0;
  for (let pages = 0; pages < DISCOVERY_PAGES; pages += 1) {
    const page = await readMoments(store, tenantId, { after, limit: 500 }, nowMs);
    found += page.items.length;
    for (const moment of page.items) {
      if (lease !== undefined) {
        const seen = numbers.get(moment.customerId);
        if (seen) seen.push(moment.seq);
        else numbers.set(moment.customerId, [moment.seq]);
        read.set(momentKey(moment.customerId, moment.seq), moment);
      }
      if (!wants(endpoint, moment.type)) continue;
      highest.set(moment.customerId, Math.max(highest.get(moment.customerId) ?? 0, moment.seq));
    }
    // Caught up when a read moves the cursor no further (the feed's end, or moments within its horizon).
    if (page.nextCursor === undefined || page.nextCursor === after) break;
    after = page.nextCursor;
  }
  const caughtUp: Drain[] = [];
  let covered = [...highest];
  let hold: CursorHold | undefined;
  // The cursor is taken only when the read found something (an idle endpoint's pass writes nothing), on the version
  // the read started from: a cursor another worker took or moved meanwhile leaves this pass with nothing.
  if (lease !== undefined && found > 0) {
    // Trusted: this process let the cursor go last, so the queues it knows empty are empty still (only a discovery
    // fills a queue; the others only empty them).
    const trusted = queues?.cursorLeft(tenantId, endpoint.id) === cursor.version;
    const held = await takeCursor(store, tenantId, endpoint.id, cursor, lease.owner, nowMs);
    if (held === undefined) return nothing();
    hold = held;
    cursor = held.record;
    held.reached = after;
    const queued: Array<[string, number]> = [];
    await inGroups(covered, AT_ONCE, async ([customerId, seq]) => {
      const head = await caughtUpHead(store, tenantId, endpoint, customerId, numbers.get(customerId)!, held, trusted, queues);
      if (head === undefined) {
        queued.push([customerId, seq]);
        queues?.caughtUp(tenantId, queueKey(endpoint.id, customerId), undefined);
      }
      else if (head <= seq) caughtUp.push({ key: queueKey(endpoint.id, customerId), queue: { endpointId: endpoint.id, customerId, nextSeq: head, lastSeq: seq, leaseOwner: held.owner, leaseUntil: held.until }, head, stopped: false, clean: held.clean });
    });
    covered = queued;
  }
  const leased: LeasedQueue[] = [];
  const now = new Date(nowMs).toISOString();
  let unleased = 0;
  await inGroups(covered, AT_ONCE, async ([customerId, seq]) => {
    const { queue, clean } = await coverQueue(store, tenantId, endpoint, customerId, seq, start, lease, now, queues);
    if (lease !== undefined && queue?.doc.leaseOwner === lease.owner && queue.doc.leaseUntil === lease.until) leased.push({ record: queue, clean });
    else if (queue && queue.doc.nextSeq <= queue.doc.lastSeq && !(queue.doc.notBefore !== undefined && queue.doc.notBefore > now)) unleased += 1;
  });
  if (hold === undefined && after !== cursor.doc.after) {
    const moved = after;
    await update<CursorDoc>(store, 'webhookCursors', tenantId, endpoint.id, (c) => (c.after >= moved ? undefined : { ...c, after: moved }), cursor);
  }
  return { found, leased, unleased, read, caughtUp, ...(hold !== undefined ? { hold } : {}) };
}

/**
 * Where a caught-up customer's drain starts, or undefined when the customer is not caught up and its moments go
 * through its queue: its queue holds nothing (no queue, or its head past its last), the read gave it an unbroken run
 * of numbers, and the moment before the run was delivered already or is not to be (before the head of its queue,
 * delivered last by this process, or read by an earlier discovery: its feed key is before the cursor, and an earlier
 * discovery settled every moment it read). A run whose earlier moment is not in the feed yet (another instance's
 * clock) goes through the queue, which reads moments by number.
 */
async function caughtUpHead(store: Store, tenantId: string, endpoint: DeliveryEndpoint, customerId: string, numbers: number[], hold: CursorHold, trusted: boolean, queues: QueueRecords | undefined): Promise<number | undefined> {
  numbers.sort((a, b) => a - b);
  const first = numbers[0]!;
  if (numbers.some((n, i) => n !== first + i)) return undefined;
  const key = queueKey(endpoint.id, customerId);
  let queue = trusted ? queues?.get(tenantId, key) : undefined;
  // The moment before the run was delivered last by this process, and nobody has filled the queue since: every
  // read of the customer's moments since went through this process's discoveries, which keep this up to date.
  if (trusted && queues?.caughtUpTo(tenantId, key) === first - 1 && (queue === undefined || queue.doc.nextSeq > queue.doc.lastSeq)) return first;
  if (queue === undefined) {
    queue = await store.get<QueueDoc>('webhookQueues', tenantId, key);
    queues?.set(tenantId, key, queue);
  }
  if (queue !== undefined && queue.doc.nextSeq <= queue.doc.lastSeq) return undefined;
  if (queue !== undefined && first <= queue.doc.nextSeq) return queue.doc.nextSeq;
  if (first === 1) return first;
  const before = await store.get<MomentDoc>('moments', tenantId, momentKey(customerId, first - 1));
  return before?.doc.feedKey !== undefined && before.doc.feedKey <= hold.from ? first : undefined;
}

/** True when `owner` may take the queue's lease at `nowMs`: it has moments due and no one else holds it. */
function leasable(q: QueueDoc, owner: string, nowMs: number, nowIso: string): boolean {
  if (q.nextSeq > q.lastSeq) return false;
  if (q.notBefore !== undefined && q.notBefore > nowIso) return false;
  return q.leaseOwner === undefined || q.leaseOwner === owner || (q.leaseUntil ?? 0) <= nowMs;
}

/**
 * Makes the customer's queue reach `seq`: created (from its first moment since `start`) or its `lastSeq` raised;
 * with `claim`, leased in the same write when it may be. Answers the queue as stored, and whether the lease (if it
 * took one) was clean: nobody held the queue before.
 */
async function coverQueue(store: Store, tenantId: string, endpoint: DeliveryEndpoint, customerId: string, seq: number, start: string, claim: DiscoveryLease | undefined, now: string, queues: QueueRecords | undefined): Promise<{ queue: Versioned<QueueDoc> | undefined; clean: boolean }> {
  const key = queueKey(endpoint.id, customerId);
  const nowMs = Date.parse(now);
  let clean = false;
  const withClaim = (q: QueueDoc): QueueDoc => {
    if (claim === undefined || !leasable(q, claim.owner, nowMs, now)) return q;
    clean = q.leaseOwner === undefined;
    return { ...q, leaseOwner: claim.owner, leaseUntil: claim.until };
  };
  const known = queues?.get(tenantId, key);
  let queue = known ?? (await store.get<QueueDoc>('webhookQueues', tenantId, key));
  if (!queue) {
    const first = await firstSeqSince(store, tenantId, customerId, seq, start);
    const created = await store.insert<QueueDoc>('webhookQueues', tenantId, key, withClaim({ endpointId: endpoint.id, customerId, nextSeq: first, lastSeq: seq }));
    queues?.set(tenantId, key, created.record);
    if (created.inserted) return { queue: created.record, clean };
    queue = created.record;
  }
  const covered = await update<QueueDoc>(
    store,
    'webhookQueues',
    tenantId,
    key,
    (q) => {
      const raised = q.lastSeq >= seq ? q : { ...q, lastSeq: seq };
      const next = withClaim(raised);
      return next === q ? undefined : next;
    },
    queue,
  );
  queues?.set(tenantId, key, covered);
  // The queue this process knew is gone (an erasure removed it): start again from the store.
  if (covered === undefined && known !== undefined) return coverQueue(store, tenantId, endpoint, customerId, seq, start, claim, now, undefined);
  return { queue: covered, clean };
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
 * Delivers what is due on every queue of the endpoint, `pass.concurrency` queues at once (64 by default); answers
 * what it did. Queues are taken a page at a time (what discovery leased, 200 at a time, then each page of the listing):
 * the queues of a group are leased together, their heads sent together and their delivery logs written together,
 * and the leases of the whole page are let go together once its last group is done. On LMDB a commit costs about
 * twenty writes, so a page's writes cost one commit per step of a group and two for the page, not a few per moment.
 * `discovery`: what this pass's discovery leased (drained first; the listing then skips them) and read.
 * `listQueues: false` drains only those: the listing reads every queue of the endpoint, which a pass need not do
 * every second (see `Ledger.deliverWebhooks`). `queues`: where the queues as let go are kept for the next discovery.
 */
export async function deliverEndpoint(store: Store, tenantId: string, endpoint: DeliveryEndpoint, pass: DeliveryPass, discovery?: Pick<Discovery, 'leased' | 'read'>, options: { listQueues?: boolean; queues?: QueueRecords; letGoOnly?: boolean } = {}): Promise<DeliveryPassResult> {
  const leased = discovery?.leased ?? [];
  const read = discovery?.read ?? new Map<string, MomentDoc>();
  const result: DeliveryPassResult & { gaveUp: boolean } = { delivered: 0, failed: 0, gaveUp: false };
  const answer = (): DeliveryPassResult => ({ delivered: result.delivered, failed: result.failed });
  // Every queue discovery leased is let go with its page, drained or not (a gave-up head stops the groups; after a
  // store failure the pages left are only let go, and the failure is answered).
  let failure: { error: unknown } | undefined;
  for (let i = 0; i < leased.length; i += QUEUE_PAGE) {
    const page = leased.slice(i, i + QUEUE_PAGE).map(drainOf);
    if (failure !== undefined || options.letGoOnly === true) await inGroups(page, AT_ONCE, (d) => letGo(store, tenantId, d, pass, options.queues)).catch(() => undefined);
    else await drainPage(store, tenantId, endpoint, page, pass, result, read, options.queues).catch((error: unknown) => (failure = { error }));
  }
  if (failure !== undefined) throw failure.error;
  if (result.gaveUp || options.listQueues === false || options.letGoOnly === true) return answer();
  const drained = new Set(leased.map((q) => q.record.key));
  const prefix = `${endpoint.id}${SEP}`;
  let after: string | undefined;
  for (;;) {
    const page = await store.list<QueueDoc>('webhookQueues', tenantId, { prefix, limit: QUEUE_PAGE, ...(after !== undefined ? { after } : {}) });
    const nowMs = pass.now();
    const now = new Date(nowMs).toISOString();
    const ready = page.filter((q) => !drained.has(q.key) && leasable(q.doc, pass.owner, nowMs, now));
    await drainPage(store, tenantId, endpoint, ready, pass, result, read, options.queues);
    if (result.gaveUp || page.length < QUEUE_PAGE) return answer();
    after = page[page.length - 1]?.key;
    if (after === undefined || after >= prefix + KEY_END) return answer();
  }
}

/** One leased queue as a group drains it. */
interface Drain {
  key: string;
  /** The queue as leased. */
  queue: QueueDoc;
  /**
   * The stored record the lease wrote: letting go tries its version first, before reading the queue again. None for
   * a caught-up customer's drain (its queue is written only if it is not drained to its end, see drainCaughtUp).
   */
  leased?: Versioned<QueueDoc>;
  /** The number of the next moment to deliver; the stored head is moved to it as the lease is let go. */
  head: number;
  /** The moment at the head to send in this step, if any. */
  moment?: MomentDoc;
  retryAt?: string;
  /** Its head failed (a retry is scheduled, or the schedule gave up): it is done for this pass. */
  stopped: boolean;
  /** Leased from nobody: no head of it can have been delivered before, so its logs are not read before a send. */
  clean: boolean;
}

/** A queue leased already, as a drain that has not started. */
function drainOf({ record, clean }: LeasedQueue): Drain {
  return { key: record.key, queue: record.doc, leased: record, head: record.doc.nextSeq, stopped: false, clean };
}

/**
 * Drains a page of queues, `pass.concurrency` at a time: each is a {@link Drain} leased already (by discovery), or a
 * listed queue, leased with the rest of the page before the first group starts (one commit on LMDB, not one a
 * group). Every lease taken is let go at the end, whatever happened (a store failure included), each head moved
 * once; a queue leased for a group no one reached (the endpoint gave up) is let go as it was.
 */
async function drainPage(store: Store, tenantId: string, endpoint: DeliveryEndpoint, queues: ReadonlyArray<Drain | Versioned<QueueDoc>>, pass: DeliveryPass, result: DeliveryPassResult & { gaveUp: boolean }, read: ReadonlyMap<string, MomentDoc>, known?: QueueRecords): Promise<void> {
  if (queues.length === 0) return;
  const concurrency = pass.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY;
  const held: Drain[] = [];
  try {
    await Promise.all(
      queues.map(async (q) => {
        if ('head' in q) held.push(q);
        else {
          const leased = await lease(store, tenantId, q, pass);
          if (leased) held.push(drainOf(leased));
        }
      }),
    );
    for (let i = 0; i < held.length && !result.gaveUp; i += concurrency) {
      await drainGroup(store, tenantId, endpoint, held.slice(i, i + concurrency), pass, result, read);
    }
  } finally {
    // One write per queue, the page's together: a worker that dies before it leaves its leases to run out, and the
    // delivery logs (written before this) keep the next worker from sending those moments again.
    await inGroups(held, AT_ONCE, (d) => letGo(store, tenantId, d, pass, known));
  }
}

/**
 * In steps, sends the head of every queue of the group that has one, writes their delivery logs (together, after
 * the step's last answer), and moves on, until every queue is empty or its head failed. A step waits for its sends
 * (each at most the sender's timeout). The delivery log of a moment is written before its queue's head is moved
 * past it (as the page lets its leases go), so a worker that dies half-way leaves a head the next one moves past
 * without sending again.
 */
async function drainGroup(store: Store, tenantId: string, endpoint: DeliveryEndpoint, drains: readonly Drain[], pass: DeliveryPass, result: DeliveryPassResult & { gaveUp: boolean }, read: ReadonlyMap<string, MomentDoc>, beforeStep?: () => Promise<boolean>): Promise<void> {
  let active = drains;
  // A head given up on disables the endpoint: nothing more is sent to it.
  while (active.length > 0 && !result.gaveUp) {
    if (beforeStep !== undefined && !(await beforeStep())) return;
    await Promise.all(active.map((d) => findHead(store, tenantId, endpoint, d, pass, read)));
    active = active.filter((d) => d.moment !== undefined);
    const sent = await Promise.all(active.map((d) => sendHead(store, tenantId, endpoint, d.moment!, pass, d.clean)));
    // Called in one go, so their writes reach the store together (one commit on LMDB). Settled one by one: a head
    // whose log was written moves on even when another's write failed, so no lease is let go with its head behind a
    // delivered moment (what lets a clean lease skip the log read).
    const verdicts = await Promise.allSettled(sent.map((s) => record(store, tenantId, endpoint, s, pass)));
    let failure: { reason: unknown } | undefined;
    active.forEach((d, i) => {
      const settled = verdicts[i]!;
      d.moment = undefined;
      if (settled.status === 'rejected') {
        failure ??= { reason: settled.reason };
        d.stopped = true;
        return;
      }
      const verdict = settled.value;
      if (verdict.is === 'delivered') {
        result.delivered += 1;
        d.head += 1;
        return;
      }
      result.failed += 1;
      d.stopped = true;
      if (verdict.is === 'retry') d.retryAt = verdict.retryAt;
      else result.gaveUp = true;
    });
    if (failure !== undefined) throw failure.reason;
    active = active.filter((d) => !d.stopped);
  }
}

/**
 * Sends the moments of a discovery's caught-up customers, `pass.concurrency` customers at a time, each in order, and
 * writes their delivery logs as a drained queue's are; their queues are not written at all when every moment went.
 * The discovery's hold on the cursor stands in for the queues' leases: renewed before each step, and when it is
 * lost the drains stop and write nothing more (the cursor has not moved, so the worker that holds it now reads those
 * moments again, reading their logs first). A customer whose head failed, or that the pass did not finish, gets a
 * queue from its head, with the head's retry; the queue carries this worker's lease run out, so whoever takes it
 * next reads each head's log first. Answers what it did; `settleDiscovery` then moves the cursor.
 */
export async function drainCaughtUp(store: Store, tenantId: string, endpoint: DeliveryEndpoint, pass: DeliveryPass, discovery: Pick<Discovery, 'caughtUp' | 'hold' | 'read'>, queues?: QueueRecords): Promise<DeliveryPassResult & { gaveUp: boolean }> {
  const result: DeliveryPassResult & { gaveUp: boolean } = { delivered: 0, failed: 0, gaveUp: false };
  const { hold, caughtUp: drains } = discovery;
  if (hold === undefined || drains.length === 0) return result;
  const concurrency = pass.concurrency ?? DEFAULT_DELIVERY_CONCURRENCY;
  try {
    for (let i = 0; i < drains.length && !result.gaveUp && !hold.lost; i += concurrency) {
      const group = drains.slice(i, i + concurrency);
      await drainGroup(store, tenantId, endpoint, group, pass, result, discovery.read, async () => {
        if (!(await renewCursor(store, tenantId, endpoint.id, hold, pass.now()))) return false;
        for (const d of group) d.queue = { ...d.queue, leaseUntil: hold.until };
        return true;
      });
    }
  } finally {
    if (!hold.lost) {
      await inGroups(drains, AT_ONCE, async (d) => {
        if (d.head > d.queue.lastSeq) queues?.caughtUp(tenantId, d.key, d.queue.lastSeq);
        else await park(store, tenantId, d, pass, queues);
      });
    }
  }
  return result;
}

/** Gives a caught-up customer a queue from where its drain stopped (see drainCaughtUp). */
async function park(store: Store, tenantId: string, d: Drain, pass: DeliveryPass, queues: QueueRecords | undefined): Promise<void> {
  queues?.caughtUp(tenantId, d.key, undefined);
  const { head, retryAt } = d;
  const { endpointId, customerId, lastSeq } = d.queue;
  const parked = (q: QueueDoc | undefined): QueueDoc => {
    // Queued since by a discovery (this worker lost the cursor meanwhile): it covers the moments too.
    if (q !== undefined && q.nextSeq <= q.lastSeq) return { ...q, lastSeq: Math.max(q.lastSeq, lastSeq) };
    const queue: QueueDoc = { endpointId, customerId, nextSeq: Math.max(q?.nextSeq ?? 0, head), lastSeq: Math.max(q?.lastSeq ?? 0, lastSeq), leaseOwner: pass.owner, leaseUntil: pass.now() };
    return retryAt !== undefined ? { ...queue, notBefore: retryAt } : queue;
  };
  let known = queues?.get(tenantId, d.key) ?? (await store.get<QueueDoc>('webhookQueues', tenantId, d.key));
  if (known === undefined) {
    // A customer erased since the read has no moments left: no queue is made that would name it again.
    if ((await store.get<MomentDoc>('moments', tenantId, momentKey(customerId, head))) === undefined) return;
    const created = await store.insert<QueueDoc>('webhookQueues', tenantId, d.key, parked(undefined));
    queues?.set(tenantId, d.key, created.record);
    if (created.inserted) return;
    known = created.record;
  }
  queues?.set(tenantId, d.key, await update<QueueDoc>(store, 'webhookQueues', tenantId, d.key, (q) => parked(q), known));
}

/**
 * Takes a queue's lease (compare-and-set); undefined when it has nothing due or another worker holds it. `clean`:
 * nobody held it before.
 */
async function lease(store: Store, tenantId: string, listed: Versioned<QueueDoc>, pass: DeliveryPass): Promise<LeasedQueue | undefined> {
  const leaseMs = pass.leaseMs ?? DEFAULT_LEASE_MS;
  let clean = false;
  const leased = await update<QueueDoc>(
    store,
    'webhookQueues',
    tenantId,
    listed.key,
    (q) => {
      const now = pass.now();
      if (!leasable(q, pass.owner, now, new Date(now).toISOString())) return undefined;
      clean = q.leaseOwner === undefined;
      return { ...q, leaseOwner: pass.owner, leaseUntil: now + leaseMs };
    },
    listed,
  );
  return leased?.doc.leaseOwner === pass.owner ? { record: leased, clean } : undefined;
}

/**
 * Moves the drain's head past the moments its endpoint does not want, and sets `moment` to the next one to send;
 * leaves it unset at the queue's end, at a moment not flushed yet (the next pass finds it), or when the lease is
 * running out (another worker may take the queue).
 */
async function findHead(store: Store, tenantId: string, endpoint: DeliveryEndpoint, d: Drain, pass: DeliveryPass, read: ReadonlyMap<string, MomentDoc>): Promise<void> {
  while (d.head <= d.queue.lastSeq) {
    if ((d.queue.leaseUntil ?? 0) < pass.now() + 1000) return;
    const key = momentKey(d.queue.customerId, d.head);
    // A stored moment never changes, so the copy the feed read gave is as good as reading it again.
    const moment = read.get(key) ?? (await store.get<MomentDoc>('moments', tenantId, key))?.doc;
    if (!moment) return;
    if (wants(endpoint, moment.type)) {
      d.moment = moment;
      return;
    }
    d.head += 1;
  }
}

/** Lets the lease go, with the head moved to where the drain got and the head's retry, if it failed. */
async function letGo(store: Store, tenantId: string, d: Drain, pass: DeliveryPass, known: QueueRecords | undefined): Promise<void> {
  const moved = d.head;
  const { retryAt } = d;
  const stored = await update<QueueDoc>(store, 'webhookQueues', tenantId, d.key, (q) => {
    // Lost the lease to another worker: it goes on from the stored head, and the log keeps it from sending again.
    if (q.leaseOwner !== pass.owner) return undefined;
    const freed = withoutLease({ ...q, nextSeq: Math.max(q.nextSeq, moved) });
    if (retryAt !== undefined) return { ...freed, notBefore: retryAt };
    return moved > d.queue.nextSeq ? withoutRetry(freed) : freed;
  }, d.leased);
  known?.set(tenantId, d.key, stored);
}

function withoutRetry(q: QueueDoc): QueueDoc {
  const { notBefore: _notBefore, ...rest } = q;
  return rest;
}

function withoutLease(q: QueueDoc): QueueDoc {
  const { leaseOwner: _owner, leaseUntil: _until, ...rest } = q;
  return rest;
}

/** A head sent (or found delivered already), with what its delivery log needs. */
type Sent =
  | { moment: MomentDoc; delivered: true }
  | { moment: MomentDoc; delivered: false; log: Versioned<DeliveryDoc> | undefined; startedAt: number; outcome: SendOutcome };

type Verdict = { is: 'delivered' | 'gave-up' } | { is: 'retry'; retryAt: string };

/**
 * One attempt at the queue's head. The delivery log is read first, and a moment it shows delivered is not sent
 * again; on a `clean` lease it is not read (no head there can be past a delivered moment), and `record` finds a log
 * an earlier attempt made as its insert fails.
 */
async function sendHead(store: Store, tenantId: string, endpoint: DeliveryEndpoint, moment: MomentDoc, pass: DeliveryPass, clean: boolean): Promise<Sent> {
  const log = clean ? undefined : await store.get<DeliveryDoc>('webhookDeliveries', tenantId, deliveryKey(endpoint.id, moment.id));
  // Delivered already (a worker died after recording it, before moving the queue): move on without sending again.
  if (log?.doc.status === 'delivered') return { moment, delivered: true };
  const startedAt = pass.now();
  return { moment, delivered: false, log, startedAt, outcome: await pass.send(endpoint, moment) };
}

/**
 * Records an attempt in the moment's delivery log (one write, whatever came before: the log was read before the
 * send); a failure answers when to retry, which the caller stores on the queue as it lets go.
 */
async function record(store: Store, tenantId: string, endpoint: DeliveryEndpoint, sent: Sent, pass: DeliveryPass): Promise<Verdict> {
  if (sent.delivered) return { is: 'delivered' };
  const { moment, log, startedAt, outcome } = sent;
  const key = deliveryKey(endpoint.id, moment.id);
  const attempt: DeliveryAttemptRecord = {
    at: new Date(startedAt).toISOString(),
    ok: outcome.ok,
    durationMs: outcome.durationMs,
    ...(outcome.status !== undefined ? { status: outcome.status } : {}),
    ...(outcome.reason !== undefined ? { reason: outcome.reason } : {}),
    ...(outcome.error !== undefined ? { error: outcome.error.slice(0, 500) } : {}),
  };
  let verdict: Verdict = { is: 'delivered' };
  const withAttempt = (doc: DeliveryDoc): DeliveryDoc => {
    const attempts = [...doc.attempts, attempt];
    if (outcome.ok) {
      verdict = { is: 'delivered' };
      const { nextAttemptAt: _next, ...rest } = doc;
      return { ...rest, status: 'delivered', attempts };
    }
    // The schedule counts from the first attempt, or from the last retry an admin asked for.
    const counted = doc.retryFrom === undefined ? attempts : attempts.filter((a) => a.at >= (doc.retryFrom ?? ''));
    const firstAt = Date.parse(counted[0]?.at ?? attempt.at);
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
