/**
 * A sentence kept as data: a message key and the values it mentions. The rules write their reasons and traces as
 * sentences, render them in English for the answer they always gave, and keep the sentence beside the text
 * (`message` + `messageSentence`, `detail` + `detailSentence`, `trace` + `traceSentences`) so that whoever shows it
 * (the API for `Accept-Language`, a browser) renders it again in another language with {@link localize}.
 *
 * This module carries only the English catalog, so code that quotes in a storefront does not ship the others.
 */
import { en } from './en.js';
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

const ENGLISH: MessageCatalog = en;

/**
 * A sentence of `key`.
 *
 * @example sentence('redemption.not-positive', { points: 0 }) // { key: 'redemption.not-positive', params: { points: 0 } }
 */
export function sentence<K extends MessageKey>(key: K, ...params: ParamsArgument<K>): Sentence {
  return { key, params: params[0] ?? {} };
}

/** Whether `value` is a sentence of a key the catalogs know. */
export function isSentence(value: unknown): value is Sentence {
  if (typeof value !== 'object' || value === null) return false;
  const { key, params } = value as { key?: unknown; params?: unknown };
  return typeof key === 'string' && Object.hasOwn(ENGLISH, key) && typeof params === 'object' && params !== null;
}

/**
 * `sentence` written with `catalog`, falling back to `fallback` for a key it lacks (a catalog older than the data).
 *
 * @example renderWith(sentence('redemption.accepted'), en, en) // 'accepted'
 */
export function renderWith(sentence: Sentence, catalog: MessageCatalog, fallback: MessageCatalog = ENGLISH): string {
  const write = (catalog[sentence.key] ?? fallback[sentence.key]) as ((params: unknown) => string) | undefined;
  if (!write) return sentence.key;
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(sentence.params)) params[name] = resolve(value, catalog, fallback);
  return write(params);
}

function resolve(value: unknown, catalog: MessageCatalog, fallback: MessageCatalog): unknown {
  if (isSentence(value)) return renderWith(value, catalog, fallback);
  if (Array.isArray(value)) return value.map((item) => resolve(item, catalog, fallback));
  return value;
}

/**
 * A sentence in English, as the rules' answers give it.
 *
 * @example english(sentence('redemption.not-positive', { points: 0 })) // 'the points to redeem must be 1 or more, got 0'
 */
export function english(sentence: Sentence): string {
  return renderWith(sentence, ENGLISH);
}

/** A reason of a decision: its stable code, its English message, and the sentence to write it in another language. */
export interface Reason<C extends string = string> {
  readonly code: C;
  readonly message: string;
  readonly messageSentence: Sentence;
}

/**
 * The reason `key` stands for, with `params`.
 *
 * @example reasonOf('redemption.not-positive', { points: 0 }) // { code: 'not-positive', message: 'the points to redeem must be 1 or more, got 0', messageSentence: {...} }
 */
export function reasonOf<K extends MessageKey>(key: K, ...params: ParamsArgument<K>): Reason<CodeOf<K>> {
  const said = sentence(key, ...params);
  const code = key.slice(key.indexOf('.') + 1).split('#')[0] as CodeOf<K>;
  return { code, message: english(said), messageSentence: said };
}

/** A trace: the English lines and the sentences they were written from. */
export interface Traced {
  readonly trace: readonly string[];
  readonly traceSentences: readonly Sentence[];
}

/**
 * A trace written from its sentences.
 *
 * @example traced([sentence('redemption.accepted')]) // { trace: ['accepted'], traceSentences: [...] }
 */
export function traced(sentences: readonly Sentence[]): Traced {
  return { trace: sentences.map(english), traceSentences: sentences };
}

/** A `detail` written from its sentence (nothing when there is none). */
export function detailed(said: Sentence | undefined): { readonly detail?: string; readonly detailSentence?: Sentence } {
  return said ? { detail: english(said), detailSentence: said } : {};
}
