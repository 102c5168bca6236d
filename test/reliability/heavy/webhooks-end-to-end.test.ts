/**
 * Guarantee (heavy, the Done-when of issue 16): a real receiver gets every moment of a year exactly once by
 * `webhook-id`, each verified with `standardwebhooks`, in each customer's order, although it is down for a stretch of
 * the run (answering 503, then refusing connections) and the API process is killed with SIGKILL and restarted on the
 * same data mid-run; and the moments feed lists the same moments. On lmdb and on MongoDB.
 *
 * The real server (`api/src/server.ts`, a child process) delivers by itself every 200 ms; the receiver is a node:http
 * server on 127.0.0.1 (allow-listed with PURNA_WEBHOOK_ALLOW_HOSTS). The year is test/scenarios/moments-year, its
 * steps run over HTTP with the scenario runner's own mapping (`runStepOverHttp`), every expectation checked. Along it:
 * 1. the receiver accepts until it has every moment written so far;
 * 2. from the first moments run on, it answers 503, until each customer with a moment waiting has been refused;
 * 3. from the last customer's enrolment on, it is closed (connections refused), until the delivery log shows an
 *    attempt that met the closed port; a customer with no queue yet meets it at once rather than after a retry wait;
 * 4. the server is SIGKILLed and started again on the same data and port; the next step (a count of the last
 *    customer's moments) runs on the new process;
 * 5. the receiver accepts again before the next moments run that emits anything, and the year runs to its end.
 * Then, within a bounded wait (the retry schedule's first waits are 5–30 s, then 5–60 s), every moment the feed lists
 * must have arrived.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mongoUriWithDatabase } from '../../../scripts/ferretdb/ferretdb.js';
import { loadScenario, formatReports, runScenario, type Scenario, type Target } from '../../../scripts/scenario/scenario.js';
import { callOverHttp, runStepOverHttp, type ScenarioCall } from '../../../scripts/scenario/targets/http.js';
import { describeMongo } from '../../support/mongo.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWebhookReceiver, type Arrival, type ReceivedMoment, type WebhookReceiver } from '../support/webhook-receiver.js';

const SCENARIO = resolve(import.meta.dirname, '..', '..', 'scenarios', 'moments-year.scenario.json');
const DELIVERY_INTERVAL_MS = 200;
/** Each phase's wait: the feed is 2 s behind, a pass runs every 200 ms. */
const PHASE_WAIT_MS = 20_000;
/** Until an attempt meets the closed port: at once for a new customer's queue, at worst a first retry (30 s). */
const REFUSED_WAIT_MS = 40_000;
/**
 * Until the last moment arrives once the receiver is back. A queue that failed twice retries within 5–60 s; a third
 * failure (an outage longer than the two least waits, 10 s) means up to 2 min; a lease the killed process held on a
 * queue keeps it 60 s. Typical runs take far less.
 */
const FINAL_WAIT_MS = 180_000;

/** After the last moment arrived, how long nothing more may arrive: five delivery passes. */
const SETTLE_MS = 5 * DELIVERY_INTERVAL_MS;

/** A moment as the feed and the webhooks carry it. */
type FeedMoment = ReceivedMoment;

interface Attempt {
  at: string;
  ok: boolean;
  status?: number;
  reason?: string;
  error?: string;
}

interface Delivery {
  momentId: string;
  customerId: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: Attempt[];
  nextAttemptAt?: string;
}

/** Where the outage's phases begin, found by what the steps do (so the plan follows the scenario file). */
interface Plan {
  /** From the first moments run, the receiver answers 503. */
  unavailableFrom: number;
  /** From the enrolment of the last customer to join, connections are refused. */
  closedFrom: number;
  /** Before the first count of moments after that, the server is SIGKILLed and restarted. */
  killBefore: number;
  /** From the next moments run that emits anything, the receiver accepts again. */
  acceptFrom: number;
}

function planOf(scenario: Scenario): Plan {
  const steps = scenario.steps;
  const unavailableFrom = steps.findIndex((step) => step.op === 'jobs.moments');
  const enrolments = steps
    .map((step, index) => ({ step, index }))
    .filter(({ step }) => step.op === 'customer.upsert')
    .filter(({ step, index }) => !steps.slice(0, index).some((earlier) => earlier.op === 'customer.upsert' && earlier.input.id === step.input.id));
  const closedFrom = enrolments.at(-1)?.index ?? -1;
  const killBefore = steps.findIndex((step, index) => index > closedFrom && step.op === 'moments.count');
  const acceptFrom = steps.findIndex((step, index) => index > killBefore && step.op === 'jobs.moments' && Number(step.expect?.emitted) > 0);
  const plan = { unavailableFrom, closedFrom, killBefore, acceptFrom };
  expect(
    [0 < unavailableFrom, unavailableFrom < closedFrom, closedFrom < killBefore, killBefore < acceptFrom],
    `the outage plan does not fit ${scenario.file}: ${JSON.stringify(plan)}`,
  ).to.deep.equal([true, true, true, true]);
  return plan;
}

/** The moment types the scenario's counts say happened: the webhooks must carry each of them. */
function typesTheScenarioProduces(scenario: Scenario): string[] {
  const types = new Set<string>();
  for (const step of scenario.steps) {
    if (step.op !== 'moments.count') continue;
    for (const [type, count] of Object.entries(step.expect ?? {})) if (Number(count) > 0) types.add(type);
  }
  return [...types].sort();
}

/** The customers enrolled by the first `steps` steps (all of them by default): a feed of anyone else is a 404. */
function customersOf(scenario: Scenario, steps = scenario.steps.length): string[] {
  return [...new Set(scenario.steps.slice(0, steps).filter((step) => step.op === 'customer.upsert').map((step) => String(step.input.id)))];
}

/** Every page of the feed (the tenant's, or one customer's), until a page comes back empty. */
async function walkFeed(call: ScenarioCall, customerId?: string): Promise<FeedMoment[]> {
  const items: FeedMoment[] = [];
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '500', ...(customerId !== undefined ? { customerId } : {}), ...(after !== undefined ? { after } : {}) });
    const page = (await call('GET', `/v1/moments?${query.toString()}`)).body as { items: FeedMoment[]; nextCursor?: string };
    if (page.items.length === 0) return items;
    items.push(...page.items);
    after = page.nextCursor;
    if (after === undefined) return items;
  }
}

async function deliveryLog(call: ScenarioCall, endpointId: string): Promise<Delivery[]> {
  const items: Delivery[] = [];
  let cursor: string | undefined;
  do {
    const query = new URLSearchParams({ limit: '100', ...(cursor !== undefined ? { cursor } : {}) });
    const page = (await call('GET', `/v1/webhooks/${endpointId}/deliveries?${query.toString()}`)).body as { items: Delivery[]; nextCursor?: string };
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return items;
}

/** Polls `missing` (undefined once satisfied, else what is still missing) every 250 ms for at most `withinMs`. */
async function waitFor(what: string, withinMs: number, missing: () => Promise<string | undefined>): Promise<number> {
  const started = Date.now();
  for (;;) {
    const left = await missing();
    if (left === undefined) return Date.now() - started;
    if (Date.now() - started > withinMs) throw new Error(`${what}: not within ${withinMs / 1000} s; still missing: ${left}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const accepted = (arrivals: readonly Arrival[]): Arrival[] => arrivals.filter((a) => a.status >= 200 && a.status < 300);

/**
 * Runs the year with the outage and the kill on a server started with `storeEnv`, checks everything, and answers the
 * figures to print.
 */
async function yearThroughOutage(storeName: string, storeEnv: Record<string, string>): Promise<string> {
  const started = Date.now();
  const scenario = loadScenario(SCENARIO);
  const plan = planOf(scenario);
  let receiver: WebhookReceiver | undefined;
  let server: ServerProcess | undefined;
  try {
    receiver = await startWebhookReceiver();
    const rx = receiver;
    server = await startServerProcess({
      ...storeEnv,
      PURNA_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
      PURNA_WEBHOOK_DELIVERY_INTERVAL_MS: String(DELIVERY_INTERVAL_MS),
      // Polling the feeds and the delivery log is many reads a second; rate limiting is tested elsewhere.
      PURNA_RATE_LIMIT_PER_MINUTE: '1000000',
      PURNA_RATE_LIMIT_BURST: '1000000',
    });
    const api = server;
    // The restart keeps the port and the admin key, so one caller serves both lives of the process.
    const call: ScenarioCall = (method, path, body, refusals) => callOverHttp(`http://127.0.0.1:${api.port}`, api.adminKey, method, path, body, refusals);

    let index = 0;
    const customerFeeds = async (): Promise<Map<string, FeedMoment[]>> =>
      new Map(await Promise.all(customersOf(scenario, index).map(async (c) => [c, await walkFeed(call, c)] as const)));
    const acceptedIds = (): Set<string> => new Set(accepted(rx.arrivals).map((a) => a.webhookId));
    let endpointId = '';
    let restartMs = 0;
    const phaseMs: Record<string, number> = {};

    const phases = new Map<number, () => Promise<void>>([
      [plan.unavailableFrom, async () => {
        phaseMs.accepting = await waitFor('the receiver accepts every moment written before the outage', PHASE_WAIT_MS, async () => {
          const ids = [...(await customerFeeds()).values()].flat().map((m) => m.id);
          const have = acceptedIds();
          const left = ids.filter((id) => !have.has(id));
          return ids.length > 0 && left.length === 0 ? undefined : `${left.length} of ${ids.length}: ${left.join(', ')}`;
        });
        await rx.refuse();
      }],
      [plan.closedFrom, async () => {
        phaseMs.unavailable = await waitFor('each customer with a moment waiting is answered 503', PHASE_WAIT_MS, async () => {
          const refused = new Set(rx.arrivals.filter((a) => a.status === 503).map((a) => a.webhookId));
          const have = acceptedIds();
          const waiting = [...(await customerFeeds()).entries()].filter(([, moments]) => moments.some((m) => !have.has(m.id)));
          const notYet = waiting.filter(([, moments]) => !moments.some((m) => refused.has(m.id))).map(([c]) => c);
          return waiting.length > 0 && notYet.length === 0 ? undefined : `customers waiting ${waiting.map(([c]) => c).join(', ') || 'none'}, not answered 503 yet: ${notYet.join(', ')}`;
        });
        await rx.close();
      }],
      [plan.killBefore, async () => {
        phaseMs.closed = await waitFor('an attempt meets the closed port (delivery log)', REFUSED_WAIT_MS, async () => {
          const log = await deliveryLog(call, endpointId);
          return log.some((d) => d.attempts.some((a) => !a.ok && a.status === undefined)) ? undefined : 'no attempt failed without a status';
        });
        await api.kill();
        const restarting = Date.now();
        await api.restart();
        restartMs = Date.now() - restarting;
      }],
      [plan.acceptFrom, () => rx.accept()],
    ]);

    // A phase that fails ends the run: the steps after it would only fail for want of it.
    let phaseFailed: Error | undefined;
    const target: Target = {
      name: `http (${storeName}, webhooks through an outage and a SIGKILL)`,
      async start(program) {
        await call('PUT', '/v1/program', program);
        const endpoint = (await call('POST', '/v1/webhooks', { url: rx.url, description: 'end-to-end receiver' })).body as { id: string; secret: string; types: string[] };
        expect(endpoint.types, 'the endpoint wants every type').to.deep.equal([]);
        endpointId = endpoint.id;
        rx.trust(endpoint.secret);
      },
      async run(step) {
        if (phaseFailed !== undefined) return { kind: 'not-run', reason: 'a phase of the outage failed' };
        const phase = phases.get(index);
        try {
          await phase?.();
        } catch (error) {
          phaseFailed = error instanceof Error ? error : new Error(String(error));
          return { kind: 'not-run', reason: 'a phase of the outage failed' };
        }
        index += 1;
        return runStepOverHttp(call, step);
      },
      close: () => Promise.resolve(),
    };
    const reports = await runScenario(scenario, target);
    if (phaseFailed !== undefined) throw phaseFailed;
    expect(reports.filter((r) => r.status !== 'pass'), formatReports(scenario, target.name, reports)).to.deep.equal([]);
    expect(reports, 'every step ran').to.have.length(scenario.steps.length);

    // Bounded: every moment any customer's feed lists (at once) is in the tenant's feed (2 s behind) and accepted.
    let feed: FeedMoment[] = [];
    let byCustomer = new Map<string, FeedMoment[]>();
    phaseMs.final = await waitFor('every moment of the feed reaches the receiver', FINAL_WAIT_MS, async () => {
      [feed, byCustomer] = await Promise.all([walkFeed(call), customerFeeds()]);
      const inFeed = new Set(feed.map((m) => m.id));
      const have = acceptedIds();
      const all = [...byCustomer.values()].flat();
      const notInFeed = all.filter((m) => !inFeed.has(m.id)).map((m) => m.id);
      const notReceived = all.filter((m) => !have.has(m.id));
      if (notInFeed.length === 0 && notReceived.length === 0) return undefined;
      const log = new Map((await deliveryLog(call, endpointId)).map((d) => [d.momentId, d]));
      const explain = (m: FeedMoment): string => {
        const d = log.get(m.id);
        return `${m.id} (${m.customerId} ${m.type}; ${d ? `${d.status}, ${d.attempts.length} attempts, next ${d.nextAttemptAt ?? '-'}` : 'no delivery yet'})`;
      };
      const unverified = rx.arrivals.filter((a) => a.status === 400);
      const why = unverified.length > 0 ? `; ${unverified.length} webhooks did not verify, the first: ${unverified[0]?.error}` : '';
      return `${notInFeed.length} not in the tenant feed yet; ${notReceived.length} not received: ${notReceived.map(explain).join(', ')}${why}`;
    });
    // A few more passes, in which nothing may arrive again (a moment delivered and not recorded would be sent now).
    await new Promise((r) => setTimeout(r, SETTLE_MS));

    const arrivals = rx.arrivals;
    const unverified = arrivals.filter((a) => a.status === 400);
    expect(unverified.map((a) => `${a.webhookId}: ${a.error}`), 'webhooks that did not verify with standardwebhooks').to.deep.equal([]);

    // The feed: each moment once, and the same moments as the customers' own lists.
    const all = [...byCustomer.values()].flat();
    const feedIds = feed.map((m) => m.id);
    expect(feedIds.length, 'moments listed twice in the tenant feed').to.equal(new Set(feedIds).size);
    expect([...feedIds].sort(), 'the tenant feed lists the customers\' moments').to.deep.equal(all.map((m) => m.id).sort());

    // Exactly once by webhook-id. The kill lands while the receiver refuses connections, so no attempt can be
    // accepted (2xx) and lost with the process before the server recorded it: the one case where at-least-once
    // delivery may legitimately send a moment again (webhook-deliveries.ts). Here no moment may be accepted twice;
    // the retries of attempts answered 503 or refused are expected and not counted.
    const acceptedArrivals = accepted(arrivals);
    const times = new Map<string, number>();
    for (const a of acceptedArrivals) times.set(a.webhookId, (times.get(a.webhookId) ?? 0) + 1);
    const twice = [...times].filter(([, n]) => n > 1).map(([id, n]) => `${id} × ${n}`);
    expect(twice, 'moments accepted more than once').to.deep.equal([]);
    const received = [...times.keys()];
    expect(received.filter((id) => !feedIds.includes(id)), 'received but not in the feed').to.deep.equal([]);
    expect(feedIds.filter((id) => !times.has(id)), 'in the feed but never received').to.deep.equal([]);

    // Each webhook carries the moment as the feed lists it.
    const feedById = new Map(feed.map((m) => [m.id, m]));
    for (const a of acceptedArrivals) expect(a.moment, `the webhook of ${a.webhookId}`).to.deep.equal(feedById.get(a.webhookId));

    // In each customer's order: the order of first arrival is the order of the customer's feed.
    for (const [customerId, moments] of byCustomer) {
      const order = acceptedArrivals.filter((a) => a.moment?.customerId === customerId).map((a) => a.webhookId);
      expect(order, `${customerId}: arrival order`).to.deep.equal(moments.map((m) => m.id));
    }

    // Every type the year produces arrived.
    const types = [...new Set(acceptedArrivals.map((a) => a.moment?.type))].sort();
    expect(types, 'moment types received').to.include.members(typesTheScenarioProduces(scenario));

    // The server's own record agrees: every moment delivered, with one successful attempt; and the outage showed
    // in it (503 answers, refused connections).
    const log = await deliveryLog(call, endpointId);
    expect(log.map((d) => d.momentId).sort(), 'the delivery log covers the feed').to.deep.equal([...feedIds].sort());
    expect(log.filter((d) => d.status !== 'delivered' || d.attempts.filter((a) => a.ok).length !== 1).map((d) => `${d.momentId}: ${d.status}, ${JSON.stringify(d.attempts)}`), 'deliveries not delivered exactly once').to.deep.equal([]);
    const attempts = log.flatMap((d) => d.attempts);
    const failed503 = attempts.filter((a) => a.status === 503).length;
    const refusedAttempts = attempts.filter((a) => !a.ok && a.status === undefined);
    expect(failed503, 'attempts answered 503 in the log').to.be.greaterThan(0);
    expect(refusedAttempts.length, 'attempts that met the closed port in the log').to.be.greaterThan(0);
    expect(attempts.filter((a) => !a.ok && a.status !== 503 && a.status !== undefined).map((a) => JSON.stringify(a)), 'failures other than 503 and the closed port').to.deep.equal([]);
    expect(api.errors().map((line) => JSON.stringify(line).slice(0, 500)), 'the server logged errors').to.deep.equal([]);

    const seconds = (ms: number): string => (ms / 1000).toFixed(1);
    const reasons = [...new Set(refusedAttempts.map((a) => a.reason ?? 'no reason'))].join(', ');
    return (
      `      [figures] webhooks end to end on ${storeName}: ${scenario.steps.length} steps, ${feed.length} moments of ` +
      `${types.length} types for ${byCustomer.size} customers, each accepted once (${acceptedArrivals.length} × 2xx, ` +
      `${twice.length} moments twice); ${arrivals.filter((a) => a.status === 503).length} × 503 at the receiver ` +
      `(${failed503} in the log), refused connections ${refusedAttempts.length} (${reasons}), attempts in all ${attempts.length}; ` +
      `phases: accepting ${seconds(phaseMs.accepting ?? 0)} s, 503 ${seconds(phaseMs.unavailable ?? 0)} s, ` +
      `closed ${seconds(phaseMs.closed ?? 0)} s, restart after SIGKILL ${seconds(restartMs)} s, ` +
      `last moment ${seconds(phaseMs.final ?? 0)} s after the last step; ${seconds(Date.now() - started)} s in all`
    );
  } catch (error) {
    if (error instanceof Error && server) error.message += `\n--- the server's last output ---\n${server.output().slice(-3000)}`;
    throw error;
  } finally {
    await server?.stop();
    await receiver?.close();
  }
}

describe('webhooks end to end: a year of moments through a receiver outage and a SIGKILL', function () {
  describe('on lmdb', function () {
    let dataDir: string | undefined;
    after(function () {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('delivers every moment once, verified, in order; the feed lists the same moments', async function () {
      this.timeout(300_000);
      dataDir = mkdtempSync(join(tmpdir(), 'purna-webhooks-e2e-'));
      // MONGODB_URI empty: the embedded store, even where the environment names a MongoDB.
      console.log(await yearThroughOutage('lmdb', { PURNA_DATA_DIR: dataDir, MONGODB_URI: '' }));
    });
  });

  describeMongo('on MongoDB', (ctx) => {
    it('delivers every moment once, verified, in order; the feed lists the same moments', async function () {
      this.timeout(300_000);
      const { uri, dbName } = ctx();
      console.log(await yearThroughOutage('MongoDB', { MONGODB_URI: mongoUriWithDatabase(uri, dbName) }));
    });
  });
});
