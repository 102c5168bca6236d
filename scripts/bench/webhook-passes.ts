/**
 * `node --conditions=purna-source --import tsx scripts/bench/webhook-passes.ts [--passes 40] [--orders 300] [--sender http|at-once]`
 *
 * What a delivered webhook costs the process that delivers it, in the shape of the API section's cost row
 * (webhook-section.ts): each pass records `--orders` orders (300) of 500 customers in turn through the ledger on the
 * embedded (LMDB) store, lets them age past the feed's horizon, then runs one delivery pass of the API's worker
 * (`deliverOnce`) for one endpoint subscribed to every type, so a pass finds one or two moments a customer, as the
 * row's passes do. Only the delivery pass is measured, per delivered moment, over the passes after 3 of warm-up: the
 * process's CPU time (its main thread, and its other threads from /proc: LMDB's writer, the garbage collector's
 * helpers), store calls (a counting wrapper) and LMDB commits. `--sender http` (the default) posts signed webhooks to
 * a receiver in another process (webhook-receiver-child.ts); `at-once` answers every send 204 at once, which leaves
 * the ledger's part alone.
 *
 * There is no other load beside it, so it is far less noisy than the cost row, whose blocks range over 20–40 points
 * within a run: this is where a change to delivery is measured first, in turn with the code before it.
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FEED_HORIZON_MS, Ledger, LmdbStore, type DeliveryPass } from '@purna/ledger';
import { parseAllowHosts } from '../../api/src/webhooks/allow-hosts.js';
import { deliverOnce } from '../../api/src/webhooks/delivery-worker.js';
import { generateOrders, SHOPS } from '../generate-orders.js';
import { benchCustomerId, enrolCustomers, fastDataRoot, RECIPE_PROGRAM } from './bench-data.js';
import { median } from './bench-report.js';
import { CallCountingStore } from './call-counting-store.js';

const TENANT = 'bench';
const CUSTOMERS = 500;
const WARM_UP_PASSES = 3;

const { values } = parseArgs({
  options: { passes: { type: 'string', default: '40' }, orders: { type: 'string', default: '300' }, sender: { type: 'string', default: 'http' } },
  strict: true,
});
const passes = Number(values.passes);
const perPass = Number(values.orders);
if (!Number.isInteger(passes) || passes < 1) throw new Error(`--passes: a whole number of at least 1, got ${JSON.stringify(values.passes)}`);
if (!Number.isInteger(perPass) || perPass < 1) throw new Error(`--orders: a whole number of at least 1, got ${JSON.stringify(values.orders)}`);
if (values.sender !== 'http' && values.sender !== 'at-once') throw new Error(`--sender: http or at-once, got ${JSON.stringify(values.sender)}`);

/** CPU time (µs) of this process's main thread and of its other threads, from /proc (Linux); undefined elsewhere. */
function threadCpu(): { main: number; other: number } | undefined {
  if (!existsSync('/proc/self/task')) return undefined;
  const tick = 10_000; // µs a clock tick at USER_HZ = 100
  let main = 0;
  let other = 0;
  for (const task of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended between the listing and the read
    }
    // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const used = (Number(fields[11]) + Number(fields[12])) * tick;
    if (task === String(process.pid)) main += used;
    else other += used;
  }
  return { main, other };
}

const receiver =
  values.sender === 'http'
    ? fork(fileURLToPath(new URL('./webhook-receiver-child.ts', import.meta.url)), { execArgv: ['--conditions=purna-source', '--import', 'tsx'] })
    : undefined;
const dir = mkdtempSync(join(fastDataRoot().root, 'purna-bench-webhook-passes-'));
try {
  const url = receiver
    ? await new Promise<string>((resolve, reject) => {
        receiver.once('message', (message: { url?: string }) => (message.url ? resolve(message.url) : reject(new Error('webhook receiver: no url'))));
        receiver.once('exit', (code) => reject(new Error(`webhook receiver: exited with ${String(code)}`)));
      })
    : 'http://127.0.0.1:9/hooks';
  let wall = Date.now();
  const lmdb = LmdbStore.open({ path: dir });
  const commits = lmdb.countCommits();
  const store = new CallCountingStore(lmdb);
  const ledger = new Ledger(store, { wallClock: () => wall });
  await ledger.publishProgram(TENANT, JSON.parse(readFileSync(RECIPE_PROGRAM, 'utf8')));
  await enrolCustomers(ledger, TENANT, CUSTOMERS);
  // The cost row's orders: the same generated pool, each order to the next customer in turn.
  const ids = Array.from({ length: CUSTOMERS }, (_, i) => benchCustomerId(i));
  const pool = [...generateOrders({ shop: SHOPS.id!, orders: 512, customers: CUSTOMERS, seed: 5, from: '2026-01-01T00:00:00+07:00', until: '2026-06-01T00:00:00+07:00' })].map((order, i) => {
    const { placedAt: _placedAt, ...rest } = order;
    return { ...rest, customerId: ids[i % CUSTOMERS]! };
  });
  await ledger.webhookEndpoints.create(TENANT, { url });
  wall += 10;

  const logger = { info: () => undefined, warn: () => undefined, error: (details: unknown) => console.error(details) };
  const options = { allowHosts: parseAllowHosts('127.0.0.1'), logger, owner: 'webhook-passes', now: () => wall };
  const atOnce = (): DeliveryPass => ({
    owner: 'webhook-passes',
    now: () => wall,
    send: () => Promise.resolve({ ok: true, status: 204, durationMs: 0 }),
    retry: () => ({ giveUp: true }),
    giveUp: () => Promise.resolve(),
  });
  const deliver = async (): Promise<number> => {
    if (values.sender === 'http') return (await deliverOnce(ledger, options)).delivered;
    let delivered = 0;
    for (const endpoint of (await ledger.webhookEndpoints.list(TENANT, {})).items) delivered += (await ledger.deliverWebhooks(TENANT, endpoint, atOnce())).delivered;
    return delivered;
  };

  let n = 0;
  const perMoment: number[] = [];
  const totals = { moments: 0, cpu: 0, main: 0, other: 0, commits: 0 };
  const calls = new Map<string, number>();
  for (let pass = 0; pass < passes + WARM_UP_PASSES; pass += 1) {
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < perPass; i += 1, n += 1) writes.push(ledger.recordOrder(TENANT, { ...pool[n % pool.length]!, id: `o-${n}` }));
    await Promise.all(writes);
    wall += FEED_HORIZON_MS + 1000;
    const callsBefore = new Map(store.byCall);
    const commitsBefore = commits();
    const threadsBefore = threadCpu();
    const cpuBefore = process.cpuUsage();
    const delivered = await deliver();
    const cpu = process.cpuUsage(cpuBefore);
    const threads = threadCpu();
    if (pass < WARM_UP_PASSES || delivered === 0) continue;
    const used = cpu.user + cpu.system;
    perMoment.push(used / delivered);
    totals.moments += delivered;
    totals.cpu += used;
    totals.commits += commits() - commitsBefore;
    if (threadsBefore && threads) {
      totals.main += threads.main - threadsBefore.main;
      totals.other += threads.other - threadsBefore.other;
    }
    for (const [call, count] of store.byCall) calls.set(call, (calls.get(call) ?? 0) + count - (callsBefore.get(call) ?? 0));
  }
  if (receiver) {
    receiver.send('count');
    const received = await new Promise<{ distinct: number; requests: number }>((resolve) => receiver.once('message', resolve));
    if (received.distinct < totals.moments) throw new Error(`webhook receiver: ${received.distinct} distinct moments arrived, ${totals.moments} were delivered`);
  }
  const per = (value: number) => (value / totals.moments).toFixed(1);
  console.log(`${totals.moments.toLocaleString('en')} moments in ${passes} passes of ${perPass} orders (${CUSTOMERS} customers), sender ${values.sender}`);
  console.log(`CPU a moment: ${per(totals.cpu)} µs (median over passes ${median(perMoment).toFixed(1)}); main thread ${per(totals.main)}, other threads ${per(totals.other)} (/proc, 10 ms ticks)`);
  console.log(`LMDB commits a moment: ${(totals.commits / totals.moments).toFixed(3)}`);
  console.log('store calls a moment:');
  for (const [call, count] of [...calls].filter(([, c]) => c > 0).sort(([a], [b]) => a.localeCompare(b))) console.log(`  ${call}: ${(count / totals.moments).toFixed(3)}`);
  await ledger.close();
} finally {
  receiver?.disconnect();
  rmSync(dir, { recursive: true, force: true });
}
