/**
 * A sentence kept as data: a message key and the values it mentions. The rules write their reasons and traces as
 * sentences, render them in English for the answer they always gave, and keep the sentence beside the text
 * (`message` + `messageSentence`, `detail` + `detailSentence`, `trace` + `traceSentences`) so that whoever shows it
 * (the API for `Accept-Language`, a browser) renders it again in another language with `localize` (render.ts).
 *
 * This module holds no catalog: english.ts writes with the whole English catalog, quote-english.ts with the part a
 * quote says, so that the storefront's quote bundle carries no more than that.
 */
import type { CodeOf, MessageCatalog, MessageKey, MessageParams } from './catalog.js';

/** A message key and its parameters; a parameter may itself be a sentence (rendered in the same language). */
export interface Sentence {
  readonly key: MessageKey;
  readonly params: Readonly<Record<string, unknown>>;
}

/** A parameter as a sentence gives it: a text may be a nested sentence, a list a list of them. */
export type Given<T> = T extends string ? T | Sentence : T extends readonly (infer E)[] ? readonly Given<E>[] : T extends object ? { readonly [P in keyof T]: Given<T[P]> } : T;

/** The arguments after the key: none for a message without parameters. */
export type ParamsArgument<K extends MessageKey> = MessageParams<K> extends Record<string, never> ? [] : [params: Given<MessageParams<K>>];

/** Some messages of a catalog (the English of a quote, or all of it). */
export type PartialCatalog = Partial<MessageCatalog>;

/**
 * A sentence of `key`.
 *
 * @example sentence('redemption.not-positive', { points: 0 }) // { key: 'redemption.not-positive', params: { points: 0 } }
 */
export function sentence<K extends MessageKey>(key: K, ...params: ParamsArgument<K>): Sentence {
  return { key, params: params[0] ?? {} };
}

/** Whether `value` has the shape of a sentence: a text `key` and a `params` object. */
export function isSentence(value: unknown): value is Sentence {
  if (typeof value !== 'object' || value === null) return false;
  const { key, params } = value as { key?: unknown; params?: unknown };
  return typeof key === 'string' && typeof params === 'object' && params !== null && !Array.isArray(params);
}

/**
 * `sentence` written with `catalog`, falling back to `fallback` for a key it lacks (a catalog older than the data),
 * and to the key itself when neither has it.
 *
 * @example renderWith(sentence('redemption.accepted'), en) // 'accepted'
 */
export function renderWith(sentence: Sentence, catalog: PartialCatalog, fallback: PartialCatalog = catalog): string {
  const write = (catalog[sentence.key] ?? fallback[sentence.key]) as ((params: unknown) => string) | undefined;
  if (!write) return sentence.key;
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sentence.params)) params[name] = resolve(value, catalog, fallback);
  return write(params);
}

function resolve(value: unknown, catalog: PartialCatalog, fallback: PartialCatalog): unknown {
  if (isSentence(value)) return renderWith(value, catalog, fallback);
  if (Array.isArray(value)) return value.map((item) => resolve(item, catalog, fallback));
  return value;
}

/** A reason of a decision: its stable code, its English message, and the sentence to write it in another language. */
export interface Reason<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly messageSentence: Sentence;
}

/** A trace: the English lines and the sentences they were written from. */
export interface Traced {
  readonly trace: readonly string[];
  readonly traceSentences: readonly Sentence[];
}

/** What a decision writes with: the English of `catalog`'s keys. */
export interface SentenceWriter<K extends MessageKey> {
  /** A sentence in English. */
  readonly english: (sentence: Sentence) => string;
  /** The reason `key` stands for, with `params`: `{ code, message, messageSentence }`. */
  readonly reasonOf: <R extends K>(key: R, ...params: ParamsArgument<R>) => Reason<CodeOf<R>>;
  /** A trace written from its sentences. */
  readonly traced: (sentences: readonly Sentence[]) => Traced;
  /** A `detail` written from its sentence (nothing when there is none). */
  readonly detailed: (said: Sentence | undefined) => { readonly detail?: string; readonly detailSentence?: Sentence };
}

/**
 * The writer of `catalog` (English), whose reasons may only use its keys.
 *
 * @example writerOf(en).reasonOf('redemption.not-positive', { points: 0 }).message // 'the points to redeem must be 1 or more, got 0'
 */
export function writerOf<C extends PartialCatalog>(catalog: C): SentenceWriter<keyof C & MessageKey> {
  const english = (said: Sentence): string => renderWith(said, catalog);
  return {
    english,
    reasonOf: (key, ...params) => {
      const said = sentence(key, ...params);
      const code = key.slice(key.indexOf('.') + 1).split('#')[0] as CodeOf<typeof key>;
      return { code, message: english(said), messageSentence: said };
    },
    traced: (sentences) => ({ trace: sentences.map(english), traceSentences: sentences }),
    detailed: (said) => (said ? { detail: english(said), detailSentence: said } : {}),
  };
}
