/**
 * Erasing a customer (docs/data.md, "What erasure removes and keeps"): the request and its answer, one TypeBox
 * schema each, referenced by the API's OpenAPI document.
 */
import { Type, type Static } from '@sinclair/typebox';
import { textSchema } from './primitives.js';

/**
 * Why the customer is erased, kept in the erasure record and the audit trail (so it should name the request, not
 * the person: "erasure request 2026-114 under UU PDP art. 8").
 *
 * @example
 * { reason: 'erasure request 2026-114 (UU PDP art. 8)' }
 */
export const ErasureRequestSchema = Type.Object(
  { reason: textSchema('why the customer is erased (kept in the audit trail: name the request, not the person)', 500) },
  { additionalProperties: false, description: 'an erasure {"reason"}' },
);
/** An erasure request. */
export type ErasureRequest = Static<typeof ErasureRequestSchema>;

/**
 * What an erasure answers: the pseudonym that now stands for the customer in every record kept.
 *
 * @example
 * { erased: true, pseudonym: 'erased-4fQv0k9yJc1xq2m7LrTt3A' }
 */
export const ErasureAnswerSchema = Type.Object(
  {
    erased: Type.Literal(true, { description: 'always true: the customer is erased' }),
    pseudonym: Type.String({ description: "the id that replaced the customer's in every record kept (its entries, orders, moments...)" }),
  },
  { additionalProperties: false },
);
/** An erasure's answer. */
export type ErasureAnswer = Static<typeof ErasureAnswerSchema>;
