import { readFile } from 'node:fs/promises';
import { expect } from 'chai';
import { runPurna } from './support/run-purna.js';

describe('cli: purna --version (CLI process)', function () {
  this.timeout(60_000);
  let version: string;
  before(async () => {
    ({ version } = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string });
  });

  it('prints the version of @purna/api and nothing else, exit 0; -v is the same', async () => {
    for (const flag of ['--version', '-v']) {
      const run = await runPurna([flag]);
      expect(run.stdout, flag).to.equal(`${version}\n`);
      expect(run.stderr, flag).to.equal('');
      expect(run.code, flag).to.equal(0);
    }
  });

  it('is named in the overview printed without a command', async () => {
    const run = await runPurna([]);
    expect(run.code).to.equal(2);
    expect(run.stderr).to.include('"purna --version" for the version');
  });
});
