import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { runPurna, scratchFolder } from './support/run-purna.js';

const TOKO = new URL('../../../../shared/examples/toko-rewards.program.json', import.meta.url);

/** A minimal valid program, pretty-printed, so that line numbers below can be counted by hand. */
function program(earning: unknown[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'shop', name: 'Shop', currency: 'IDR', timezone: 'Asia/Jakarta', points: { redemption: { pointValue: '100' } }, earning, ...extra };
}
const base = { id: 'base', name: 'Base', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } };

describe('cli: purna validate (CLI process)', function () {
  this.timeout(60_000);
  let scratch: Awaited<ReturnType<typeof scratchFolder>>;
  before(async () => {
    scratch = await scratchFolder('validate');
  });
  after(() => scratch.remove());

  it('accepts the example program: exit 0 and a one-line verdict', async () => {
    const path = await scratch.file('toko.json', await readFile(TOKO, 'utf8'));
    const run = await runPurna(['validate', path, '--at', '2026-06-01T00:00:00Z']);
    expect(run.stderr).to.equal('');
    expect(run.stdout).to.equal(`✔ ${path} is a valid program\n`);
    expect(run.code).to.equal(0);
  });

  it('reports a JSON syntax error at its line and column, exit 1', async () => {
    // Line 3 ends without a comma, so the parser stops at the next property name: line 4, column 3.
    await scratch.file('syntax.json', '{\n  "id": "shop",\n  "name": "Shop"\n  "currency": "IDR"\n}\n');
    const run = await runPurna(['validate', 'syntax.json'], { cwd: scratch.dir });
    expect(run.stdout).to.include('syntax.json:4:3: error invalid-json: expected "," between values');
    expect(run.code).to.equal(1);
  });

  it('lists every schema and semantic error at once, each at the line of its pointer', async () => {
    const broken = program([base, { ...base, id: 'base', award: { pointsPer: { amount: '-5', points: 1 } } }], {
      tiers: {
        basis: 'spend',
        window: { type: 'rolling', months: 12 },
        levels: [
          { id: 'silver', name: 'Silver', threshold: '100' },
          { id: 'gold', name: 'Gold', threshold: '50' },
        ],
      },
    });
    delete broken.timezone;
    const text = JSON.stringify(broken, null, 2);
    await scratch.file('broken.json', text);
    // Lines of the pretty-printed text, found by looking for each key in order (what an editor would show).
    const lines = text.split('\n');
    const lineOf = (needle: string, after = 0): number => lines.findIndex((l, i) => i >= after && l.includes(needle)) + 1;
    const secondRule = lineOf('"id": "base"', lineOf('"id": "base"'));
    const run = await runPurna(['validate', 'broken.json', '--json'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    const report = JSON.parse(run.stdout);
    expect(report.valid).to.equal(false);
    const errors: Array<{ pointer: string; line: number; column: number; code: string }> = report.files[0].errors;
    const at = (pointer: string) => errors.find((e) => e.pointer === pointer);
    // A missing property is shown at the object that lacks it: the document, line 1 column 1.
    expect(at('/timezone')).to.include({ line: 1, column: 1 });
    // The negative amount: JSON.stringify indents 2 per level and "amount" is 5 levels deep, so column 11.
    expect(at('/earning/1/award/pointsPer/amount')).to.include({ line: lineOf('"amount": "-5"'), column: 11 });
    expect(errors.some((e) => e.code === 'thresholds-not-increasing' || e.pointer === '/tiers/levels/1/threshold')).to.equal(true);
    // The id itself is clean, so the duplicate is reported too, at the second rule's "id" line, column 7.
    expect(at('/earning/1/id')).to.include({ line: secondRule, column: 7, code: 'duplicate-id' });
  });

  it('checks the returns section and points.pendingFrom, each error at the line and column of its field', async () => {
    const broken = program([base], { returns: { windowDays: -1, from: 'shipping', extra: true } });
    (broken.points as Record<string, unknown>).pendingFrom = 'payment';
    const text = JSON.stringify(broken, null, 2);
    await scratch.file('returns.json', text);
    const lines = text.split('\n');
    const lineOf = (needle: string): number => lines.findIndex((l) => l.includes(needle)) + 1;
    const run = await runPurna(['validate', 'returns.json', '--json'], { cwd: scratch.dir });
    expect(run.code, run.stdout).to.equal(1);
    const errors: Array<{ pointer: string; line: number; column: number; message: string }> = JSON.parse(run.stdout).files[0].errors;
    const at = (pointer: string) => errors.find((e) => e.pointer === pointer);
    // "returns" is a top-level key: its fields are 2 levels deep, column 5; "pendingFrom" in "points" too.
    expect(at('/returns/windowDays')).to.include({ line: lineOf('"windowDays": -1'), column: 5 });
    expect(at('/returns/from')).to.include({ line: lineOf('"from": "shipping"'), column: 5 });
    expect(at('/returns/from')?.message).to.include('delivery, purchase');
    expect(at('/returns/extra')).to.include({ line: lineOf('"extra": true'), column: 5 });
    expect(at('/points/pendingFrom')).to.include({ line: lineOf('"pendingFrom": "payment"'), column: 5 });
    const good = program([base], { returns: { windowDays: 30, from: 'delivery' }, points: { pendingDays: 30, pendingFrom: 'delivery', redemption: { pointValue: '100' } } });
    await scratch.file('returns-ok.json', JSON.stringify(good, null, 2));
    expect((await runPurna(['validate', 'returns-ok.json'], { cwd: scratch.dir })).code).to.equal(0);
  });

  it('reports the goodwill section\'s errors at their lines: a bad maximum, a period with two units, a duplicate reason', async () => {
    const broken = program([base], {
      goodwill: {
        reasons: [
          { id: 'late-delivery', name: 'Late delivery', maxPoints: -500 },
          { id: 'defect', name: 'Defect', maxPoints: 2000 },
          { id: 'defect', name: 'Defect again', maxPoints: 100 },
        ],
        limit: { perCustomer: { count: 2, period: { months: 1, days: 3 } } },
        budget: { points: 100000, period: { months: 1 } },
      },
    });
    const text = JSON.stringify(broken, null, 2);
    await scratch.file('goodwill.json', text);
    const lines = text.split('\n');
    const lineOf = (needle: string, after = 0): number => lines.findIndex((l, i) => i >= after && l.includes(needle)) + 1;
    const run = await runPurna(['validate', 'goodwill.json', '--json'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    const errors: Array<{ pointer: string; line: number; column: number; code: string }> = JSON.parse(run.stdout).files[0].errors;
    const at = (pointer: string) => errors.find((e) => e.pointer === pointer);
    // "maxPoints" is indented 8 spaces (goodwill, reasons, the list, the reason: 2 each): column 9.
    expect(at('/goodwill/reasons/0/maxPoints')).to.include({ line: lineOf('"maxPoints": -500'), column: 9 });
    // The period object is shown where it starts: "period" is indented 8 spaces (goodwill, limit, perCustomer, its object).
    expect(at('/goodwill/limit/perCustomer/period')).to.include({ line: lineOf('"period": {'), column: 9 });
    // The schema error in reasons/0 keeps the semantic checks of the section quiet (they need a clean section).
    expect(errors.map((e) => e.pointer)).to.not.include('/goodwill/reasons/2/id');
  });

  it('reports a duplicate goodwill reason at the second reason\'s id', async () => {
    const duplicated = program([base], {
      goodwill: { reasons: [{ id: 'defect', name: 'Defect', maxPoints: 2000 }, { id: 'defect', name: 'Defect again', maxPoints: 100 }] },
    });
    const text = JSON.stringify(duplicated, null, 2);
    await scratch.file('goodwill-duplicate.json', text);
    const lines = text.split('\n');
    const second = lines.findIndex((l, i) => i > lines.findIndex((m) => m.includes('"id": "defect"')) && l.includes('"id": "defect"')) + 1;
    const run = await runPurna(['validate', 'goodwill-duplicate.json', '--json'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    const errors: Array<{ pointer: string; line: number; column: number; code: string }> = JSON.parse(run.stdout).files[0].errors;
    expect(errors).to.have.length(1);
    // "id" of a reason is indented 8 spaces like "maxPoints" above: column 9.
    expect(errors[0]).to.include({ pointer: '/goodwill/reasons/1/id', line: second, column: 9, code: 'duplicate-id' });
  });

  it('places the warranty plan checks of issue 17 at their lines: two purchase windows, none, a bad refund', async () => {
    const plan = {
      id: 'care',
      name: 'Care',
      appliesTo: { category: ['tv'] },
      starts: 'after-manufacturer',
      coverageMonths: 24,
      price: { fixed: '500000' },
    };
    const plans = [
      { ...plan, id: 'both', purchaseWindowDays: 60, purchaseWindow: { until: 'manufacturer-end' } },
      { ...plan, id: 'neither' },
      { ...plan, id: 'refund', purchaseWindow: { until: 'manufacturer-end' }, cancellation: { refund: 'half' } },
    ];
    const text = JSON.stringify(program([base], { warranty: { plans } }), null, 2);
    await scratch.file('warranty.json', text);
    const lines = text.split('\n');
    const lineOf = (needle: string, after = 0): number => lines.findIndex((l, i) => i >= after && l.includes(needle)) + 1;
    const run = await runPurna(['validate', 'warranty.json', '--json'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    const errors: Array<{ pointer: string; line: number; column: number; code: string }> = JSON.parse(run.stdout).files[0].errors;
    const at = (pointer: string) => errors.find((e) => e.pointer === pointer);
    // Plans are 3 levels deep and their fields 4: "purchaseWindow" of the first plan at column 9.
    expect(at('/warranty/plans/0/purchaseWindow')).to.include({ line: lineOf('"purchaseWindow": {'), column: 9, code: 'conflicting-fields' });
    // A missing field is shown at the plan that lacks it: its opening brace, column 7.
    expect(at('/warranty/plans/1/purchaseWindowDays')).to.include({ code: 'missing-field' });
    expect(at('/warranty/plans/1/purchaseWindowDays')?.line).to.be.within(lineOf('"id": "neither"') - 1, lineOf('"id": "neither"'));
    expect(at('/warranty/plans/2/cancellation/refund')).to.include({ line: lineOf('"refund": "half"'), column: 11 });
  });

  it('warns about suspicious but valid programs; --strict turns warnings into exit 1', async () => {
    // 1 point per Rp1.000 (a zero missing) at Rp100 a point gives back 10% ... times the x4 promotion: 40%.
    const suspicious = program([
      { ...base, award: { pointsPer: { amount: '1000', points: 1 } } },
      { id: 'promo', name: 'Promo', scope: 'line', award: { multiplier: '4' } },
      { id: 'old', name: 'Old', scope: 'order', award: { points: 5 }, valid: { until: '2025-01-01T00:00:00+07:00' } },
    ]);
    await scratch.file('suspicious.json', JSON.stringify(suspicious, null, 2));
    const run = await runPurna(['validate', 'suspicious.json', '--at', '2026-01-01T00:00:00Z'], { cwd: scratch.dir });
    expect(run.code, run.stdout + run.stderr).to.equal(0);
    expect(run.stdout).to.match(/warning reward-rate at \/earning\/0\/award\/pointsPer: up to 40% of spend/);
    expect(run.stdout).to.match(/warning multiplier-stack at \/earning\/1\/award\/multiplier: multipliers stack up to ×4/);
    expect(run.stdout).to.match(/warning rule-ended at \/earning\/2\/valid\/until/);
    expect(run.stdout).to.include('is a valid program (3 warnings)');
    const strict = await runPurna(['validate', 'suspicious.json', '--at', '2026-01-01T00:00:00Z', '--strict'], { cwd: scratch.dir });
    expect(strict.code).to.equal(1);
    const relaxed = await runPurna(['validate', 'suspicious.json', '--at', '2026-01-01T00:00:00Z', '--max-multiplier', '5', '--max-reward-rate', '0.5'], { cwd: scratch.dir });
    expect(relaxed.stdout).not.to.match(/multiplier-stack|reward-rate/);
  });

  it('handles a large program (1000 rules) and caps a flood of errors with a final count', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({ ...base, id: `rule-${i}` }));
    await scratch.file('large.json', JSON.stringify(program(many), null, 2));
    const large = await runPurna(['validate', 'large.json'], { cwd: scratch.dir });
    expect(large.code, large.stdout).to.equal(0);
    const flood = Array.from({ length: 120 }, (_, i) => ({ ...base, id: `rule-${i}`, scope: 'everywhere' }));
    await scratch.file('flood.json', JSON.stringify(program(flood), null, 2));
    const run = await runPurna(['validate', 'flood.json', '--json'], { cwd: scratch.dir });
    expect(run.code).to.equal(1);
    const errors: Array<{ code: string }> = JSON.parse(run.stdout).files[0].errors;
    // parseProgram lists at most 50 problems, then one entry that says how many more there were (120 - 50 = 70).
    expect(errors).to.have.length(51);
    expect(errors.at(-1)).to.deep.include({ code: 'too-many-errors' });
  });

  it('checks several files in one run and fails if any fails', async () => {
    const good = await scratch.file('good.json', JSON.stringify(program([base])));
    const bad = await scratch.file('bad.json', '{');
    const run = await runPurna(['validate', good, bad]);
    expect(run.stdout).to.include(`✔ ${good} is a valid program`);
    expect(run.stdout).to.include(`✖ ${bad}: 1 error, 0 warnings`);
    expect(run.code).to.equal(1);
  });

  it('exits 2 on bad usage and names the problem', async () => {
    const none = await runPurna(['validate']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('purna validate expects at least one <program.json>');
    const missing = await runPurna(['validate', 'nope.json'], { cwd: scratch.dir });
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('cannot read nope.json: no such file');
    const unknown = await runPurna(['validat']);
    expect(unknown.code).to.equal(2);
    expect(unknown.stderr).to.include('unknown command "validat"');
  });
});
