/**
 * @purna/rules — a pure loyalty rules engine: no clock, no I/O, no Node built-ins.
 *
 * @packageDocumentation
 */
export { RULES_VERSION } from './version.js';
export { ProgramError, InputError, inputError, type Problem } from './errors.js';
export { Decimal, parseDecimal, roundPoints, isDecimalString, type RoundingMode } from './money/money.js';
export { parseInstant, parseDate, isValidZone, formatUtc, utcInstant, calendarDate, type InstantLike } from './time.js';
export * from './program/schema.js';
export { parseProgram, type ParseProgramOptions } from './program/parse-program.js';
export { DEFAULT_JSON_LIMITS, type JsonLimits } from './program/json-bounds.js';
export { compileProgram, type CompileOptions } from './engine/compile/compile-program.js';
export type { CompiledProgram } from './engine/compiled-program.js';
export { computeOrderPoints, type ComputeOrderPointsInput, type OrderPoints, type OrderPointsOptions, type UsageDelta, type CampaignUsageDelta } from './engine/earning/compute-order-points.js';
export { quoteOrder, type QuoteOrderInput, type OrderQuote, type OrderSnapshot } from './engine/earning/quote-order.js';
export { reviveQuoteProgram, QUOTE_PROGRAM_FORMAT, type QuoteProgram } from './storefront/quote-program.js';
export { packQuoteProgram, type PackQuoteProgramOptions } from './storefront/pack-quote-program.js';
export { evaluateTier, type TierEvaluation } from './engine/tiers/evaluate-tier.js';
export { evaluateEvent, type EvaluateEventInput, type EventEvaluation, type EventRuleTrace, type EventReasonCode } from './engine/events/evaluate-event.js';
export { pointsLife, type PointsLife } from './engine/points-life.js';
export type { OrderTrace, RuleTrace, LineShare, OrderShare, CapTrace, RuleReasonCode } from './engine/earning/order-trace.js';
export { periodKey } from './engine/period-key.js';
export { tierPerks, tierWarrantyFigures, type TierWarrantyFigures } from './perks/tier-perks.js';
export { orderPerks } from './perks/order-perks.js';
export { OrderPerkSchema, OrderPerkLineSchema, type OrderPerk, type OrderPerkLine } from './perks/order-perk-schema.js';
export * from './after-sales.js';
export * from './decisions.js';
export * from './simulation.js';
export { LANGUAGES, DEFAULT_LANGUAGE, LOCALE_STYLES, isLanguage, negotiateLanguage, type Language, type LocaleStyle } from './messages/languages.js';
export { formatNumber, joinWords } from './messages/locale-format.js';
export type { MessageKey, MessageParams, MessageCatalog, CodeOf } from './messages/catalog.js';
export { sentence, isSentence, type Sentence, type Reason, type Traced, type Given } from './messages/sentence.js';
export { reasonOf, traced, english } from './messages/english.js';
export { CATALOGS, message, renderSentence, localize } from './messages/render.js';
export { SentenceSchema } from './messages/sentence-schema.js';
export { explainOrder, explanationText, type Explanation } from './messages/explain-order.js';
