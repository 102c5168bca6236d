import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { ProgramSchema } from '@purna/rules';
import { REFERENCE_PATH, renderProgramReference } from '../../scripts/docs/program-reference.js';

describe('docs: program reference', () => {
  it(`${REFERENCE_PATH} is what the generator writes from the current schema`, async () => {
    const onDisk = await readFile(new URL(`../../${REFERENCE_PATH}`, import.meta.url), 'utf8');
    expect(onDisk === renderProgramReference(), `${REFERENCE_PATH} is stale: run node --conditions=purna-source --import tsx scripts/docs/program-reference.ts`).to.equal(true);
  });

  it('documents every top-level field of the schema, with whether it is required', () => {
    const text = renderProgramReference();
    const required = new Set<string>(ProgramSchema.required ?? []);
    for (const key of Object.keys(ProgramSchema.properties)) {
      expect(text).to.include(`| \`${key}\` | ${required.has(key) ? 'yes' : 'no'} |`);
    }
  });

  it('documents the condition grammar and every operator', () => {
    const text = renderProgramReference();
    expect(text).to.include('<a id="condition"></a>');
    for (const op of ['eq', 'ne', 'lt', 'lte', 'gt', 'gte', 'in', 'nin', 'between', 'exists']) expect(text).to.match(new RegExp(`\\b${op}\\b`));
  });
});
