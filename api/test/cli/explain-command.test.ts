import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { scenarioOrder } from '../../../packages/rules/test/support/example-program.js';
import { runPurna, scratchFolder } from './support/run-purna.js';

const TOKO = new URL('../../../../shared/examples/toko-rewards.program.json', import.meta.url);

/** o-1001 and o-1002 of ../shared/examples/toko-basic.scenario.json. */
const O1001 = scenarioOrder('o-1001');
const O1002 = scenarioOrder('o-1002');
/** What the ledger would pass for o-1002: o-1001 (tier spend 12 250 000, 1425 points) and its big-basket use in February. */
const HISTORY_BEFORE_O1002 = { orders: [{ id: 'o-1001', placedAt: O1001.placedAt, tierSpend: '12250000', points: 1425 }], usage: { 'earn:big-basket:2026-02': 1 } };

describe('cli: purna explain (CLI process)', function () {
  this.timeout(60_000);
  let scratch: Awaited<ReturnType<typeof scratchFolder>>;
  before(async () => {
    scratch = await scratchFolder('explain');
    await scratch.file('program.json', await readFile(TOKO, 'utf8'));
    await scratch.file('o-1001.json', JSON.stringify(O1001, null, 2));
    await scratch.file('o-1002.json', JSON.stringify(O1002, null, 2));
    await scratch.file('history.json', JSON.stringify(HISTORY_BEFORE_O1002));
  });
  after(() => scratch.remove());

  it('explains o-1001 in English with the scenario\'s numbers', async () => {
    const run = await runPurna(['explain', 'program.json', '--order', 'o-1001.json'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    // By hand: base 12 000 000 / 10 000 = 1200 on the laptop + 25 on the mouse = 1225; big-basket +200 (total
    // 12 280 000 >= 5 000 000); Bronze x1; 1425. Pending 14 days, then 12 months.
    expect(run.stdout).to.include('Order o-1001 placed on 1 February 2026, 10:00 (Asia/Jakarta) earns 1,425 points.');
    expect(run.stdout).to.include('Tier before this order: Bronze (points × 1).');
    expect(run.stdout).to.include('1 point per Rp10.000 (base): 1,225 points on LP-14, MS-01.');
    expect(run.stdout).to.include('(big-basket): 200 points.');
    expect(run.stdout).to.include('SHIP earns no points (excluded by the rules).');
    expect(run.stdout).to.include('(tv-double): not valid yet: it starts on 1 December 2026.');
    expect(run.stdout).to.include('Rounded down once for the whole order: 1,425 points.');
    // 12 250 000 of tier spend reaches Silver's 5 000 000.
    expect(run.stdout).to.include('This order lifts the customer to Silver');
    expect(run.stdout).to.include('The points can be used from 15 February 2026 and expire on 15 February 2027.');
  });

  it('explains in Indonesian, with Indonesian number separators', async () => {
    const run = await runPurna(['explain', 'program.json', '--order', 'o-1001.json', '--lang', 'id'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('Pesanan o-1001 pada 1 Februari 2026, 10:00 (Asia/Jakarta) mendapat 1.425 poin.');
    expect(run.stdout).to.include('Tingkat sebelum pesanan ini: Bronze (poin × 1).');
    expect(run.stdout).to.include('(base): 1.225 poin untuk LP-14, MS-01.');
    expect(run.stdout).to.include('Dibulatkan ke bawah satu kali untuk seluruh pesanan: 1.425 poin.');
    expect(run.stdout).to.include('Poin dapat dipakai mulai 15 Februari 2026 dan kedaluwarsa pada 15 Februari 2027.');
  });

  it('explains in Filipino, with Philippine number separators and month names', async () => {
    const run = await runPurna(['explain', 'program.json', '--order', 'o-1001.json', '--lang', 'fil'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('Ang order o-1001 na ginawa noong 1 Pebrero 2026, 10:00 (Asia/Jakarta) ay may 1,425 points.');
    expect(run.stdout).to.include('(base): 1,225 points sa LP-14, MS-01.');
    expect(run.stdout).to.include('(tv-double): hindi pa epektibo: magsisimula ito sa 1 Disyembre 2026.');
    expect(run.stdout).to.include('Magagamit ang points simula 15 Pebrero 2026 at mag-e-expire sa 15 Pebrero 2027.');
  });

  it('explains a capped rule and the tier multiplier from the customer\'s history (o-1002)', async () => {
    const run = await runPurna(['explain', 'program.json', '--order', 'o-1002.json', '--history', 'history.json'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    // Silver before the order (12 250 000 >= 5 000 000); base 900; big-basket already used once in February; 900 x 1.25 = 1125.
    expect(run.stdout).to.include('earns 1,125 points.');
    expect(run.stdout).to.include('Tier before this order: Silver (points × 1.25).');
    expect(run.stdout).to.include('(big-basket): its limit was already reached: used 1 of 1 times in this period.');
    expect(run.stdout).to.include('Before the tier: 900 points; × 1.25 for Silver = 1,125 points.');
    const id = await runPurna(['explain', 'program.json', '--order', 'o-1002.json', '--history', 'history.json', '--lang', 'id'], { cwd: scratch.dir });
    expect(id.stdout).to.include('(big-basket): batasnya sudah tercapai: sudah dipakai 1 dari 1 kali pada periode ini.');
    // 12 250 000 + 9 000 000 = 21 250 000 >= 20 000 000: Gold.
    expect(id.stdout).to.include('Pesanan ini menaikkan pelanggan ke tingkat Gold');
  });

  it('answers --json with the sentences and the quote they come from', async () => {
    const run = await runPurna(['explain', 'program.json', '--order', 'o-1001.json', '--json'], { cwd: scratch.dir });
    const out = JSON.parse(run.stdout);
    expect(out.points).to.equal(1425);
    expect(out.quote.points).to.equal(1425);
    expect(out.paragraphs[0][0]).to.include('earns 1,425 points');
  });

  it('explains a large order (500 lines) in one run', async () => {
    // 500 accessory lines of Rp250.000: 25 points each = 12 500; total 125 000 000 >= 5 000 000 adds 200: 12 700.
    const lines = Array.from({ length: 500 }, (_, i) => ({ sku: `ACC-${i}`, category: 'accessory', quantity: 1, unitPrice: '250000' }));
    await scratch.file('large.json', JSON.stringify({ ...O1001, id: 'o-large', lines }));
    const run = await runPurna(['explain', 'program.json', '--order', 'large.json'], { cwd: scratch.dir });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.include('earns 12,700 points.');
    expect(run.stdout).to.include('ACC-0, ACC-1, ACC-2');
  });

  it('reports a broken order file or an unquotable order clearly (exit 1), and bad usage (exit 2)', async () => {
    await scratch.file('syntax.json', '{\n  "id": "o-1",\n  "lines": [,]\n}');
    const syntax = await runPurna(['explain', 'program.json', '--order', 'syntax.json'], { cwd: scratch.dir });
    expect(syntax.code).to.equal(1);
    // Line 3: `  "lines": [,]` — the comma at column 13 is where a value was expected.
    expect(syntax.stderr).to.include('syntax.json:3:13: expected a value');
    await scratch.file('usd.json', JSON.stringify({ ...O1001, currency: 'USD' }));
    const usd = await runPurna(['explain', 'program.json', '--order', 'usd.json'], { cwd: scratch.dir });
    expect(usd.code).to.equal(1);
    expect(usd.stderr).to.include('cannot quote usd.json:');
    expect(usd.stderr).to.match(/\/order\/currency: .*"USD".*"IDR"/);
    const lang = await runPurna(['explain', 'program.json', '--order', 'o-1001.json', '--lang', 'fr'], { cwd: scratch.dir });
    expect(lang.code).to.equal(2);
    expect(lang.stderr).to.include('--lang must be one of en, id, fil, got "fr"');
  });
});
