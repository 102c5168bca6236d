/**
 * The building blocks of the ledger's requests and answers. Each carries a `description` that completes "... must
 * be", so a refusal reads as a sentence wherever the schema is checked: at the ledger's boundary (input-check.ts)
 * and in the API's answers, whose document references these same objects.
 */
import { SentenceSchema } from '@purna/rules';
import { Type } from '@sinclair/typebox';

/** Printable text: no control characters, which separate the parts of the store's keys (and `\uFFFF` ends them). */
export const PRINTABLE_PATTERN = '^[^\\u0000-\\u001F\\uFFFF]*$';

/**
 * Printable text of 1 to `maxLength` characters, described as `what` is.
 *
 * @example
 * textSchema('why, in words support staff will read later', 500)
 */
export function textSchema(what: string, maxLength: number) {
  return Type.String({ minLength: 1, maxLength, pattern: PRINTABLE_PATTERN, description: `${what}, 1 to ${maxLength} characters without control characters` });
}

/**
 * An id the ledger keeps (in store keys, in entries): 1 to 200 printable characters.
 *
 * @example
 * Type.Object({ id: idSchema('a return id') })
 */
export function idSchema(what: string) {
  return textSchema(what, 200);
}

/**
 * A decimal amount of money, zero or more: a string, never a JSON number, so no amount is ever a float.
 *
 * @example
 * Type.Object({ orderTotal: MoneySchema })
 */
export const MoneySchema = Type.String({
  pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$',
  maxLength: 40,
  description: 'a decimal string of zero or more like "2000000"',
});

/**
 * A decimal amount in an answer, which may be negative.
 *
 * @example
 * Type.Object({ discount: DecimalSchema })
 */
export const DecimalSchema = Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$', description: 'a decimal string' });

/**
 * Whole points in an answer: negative for clawbacks, debits and balances in debt.
 *
 * @example
 * Type.Object({ balance: PointsSchema })
 */
export const PointsSchema = Type.Integer({ description: 'whole points' });

/**
 * How many of something an answer counts.
 *
 * @example
 * countSchema('customers granted by this run')
 */
export function countSchema(what: string) {
  return Type.Integer({ minimum: 0, description: what });
}

/**
 * An instant in an answer: the ledger answers every instant in UTC.
 *
 * @example
 * Type.Object({ availableAt: instantSchema('when the points become available') })
 */
export function instantSchema(what: string) {
  return Type.String({ format: 'date-time', description: what });
}

/**
 * A tier as an answer names it (null when none is held).
 *
 * @example
 * Type.Object({ tierBefore: TierIdSchema })
 */
export const TierIdSchema = Type.Union([Type.String(), Type.Null()], { description: 'a tier id, or null for no tier' });

/**
 * The explanation of an evaluation, as the rules give it.
 *
 * @example
 * Type.Object({ trace: TraceSchema })
 */
export const TraceSchema = Type.Unknown({ description: 'the explanation of the evaluation: every rule, applied or not, and why' });

/**
 * Why something is refused or not offered: a stable code, the English message, and the sentence the API writes in
 * the language of `Accept-Language` (docs/api.md, "Languages").
 *
 * @example
 * Type.Object({ reasons: Type.Array(ReasonSchema) })
 */
export const ReasonSchema = Type.Object({
  code: Type.String(),
  message: Type.String(),
  messageSentence: Type.Optional(SentenceSchema),
});

/**
 * The sentences a `trace` list was written from, line by line.
 *
 * @example
 * Type.Object({ trace: Type.Array(Type.String()), traceSentences: TraceSentencesSchema })
 */
export const TraceSentencesSchema = Type.Optional(Type.Array(SentenceSchema, { description: '`trace` as data, line by line (absent on records stored before it was kept)' }));
