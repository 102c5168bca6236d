/**
 * Every catalog, and the renderer over them: a message, a sentence or a whole answer written in one of
 * {@link LANGUAGES}. Pure and small, for the API, the CLI and a browser alike.
 */
import { en } from './en.js';
import { id } from './id.js';
import { fil } from './fil.js';
import { DEFAULT_LANGUAGE, type Language } from './languages.js';
import type { MessageCatalog, MessageKey, MessageParams } from './catalog.js';
import { isSentence, renderWith, type Given, type Sentence } from './sentence.js';

/** The catalog of each language. */
export const CATALOGS: Readonly<Record<Language, MessageCatalog>> = { en, id, fil };

function catalogOf(language: Language): MessageCatalog {
  return CATALOGS[language] ?? CATALOGS[DEFAULT_LANGUAGE];
}

/**
 * A sentence written in `language` (English for a language or a key the catalogs do not have).
 *
 * @example renderSentence(reason.messageSentence, 'id')
 */
export function renderSentence(sentence: Sentence, language: Language = DEFAULT_LANGUAGE): string {
  return renderWith(sentence, catalogOf(language), CATALOGS[DEFAULT_LANGUAGE]);
}

/**
 * The message `key` with `params`, in `language` (English by default, and for a language we do not have).
 *
 * @example message('redemption.not-positive', { points: 0 }, 'id') // 'poin yang ditukarkan minimal 1, yang diminta 0'
 */
export function message<K extends MessageKey>(key: K, params: Given<MessageParams<K>>, language: Language = DEFAULT_LANGUAGE): string {
  return renderSentence({ key, params: params as Readonly<Record<string, unknown>> }, language);
}

/**
 * `value` (an answer of the rules, the ledger or the API) with every sentence it keeps written in `language`: a
 * field `x` beside `xSentence` is rewritten from it, a list `x` beside `xSentences` line by line. Everything else is
 * left as it is; English returns `value` itself.
 *
 * @example localize(decision, 'id').reasons[0].message
 */
export function localize<T>(value: T, language: Language): T {
  if (language === DEFAULT_LANGUAGE) return value;
  return walk(value, catalogOf(language)) as T;
}

/** A sentence of a key the catalogs have (a field that only looks like one is left alone). */
function isKnownSentence(value: unknown): value is Sentence {
  return isSentence(value) && Object.hasOwn(CATALOGS[DEFAULT_LANGUAGE], value.key);
}

function walk(value: unknown, catalog: MessageCatalog): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, catalog));
  if (typeof value !== 'object' || value === null || isKnownSentence(value)) return value;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(source)) out[name] = walk(field, catalog);
  for (const name of Object.keys(source)) {
    const one = source[`${name}Sentence`];
    const many = source[`${name}Sentences`];
    if (typeof source[name] === 'string' && isKnownSentence(one)) out[name] = renderWith(one, catalog, CATALOGS[DEFAULT_LANGUAGE]);
    else if (Array.isArray(source[name]) && Array.isArray(many) && many.length === (source[name] as unknown[]).length && many.every(isKnownSentence)) {
      out[name] = many.map((said) => renderWith(said, catalog, CATALOGS[DEFAULT_LANGUAGE]));
    }
  }
  return out;
}
