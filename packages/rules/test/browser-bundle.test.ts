/**
 * @purna/rules runs in a browser: its bundles pull no Node built-in, and the quote-only entry point (src/quote.ts)
 * carries no schema validator or code generator and stays within its size budget (docs/storefront.md).
 */
import { expect } from 'chai';
import { builtinModules } from 'node:module';
import { bundleRules, type RulesBundle } from '../../../scripts/rules/browser-bundle.js';

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
/** The packages that validate or build schemas, and generate code from them. */
const SCHEMA_PACKAGES = /node_modules\/(ajv|ajv-formats|@sinclair\/typebox|fast-uri|fast-deep-equal|json-schema-traverse)\//;
/** What code generation at run time looks like in a minified bundle (a page without 'unsafe-eval' refuses it). */
const GENERATES_CODE = /new Function\(|\beval\(/;
/** The storefront budget of issue 20: the quote-only bundle, minified, at most 60 KB (60 000 bytes) gzipped. */
const QUOTE_BUDGET_BYTES = 60_000;

describe('browser bundle', () => {
  let full: RulesBundle;
  let quote: RulesBundle;
  before(async () => {
    [full, quote] = await Promise.all([bundleRules('full'), bundleRules('quote')]);
  });

  it('bundles src/index.ts for platform browser without any Node built-in', () => {
    expect(full.inputs.filter((path) => builtins.has(path) || path.startsWith('node:'))).to.deep.equal([]);
    // The bundle really contains the engine.
    expect(full.code).to.include('quoteOrder');
  });

  it('the full bundle generates code at run time (ajv): why a storefront under a strict CSP needs the quote entry', () => {
    expect(full.inputs.some((path) => SCHEMA_PACKAGES.test(path))).to.equal(true);
    expect(full.code).to.match(GENERATES_CODE);
  });

  it('the quote-only bundle (src/quote.ts) has no schema package and no code generation', () => {
    expect(quote.inputs.filter((path) => SCHEMA_PACKAGES.test(path) || builtins.has(path))).to.deep.equal([]);
    expect(quote.inputs.filter((path) => /\/src\/program\/(parse-program|program-schema|schema)\.ts$/.test(path))).to.deep.equal([]);
    expect(quote.code).not.to.match(GENERATES_CODE);
    expect(quote.code).to.include('reviveQuoteProgram');
  });

  it('the full bundle carries every message catalog; the quote-only bundle only the English a quote says', () => {
    const catalogs = (bundle: RulesBundle) => bundle.inputs.filter((path) => /\/src\/messages\/(en|en-quote|id|fil)\.ts$/.test(path)).map((path) => path.replace(/.*\//, '')).sort();
    expect(catalogs(full)).to.deep.equal(['en-quote.ts', 'en.ts', 'fil.ts', 'id.ts']);
    expect(catalogs(quote)).to.deep.equal(['en-quote.ts']);
  });

  it(`the quote-only bundle weighs at most ${QUOTE_BUDGET_BYTES / 1000} KB gzipped`, () => {
    expect(quote.gzipBytes, `${quote.gzipBytes} bytes gzipped (${quote.minifiedBytes} minified)`).to.be.at.most(QUOTE_BUDGET_BYTES);
  });
});
