/**
 * The English of a quote (rule details, condition failures, perk reasons), written with only that part of the
 * catalog, so the storefront's quote bundle does not carry the after-sales messages.
 */
import { enQuote } from './en-quote.js';
import { writerOf } from './sentence.js';

const writer = writerOf(enQuote);

/** A rule trace's `detail` written from its sentence (nothing when there is none). */
export const quoteDetailed = writer.detailed;
/** A perk's reason: `{ code, message, messageSentence }`. */
export const quoteReasonOf = writer.reasonOf;
