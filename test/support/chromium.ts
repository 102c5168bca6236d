/**
 * `describeChromium` wraps a suite that drives a headless Chromium through playwright-core: Debian's `chromium`
 * (or `PURNA_CHROMIUM`, a path to a Chromium or Chrome binary). Nothing is downloaded: playwright-core brings no
 * browser. Without one, the suite is skipped with one loud line; with `CI=true` that skip is a failure (.ci/run
 * installs chromium first).
 */
import { accessSync, constants, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

let warned = false;

/** The Chromium binary to drive: `PURNA_CHROMIUM`, else `chromium` or `chromium-browser` on the PATH. */
export function chromiumPath(): string | undefined {
  const executable = (path: string): boolean => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  };
  const chosen = process.env.PURNA_CHROMIUM;
  if (chosen) return executable(chosen) ? chosen : undefined;
  for (const folder of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of ['chromium', 'chromium-browser']) if (executable(join(folder, name))) return join(folder, name);
  }
  return undefined;
}

/** What a suite body reads: the running browser. */
export interface ChromiumContext {
  readonly browser: Browser;
}

/**
 * A suite with a headless Chromium started once for it and closed after it.
 *
 * @example describeChromium('storefront', (chromium) => { it('quotes', async () => { const page = await chromium().browser.newPage(); … }); });
 */
export function describeChromium(title: string, body: (ctx: () => ChromiumContext) => void): void {
  let current: ChromiumContext | undefined;
  const ctx = (): ChromiumContext => {
    if (!current) throw new Error('describeChromium context read outside a running test');
    return current;
  };
  describe(`${title} [chromium]`, function () {
    before(async function () {
      const path = chromiumPath();
      if (!path) {
        const reason = process.env.PURNA_CHROMIUM ? `PURNA_CHROMIUM=${process.env.PURNA_CHROMIUM} is not an executable file` : 'no chromium on the PATH';
        if (process.env.CI === 'true') throw new Error(`Chromium suites are required in CI but cannot run: ${reason} (.ci/run installs Debian's chromium)`);
        if (!warned) {
          warned = true;
          console.error(`\n!!! SKIPPING every Chromium suite: ${reason}. Install it (apt-get install chromium) or set PURNA_CHROMIUM. !!!\n`);
        }
        this.skip();
      }
      current = { browser: await chromium.launch({ executablePath: path, headless: true }) };
    });
    after(async () => {
      await current?.browser.close();
      current = undefined;
    });
    body(ctx);
  });
}

/** Saves a screenshot of `page` in a new temporary folder and returns its path (for a failed test's message). */
export async function screenshotOnFailure(page: Page, name: string): Promise<string> {
  const file = join(mkdtempSync(join(tmpdir(), 'purna-chromium-')), `${name.replace(/[^A-Za-z0-9-]+/g, '-')}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
