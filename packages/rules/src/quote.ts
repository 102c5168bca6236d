/**
 * `@purna/rules/quote`: the quote-only entry point, for a storefront. A program packed where the full library runs
 * (packQuoteProgram) in, a quote out. Nothing reachable from here validates a schema, builds one or generates code
 * at run time (no ajv, no TypeBox, no `new Function`), so a page under `Content-Security-Policy: script-src 'self'`
 * runs it; a test bundles it and checks that, and its size (docs/storefront.md).
 *
 * @example
 * import { reviveQuoteProgram, quoteOrder } from '@purna/rules/quote';
 * const compiled = reviveQuoteProgram(await (await fetch('/loyalty/program.quote.json')).text());
 * quoteOrder(compiled, { order, history: { orders: [], usage: {} } }, { at: new Date().toISOString() }).points;
 *
 * @packageDocumentation
 */
export { RULES_VERSION } from './version.js';
export { ProgramError, InputError, type Problem } from './errors.js';
export { reviveQuoteProgram, QUOTE_PROGRAM_FORMAT, type QuoteProgram } from './storefront/quote-program.js';
export { quoteOrder, type QuoteOrderInput, type OrderQuote, type OrderSnapshot } from './engine/earning/quote-order.js';
export type { OrderPointsOptions, UsageDelta, CampaignUsageDelta } from './engine/earning/compute-order-points.js';
export type { OrderTrace, RuleTrace, LineShare, OrderShare, CapTrace, RuleReasonCode } from './engine/earning/order-trace.js';
export type { PointsLife } from './engine/points-life.js';
export type { CompiledProgram } from './engine/compiled-program.js';
export type { Program } from './program/program-schema.js';
export type { OrderInput, OrderLineInput } from './input/order-input.js';
export type { CustomerInput } from './input/customer-input.js';
export type { CustomerHistory, HistoryOrder } from './input/customer-history.js';
