import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { compileProgram, Decimal, parseProgram, ProgramSimulation } from '@purna/rules';
import { generateCustomers, generateOrders, SHOPS, writeNdjson, type GenerateOptions } from '../../../scripts/generate-orders.js';
import { referenceTotals } from '../../../packages/rules/test/simulation/reference-quotes.js';
import { runPurna, scratchFolder } from './support/run-purna.js';

const TOKO = new URL('../../../../shared/examples/toko-rewards.program.json', import.meta.url);
const RECIPE = new URL('../../../docs/recipes/indonesian-electronics-idr.program.json', import.meta.url);

describe('cli: purna simulate (real binary)', function () {
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
    // pointValue is "100" in the program: liability = points x 100.
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
    expect(run.stdout).to.match(/liability \(points × point value\) +IDR [\d,]+\.\d\d/);
    expect(run.stdout).to.include('Against the baseline elektronik-jaya (baseline.json)');
    expect(run.stdout).to.match(/points issued +[\d,]+ +[\d,]+ +[+-]?[\d,]+/);
  });

  it('shows progress with an ETA on stderr when asked, keeping stdout for the report', async () => {
    const run = await runPurna(['simulate', 'program.json', '--orders', 'orders.ndjson', '--progress', '--json'], { cwd: scratch.dir });
    expect(run.code).to.equal(0);
    expect(run.stderr).to.match(/simulate done: 2,000 orders in \d+s\n$/);
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
    expect(run.stderr).to.match(/simulate done: 10,000 orders in/);
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
