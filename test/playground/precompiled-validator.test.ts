/**
 * The program validator the playground's build generates ahead of time (ajv standalone) says exactly what the one
 * compiled at run time says: @purna/rules bundled with the swap (scripts/playground/build.ts) and run in Node
 * answers every program below with the same problems as the library itself, and the bundle holds no code generator.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'chai';
import { build } from 'esbuild';
import { parseProgram, type ProgramError } from '@purna/rules';
import { precompiledValidator } from '../../scripts/playground/build.js';

type Parse = typeof parseProgram;

const recipes = ['indonesian-electronics-idr', 'us-shop-usd-dst', 'philippine-shop-php'];
const text = (name: string) => readFile(new URL(`../../docs/recipes/${name}.program.json`, import.meta.url), 'utf8');

/** The problems parse finds, or [] when it accepts the program. */
function problemsOf(parse: Parse, program: unknown): unknown[] {
  try {
    parse(program);
    return [];
  } catch (error) {
    if (error instanceof Error && error.name === 'ProgramError') return [...(error as ProgramError).errors];
    throw error;
  }
}

describe('playground: the program validator generated at build time', () => {
  let bundled: { parseProgram: Parse };
  let inputs: string[];
  let code: string;

  before(async function () {
    this.timeout(60_000);
    const out = join(await mkdtemp(join(tmpdir(), 'purna-precompiled-')), 'rules.mjs');
    const result = await build({
      entryPoints: [new URL('../../packages/rules/src/index.ts', import.meta.url).pathname],
      bundle: true,
      platform: 'node',
      format: 'esm',
      conditions: ['purna-source'],
      plugins: [precompiledValidator()],
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    code = result.outputFiles[0]!.text;
    inputs = Object.keys(result.metafile.inputs);
    await writeFile(out, code);
    bundled = (await import(pathToFileURL(out).href)) as { parseProgram: Parse };
  });

  it('holds no schema compiler: neither ajv\'s compiler nor new Function', () => {
    expect(inputs.filter((i) => i.includes('ajv/dist/compile/') || i.includes('ajv/dist/core'))).to.deep.equal([]);
    expect(code).not.to.match(/\bnew Function\(/);
  });

  it('accepts every recipe program as the library does', async () => {
    for (const name of recipes) {
      const program = await text(name);
      expect(problemsOf(bundled.parseProgram, program), name).to.deep.equal([]);
      expect(bundled.parseProgram(program)).to.deep.equal(parseProgram(program));
    }
  });

  it('refuses bad programs with the same problems, pointers and sentences as the library', async () => {
    const base = JSON.parse(await text('indonesian-electronics-idr')) as Record<string, unknown> & {
      points: Record<string, unknown>;
      earning: Array<Record<string, unknown>>;
      tiers: { levels: Array<Record<string, unknown>> };
    };
    const variants: Record<string, (p: typeof base) => void> = {
      'a value outside an enum': (p) => { p.points.rounding = 'sideways'; },
      'an unknown field': (p) => { p.points.colour = 'blue'; },
      'a missing field': (p) => { delete p.tiers.levels[0]!.threshold; },
      'a date-time format': (p) => { p.earning[1]!.valid = { from: 'tomorrow' }; },
      'a union no branch fits': (p) => { p.earning[0]!.award = { pointsPer: { amount: '-5', points: 1 }, points: 3 }; },
      'a semantic problem after the schema': (p) => { p.earning[1]!.id = 'base'; },
      'not an object at all': (p) => { Object.assign(p, { currency: 12 }); },
    };
    for (const [why, change] of Object.entries(variants)) {
      const program = structuredClone(base);
      change(program);
      const expected = problemsOf(parseProgram, program);
      expect(expected, `${why}: the library refuses it`).not.to.deep.equal([]);
      expect(problemsOf(bundled.parseProgram, program), why).to.deep.equal(expected);
    }
  });
});
