/**
 * @purna/ledger — keeps every customer's points exact on a memory, embedded or MongoDB store.
 *
 * @packageDocumentation
 */
export { RULES_VERSION } from '@purna/rules';
