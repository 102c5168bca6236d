/**
 * `purna import FILE` and `purna export` on the embedded store (the command line in its own process): the repository's sample file
 * imported with a bad line added (listed with its line and pointer, the others imported), run again with the same key
 * (nothing doubled), then the tenant exported and imported into another tenant: the same balances, lots and tiers.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'chai';
import { openLedger } from '@purna/ledger';
import { runPurna, scratchFolder } from './support/run-purna.js';

const SAMPLE = new URL('../../../examples/members-import.ndjson', import.meta.url);
const PROGRAM = new URL('../../../examples/toko-rewards.program.json', import.meta.url);

describe('cli: purna import and purna export (CLI process, embedded store)', function () {
  this.timeout(120_000);
  let scratch: Awaited<ReturnType<typeof scratchFolder>>;
  let dataDir: string;
  let file: string;
  before(async () => {
    scratch = await scratchFolder('import');
    dataDir = join(scratch.dir, 'data');
    const ledger = await openLedger({ store: { kind: 'lmdb', path: dataDir } });
    try {
      const program: unknown = JSON.parse(await readFile(PROGRAM, 'utf8'));
      for (const tenant of ['default', 'copy']) await ledger.publishProgram(tenant, program);
    } finally {
      await ledger.close();
    }
    // The sample, and a fourth line whose lot has no points.
    file = await scratch.file('members.ndjson', `${await readFile(SAMPLE, 'utf8')}${JSON.stringify({ id: 'bad', lots: [{ points: -5 }] })}\n`);
  });
  after(() => scratch.remove());

  it('imports the good lines, lists the bad one, and imports nothing twice when run again', async () => {
    const first = await runPurna(['import', file, '--data-dir', dataDir, '--json']);
    expect(first.code, first.stderr).to.equal(0);
    const status = JSON.parse(first.stdout);
    expect(status).to.deep.include({ status: 'done', processed: 4, imported: 3, failed: 1 });
    expect(status.errors.map((e: { line: number; pointer: string }) => [e.line, e.pointer])).to.deep.equal([[4, '/lots/0/points']]);
    expect(first.stderr).to.include('import done: 4 lines');
    const again = await runPurna(['import', file, '--data-dir', dataDir]);
    expect(again.code, again.stderr).to.equal(0);
    expect(again.stdout).to.include(`Import ${status.importId} into tenant "default": 3 customers imported, 1 lines refused.`);
    expect(again.stdout).to.include('members.ndjson:4 /lots/0/points:');
    const ledger = await openLedger({ store: { kind: 'lmdb', path: dataDir } });
    try {
      const siti = await ledger.getCustomer('default', 'siti');
      // 1200 available since June 2026 and 300 available at once; gold held by hand until the end of 2027.
      expect(siti.points).to.deep.include({ available: 1500, balance: 1500 });
      expect(siti.tier).to.deep.include({ id: 'gold' });
      expect((await ledger.exportCustomer('default', 'siti')).transactions, 'one entry a lot, written once').to.have.length(2);
    } finally {
      await ledger.close();
    }
  });

  it('exports the tenant as NDJSON that imports into another tenant with the same balances, lots and tiers', async () => {
    const out = join(scratch.dir, 'export.ndjson');
    const exported = await runPurna(['export', '--out', out, '--data-dir', dataDir]);
    expect(exported.code, exported.stderr).to.equal(0);
    expect(exported.stderr).to.include('exported 3 customers of tenant "default"');
    const lines = (await readFile(out, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { id: string });
    expect(lines.map((line) => line.id)).to.deep.equal(['joko', 'siti', 'wati']);
    const copied = await runPurna(['import', out, '--tenant', 'copy', '--data-dir', dataDir, '--json']);
    expect(copied.code, copied.stderr).to.equal(0);
    expect(JSON.parse(copied.stdout)).to.deep.include({ imported: 3, failed: 0 });
    const ledger = await openLedger({ store: { kind: 'lmdb', path: dataDir } });
    try {
      const at = new Date().toISOString();
      for (const id of ['joko', 'siti', 'wati']) {
        const [a, b] = [await ledger.getCustomer('default', id, { at }), await ledger.getCustomer('copy', id, { at })];
        expect(b.points, id).to.deep.equal(a.points);
        // The same tier held as long; a hold by hand says which import brought it, so only its date is compared.
        expect([b.tier?.id, b.tier?.heldUntil, b.tier?.manual?.until], id).to.deep.equal([a.tier?.id, a.tier?.heldUntil, a.tier?.manual?.until]);
        expect((await ledger.exportCustomer('copy', id, { at })).import, id).to.deep.equal((await ledger.exportCustomer('default', id, { at })).import);
      }
    } finally {
      await ledger.close();
    }
  });

  it('refuses bad usage with exit 2', async () => {
    const none = await runPurna(['import', '--data-dir', dataDir]);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('purna import expects <file.ndjson>');
    const extra = await runPurna(['export', 'stray', '--data-dir', dataDir]);
    expect(extra.code).to.equal(2);
  });
});
