/**
 * The playground's program checks, in Node: JSON syntax errors and parseProgram's problems placed at the line and
 * column of the text they are about, and the schema's completions and hover docs at a place of the text.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { CompletionContext } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { ROUNDING_MODES, parseProgram } from '@purna/rules';
import { checkProgramText, lineColumn } from '../../playground/src/program-check.js';
import { describeSchema, programCompletions, programHoverInfo, schemasAt } from '../../playground/src/schema-assist.js';

const recipe = JSON.parse(readFileSync(new URL('../../docs/recipes/us-shop-usd-dst.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Line and column (from 1) of the first occurrence of `needle` in `text`, counted here by hand. */
function whereIs(text: string, needle: string): { line: number; column: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return { line: line + 1, column: lines[line]!.indexOf(needle) + 1 };
}

describe('playground: program problems at their line and column', () => {
  it('counts lines and columns from 1', () => {
    expect(lineColumn('ab\ncd', 0)).to.deep.equal({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 4)).to.deep.equal({ line: 2, column: 2 });
  });

  it('a valid program has no problems and comes back parsed', () => {
    const check = checkProgramText(pretty(recipe));
    expect(check.problems).to.deep.equal([]);
    expect(check.program).to.deep.equal(parseProgram(recipe));
  });

  it('places a JSON syntax error where the parser stopped, before any schema check', () => {
    // Line 2 lacks its comma: the parser expects one at the start of line 3's key.
    const check = checkProgramText('{\n  "id": "x"\n  "name": "y"\n}');
    expect(check.program).to.equal(undefined);
    expect(check.problems).to.have.length(1);
    expect(check.problems[0]).to.include({ line: 3, column: 3, code: 'invalid-json' });
    expect(check.problems[0]!.message).to.match(/^not valid JSON: CommaExpected$/);
  });

  it('places a wrong value on the value, an unknown field on its name, a missing field on the object that lacks it', () => {
    const program = structuredClone(recipe) as { points: Record<string, unknown>; tiers: { levels: Array<Record<string, unknown>> } };
    program.points.rounding = 'sideways';
    program.points.colour = 'blue';
    delete program.tiers.levels[1]!.threshold;
    const text = pretty(program);
    const problems = checkProgramText(text).problems;
    const at = (pointer: string) => problems.find((p) => p.pointer === pointer);
    expect(at('/points/rounding')).to.include({ ...whereIs(text, '"sideways"'), to: text.indexOf('"sideways"') + '"sideways"'.length });
    expect(at('/points/colour')).to.include(whereIs(text, '"colour"'));
    // The second level's object: the brace that opens before its id.
    const secondLevel = text.lastIndexOf('{', text.indexOf(`"id": "${String(program.tiers.levels[1]!.id)}"`));
    expect(at('/tiers/levels/1/threshold')).to.include(lineColumn(text, secondLevel));
    // In text order, so the list reads from the top of the editor down.
    expect(problems.map((p) => p.from)).to.deep.equal([...problems.map((p) => p.from)].sort((a, b) => a - b));
  });
});

describe('playground: completion and hover docs from the program schema', () => {
  function complete(text: string): string[] {
    const state = EditorState.create({ doc: text });
    const result = programCompletions(new CompletionContext(state, text.length, true));
    return result?.options.map((o) => o.label) ?? [];
  }

  it('finds the schema of a field through arrays and references', () => {
    expect(schemasAt(['points', 'rounding']).flatMap((s) => s.enum ?? [])).to.have.members([...ROUNDING_MODES]);
    expect(schemasAt(['earning', 0]).flatMap((s) => Object.keys(s.properties ?? {}))).to.include.members(['id', 'name', 'award', 'when']);
  });

  it('offers the fields of the object where a key is typed, and the allowed values where a value is', () => {
    expect(complete('{"points": {"ro')).to.include('"rounding"');
    expect(complete('{"points": {"rounding": ')).to.include.members(ROUNDING_MODES.map((m) => JSON.stringify(m)));
  });

  it('documents a field in the words of its schema, with its default', () => {
    expect(describeSchema(schemasAt(['points', 'rounding']))).to.equal(`Must be one of ${ROUNDING_MODES.join(', ')}. Default: "floor".`);
    const text = '{"points": {"rounding": "floor"}}';
    expect(programHoverInfo(text, text.indexOf('rounding') + 2)).to.include({ path: 'points.rounding', from: text.indexOf('"rounding"'), to: text.indexOf('"rounding"') + '"rounding"'.length });
  });
});
