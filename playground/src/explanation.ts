/**
 * The one door through which the playground gets order explanations and their languages: @purna/rules'
 * `explainOrder`, written from its message catalogs (en, id, fil), the same words `purna explain` and the API use.
 */
export { explainOrder, LANGUAGES, type Explanation, type Language } from '@purna/rules';

/** The name of each language in itself, for the switch (a language without a name here shows its code). */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = { en: 'English', id: 'Bahasa Indonesia', fil: 'Filipino' };
