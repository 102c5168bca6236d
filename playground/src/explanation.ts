/**
 * The one door through which the playground gets order explanations and their languages. Today they are the CLI's
 * (`purna explain`: api/src/cli/explain/); when the sentences move into @purna/rules' message catalog, only this
 * file changes, and the language switch offers whatever LANGUAGES then lists.
 */
export { explainOrder, type Explanation } from '../../api/src/cli/explain/explain-order.js';
export { LANGUAGES, type Language } from '../../api/src/cli/explain/explanation-language.js';

/** The name of each language in itself, for the switch (a language without a name here shows its code). */
export const LANGUAGE_NAMES: Readonly<Record<string, string>> = { en: 'English', id: 'Bahasa Indonesia', fil: 'Filipino' };
