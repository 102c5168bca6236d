import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { compileProgram, parseProgram, quoteOrder, reviveQuoteProgram, RULES_VERSION, type QuoteOrderInput } from '@purna/rules';
import { runPurna, scratchFolder } from './support/run-purna.js';

const TOKO = new URL('../../../examples/toko-rewards.program.json', import.meta.url);

describe('cli: purna pack-quote (CLI process)', function () {
  this.timeout(60_000);
  let scratch: Awaited<ReturnType<typeof scratchFolder>>;
  before(async () => {
    scratch = await scratchFolder('pack-quote');
  });
  after(() => scratch.remove());

  it('packs a valid program for @purna/rules/quote: the revived program quotes as the program itself', async () => {
    const text = await readFile(TOKO, 'utf8');
    const path = await scratch.file('toko.json', text);
    const run = await runPurna(['pack-quote', path, '--version', '4']);
    expect(run.stderr).to.equal('');
    expect(run.code).to.equal(0);
    const packed = JSON.parse(run.stdout) as { format: string; rulesVersion: string; version: number };
    expect(packed).to.include({ format: 'purna.quote-program', rulesVersion: RULES_VERSION, version: 4 });
    const input: QuoteOrderInput = {
      order: { id: 'o-1', placedAt: '2026-02-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' }] },
      history: { orders: [], usage: {} },
    };
    const at = { at: '2026-02-01T10:00:00+07:00', trace: true };
    expect(JSON.stringify(quoteOrder(reviveQuoteProgram(run.stdout), input, at))).to.equal(JSON.stringify(quoteOrder(compileProgram(parseProgram(text), { version: 4 }), input, at)));
  });

  it('writes --out and says so on stderr', async () => {
    await scratch.file('toko.json', await readFile(TOKO, 'utf8'));
    const run = await runPurna(['pack-quote', 'toko.json', '--out', 'program.quote.json'], { cwd: scratch.dir });
    expect(run.code).to.equal(0);
    expect(run.stdout).to.equal('');
    expect(run.stderr).to.equal('packed toko.json into program.quote.json\n');
    expect(reviveQuoteProgram(await readFile(`${scratch.dir}/program.quote.json`, 'utf8')).id).to.equal('toko-rewards');
  });

  it('refuses an invalid program with its errors at line and column, exit 1, and writes nothing', async () => {
    await scratch.file('broken.json', '{\n  "id": "shop"\n}\n');
    const run = await runPurna(['pack-quote', 'broken.json', '--out', 'never.json'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    expect(run.stderr).to.include('broken.json is not a valid program');
    expect(run.stderr).to.include('broken.json:1:1: error');
    await readFile(`${scratch.dir}/never.json`).then(
      () => expect.fail('never.json was written'),
      (error: NodeJS.ErrnoException) => expect(error.code).to.equal('ENOENT'),
    );
  });

  it('refuses a --version that is not a whole number, exit 2', async () => {
    const run = await runPurna(['pack-quote', 'toko.json', '--version', '3.5'], { cwd: scratch.dir });
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('--version must be a whole number of 1 or more, got "3.5"');
  });
});
