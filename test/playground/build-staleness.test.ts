/** `npm start` builds the playground first only when it must (scripts/playground/build.ts, `--if-stale`). */
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { playgroundStale } from '../../scripts/playground/build.js';

describe('playground build: stale or not', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'purna-playground-stale-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  it('is stale where nothing was built', async () => {
    expect(await playgroundStale(out)).to.equal(true);
  });

  it('is up to date when built after every source, and stale when built before one of them', async () => {
    const page = join(out, 'index.html');
    await writeFile(page, '<!doctype html>');
    const inAnHour = new Date(Date.now() + 3_600_000);
    await utimes(page, inAnHour, inAnHour);
    expect(await playgroundStale(out)).to.equal(false);
    // Built in 2001: every source of the checkout is newer.
    const longAgo = new Date('2001-01-01T00:00:00Z');
    await utimes(page, longAgo, longAgo);
    expect(await playgroundStale(out)).to.equal(true);
  });
});
