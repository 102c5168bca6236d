/**
 * Guarantee (heavy): MongoDB dropped and restored under load. The real server (`api/src/server.ts`, a child
 * process) runs on a FerretDB of this suite's own (the shared one of the global setup stays up for the others).
 * Eight checkout clients, one customer each, record orders, redeem and read, each request with its own natural id
 * and Idempotency-Key. Once a fifth of the load has been answered, FerretDB is killed with SIGKILL (no clean
 * shutdown: sockets drop mid-request) and started again at once on the same port and the same SQLite files (a
 * blip). Once two fifths have been answered it is killed again and stays down while the load goes on against the
 * dead database, until the requests caught by the drop have failed; then it is started again and the load runs to
 * its end.
 *
 * What must hold, whatever the timing:
 * - every answer is a success (2xx) or a clean failure: 503 problem+json, code `unavailable`, `Retry-After`;
 *   never a 500, never a request left without an answer (the client gives up after 30 s and that is a failure);
 * - `/readyz` answers 503 every time it is asked while the database is down, and 200 again after the restore;
 * - every request that failed, sent again with the same id and key, completes;
 * - then nothing is half-done: every order is in the ledger exactly once with the points it earns (computed here
 *   from the program, not read from the answers), every redemption once, each balance is the grant plus the
 *   awards minus the redemptions, and reconciliation finds zero differences.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { goAvailable, startFerretDB, type RunningFerretDB } from '../../../scripts/ferretdb/ferretdb.js';
import { httpClient, type HttpAnswer, type HttpClient } from '../support/http-server.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { orderOf, reliabilityProgram } from '../support/world.js';

const CLIENTS = 8;
/** Each client's script repeats order, order, redemption, order, read this many times (5 requests each). */
const ROUNDS = 4;
/** Points granted to every customer before the load (adjustments are available at once). */
const GRANT = 10_000;
/** The database blips (killed, started again at once) after a fifth of the load, and goes down after two fifths. */
const BLIP_AFTER = (CLIENTS * ROUNDS * 5) / 5;
const DROP_AFTER = (CLIENTS * ROUNDS * 5 * 2) / 5;
/**
 * The outage lasts until this many load requests have failed since the kill, or at most OUTAGE_MAX_MS. A request
 * caught by the drop fails after the driver's server-selection timeout (10 s), so this is about 11 s, and the
 * requests the clients send next are still waiting for the database when it comes back.
 */
const OUTAGE_FAILURES = CLIENTS;
const OUTAGE_MAX_MS = 25_000;
/** A request with no answer after this long is a hang (the server's own server-selection wait is 10 s). */
const REQUEST_TIMEOUT_MS = 30_000;
const RETRY_ATTEMPTS = 10;

type Phase = 'before' | 'blip' | 'between' | 'down' | 'restored' | 'retry';

interface Op {
  id: string;
  customerId: string;
  kind: 'order' | 'redemption' | 'read';
  method: 'POST' | 'GET';
  path: string;
  body?: Record<string, unknown>;
  /** Points the order earns under the reliability program, or the points a redemption takes. */
  points: number;
}

interface Sent {
  op: Op;
  /** When it was sent, and when its answer came. */
  phase: Phase;
  answeredIn: Phase;
  status: number | 'no answer';
  /** How long the answer took (figures only, never asserted). */
  ms: number;
  answer?: HttpAnswer;
  error?: string;
}

/**
 * The load of one customer. Order lines are whole thousands of rupiah so the reliability program's rule (1 point
 * per Rp1.000 of every line but shipping, one tier at ×1, rounded down) gives exactly price × quantity / 1000; the
 * first line's price differs per order, so no two orders of a customer earn the same points.
 */
function scriptOf(client: number, placedAt: string): Op[] {
  const customerId = `outage-c${client}`;
  const ops: Op[] = [];
  let orders = 0;
  const order = (): void => {
    const id = `outage-c${client}-o${orders}`;
    const lines: Array<{ sku: string; category: string; quantity: number; unitPrice: string }> = [
      { sku: 'PHONE', category: 'phone', quantity: 1, unitPrice: String(1000 * (100 + (7 * orders) + client)) },
      { sku: 'CASE', category: 'accessory', quantity: 2, unitPrice: '3000' },
      { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '15000' },
    ];
    const points = lines
      .filter((line) => line.category !== 'shipping')
      .reduce((sum, line) => sum + ((line.quantity * Number(line.unitPrice)) / 1000), 0);
    ops.push({ id, customerId, kind: 'order', method: 'POST', path: '/v1/orders', body: orderOf(id, customerId, placedAt, lines), points });
    orders++;
  };
  for (let round = 0; round < ROUNDS; round++) {
    order();
    order();
    const id = `outage-c${client}-r${round}`;
    const points = 20 + round + client;
    ops.push({ id, customerId, kind: 'redemption', method: 'POST', path: '/v1/redemptions', body: { id, customerId, orderId: `${id}-basket`, orderTotal: '1000000', points }, points });
    order();
    ops.push({ id: `outage-c${client}-read${round}`, customerId, kind: 'read', method: 'GET', path: `/v1/customers/${customerId}`, points: 0 });
  }
  return ops;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('MongoDB dropped and restored under load [mongo]', function () {
  let dataDir: string | undefined;
  let ferret: RunningFerretDB | undefined;
  let server: ServerProcess | undefined;
  let client: HttpClient | undefined;

  before(async function () {
    this.timeout(120_000);
    if (!goAvailable()) {
      const reason = 'this suite starts and kills a FerretDB of its own, which needs `go` on the PATH';
      if (process.env.CI === 'true') throw new Error(`required in CI but cannot run: ${reason}`);
      console.error(`\n!!! SKIPPING the MongoDB outage suite: ${reason}. !!!\n`);
      this.skip();
    }
    dataDir = mkdtempSync(join(tmpdir(), 'purna-outage-'));
    ferret = await startFerretDB((line) => console.error(`[ferretdb] ${line}`), { dataDir });
    server = await startServerProcess({
      MONGODB_URI: ferret.databaseUri('purna_outage'),
      PURNA_RATE_LIMIT_PER_MINUTE: '1000000',
      PURNA_RATE_LIMIT_BURST: '1000000',
    });
    client = httpClient(server.port, { maxSockets: CLIENTS * 2, timeoutMs: REQUEST_TIMEOUT_MS });
  });

  after(async function () {
    this.timeout(30_000);
    await client?.close();
    await server?.stop();
    await ferret?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 2xx or a clean 503 while down, /readyz tells, and retries leave every write exactly once', async function () {
    this.timeout(180_000);
    const http = client as HttpClient;
    const running = server as ServerProcess;
    const key = running.adminKey;
    const serverSaid = (): string =>
      running
        .errors()
        .filter((line) => line.err !== undefined && line.status !== 503)
        .slice(-3)
        .map((line) => JSON.stringify(line).slice(0, 600))
        .join('\n');
    const must = async (method: string, path: string, body: unknown, statuses: number[]): Promise<HttpAnswer> => {
      const answer = await http.send(method, path, { key, body });
      expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body).slice(0, 400)}`).to.be.oneOf(statuses);
      return answer;
    };

    // Set-up, with the database up: the program, the customers and their grants.
    await must('PUT', '/v1/program', reliabilityProgram(), [201]);
    const placedAt = new Date().toISOString();
    const scripts = Array.from({ length: CLIENTS }, (_, c) => scriptOf(c, placedAt));
    for (let c = 0; c < CLIENTS; c++) {
      const customerId = `outage-c${c}`;
      await must('PUT', `/v1/customers/${customerId}`, { enrolledAt: placedAt }, [200, 201]);
      await must('POST', `/v1/customers/${customerId}/adjustments`, { id: `outage-grant-${c}`, points: GRANT, reason: 'outage suite seed' }, [201]);
    }

    // The load. A client that gets a 503 waits the Retry-After it was given, puts the request aside for later and
    // goes on with its script, as a checkout that cannot hold a customer waiting would.
    let phase: Phase = 'before';
    const sent: Sent[] = [];
    const failed: Op[] = [];
    const send = async (op: Op, at: Phase): Promise<Sent> => {
      let record: Sent;
      const started = Date.now();
      try {
        const answer = await http.send(op.method, op.path, {
          key,
          ...(op.body ? { body: op.body } : {}),
          ...(op.method === 'POST' ? { headers: { 'idempotency-key': `outage-key-${op.id}` } } : {}),
        });
        record = { op, phase: at, answeredIn: at, status: answer.status, ms: Date.now() - started, answer };
      } catch (error) {
        record = { op, phase: at, answeredIn: at, status: 'no answer', ms: Date.now() - started, error: (error as Error).message };
      }
      record.answeredIn = phase;
      sent.push(record);
      return record;
    };
    const runClient = async (script: Op[]): Promise<void> => {
      for (const op of script) {
        const record = await send(op, phase);
        if (record.status === 503) {
          failed.push(op);
          await sleep(1000 * Math.min(5, Number(record.answer?.headers['retry-after']) || 1));
        } else if (record.status === 'no answer') {
          failed.push(op);
        }
      }
    };
    const load = Promise.all(scripts.map(runClient));
    const loadDone = load.then(() => true);
    const settledYet = (): Promise<boolean> => Promise.race([loadDone, sleep(20).then(() => false)]);

    const db = ferret as RunningFerretDB;
    const restart = (): Promise<RunningFerretDB> =>
      startFerretDB((line) => console.error(`[ferretdb] ${line}`), { dataDir: db.dataDir, port: db.port });
    while (sent.length < BLIP_AFTER) {
      expect(await settledYet(), 'the load ended before the blip').to.equal(false);
    }
    phase = 'blip';
    await db.kill();
    ferret = await restart();
    phase = 'between';

    while (sent.length < DROP_AFTER) {
      expect(await settledYet(), 'the load ended before the drop').to.equal(false);
    }
    phase = 'down';
    const downAt = Date.now();
    await ferret.kill();
    // A prober asks /readyz over and over while the database is down. An ask sent and answered while it is down
    // must say 503; one that straddles the restore may say either (it is not counted).
    const readyWhileDown: number[] = [];
    let straddling = 0;
    const prober = (async () => {
      while (phase === 'down') {
        const status = (await http.send('GET', '/readyz')).status;
        if (phase === 'down') readyWhileDown.push(status);
        else straddling++;
        await sleep(250);
      }
    })();
    // The outage lasts until the load has had OUTAGE_FAILURES failures since the kill and /readyz has answered
    // (bounded by OUTAGE_MAX_MS). Requests that arrive after the drop wait up to the driver's server-selection
    // timeout before failing, so this spans that wait.
    const failuresSince = (): number => sent.filter((s) => s.answeredIn === 'down' && s.status !== 'no answer' && s.status >= 500).length;
    while ((readyWhileDown.length === 0 || failuresSince() < OUTAGE_FAILURES) && Date.now() - downAt < OUTAGE_MAX_MS) await sleep(50);
    const outageMs = Date.now() - downAt;

    ferret = await restart();
    phase = 'restored';
    await prober;
    // Bounded wait for the server to reconnect: /readyz must come back to 200 (at most 120 asks).
    const readyAfter: number[] = [];
    while (readyAfter.at(-1) !== 200 && readyAfter.length < 120) {
      if (readyAfter.length > 0) await sleep(250);
      readyAfter.push((await http.send('GET', '/readyz')).status);
    }
    await load;

    // Every request that failed is sent again with the same id and key until it completes (bounded).
    phase = 'retry';
    let retries = 0;
    const finals = new Map<string, Sent>();
    for (const s of sent) if (s.status !== 'no answer' && s.status < 300) finals.set(s.op.id, s);
    for (const op of failed) {
      for (let attempt = 1; attempt <= RETRY_ATTEMPTS; attempt++) {
        retries++;
        const record = await send(op, 'retry');
        if (record.status !== 'no answer' && record.status < 300) {
          finals.set(op.id, record);
          break;
        }
        await sleep(500);
      }
    }

    // Every answer was a success or a clean 503.
    const unclean = sent.filter((s) => !(s.status === 200 || s.status === 201 || s.status === 503));
    expect(
      unclean.map((s) => `${s.op.method} ${s.op.path} ${s.op.id} (${s.phase}): ${String(s.status)} ${s.error ?? JSON.stringify(s.answer?.body).slice(0, 300)}`),
      `answers other than 2xx or 503; the server logged:\n${serverSaid()}`,
    ).to.deep.equal([]);
    const unavailable = sent.filter((s) => s.status === 503);
    for (const s of unavailable) {
      expect(s.answer?.headers['content-type'], s.op.id).to.match(/^application\/problem\+json/);
      expect(s.answer?.headers['retry-after'], s.op.id).to.match(/^\d+$/);
      expect((s.answer?.body as { code?: string }).code, s.op.id).to.equal('unavailable');
    }
    // Every read, whenever it came, saw a whole state: redemptions take only from the grant (order points are
    // pending), so available + redeemed = the grant, and with no debt the balance is available + pending.
    for (const s of sent.filter((r) => r.op.kind === 'read' && r.status === 200)) {
      const { points } = s.answer?.body as { points: { available: number; pending: number; redeemed: number; balance: number } };
      expect(points.available + points.redeemed, `${s.op.id}: ${JSON.stringify(points)}`).to.equal(GRANT);
      expect(points.balance, `${s.op.id}: ${JSON.stringify(points)}`).to.equal(points.available + points.pending);
    }
    // The load met the outage, and /readyz never said ready while the database was dead.
    expect(unavailable.filter((s) => s.answeredIn === 'down').length, 'no request failed while the database was down').to.be.greaterThan(0);
    expect(readyWhileDown, '/readyz while the database was down').to.include(503);
    expect(readyWhileDown, '/readyz while the database was down').to.satisfy((statuses: number[]) => statuses.every((status) => status === 503));
    expect(readyAfter.at(-1), `/readyz after the restore (asked ${readyAfter.length} times); the server said:\n${running.output().slice(-2000)}`).to.equal(200);

    // Every operation completed, orders with the points the program gives them.
    const allOps = scripts.flat();
    expect(allOps.filter((op) => !finals.has(op.id)).map((op) => op.id), 'operations never completed').to.deep.equal([]);
    for (const op of allOps.filter((o) => o.kind === 'order')) {
      expect((finals.get(op.id)?.answer?.body as { awarded?: number }).awarded, op.id).to.equal(op.points);
    }

    // Nothing half-done: each order and redemption exactly once in the ledger, balances exact, reconcile clean.
    let entries = 0;
    for (let c = 0; c < CLIENTS; c++) {
      const script = scripts[c] as Op[];
      const customerId = `outage-c${c}`;
      const awards = script.filter((op) => op.kind === 'order').map((op) => op.points);
      const redeemed = script.filter((op) => op.kind === 'redemption').map((op) => op.points);
      const items: Array<{ type: string; points: number }> = [];
      for (let cursor: string | undefined, first = true; first || cursor; first = false) {
        const query = new URLSearchParams({ limit: '100', ...(cursor ? { cursor } : {}) });
        const page = await must('GET', `/v1/customers/${customerId}/transactions?${query.toString()}`, undefined, [200]);
        const body = page.body as { items: Array<{ type: string; points: number }>; nextCursor?: string };
        items.push(...body.items);
        cursor = body.nextCursor;
      }
      const sorted = (values: number[]): number[] => [...values].sort((a, b) => a - b);
      expect(sorted(items.filter((e) => e.type === 'earn').map((e) => e.points)), `${customerId}: one earn entry per order`).to.deep.equal(sorted(awards));
      expect(sorted(items.filter((e) => e.type === 'redeem').map((e) => -e.points)), `${customerId}: one redeem entry per redemption`).to.deep.equal(sorted(redeemed));
      expect(items.filter((e) => e.type === 'adjustment').map((e) => e.points), `${customerId}: the grant`).to.deep.equal([GRANT]);
      expect(items, `${customerId}: no other entry`).to.have.length(1 + awards.length + redeemed.length);
      const sum = (values: number[]): number => values.reduce((total, v) => total + v, 0);
      const view = (await must('GET', `/v1/customers/${customerId}`, undefined, [200])).body as { points: Record<string, number> };
      expect(view.points, customerId).to.include({
        balance: GRANT + sum(awards) - sum(redeemed),
        pending: sum(awards),
        available: GRANT - sum(redeemed),
        redeemed: sum(redeemed),
      });
      expect(sum(items.map((e) => e.points)), `${customerId}: balance = sum of entries`).to.equal(view.points.balance);
      entries += items.length;
    }
    const reconciled = (await must('POST', '/v1/jobs/reconcile', {}, [200])).body as { checked: number; differences: unknown[] };
    expect(reconciled.differences).to.deep.equal([]);
    expect(reconciled.checked).to.equal(CLIENTS);

    const ok = (s: Sent): boolean => s.status === 200 || s.status === 201;
    const loadSent = sent.filter((s) => s.phase !== 'retry');
    const acrossBlip = sent.filter((s) => (s.phase === 'before' || s.phase === 'blip') && s.answeredIn !== 'before');
    const orders = allOps.filter((op) => op.kind === 'order').length;
    const redemptions = allOps.filter((op) => op.kind === 'redemption').length;
    const seconds = (ms: number): number => Math.round(ms / 100) / 10;
    console.log(
      `      [figures] mongo outage: ${CLIENTS} clients, ${loadSent.length} requests under load ` +
        `(${orders} orders, ${redemptions} redemptions, ${allOps.length - orders - redemptions} reads): ` +
        `${loadSent.filter(ok).length} × 2xx, ${loadSent.filter((s) => s.status === 503).length} × 503, 0 × 500, 0 unanswered; ` +
        `blip: ${acrossBlip.length} in flight, ${acrossBlip.filter(ok).length} × 2xx, ${acrossBlip.filter((s) => s.status === 503).length} × 503; ` +
        `down ${seconds(outageMs)} s: ${sent.filter((s) => s.answeredIn === 'down' && s.status === 503).length} × 503 answered while down, ` +
        `${sent.filter((s) => s.phase === 'down' && s.answeredIn === 'restored' && ok(s)).length} sent while down completed after the restore, ` +
        `/readyz 503 × ${readyWhileDown.length} while down (${straddling} straddling the restore), 200 after ${readyAfter.length} asks; ` +
        `slowest answer ${seconds(Math.max(...sent.map((s) => s.ms)))} s; ` +
        `${failed.length} failed requests retried in ${retries} sends, all completed; ` +
        `${entries} entries (= ${CLIENTS} grants + ${orders} orders + ${redemptions} redemptions), reconcile differences ${reconciled.differences.length}`,
    );
  });
});
