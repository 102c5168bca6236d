/**
 * The playground in headless Chromium, served by the API (a real app on an ephemeral port, memory store) under its
 * Content-Security-Policy without 'unsafe-eval': built first (scripts/playground/build.ts), then a marketer's path
 * through it: an error shown at its line and column, the fix, a quote with its explanation in two languages, a
 * backtest in the worker against a published program, and publishing with an API key. The network is cut once the
 * page has loaded, and given back only to publish. Every CSP violation and page error fails the suite.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import type { Page } from 'playwright-core';
import { openLedger, type Ledger } from '@purna/ledger';
import { ROUNDING_MODES } from '@purna/rules';
import { createApp } from '../../api/src/app.js';
import { generateApiKey } from '../../api/src/auth/api-key.js';
import { buildPlayground } from '../../scripts/playground/build.js';
import { describeChromium, screenshotOnFailure } from '../support/chromium.js';

const recipe = await readFile(new URL('../../docs/recipes/indonesian-electronics-idr.program.json', import.meta.url), 'utf8');
const pretty = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The recipe with its rounding mode misspelt, and where the mistake is in that text (line and column from 1). */
function withBadRounding(): { text: string; line: number; column: number } {
  const program = JSON.parse(recipe) as { points: { rounding: string } };
  program.points.rounding = 'sideways';
  const text = pretty(program);
  const lines = text.split('\n');
  const index = lines.findIndex((l) => l.includes('"rounding": "sideways"'));
  return { text, line: index + 1, column: lines[index]!.indexOf('"sideways"') + 1 };
}

/**
 * Two February orders of two new (Bronze, ×1) customers, neither on Harbolnas nor reaching big-basket's
 * Rp5.000.000: by hand, with `base` at 1 point per Rp10.000 the laptop earns 300 and the phone 200; the published
 * program below gives 1 point per Rp20.000: 150 and 100. All points are still held at the end (pending or
 * available, nothing expires within 12 months), and a point is worth Rp100: liability 500 × 100 = 50000 against
 * 250 × 100 = 25000.
 */
const ORDERS = [
  { id: 'b-1', customerId: 'andi', placedAt: '2026-02-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '3000000' }] },
  { id: 'b-2', customerId: 'budi', placedAt: '2026-02-10T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'PH-9', category: 'phone', quantity: 1, unitPrice: '2000000' }] },
];
function publishedHalfRate(): string {
  const program = JSON.parse(recipe) as { earning: Array<{ id: string; award: { pointsPer?: { amount: string } } }> };
  program.earning.find((r) => r.id === 'base')!.award.pointsPer!.amount = '20000';
  return pretty(program);
}

/** Per step: a browser on a machine shared with other work can be slow to lay out and run the page. */
const SLOW = 60_000;

/** Records CSP violations from the page's first moment. */
const WATCH_CSP = `window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));`;

describeChromium('playground: a marketer edits, quotes, backtests and publishes', (chromium) => {
  let ledger: Ledger;
  let server: Server;
  let origin: string;
  let adminKey: string;
  let files: string;
  let page: Page;
  const pageErrors: string[] = [];

  before(async function () {
    this.timeout(120_000);
    files = await mkdtemp(join(tmpdir(), 'purna-playground-'));
    const built = await buildPlayground(join(files, 'dist'));
    ledger = await openLedger({ store: 'memory' });
    const generated = generateApiKey();
    await ledger.apiKeys.insert({ tenantId: 'shop-a', keyId: generated.keyId, hash: generated.hash, scopes: ['admin'], name: 'test', createdAt: '2026-01-01T00:00:00.000Z' });
    adminKey = generated.key;
    const app = createApp({ ledger, playgroundDir: built.out });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await writeFile(join(files, 'orders.ndjson'), ORDERS.map((o) => JSON.stringify(o)).join('\n'));
    await writeFile(join(files, 'published.program.json'), publishedHalfRate());

    page = await chromium().browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
    await page.addInitScript(WATCH_CSP);
    const response = await page.goto(`${origin}/playground`);
    expect(response?.url()).to.equal(`${origin}/playground/`);
    const csp = response?.headers()['content-security-policy'] ?? '';
    // Scripts from this origin only: no inline script, no eval (CodeMirror's inline styles are let through).
    expect(csp.split('; ').filter((d) => d.startsWith('script-src') || d.startsWith('default-src') || d.startsWith('worker-src'))).to.have.members([
      "default-src 'self'",
      "script-src 'self'",
      "worker-src 'self'",
    ]);
    expect(csp).not.to.include('unsafe-eval');
    await page.waitForSelector('#program-status.ok');
    // Everything but publishing runs with the network cut.
    await page.context().setOffline(true);
  });
  after(async () => {
    await page?.close();
    if (server) await new Promise((resolve) => server.close(resolve));
    await ledger?.close();
  });
  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) console.error(`    screenshot of the failed page: ${await screenshotOnFailure(page, this.currentTest.title)}`);
  });

  async function replaceProgram(text: string): Promise<void> {
    await page.click('#editor .cm-content');
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
  }

  it('shows a mistake in the editor at its line and column, documents the field on hover, and the program valid again once fixed', async function () {
    this.timeout(SLOW);
    const bad = withBadRounding();
    await replaceProgram(bad.text);
    await page.waitForSelector('#program-status.bad');
    const problems = page.locator('#problems li');
    expect(await problems.count()).to.equal(1);
    expect([await problems.getAttribute('data-line'), await problems.getAttribute('data-column')]).to.deep.equal([String(bad.line), String(bad.column)]);
    expect(await problems.textContent()).to.include(`Line ${bad.line}, column ${bad.column}`).and.to.include('"sideways"');
    // The problem's link takes the cursor there, where the editor underlines the value.
    await page.click('#problems li button');
    expect(await page.textContent('#editor .cm-activeLine')).to.include('"rounding": "sideways"');
    expect(await page.textContent('#editor .cm-lintRange-error')).to.equal('"sideways"');
    // Hovering the field's name shows its documentation, from the schema.
    const key = await page.evaluate<{ x: number; y: number } | null>(`(() => {
      const line = [...document.querySelectorAll('#editor .cm-line')].find((l) => l.textContent.includes('"rounding": "sideways"'));
      const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const i = node.data.indexOf('rounding');
        if (i < 0) continue;
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
      }
      return null;
    })()`);
    expect(key, 'the line of "rounding" is shown').not.to.equal(null);
    await page.mouse.move(key!.x, key!.y);
    const hover = page.locator('.schema-hover');
    await hover.waitFor();
    expect(await hover.textContent()).to.equal(`points.roundingMust be one of ${ROUNDING_MODES.join(', ')}. Default: "floor".`);
    await replaceProgram(pretty(JSON.parse(recipe)));
    await page.waitForSelector('#program-status.ok');
    expect(await page.locator('#problems li').count()).to.equal(0);
  });

  it('suggests the fields the schema allows where a key goes', async function () {
    this.timeout(SLOW);
    const program = JSON.parse(recipe) as Record<string, unknown>;
    // The top-level object without its `tiers`: a key typed there may be completed to it.
    delete program.tiers;
    const text = pretty(program);
    await replaceProgram(text.replace(/\n}\n$/, ',\n  "ti'));
    await page.keyboard.press('Control+Space');
    await page.waitForSelector('.cm-tooltip-autocomplete');
    const options = await page.locator('.cm-tooltip-autocomplete li').allTextContents();
    expect(options.some((o) => o.startsWith('"tiers"'))).to.equal(true);
    await page.keyboard.press('Escape');
    await replaceProgram(pretty(JSON.parse(recipe)));
    await page.waitForSelector('#program-status.ok');
  });

  it('quotes the recipe\'s worked order: 2375 points, Silver, explained in English, Indonesian and Filipino', async function () {
    this.timeout(SLOW);
    await page.selectOption('#sample-order', 'harbolnas-tv');
    await page.click('#quote');
    await page.waitForSelector('#quote-result dl');
    // docs/recipes/indonesian-electronics-idr.md, by hand: 850 base, doubled to 1700, +200 big-basket, ×1.25 = 2375;
    // tier spend 6.000.000 + 8.500.000 stays under Gold's 20.000.000.
    const figures = await page.locator('#quote-result dd').allTextContents();
    expect(figures).to.deep.equal(['2375', 'Silver', 'Silver']);
    const english = await page.textContent('#explanation');
    expect(english).to.include('Order o-1212 placed on 12 December 2026, 10:00 (Asia/Jakarta) earns 2,375 points.');
    await page.selectOption('#language', 'id');
    await page.waitForSelector('#explanation[lang="id"]');
    expect(await page.textContent('#explanation')).to.include('Pesanan o-1212 pada 12 Desember 2026, 10:00 (Asia/Jakarta) mendapat 2.375 poin.');
    // Filipino, from the same catalog as the API's Accept-Language: fil: the headline's words, digits grouped by commas.
    await page.selectOption('#language', 'fil');
    await page.waitForSelector('#explanation[lang="fil"]');
    const filipino = await page.textContent('#explanation');
    expect(filipino).to.include('Ang order o-1212 na ginawa noong');
    expect(filipino).to.include('2,375');
    await page.selectOption('#language', 'en');
  });

  it('says why an order cannot be quoted, field by field', async function () {
    this.timeout(SLOW);
    // The Indonesian program counts in rupiah: an order in dollars is refused, at its currency.
    const order = { id: 'o-usd', customerId: 'c', placedAt: '2026-12-01T10:00:00+07:00', currency: 'USD', lines: [{ sku: 'TV-55', category: 'tv', quantity: 1, unitPrice: '500' }] };
    await page.selectOption('#sample-order', '');
    await page.fill('#order-input', JSON.stringify(order));
    await page.click('#quote');
    await page.waitForSelector('#quote-result .bad');
    const lines = await page.locator('#quote-result p').allTextContents();
    expect(lines[0]).to.equal('The order cannot be quoted:');
    expect(lines.slice(1).some((l) => l.startsWith('/order/currency: '))).to.equal(true);
    expect(await page.locator('#explanation p').count()).to.equal(0);
  });

  it('backtests an orders file in the worker, with progress to done and the liability against the published program', async function () {
    this.timeout(SLOW);
    await page.setInputFiles('#orders-file', join(files, 'orders.ndjson'));
    await page.setInputFiles('#baseline-file', join(files, 'published.program.json'));
    await page.waitForSelector('#baseline-status.ok');
    await page.click('#run-backtest');
    await page.waitForSelector('#backtest-result[data-done]');
    // A progress element's value property reflects its attribute.
    expect(await page.getAttribute('#backtest-progress', 'value')).to.equal('1');
    expect(await page.textContent('#backtest-progress-text')).to.equal('Done: 2 records.');
    const rows = await Promise.all((await page.locator('#backtest-result tbody tr').all()).map((tr) => tr.locator('th, td').allTextContents()));
    expect(rows).to.deep.include(['Points on orders', '500', '250']);
    expect(rows).to.deep.include(['Liability', 'IDR 50000', 'IDR 25000']);
    const difference = await page.locator('#backtest-result dd').allTextContents();
    expect(difference).to.deep.equal(['+250', '+25000 IDR']);
  });

  it('stops a backtest at a record it cannot decide, naming the file and line', async function () {
    this.timeout(SLOW);
    await writeFile(join(files, 'bad.ndjson'), `${JSON.stringify(ORDERS[0])}\n${JSON.stringify({ ...ORDERS[1], currency: 'USD' })}\n`);
    await page.setInputFiles('#orders-file', join(files, 'bad.ndjson'));
    await page.click('#run-backtest');
    await page.waitForSelector('#backtest-result .bad');
    expect(await page.textContent('#backtest-progress-text')).to.equal('Stopped.');
    expect(await page.textContent('#backtest-result')).to.match(/^bad\.ndjson:2: .*"USD".*"IDR"/);
    expect(await page.isEnabled('#run-backtest')).to.equal(true);
  });

  it('publishes the program with the API key, kept in the tab\'s sessionStorage', async function () {
    this.timeout(SLOW);
    await page.context().setOffline(false);
    await page.fill('#api-key', adminKey);
    await page.click('#publish');
    await page.waitForSelector('#publish-status .ok');
    expect(await page.textContent('#publish-status')).to.equal(`Published “${(JSON.parse(recipe) as { id: string }).id}” as version 1.`);
    const storage = () => (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } }).sessionStorage.getItem('purna.playground.apiKey');
    expect(await page.evaluate(storage)).to.equal(adminKey);
    const stored = await ledger.getProgram('shop-a');
    expect(stored.version).to.equal(1);
    expect(stored.program).to.deep.equal(JSON.parse(recipe));
    // What was just published is the backtest's comparison now; after another file is chosen, the published one can
    // be read back from the server with the key.
    expect(await page.textContent('#baseline-status')).to.equal('Comparing with the published program, version 1.');
    await writeFile(join(files, 'half-rate.program.json'), publishedHalfRate());
    await page.setInputFiles('#baseline-file', join(files, 'half-rate.program.json'));
    await page.waitForSelector('#baseline-status:has-text("half-rate.program.json")');
    await page.click('#load-published');
    await page.waitForSelector('#baseline-status:has-text("version 1")');
    expect(await page.textContent('#baseline-status')).to.equal('Comparing with the published program, version 1.');
  });

  it('refuses to publish with a wrong key and says why', async function () {
    this.timeout(SLOW);
    await page.fill('#api-key', 'pk_wrong');
    // Enter in the key's field publishes, as the button does.
    await page.press('#api-key', 'Enter');
    await page.waitForSelector('#publish-status .bad');
    expect(await page.textContent('#publish-status')).to.include('Not published').and.to.include('API key');
  });

  it('ran without a CSP violation or a page error', async function () {
    this.timeout(SLOW);
    expect(await page.evaluate(() => (globalThis as unknown as { cspViolations: string[] }).cspViolations)).to.deep.equal([]);
    // The browser logs the refused publish (the wrong key) itself.
    expect(pageErrors.filter((e) => e !== 'Failed to load resource: the server responded with a status of 401 (Unauthorized)')).to.deep.equal([]);
  });
});
