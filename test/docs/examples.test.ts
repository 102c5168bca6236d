/**
 * The repository's own copy of the example program and scenario (examples/), which README and docs/ point at, is
 * the shared acceptance example as it is, byte for byte: a clone has it, and it cannot drift from the original.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');

describe('examples/', () => {
  for (const file of ['toko-rewards.program.json', 'toko-basic.scenario.json', 'toko-aftercare.program.json']) {
    it(`${file} is the shared example, unchanged`, () => {
      expect(read(`../../examples/${file}`)).to.equal(read(`../../../shared/examples/${file}`));
    });
  }
});
