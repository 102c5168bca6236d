/** The rules' English: every reason and trace line of a decision, written with the whole English catalog. */
import { en } from './en.js';
import { writerOf } from './sentence.js';

const writer = writerOf(en);

/**
 * A sentence in English, as the rules' answers give it.
 *
 * @example english(sentence('redemption.not-positive', { points: 0 })) // 'the points to redeem must be 1 or more, got 0'
 */
export const english = writer.english;
/**
 * The reason `key` stands for, with `params`.
 *
 * @example reasonOf('redemption.not-positive', { points: 0 }) // { code: 'not-positive', message: 'the points to redeem must be 1 or more, got 0', messageSentence: {...} }
 */
export const reasonOf = writer.reasonOf;
/**
 * A trace written from its sentences.
 *
 * @example traced([sentence('redemption.accepted')]) // { trace: ['accepted'], traceSentences: [...] }
 */
export const traced = writer.traced;
/** A `detail` written from its sentence (nothing when there is none). */
export const detailed = writer.detailed;
