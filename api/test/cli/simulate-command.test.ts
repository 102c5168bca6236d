import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileProgram, Decimal, parseProgram, ProgramSimulation } from '@purna/rules';
import { generateCustomers, generateHistory, generateOrders, SHOPS, writeNdjson, type GenerateOptions } from '../../../scripts/generate-orders.js';
import { scenarioOrder } from '../../../packages/rules/test/support/example-program.js';
import { referenceTotals } from '../../../packages/rules/test/simulation/reference-quotes.js';
import { runPurna, scratchFolder } from './support/run-purna.js';

const TOKO = new URL('../../../../shared/examples/toko-rewards.program.json', import.meta.url);
const RECIPE = new URL('../../../docs/recipes/indonesian-electronics-idr.program.json', import.meta.url);

describe('cli: purna simulate (CLI process)', function () {
  this.timeout(180_000);
  let scratch: Awaited<ReturnType<typeof scratchFolder>>;
  const options: GenerateOptions = { shop: SHOPS.id!, orders: 2000, customers: 300, seed: 11, from: '2026-01-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00' };
  before(async () => {
    scratch = await scratchFolder('simulate');
    await scratch.file('program.json', await readFile(TOKO, 'utf8'));
    await scratch.file('baseline.json', await readFile(RECIPE, 'utf8'));
    await writeNdjson(join(scratch.dir, 'orders.ndjson'), generateOrders(options));
    await writeNdjson(join(scratch.dir, 'customers.ndjson'), generateCustomers(options));
  });
  after(() => scratch.remove());

  it('issues exactly the sum of per-order quotes over 2,000 generated orders, with the liability in money', async () => {
    const run = await runPurna(['simulate', 'program.json', '--orders', 'orders.ndjson', '--customers', 'customers.ndjson', '--json'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    const { program, skipped } = JSON.parse(run.stdout);
    const reference = referenceTotals(compileProgram(parseProgram(await readFile(TOKO, 'utf8'))), [...generateOrders(options)]);
    expect(program.orders).to.equal(2000);
    expect(program.points).to.equal(reference.points);
    expect(Object.fromEntries(Object.entries(program.byTier).map(([id, t]) => [id, (t as { points: number }).points]))).to.deep.equal(reference.byTier);
    // Orders only, all placed in 2026: no lot expires before the end (12 months after it became available), so every
    // point is still held, and pointValue is "100": liability = points x 100.
    expect(program.flow.expired).to.equal(0);
    expect(program.liability).to.equal(new Decimal(reference.points).times(100).toString());
    expect(skipped.count).to.equal(0);
    // Not a terminal and no --progress: stderr stays quiet.
    expect(run.stderr).to.equal('');
  });

  it('prints a readable report and the difference against a baseline program', async () => {
    const run = await runPurna(['simulate', 'program.json', '--orders', 'orders.ndjson', '--baseline', 'baseline.json'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    const json = JSON.parse((await runPurna(['simulate', 'program.json', '--orders', 'orders.ndjson', '--baseline', 'baseline.json', '--json'], { cwd: scratch.dir })).stdout);
    // The two programs differ only in the TV promotion (December month vs 12 December only) and ids: the difference is theirs.
    expect(json.difference.points).to.equal(json.program.points - json.baseline.points);
    expect(json.difference.byRule['tv-double']).to.equal(json.program.byRule['tv-double'].points);
    expect(json.difference.byRule['harbolnas-tv']).to.equal(new Decimal(json.baseline.byRule['harbolnas-tv'].points).negated().toString());
    expect(run.stdout).to.include('Program toko-rewards (program.json) over 2,000 orders');
    expect(run.stdout).to.match(/liability \(points held at the end × point value\) +IDR [\d,]+\.\d\d/);
    expect(run.stdout).to.include('Against the baseline elektronik-jaya (baseline.json)');
    expect(run.stdout).to.match(/points issued on orders +[\d,]+ +[\d,]+ +[+-]?[\d,]+/);
    expect(run.stdout).to.match(/points held at the end +[\d,]+ +[\d,]+ +[+-]?[\d,]+/);
  });

  it('shows progress with an ETA on stderr when asked, keeping stdout for the report', async () => {
    const run = await runPurna(['simulate', 'program.json', '--orders', 'orders.ndjson', '--progress', '--json'], { cwd: scratch.dir });
    expect(run.code).to.equal(0);
    expect(run.stderr).to.match(/simulate done: 2,000 records in \d+s\n$/);
    expect(JSON.parse(run.stdout).program.orders).to.equal(2000);
  });

  it('streams a large file (10,000 orders of 1,000 customers over two years) to the same totals as the library', async () => {
    const large: GenerateOptions = { ...options, orders: 10_000, customers: 1_000, seed: 5, from: '2025-01-01T00:00:00+07:00', until: '2027-01-01T00:00:00+07:00' };
    await writeNdjson(join(scratch.dir, 'large.ndjson'), generateOrders(large));
    const run = await runPurna(['simulate', 'program.json', '--orders', 'large.ndjson', '--json', '--progress'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    const { program } = JSON.parse(run.stdout);
    const library = new ProgramSimulation(compileProgram(parseProgram(await readFile(TOKO, 'utf8'))));
    for (const order of generateOrders(large)) library.add(order);
    expect(program).to.deep.equal(library.report());
    expect(run.stderr).to.match(/simulate done: 10,000 records in/);
  });

  it('replays returns, redemptions, reviews, birthdays and referrals: order points and clawbacks equal the per-order quotes and per-return decisions', async () => {
    const history: GenerateOptions = { ...options, orders: 3000, customers: 400, seed: 21, from: '2025-07-01T00:00:00+07:00', until: '2026-12-01T00:00:00+07:00', activity: true };
    await writeNdjson(join(scratch.dir, 'history.ndjson'), generateHistory(history));
    await writeNdjson(join(scratch.dir, 'history-customers.ndjson'), generateCustomers(history));
    const run = await runPurna(['simulate', 'program.json', '--orders', 'history.ndjson', '--customers', 'history-customers.ndjson', '--json'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    const { program, records } = JSON.parse(run.stdout);
    // The expectation, computed without the simulation: quoteOrder and evaluateReturn with full histories.
    const reference = referenceTotals(compileProgram(parseProgram(await readFile(TOKO, 'utf8'))), [...generateHistory(history)]);
    expect(reference.returns).to.be.greaterThan(100);
    expect(program.orders).to.equal(3000);
    expect(records).to.be.greaterThan(3000);
    expect(program.points).to.equal(reference.points);
    expect(program.returns.count).to.equal(reference.returns);
    expect(program.flow.clawedBack).to.equal(reference.clawedBack);
    expect(Object.fromEntries(Object.entries(program.byTier).map(([id, t]) => [id, (t as { points: number }).points]))).to.deep.equal(reference.byTier);
    const f = program.flow;
    expect(f.issued - f.clawedBack - f.reversed - f.redeemed - f.expired - f.removed).to.equal(f.outstanding - f.debt);
    expect(program.liability).to.equal(new Decimal(f.outstanding).times(100).toString());
    for (const part of [program.redemptions.accepted, program.events.count, program.birthdays.granted, program.referrals.qualified]) expect(part).to.be.greaterThan(0);

    const text = await runPurna(['simulate', 'program.json', '--orders', 'history.ndjson', '--customers', 'history-customers.ndjson'], { cwd: scratch.dir });
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/over 3,000 orders and [\d,]+ other records from [\d,]+ customers/);
    expect(text.stdout).to.match(/clawed back by returns +-[\d,]+/);
    expect(text.stdout).to.match(/redemptions +[\d,]+ accepted: [\d,]+ points for IDR [\d,]+\.\d\d of discounts/);
    expect(text.stdout).to.match(/referrals +[\d,]+ qualified/);
  });

  it('replays anniversary records and prints their totals', async () => {
    // The example program with a purchase anniversary: 200 points (gold 500) on the day, in the customer's zone.
    const program = { ...(JSON.parse(await readFile(TOKO, 'utf8')) as object), anniversary: { award: { points: 200, byTier: { gold: 500 } }, window: 'day' } };
    await scratch.file('anniversary.json', JSON.stringify(program));
    await scratch.file('anniversary-customers.ndjson', JSON.stringify({ id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00', timezone: 'Asia/Jakarta' }));
    const o1001 = scenarioOrder('o-1001');
    const history = [
      o1001,
      // The evening before the first anniversary in Jakarta: not due; then 00:05 on 1 February 2027: granted.
      { type: 'anniversary', customerId: 'ayu', at: '2027-01-31T23:30:00+07:00' },
      { type: 'anniversary', customerId: 'ayu', at: '2027-02-01T00:05:00+07:00' },
    ];
    await scratch.file('anniversary.ndjson', history.map((record) => JSON.stringify(record)).join('\n'));
    const args = ['simulate', 'anniversary.json', '--orders', 'anniversary.ndjson', '--customers', 'anniversary-customers.ndjson'];
    const json = await runPurna([...args, '--json'], { cwd: scratch.dir });
    expect(json.code, json.stderr).to.equal(0);
    const { program: report } = JSON.parse(json.stdout);
    // o-1001 earns 1425 (toko-basic) and lifts Ayu to silver (12,250,000 of tier spend), still held a year later
    // (the order is inside the 12-month window): silver has no byTier award, so 200.
    expect(report.anniversaries).to.deep.equal({ granted: 1, points: 200, notDueBy: { 'outside-window': 1 } });
    expect(report.flow.issuedBy).to.include({ orders: 1425, anniversaries: 200 });
    // The order's lot expires on 15 February 2027, after the last record: everything is still held.
    expect(report.flow).to.include({ issued: 1625, outstanding: 1625 });

    const text = await runPurna(args, { cwd: scratch.dir });
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/from anniversaries +200\n/);
    expect(text.stdout).to.match(/anniversaries +1 granted: 200 points\n +not due: outside-window 1\n/);
  });

  it('replays rewards redeemed and vouchers used, and prints what the open vouchers owe', async () => {
    const program = {
      id: 'rewards-cli',
      name: 'Rewards from the command line',
      currency: 'IDR',
      timezone: 'Asia/Jakarta',
      points: { rounding: 'floor', pendingDays: 0, expiry: { months: 12 }, redemption: { pointValue: '100', minPoints: 100, maxShareOfOrder: '0.5' } },
      earning: [{ id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }],
      rewards: [
        { id: 'voucher-50k', name: 'Rp50.000 voucher', cost: 500, kind: 'voucher', value: '50000', voucherDays: 30 },
        { id: 'powerbank', name: 'Power bank', cost: 1000, kind: 'gift', sku: 'PB-10K', stock: 1 },
      ],
    };
    await scratch.file('rewards.json', JSON.stringify(program));
    const history = [
      // 2000 points for ayu, available at once.
      { id: 'o-1', customerId: 'ayu', placedAt: '2026-03-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'LP', quantity: 1, unitPrice: '20000000' }] },
      { type: 'reward', id: 'r-1', customerId: 'ayu', rewardId: 'voucher-50k', at: '2026-03-02T10:00:00+07:00' },
      { type: 'reward', id: 'r-2', customerId: 'ayu', rewardId: 'voucher-50k', at: '2026-03-02T11:00:00+07:00' },
      { type: 'reward', id: 'r-3', customerId: 'ayu', rewardId: 'powerbank', at: '2026-03-03T10:00:00+07:00' },
      // 2000 − 500 − 500 − 1000 = 0 left, and the one power bank is gone: refused twice over.
      { type: 'reward', id: 'r-4', customerId: 'ayu', rewardId: 'powerbank', at: '2026-03-04T10:00:00+07:00' },
      { type: 'voucher-use', redemptionId: 'r-1', customerId: 'ayu', orderId: 'o-2', at: '2026-03-05T10:00:00+07:00' },
    ];
    await scratch.file('rewards.ndjson', history.map((record) => JSON.stringify(record)).join('\n'));
    const args = ['simulate', 'rewards.json', '--orders', 'rewards.ndjson'];
    const json = await runPurna([...args, '--json'], { cwd: scratch.dir });
    expect(json.code, json.stderr).to.equal(0);
    const { program: report } = JSON.parse(json.stdout);
    expect(report.rewards).to.deep.include({ redeemed: 3, points: 2000, refused: 1, used: 1, expired: 0, refunded: 0 });
    expect(report.rewards.refusedBy).to.deep.equal({ 'insufficient-points': 1, 'out-of-stock': 1 });
    // Open: r-2's Rp50.000 and r-3's power bank (r-1's was used).
    expect(report.rewards.liability).to.deep.equal({ value: '50000', open: 2, byKind: { value: 1, percent: 0, 'free-shipping': 0, gift: 1 } });
    expect(report.flow).to.include({ issued: 2000, redeemed: 2000, outstanding: 0 });

    const text = await runPurna(args, { cwd: scratch.dir });
    expect(text.code, text.stderr).to.equal(0);
    expect(text.stdout).to.match(/ on rewards +-2,000\n/);
    expect(text.stdout).to.include('Rewards (vouchers open at 2026-03-05T10:00:00+07:00)');
    expect(text.stdout).to.match(/ redeemed +3: 2,000 points\n +voucher-50k +2: 1,000 points\n +powerbank +1: 1,000 points\n/);
    expect(text.stdout).to.match(/ refused +1: insufficient-points 1, out-of-stock 1\n/);
    expect(text.stdout).to.match(/ vouchers still open +2: IDR 50,000\.00 of money off \(1 voucher\), 1 gift\n/);
  });

  it('refuses a return of an order it no longer holds, pointing at --return-days', async () => {
    const lines = (await readFile(join(scratch.dir, 'orders.ndjson'), 'utf8')).split('\n').slice(0, 3);
    const first = JSON.parse(lines[0] ?? '') as { id: string; placedAt: string; lines: Array<{ sku: string }> };
    const later = new Date(Date.parse(first.placedAt) + (10 * 86_400_000)).toISOString();
    const ret = JSON.stringify({ type: 'return', id: 'r-1', orderId: first.id, at: later, lines: [{ sku: first.lines[0]!.sku, quantity: 1 }] });
    await scratch.file('late-return.ndjson', [...lines, ret].join('\n'));
    const kept = await runPurna(['simulate', 'program.json', '--orders', 'late-return.ndjson', '--json'], { cwd: scratch.dir });
    expect(kept.code, kept.stderr).to.equal(0);
    expect(JSON.parse(kept.stdout).program.returns.count).to.equal(1);
    const forgotten = await runPurna(['simulate', 'program.json', '--orders', 'late-return.ndjson', '--return-days', '5'], { cwd: scratch.dir });
    expect(forgotten.code).to.equal(1);
    expect(forgotten.stderr).to.match(new RegExp(`^late-return\\.ndjson:4: return r-1: order "${first.id}" is not known to the simulation.*placed more than 5 days before`));
    expect(forgotten.stderr).to.include('raise --return-days');
    const bad = await runPurna(['simulate', 'program.json', '--orders', 'late-return.ndjson', '--return-days', 'ten'], { cwd: scratch.dir });
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.include('--return-days must be a whole number of days, got "ten"');
  });

  it('names the line of a record of an unknown type, and of a customers file that is not sorted by id or not a profile', async () => {
    const lines = (await readFile(join(scratch.dir, 'orders.ndjson'), 'utf8')).split('\n').slice(0, 3);
    await scratch.file('typed.ndjson', [...lines, '{"type":"refund","id":"x"}'].join('\n'));
    const typed = await runPurna(['simulate', 'program.json', '--orders', 'typed.ndjson'], { cwd: scratch.dir });
    expect(typed.code).to.equal(1);
    expect(typed.stderr).to.match(/^typed\.ndjson:4: type must be one of order, return, redemption, event, birthday, anniversary, adjustment/);

    const customers = (await readFile(join(scratch.dir, 'customers.ndjson'), 'utf8')).split('\n').slice(0, 4);
    await scratch.file('unsorted.ndjson', [customers[0], customers[2], customers[1], customers[3]].join('\n'));
    const unsorted = await runPurna(['simulate', 'program.json', '--orders', 'orders.ndjson', '--customers', 'unsorted.ndjson'], { cwd: scratch.dir });
    expect(unsorted.code).to.equal(1);
    expect(unsorted.stderr).to.match(/^unsorted\.ndjson:3: the customers file must be sorted by id: "c-000002" comes after "c-000003" \(line 2\)/);
    expect(unsorted.stderr).to.include("jq -c -s 'sort_by(.id)[]'");

    await scratch.file('bad-profile.ndjson', [customers[0], JSON.stringify({ ...JSON.parse(customers[1] ?? ''), birthDate: '1990-13-45' })].join('\n'));
    const badProfile = await runPurna(['simulate', 'program.json', '--orders', 'orders.ndjson', '--customers', 'bad-profile.ndjson'], { cwd: scratch.dir });
    expect(badProfile.code).to.equal(1);
    expect(badProfile.stderr).to.match(/^bad-profile\.ndjson:2: expected a customer profile \(PUT \/v1\/customers\/\{id\} shape\): \/birthDate /);
  });

  it('stops at a line that is not JSON, naming file, line and column', async () => {
    const lines = (await readFile(join(scratch.dir, 'orders.ndjson'), 'utf8')).split('\n').slice(0, 5);
    lines[3] = '{"id": "o-4", "lines": [}';
    await scratch.file('broken.ndjson', lines.join('\n'));
    const run = await runPurna(['simulate', 'program.json', '--orders', 'broken.ndjson'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    // Line 4; the "}" at column 25 is where a value was expected.
    expect(run.stderr).to.include('broken.ndjson:4:25: expected a value');
  });

  it('stops at an order that cannot be quoted, or skips and counts it with --skip-invalid', async () => {
    const lines = (await readFile(join(scratch.dir, 'orders.ndjson'), 'utf8')).split('\n').slice(0, 6);
    const third = JSON.parse(lines[2] ?? '');
    lines[2] = JSON.stringify({ ...third, currency: 'USD' });
    await scratch.file('usd.ndjson', lines.join('\n'));
    const stop = await runPurna(['simulate', 'program.json', '--orders', 'usd.ndjson'], { cwd: scratch.dir });
    expect(stop.code).to.equal(1);
    expect(stop.stderr).to.match(/^usd\.ndjson:3: .*currency.*"USD".*"IDR"/);
    expect(stop.stderr).to.include('run with --skip-invalid to skip records that cannot be decided');
    const skip = await runPurna(['simulate', 'program.json', '--orders', 'usd.ndjson', '--skip-invalid', '--json'], { cwd: scratch.dir });
    expect(skip.code).to.equal(0);
    const out = JSON.parse(skip.stdout);
    expect(out.program.orders).to.equal(5);
    expect(out.skipped.count).to.equal(1);
    expect(out.skipped.first[0].line).to.equal(3);
  });

  it('refuses orders out of time order with the line that breaks it', async () => {
    const lines = (await readFile(join(scratch.dir, 'orders.ndjson'), 'utf8')).split('\n').slice(0, 4);
    await scratch.file('shuffled.ndjson', [lines[1], lines[0], lines[2]].join('\n'));
    const run = await runPurna(['simulate', 'program.json', '--orders', 'shuffled.ndjson'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.match(/^shuffled\.ndjson:2: orders must be in time order/);
  });

  it('says what is missing on bad usage (exit 2) and on an invalid program (exit 1)', async () => {
    const noOrders = await runPurna(['simulate', 'program.json'], { cwd: scratch.dir });
    expect(noOrders.code).to.equal(2);
    expect(noOrders.stderr).to.include('purna simulate needs --orders <orders.ndjson>');
    await scratch.file('invalid.json', '{"id": "x"}');
    const invalid = await runPurna(['simulate', 'invalid.json', '--orders', 'orders.ndjson'], { cwd: scratch.dir });
    expect(invalid.code).to.equal(1);
    expect(invalid.stderr).to.include('invalid.json is not a valid program:');
    expect(invalid.stderr).to.include('invalid.json:1:1: error missing-field at /currency');
  });
});
