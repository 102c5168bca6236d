/**
 * The quote-only bundle in a storefront page under `Content-Security-Policy: script-src 'self'` (no 'unsafe-eval'),
 * in headless Chromium: the page loads the bundle built by scripts/rules/browser-bundle.ts from a static server on
 * 127.0.0.1, revives a packed program and quotes an order, with no CSP violation and no error. The full library's
 * bundle on the same kind of page fails with an EvalError, which shows the policy is enforced.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { compileProgram, packQuoteProgram, parseProgram, quoteOrder, type QuoteOrderInput } from '../src/index.js';
import { bundleRules } from '../../../scripts/rules/browser-bundle.js';
import { describeChromium, screenshotOnFailure } from '../../../test/support/chromium.js';

const CSP = "script-src 'self'";
const programText = readFileSync(new URL('../../../examples/toko-rewards.program.json', import.meta.url), 'utf8');

/**
 * A December order of a silver customer (Rp12.000.000 of tier spend in June): a TV, a cable and shipping.
 * By hand, from examples/toko-rewards.program.json:
 * - base (1 point per Rp10.000, shipping excluded): TV 8.000.000 → 800, cable 150.000 → 15;
 * - tv-double (×2 on TV lines in December): the TV line's 800 once more → +800;
 * - big-basket (200 once a month when order.total ≥ Rp5.000.000; total 8.180.000, no use yet this month) → +200;
 * - silver multiplier 1.25: (800 + 800 + 15 + 200) × 1.25 = 2268.75, floored → 2268;
 * - tier spend after: 12.000.000 + 8.150.000 (shipping excluded) = 20.150.000 ≥ gold's 20.000.000 → gold.
 */
const input: QuoteOrderInput = {
  customer: { id: 'dewi', enrolledAt: '2025-11-01T09:00:00+07:00' },
  order: {
    id: 'o-2001',
    customerId: 'dewi',
    placedAt: '2026-12-05T10:00:00+07:00',
    currency: 'IDR',
    lines: [
      { sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '8000000' },
      { sku: 'HDMI-2', category: 'accessory', quantity: 1, unitPrice: '150000' },
      { sku: 'SHIP', category: 'shipping', quantity: 1, unitPrice: '30000' },
    ],
  },
  history: { orders: [{ id: 'o-1900', placedAt: '2026-06-15T10:00:00+07:00', tierSpend: '12000000', points: 1200 }], usage: {} },
};

/** Records CSP violations from the first script on, before any bundle runs. */
const WATCH_SCRIPT = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI }));`;

/** The storefront's own script: `load` turns the packed program and the input into a quote with the bundle. */
function pageScript(bundle: string, load: string): string {
  return `import * as rules from './${bundle}';
const out = document.getElementById('result');
try {
  const [program, input] = await Promise.all([fetch('./program.json').then((r) => r.text()), fetch('./input.json').then((r) => r.json())]);
  const compiled = (${load})(program);
  const quote = rules.quoteOrder(compiled, input, { at: input.order.placedAt, trace: true });
  window.quoteResult = JSON.parse(JSON.stringify(quote));
  out.textContent = quote.points + ' points, ' + quote.tierBefore + ' to ' + quote.tierAfter;
} catch (error) {
  window.quoteError = error.name + ': ' + error.message;
  out.textContent = window.quoteError;
}
document.body.dataset.done = 'true';`;
}

const page = (script: string) => `<!doctype html><html><head><meta charset="utf-8"><title>storefront</title><link rel="icon" href="data:,"><script src="./watch.js"></script></head>
<body><h1>Your points</h1><p id="result">quoting…</p><script type="module" src="./${script}"></script></body></html>`;

interface Served {
  readonly server: Server;
  readonly origin: string;
}

async function serve(files: Record<string, { type: string; body: string }>): Promise<Served> {
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': `${file.type}; charset=utf-8`, 'Content-Security-Policy': CSP, 'Cache-Control': 'no-store' });
    response.end(file.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface PageRun {
  readonly quote: Record<string, unknown> | undefined;
  readonly error: string | undefined;
  readonly violations: Array<{ directive: string; blocked: string }>;
  /** Console errors and uncaught exceptions. */
  readonly errors: string[];
}

describeChromium('storefront: the quote-only bundle under a strict CSP', (chromium) => {
  let served: Served;
  let current: Page | undefined;

  before(async () => {
    const [quote, full] = await Promise.all([bundleRules('quote'), bundleRules('full')]);
    const js = (body: string) => ({ type: 'text/javascript', body });
    served = await serve({
      '/quote.html': { type: 'text/html', body: page('quote-page.js') },
      '/full.html': { type: 'text/html', body: page('full-page.js') },
      '/watch.js': js(WATCH_SCRIPT),
      '/purna-rules-quote.js': js(quote.code),
      '/purna-rules-full.js': js(full.code),
      '/quote-page.js': js(pageScript('purna-rules-quote.js', 'rules.reviveQuoteProgram')),
      // The full library's way: parseProgram on the page, whose validator compiles itself with new Function.
      '/full-page.js': js(pageScript('purna-rules-full.js', '(json) => rules.compileProgram(rules.parseProgram(JSON.parse(json).program))')),
      '/program.json': { type: 'application/json', body: JSON.stringify(packQuoteProgram(programText)) },
      '/input.json': { type: 'application/json', body: JSON.stringify(input) },
    });
  });
  after(async () => {
    if (served) await new Promise((resolve) => served.server.close(resolve));
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && current) {
      console.error(`    screenshot of the failed page: ${await screenshotOnFailure(current, this.currentTest.title)}`);
    }
    await current?.close();
    current = undefined;
  });

  async function open(path: string): Promise<PageRun> {
    current = await chromium().browser.newPage();
    const errors: string[] = [];
    current.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    current.on('pageerror', (error) => errors.push(`${error.name}: ${error.message}`));
    const response = await current.goto(`${served.origin}${path}`);
    expect(response?.headers()['content-security-policy']).to.equal(CSP);
    await current.waitForSelector('body[data-done]');
    const seen = await current.evaluate(() => {
      const w = globalThis as unknown as { quoteResult?: Record<string, unknown>; quoteError?: string; cspViolations: Array<{ directive: string; blocked: string }> };
      return { quote: w.quoteResult, error: w.quoteError, violations: w.cspViolations };
    });
    return { ...seen, errors };
  }

  it('quotes an order with the quote-only bundle: the points worked by hand, no violation, no error', async () => {
    const run = await open('/quote.html');
    expect(run.error).to.equal(undefined);
    expect(run.violations).to.deep.equal([]);
    expect(run.errors).to.deep.equal([]);
    expect(run.quote).to.include({ points: 2268, tierBefore: 'silver', tierAfter: 'gold', tierSpend: '8150000' });
    expect(run.quote?.usage).to.deep.equal([{ key: 'earn:big-basket:2026-12', count: 1 }]);
    // And the whole quote, trace included, is the full library's in Node.
    const inNode = quoteOrder(compileProgram(parseProgram(programText)), input, { at: input.order.placedAt!, trace: true });
    expect(run.quote).to.deep.equal(JSON.parse(JSON.stringify(inNode)));
    expect(await current!.textContent('#result')).to.equal('2268 points, silver to gold');
  });

  it('the full bundle on the same page fails: its validator needs unsafe-eval, so the policy is enforced', async () => {
    const run = await open('/full.html');
    expect(run.quote).to.equal(undefined);
    expect(run.error).to.match(/^EvalError: /);
    expect(run.violations.map((v) => v.blocked)).to.include('eval');
  });
});
