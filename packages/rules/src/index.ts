/**
 * @purna/rules — a pure loyalty rules engine: no clock, no I/O, no Node built-ins.
 *
 * @packageDocumentation
 */
export { RULES_VERSION } from './version.js';
export * from './after-sales.js';
