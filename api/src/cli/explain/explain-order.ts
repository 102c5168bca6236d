/**
 * Moved: the order explanation is @purna/rules' `explainOrder`, written from the message catalogs (docs/rules.md,
 * "Messages in three languages"). This path stays only for the playground's door (playground/src/explanation.ts),
 * which reads it until it imports from @purna/rules directly; nothing else may import it.
 */
export { explainOrder, explanationText, type Explanation } from '@purna/rules';
