/**
 * Webhooks, two rows of the API section on the embedded (LMDB) store (issue 16):
 *
 * - **A recorded order with one subscribed endpoint against none.** Two servers configured alike as production
 *   would be for a receiver on this machine (the delivery worker running in the server, PURNA_WEBHOOK_ALLOW_HOSTS=
 *   127.0.0.1, api-server.ts), one with an endpoint subscribed to every type that points at a local receiver
 *   (webhook-receiver.ts), the other with none; autocannon records orders on each in alternating rounds. A round's
 *   cost is the server process's CPU time from the round's start until the receiver has every moment the round's
 *   orders produced (for the server without an endpoint, until those moments are in the feed), so deliveries made
 *   after the round count against it; the goal (at most 10% more per order) is judged on CPU time per order.
 *   Requests per second during the rounds are printed beside it: they leave out the deliveries made after a round
 *   ends (the worker reads moments two seconds old at the earliest), so they flatter the endpoint.
 * - **Moments delivered per second to a local receiver.** An endpoint is registered, orders of many customers are
 *   recorded until the feed holds N moments, then the server's delivery worker starts; the figure is N over the
 *   time from its start until the receiver has all N distinct webhook ids.
 *
 * MongoDB is left out: on this machine's FerretDB an order takes 60–200 ms, so a round would record a handful of
 * orders and the delivery row would take many minutes.
 */
import { FEED_HORIZON_MS } from '@purna/ledger';
import { checkAnswers, load, purnaTraffic, startServer, type Measured, type RunningServer, type Traffic } from './api-load.js';
import { fastDataRoot } from './bench-data.js';
import { elapsedMs, median, type BenchReport } from './bench-report.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

const SECTION = 'api';
const CONNECTIONS = 16;
const GOAL_COST = 1.1;
const GOAL_DELIVERIES = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The moments feed of one server, read on from where the previous count stopped. */
class FeedCounter {
  private cursor: string | undefined;
  private counted = 0;

  constructor(
    private readonly server: RunningServer,
    private readonly headers: Record<string, string>,
  ) {}

  /** Every moment in the feed so far (the feed shows a moment once it is FEED_HORIZON_MS old). */
  async count(): Promise<number> {
    for (;;) {
      const query = new URLSearchParams({ limit: '500', ...(this.cursor !== undefined ? { after: this.cursor } : {}) });
      const response = await fetch(`${this.server.url}/v1/moments?${query.toString()}`, { headers: this.headers });
      const page = (await response.json()) as { items?: unknown[]; nextCursor?: string };
      if (response.status !== 200 || !Array.isArray(page.items)) throw new Error(`api: GET /v1/moments answered ${response.status} ${JSON.stringify(page).slice(0, 400)}`);
      this.counted += page.items.length;
      if (page.nextCursor !== undefined) this.cursor = page.nextCursor;
      if (page.items.length === 0) return this.counted;
    }
  }
}

/** Registers an endpoint for every type at `url`; answers how many moments the feed held before it (never sent). */
async function registerEndpoint(server: RunningServer, feed: FeedCounter, headers: Record<string, string>, url: string): Promise<number> {
  const response = await fetch(`${server.url}/v1/webhooks`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ url, description: 'bench receiver' }),
  });
  if (response.status !== 201) throw new Error(`api: POST /v1/webhooks answered ${response.status} ${(await response.text()).slice(0, 400)}`);
  // Nothing is recorded until this count, so every moment it sees was stored before the endpoint existed.
  await sleep(FEED_HORIZON_MS + 200);
  return feed.count();
}

function webhookServer(customers: number, delivery: 'running' | 'on-request'): Promise<RunningServer> {
  return startServer({ kind: 'purna', store: 'lmdb', customers, webhooks: { delivery } });
}

/** One side of the comparison: a server, its record-order traffic, and (with an endpoint) the receiver. */
interface Side {
  readonly server: RunningServer;
  readonly traffic: Traffic;
  readonly feed: FeedCounter;
  readonly receiver?: WebhookReceiver;
  /** Moments in the feed before the endpoint was registered (enrolments): never delivered. */
  readonly before: number;
}

interface Round {
  readonly measured: Measured;
  /** Server CPU µs per recorded order, from the round's start until its moments were in the feed (and delivered). */
  readonly cpuPerOrder: number;
  readonly moments: number;
  /** ms from the round's end until the receiver had its last moment. */
  readonly drainMs: number;
}

/**
 * One round: autocannon for `seconds`, then wait for the round's moments to be in the feed and, with an endpoint,
 * at the receiver. The CPU the feed reads cost the server is taken out: they are the bench's, not the order's.
 */
async function round(side: Side, seconds: number, momentsBefore: number): Promise<Round> {
  const cpuStart = (await side.server.ask('cpu')).cpuMicros;
  const measured = await load(side.server.url, side.traffic, { durationSeconds: seconds, connections: CONNECTIONS });
  const ended = process.hrtime.bigint();
  if (measured.failed > 0) throw new Error(`api: ${measured.failed} of ${measured.total} recorded orders failed in a webhook round`);
  // Every answered order's moments are stored by then; the feed shows them once they are FEED_HORIZON_MS old.
  await sleep(FEED_HORIZON_MS + 200);
  const beforeCount = (await side.server.ask('cpu')).cpuMicros;
  const total = await side.feed.count();
  const afterCount = (await side.server.ask('cpu')).cpuMicros;
  if (side.receiver) await side.receiver.waitFor(total - side.before, 120_000);
  const drainMs = side.receiver ? elapsedMs(ended) : Number.NaN;
  const cpuEnd = side.receiver ? (await side.server.ask('cpu')).cpuMicros - (afterCount - beforeCount) : beforeCount;
  return { measured, cpuPerOrder: (cpuEnd - cpuStart) / measured.total, moments: total - momentsBefore, drainMs };
}

/** Row 1: a recorded order with one subscribed endpoint against none, in alternating rounds. */
async function costPerOrder(report: BenchReport, options: { quick: boolean }): Promise<void> {
  const rounds = options.quick ? 3 : 6;
  const seconds = options.quick ? 2 : 5;
  const customers = options.quick ? 200 : 2000;
  const receiver = await startWebhookReceiver();
  const servers: RunningServer[] = [];
  try {
    servers.push(await webhookServer(customers, 'running'), await webhookServer(customers, 'running'));
    const sides: Side[] = [];
    for (const [i, server] of servers.entries()) {
      const traffic = purnaTraffic(server.ready, `bench-webhooks-${i}-${Date.now()}`)[1]!;
      const feed = new FeedCounter(server, traffic.headers);
      if (i === 0) sides.push({ server, traffic, feed, before: 0 });
      else sides.push({ server, traffic, feed, receiver, before: await registerEndpoint(server, feed, traffic.headers, receiver.url) });
    }
    const [none, one] = sides as [Side, Side];
    for (const side of sides) await checkAnswers(side.server.url, [side.traffic]);
    // Warm both (JIT, the worker's first passes) and wait until the warm-up's moments are delivered.
    const seen = sides.map((side) => side.before);
    for (const [i, side] of sides.entries()) seen[i]! += (await round(side, 1, seen[i]!)).moments;
    const mine: Round[] = [];
    const base: Round[] = [];
    for (let r = 0; r < rounds; r += 1) {
      // Alternate which goes first, so neither always follows the other's garbage or leftover work.
      const order = r % 2 === 0 ? [none, one] : [one, none];
      for (const side of order) {
        const i = side === none ? 0 : 1;
        const result = await round(side, seconds, seen[i]!);
        seen[i]! += result.moments;
        (side === none ? base : mine).push(result);
      }
    }
    const cost = median(mine.map((m, i) => m.cpuPerOrder / base[i]!.cpuPerOrder));
    const wall = median(mine.map((m, i) => base[i]!.measured.perSecond / m.measured.perSecond));
    const orders = mine.reduce((s, m) => s + m.measured.total, 0);
    const moments = mine.reduce((s, m) => s + m.moments, 0);
    const percent = (ratio: number) => `${ratio >= 1 ? '+' : '−'}${Math.abs((ratio - 1) * 100).toFixed(1)}%`;
    const perSecond = (list: Round[]) => Math.round(median(list.map((m) => m.measured.perSecond))).toLocaleString('en');
    report.add({
      section: SECTION,
      name: 'POST record order, one webhook endpoint (lmdb) req/s',
      value: median(mine.map((m) => m.measured.perSecond)),
      unit: 'req/s',
      ratio: { value: cost, against: 'no endpoint, CPU per order' },
      goal: { text: `≤ ${GOAL_COST}× no endpoint per order`, met: cost <= GOAL_COST && receiver.requests() - receiver.distinct() === 0 },
      note:
        `${percent(cost)} server CPU per order (${Math.round(median(base.map((b) => b.cpuPerOrder)))} → ${Math.round(median(mine.map((m) => m.cpuPerOrder)))} µs, ` +
        `from a round's start until the receiver had its moments); no endpoint ${perSecond(base)} req/s, with one ${perSecond(mine)} req/s ` +
        `(${percent(wall)} time per order during the rounds, deliveries after a round left out); ` +
        `${moments.toLocaleString('en')} moments of ${orders.toLocaleString('en')} orders delivered, last ${Math.round(median(mine.map((m) => m.drainMs)))} ms after a round (median), ` +
        `${receiver.requests() - receiver.distinct()} twice; ${CONNECTIONS} connections, ${rounds}×${seconds} s interleaved, ${customers} customers; ` +
        `delivery worker in the server every 1 s; receiver answering 204 in the bench process; embedded LMDB ${fastDataRoot().label}`,
    });
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await receiver.close();
  }
}

/** Row 2: moments delivered per second to a local receiver, by the server's worker, from a backlog of N. */
async function deliveryRate(report: BenchReport, options: { quick: boolean }): Promise<void> {
  const target = options.quick ? 5000 : 20_000;
  const customers = 500;
  const receiver = await startWebhookReceiver();
  const server = await webhookServer(customers, 'on-request');
  try {
    const traffic = purnaTraffic(server.ready, `bench-deliveries-${Date.now()}`)[1]!;
    const feed = new FeedCounter(server, traffic.headers);
    const before = await registerEndpoint(server, feed, traffic.headers, receiver.url);
    // Record orders until the feed holds the target: a first batch tells how many moments an order makes.
    let orders = 0;
    let moments = 0;
    let batch = Math.ceil(target / 2);
    const created = process.hrtime.bigint();
    while (moments < target) {
      const run = await load(server.url, traffic, { amount: batch, connections: CONNECTIONS });
      if (run.failed > 0) throw new Error(`api: ${run.failed} of ${run.total} recorded orders failed while making moments`);
      orders += run.total;
      await sleep(FEED_HORIZON_MS + 200);
      moments = (await feed.count()) - before;
      batch = Math.max(CONNECTIONS, Math.ceil(((target - moments) * orders) / Math.max(moments, 1)));
    }
    const createdMs = elapsedMs(created);
    const start = process.hrtime.bigint();
    await server.ask('start-delivery');
    await receiver.waitFor(moments, 600_000);
    const ms = elapsedMs(start);
    const rate = (moments / ms) * 1000;
    const twice = receiver.requests() - receiver.distinct();
    report.add({
      section: SECTION,
      name: 'webhook deliveries to a local receiver (lmdb)',
      value: rate,
      unit: 'moments/s',
      goal: { text: `≥ ${GOAL_DELIVERIES.toLocaleString('en')} moments/s`, met: rate >= GOAL_DELIVERIES && twice === 0 && receiver.unsigned() === 0 },
      note:
        `${moments.toLocaleString('en')} moments (${orders.toLocaleString('en')} orders of ${Math.min(customers, 512)} customers, recorded in ${(createdMs / 1000).toFixed(1)} s, not timed) ` +
        `delivered in ${(ms / 1000).toFixed(1)} s from the worker's start to the last distinct webhook-id; ${twice} twice, ${receiver.unsigned()} unsigned; ` +
        `the server's delivery worker (every 1 s), receiver answering 204 in the bench process; embedded LMDB ${fastDataRoot().label}`,
    });
  } finally {
    await server.stop();
    await receiver.close();
  }
}

/** Runs the webhook rows. */
export async function webhookRows(report: BenchReport, options: { quick: boolean; rows?: 'cost' | 'rate' }): Promise<void> {
  if (options.rows !== 'rate') await costPerOrder(report, options);
  if (options.rows !== 'cost') await deliveryRate(report, options);
}
