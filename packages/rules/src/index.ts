/**
 * @purna/rules — a pure loyalty rules engine: no clock, no I/O, no Node built-ins.
 *
 * @packageDocumentation
 */
export { RULES_VERSION } from './version.js';
export { ProgramError, InputError, type Problem } from './errors.js';
export { Decimal, parseDecimal, roundPoints, isDecimalString, type RoundingMode } from './money.js';
export { parseInstant, parseDate, isValidZone, type InstantLike } from './time.js';
export * from './program/schema.js';
export { parseProgram, type ParseProgramOptions } from './program/parse-program.js';
export { DEFAULT_JSON_LIMITS, type JsonLimits } from './program/json-bounds.js';
export * from './after-sales.js';
