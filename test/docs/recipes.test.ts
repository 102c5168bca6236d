import { readdir, readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { parseProgram } from '@purna/rules';

const RECIPES = new URL('../../docs/recipes/', import.meta.url);

describe('docs: recipes', () => {
  it('has the three recipes the docs promise, each with its program file', async () => {
    const files = await readdir(RECIPES);
    for (const name of ['indonesian-electronics-idr', 'us-shop-usd-dst', 'philippine-shop-php']) {
      expect(files).to.include(`${name}.md`);
      expect(files).to.include(`${name}.program.json`);
      const text = await readFile(new URL(`${name}.md`, RECIPES), 'utf8');
      expect(text, `${name}.md links its program`).to.include(`(${name}.program.json)`);
    }
  });

  it('every recipe program is valid (parseProgram accepts it) and in the currency and zone its recipe is about', async () => {
    const expected: Record<string, [currency: string, zone: string]> = {
      'indonesian-electronics-idr.program.json': ['IDR', 'Asia/Jakarta'],
      'us-shop-usd-dst.program.json': ['USD', 'America/New_York'],
      'philippine-shop-php.program.json': ['PHP', 'Asia/Manila'],
    };
    const programs = (await readdir(RECIPES)).filter((f) => f.endsWith('.program.json'));
    expect(programs).to.have.members(Object.keys(expected));
    for (const file of programs) {
      const program = parseProgram(await readFile(new URL(file, RECIPES), 'utf8'));
      expect([program.currency, program.timezone], file).to.deep.equal(expected[file]);
    }
  });
});
