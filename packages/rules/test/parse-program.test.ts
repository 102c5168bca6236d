import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { momentLeadTimes, parseProgram, ProgramError, programSchemaDocument, type Problem } from '../src/index.js';
import { exampleProgramJson } from './support/example-program.js';

function problemsOf(json: unknown): Problem[] {
  try {
    parseProgram(json);
  } catch (error) {
    expect(error).to.be.instanceOf(ProgramError);
    return [...(error as ProgramError).errors];
  }
  expect.fail('expected a ProgramError');
}

describe('parseProgram', () => {
  it('accepts the shipped example program (object and JSON text) and freezes it', () => {
    const program = parseProgram(exampleProgramJson());
    expect(program.id).to.equal('toko-rewards');
    expect(program.earning.map((r) => r.id)).to.deep.equal(['base', 'tv-double', 'big-basket']);
    expect(Object.isFrozen(program.earning[0])).to.equal(true);
    expect(parseProgram(JSON.stringify(exampleProgramJson())).tiers?.levels).to.have.length(3);
  });

  it('says what is wrong in a marketer sentence with the JSON pointer', () => {
    const json = exampleProgramJson();
    (json.earning[0] as { award: { pointsPer: { amount: unknown } } }).award.pointsPer.amount = -5;
    const problems = problemsOf(json);
    expect(problems).to.deep.include({
      pointer: '/earning/0/award/pointsPer/amount',
      code: 'wrong-type',
      message: 'earning[0].award.pointsPer.amount must be a positive decimal string like "10000", got -5',
    });
  });

  it('lists every problem at once: schema and semantic', () => {
    const json = exampleProgramJson();
    json.currency = 'rupiah';
    json.earning[1]!.scopes = 'line';
    delete json.earning[2]!.award;
    (json.tiers as { levels: Array<{ threshold: string }> }).levels[2]!.threshold = '100';
    json.earning.push({ id: 'base', name: 'again', scope: 'order', award: { points: 5 } });
    const pointers = problemsOf(json).map((p) => [p.pointer, p.code]);
    expect(pointers).to.deep.include.members([
      ['/currency', 'invalid-format'],
      ['/earning/1/scopes', 'unknown-field'],
      ['/earning/2/award', 'missing-field'],
      ['/tiers/levels/2/threshold', 'thresholds-not-increasing'],
      ['/earning/3/id', 'duplicate-id'],
    ]);
  });

  const semanticCases: Array<{ title: string; change: (json: ReturnType<typeof exampleProgramJson>) => void; pointer: string; code: string; says: RegExp }> = [
    {
      title: 'byTier naming a tier that does not exist',
      change: (json) => ((json.birthday as { award: { byTier: Record<string, number> } }).award.byTier = { platinum: 5 }),
      pointer: '/birthday/award/byTier/platinum',
      code: 'unknown-tier',
      says: /"platinum", which the program does not have/,
    },
    {
      title: 'valid.until before valid.from',
      change: (json) => (json.earning[1]!.valid = { from: '2027-01-01T00:00:00+07:00', until: '2026-12-01T00:00:00+07:00' }),
      pointer: '/earning/1/valid/until',
      code: 'invalid-validity',
      says: /must be after/,
    },
    {
      title: 'an unknown fact',
      change: (json) => (json.earning[2]!.when = { fact: 'order.colour', op: 'eq', value: 'red' }),
      pointer: '/earning/2/when/fact',
      code: 'unknown-fact',
      says: /names no known fact: "order.colour"/,
    },
    {
      title: 'a line fact in an order rule',
      change: (json) => (json.earning[2]!.when = { all: [{ fact: 'line.category', op: 'eq', value: 'tv' }] }),
      pointer: '/earning/2/when/all/0/fact',
      code: 'fact-not-available',
      says: /an order rule cannot read/,
    },
    {
      title: 'an ordering operator on a text fact',
      change: (json) => (json.earning[1]!.when = { fact: 'line.category', op: 'gt', value: 'tv' }),
      pointer: '/earning/1/when/op',
      code: 'unsupported-operator',
      says: /line.category is a text, so it cannot use "gt"/,
    },
    {
      title: 'a decimal fact compared with a float',
      change: (json) => (json.earning[2]!.when = { fact: 'order.total', op: 'gte', value: 5000000.5 }),
      pointer: '/earning/2/when/value',
      code: 'invalid-operand',
      says: /must be a decimal string like "5000000", got 5000000.5/,
    },
    {
      title: 'a between range upside down',
      change: (json) => (json.earning[2]!.when = { fact: 'order.total', op: 'between', value: ['9', '1'] }),
      pointer: '/earning/2/when/value',
      code: 'never-applies',
      says: /low end above its high end/,
    },
    {
      title: 'a rule whose lines are all excluded',
      change: (json) => Object.assign(json.earning[1]!, { appliesTo: { category: ['tv'] }, exclude: { category: ['tv', 'shipping'] } }),
      pointer: '/earning/1/exclude',
      code: 'never-applies',
      says: /every line it applies to is also excluded/,
    },
    {
      title: 'contradictory equalities',
      change: (json) => (json.earning[1]!.when = { all: [{ fact: 'line.category', op: 'eq', value: 'tv' }, { fact: 'line.category', op: 'eq', value: 'phone' }] }),
      pointer: '/earning/1/when',
      code: 'never-applies',
      says: /cannot equal both "tv" and "phone"/,
    },
    {
      title: 'an award with two kinds',
      change: (json) => (json.earning[2]!.award = { points: 5, multiplier: '2' }),
      pointer: '/earning/2/award',
      code: 'invalid-shape',
      says: /exactly one of "pointsPer", "points" or "multiplier"/,
    },
    {
      title: 'a condition node with two forms',
      change: (json) => (json.earning[2]!.when = { all: [{ fact: 'order.total', op: 'gte', value: '1' }], fact: 'order.total', op: 'gte', value: '1' }),
      pointer: '/earning/2/when',
      code: 'invalid-condition',
      says: /exactly one of/,
    },
    {
      title: 'an unknown time zone',
      change: (json) => (json.timezone = 'Asia/Atlantis'),
      pointer: '/timezone',
      code: 'invalid-zone',
      says: /IANA time zone/,
    },
    {
      title: 'a rolling window without months',
      change: (json) => ((json.tiers as { window: Record<string, unknown> }).window = { type: 'rolling' }),
      pointer: '/tiers/window/months',
      code: 'missing-field',
      says: /needs "months"/,
    },
  ];
  for (const { title, change, pointer, code, says } of semanticCases) {
    it(`refuses ${title}`, () => {
      const json = exampleProgramJson();
      change(json);
      const problem = problemsOf(json).find((p) => p.pointer === pointer && p.code === code);
      expect(problem, JSON.stringify(problemsOf(json))).to.not.equal(undefined);
      expect(problem!.message).to.match(says);
    });
  }

  it('caps the list of problems and says how many more', () => {
    const json = exampleProgramJson();
    json.earning = Array.from({ length: 120 }, (_, i) => ({ id: `r${i}`, name: 'x', scope: 'sideways', award: { points: 1 } }));
    const problems = problemsOf(json);
    expect(problems).to.have.length(51);
    expect(problems[50]).to.deep.equal({ pointer: '', code: 'too-many-errors', message: 'and 70 more problems not listed; fix these first' });
  });

  it('refuses documents too deep, too large, or not JSON before validating them', () => {
    let deep: unknown = { fact: 'order.total', op: 'exists' };
    for (let i = 0; i < 40; i += 1) deep = { not: deep };
    const json = exampleProgramJson();
    json.earning[2]!.when = deep;
    expect(problemsOf(json).map((p) => p.code)).to.deep.equal(['program-too-deep']);
    expect(problemsOf('{"id": ').map((p) => p.code)).to.deep.equal(['invalid-json']);
    expect(problemsOf('x'.repeat(2_000_001)).map((p) => p.code)).to.deep.equal(['program-too-large']);
    expect(problemsOf({ ...exampleProgramJson(), name: () => 1 }).map((p) => p.code)).to.deep.equal(['not-json']);
  });

  it('ships the generated schema file, up to date with the TypeBox schema', () => {
    const file = readFileSync(new URL('../schema/program.schema.json', import.meta.url), 'utf8');
    expect(file, 'run `npm run generate:schema -w @purna/rules`').to.equal(`${JSON.stringify(programSchemaDocument(), null, 2)}\n`);
  });
});

describe('parseProgram: the moments section', () => {
  // The lead times of the after-sales example program (toko-aftercare.program.json), on the example program.
  const moments = {
    pointsExpiring: { daysBefore: [30, 7] },
    tierAtRisk: { daysBefore: 14 },
    warrantyWindowClosing: { daysBefore: [3, 14] },
    followUp: { daysAfterDelivery: 7 },
    caseFollowUp: { daysAfterResolution: 14 },
  };

  it('accepts one lead time or a list, and reads them as lists, longest first', () => {
    const program = parseProgram({ ...exampleProgramJson(), moments });
    expect(momentLeadTimes(program.moments)).to.deep.equal({
      pointsExpiring: [30, 7],
      tierAtRisk: [14],
      warrantyWindowClosing: [14, 3],
      followUpAfterDelivery: 7,
      caseFollowUpAfterResolution: 14,
    });
    expect(momentLeadTimes(undefined)).to.deep.equal({ pointsExpiring: [], tierAtRisk: [], warrantyWindowClosing: [], followUpAfterDelivery: undefined, caseFollowUpAfterResolution: undefined });
  });

  it('refuses a lead time twice, a lead time of 0, a missing one and an unknown kind, each once in its own words', () => {
    const problems = problemsOf({ ...exampleProgramJson(), moments: { pointsExpiring: { daysBefore: [30, 30] }, tierAtRisk: { daysBefore: 0 }, followUp: {}, birthdays: {} } });
    expect(problems.map((p) => [p.pointer, p.code])).to.have.deep.members([
      ['/moments/pointsExpiring/daysBefore', 'invalid-value'],
      ['/moments/tierAtRisk/daysBefore', 'invalid-value'],
      ['/moments/followUp/daysAfterDelivery', 'missing-field'],
      ['/moments/birthdays', 'unknown-field'],
    ]);
    expect(problems.find((p) => p.pointer === '/moments/tierAtRisk/daysBefore')?.message).to.equal('moments.tierAtRisk.daysBefore must be a number of days like 14, or a list of them like [30, 7], got 0');
  });
});
