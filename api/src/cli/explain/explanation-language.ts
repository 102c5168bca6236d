/**
 * Moved: the languages are @purna/rules' `LANGUAGES` (en, id, fil). This path stays only for the playground's door
 * (playground/src/explanation.ts), which reads it until it imports from @purna/rules directly.
 */
export { LANGUAGES, type Language } from '@purna/rules';
