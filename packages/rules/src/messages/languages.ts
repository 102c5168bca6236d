/**
 * The languages Purna speaks, and how an `Accept-Language` header picks one. One source for the API (the header),
 * the CLI (`--lang`) and a browser (`navigator.languages`): pure, no Node APIs.
 */

/** Languages every message is written in: English, Indonesian, Filipino. */
export const LANGUAGES = ['en', 'id', 'fil'] as const;
/** A language code (BCP 47 primary subtag). */
export type Language = (typeof LANGUAGES)[number];
/** The language a message falls back to. */
export const DEFAULT_LANGUAGE: Language = 'en';

/** How numbers are written in each language: Indonesia groups thousands with dots, the Philippines with commas. */
export interface LocaleStyle {
  /** The luxon/Intl locale for dates and month names. */
  readonly locale: string;
  readonly thousands: string;
  readonly decimal: string;
}

/** The number style of each language. */
export const LOCALE_STYLES: Readonly<Record<Language, LocaleStyle>> = {
  en: { locale: 'en-GB', thousands: ',', decimal: '.' },
  id: { locale: 'id-ID', thousands: '.', decimal: ',' },
  fil: { locale: 'fil-PH', thousands: ',', decimal: '.' },
};

// Tagalog is the base of Filipino: a browser set to Tagalog reads Filipino.
const ALIASES: Readonly<Record<string, Language>> = { en: 'en', id: 'id', in: 'id', fil: 'fil', tl: 'fil' };

/**
 * Whether `value` is one of {@link LANGUAGES}.
 *
 * @example isLanguage('fil') // true
 */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The language a single tag names (`id-ID` -> id, `tl` -> fil), or undefined. */
function languageOfTag(tag: string): Language | undefined {
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return ALIASES[primary];
}

/**
 * The best of {@link LANGUAGES} for an `Accept-Language` header (RFC 9110 §12.5.4): the highest q-value wins, the
 * earlier tag on a tie, `q=0` refuses a language; `*` or nothing we speak gives English.
 *
 * @example negotiateLanguage('fil-PH, en;q=0.5') // 'fil'
 * @example negotiateLanguage('fr, id;q=0.3')     // 'id'
 * @example negotiateLanguage(undefined)          // 'en'
 */
export function negotiateLanguage(header: string | readonly string[] | undefined | null): Language {
  const text = Array.isArray(header) ? header.join(',') : typeof header === 'string' ? header : '';
  let best: { readonly language: Language; readonly q: number } | undefined;
  const refused = new Set<Language>();
  for (const part of text.split(',')) {
    const [tag = '', ...attributes] = part.split(';');
    const qText = attributes.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('q='))?.slice(2);
    const q = qText === undefined ? 1 : Number(qText);
    if (!Number.isFinite(q) || q < 0 || q > 1) continue;
    const language = tag.trim() === '*' ? DEFAULT_LANGUAGE : languageOfTag(tag);
    if (language === undefined) continue;
    if (q === 0) {
      refused.add(language);
      continue;
    }
    if (!best || q > best.q) best = { language, q };
  }
  if (best && !refused.has(best.language)) return best.language;
  return DEFAULT_LANGUAGE;
}
