/**
 * The one condition grammar: `all` / `any` / `not` over leaves `{ fact, op, value }`.
 *
 * The JSON Schema describes a single object shape (no `anyOf`), so a mistake gets one precise message instead of one
 * per alternative; parseProgram then checks that each node is exactly one of the four forms, that the fact exists
 * and that the operand suits the operator.
 */
import { Type } from '@sinclair/typebox';
// The operator names live beside their table, which imports no schema library (the quote-only entry point, quote.ts).
import { OPERATORS, type Operator } from '../conditions/operators.js';
import { CONDITION_SCHEMA_REF } from './schema-ids.js';

export { OPERATORS, type Operator } from '../conditions/operators.js';

/** A JSON scalar operand or a list of them (for `in`, `nin`, `between`). */
export type ConditionValue = string | number | boolean | ReadonlyArray<string | number>;

/** A leaf: compare one fact with a value. */
export interface FactCondition {
  readonly fact: string;
  readonly op: Operator;
  readonly value?: ConditionValue;
}
/** Every child holds. */
export interface AllCondition {
  readonly all: readonly Condition[];
}
/** At least one child holds. */
export interface AnyCondition {
  readonly any: readonly Condition[];
}
/** The child does not hold. */
export interface NotCondition {
  readonly not: Condition;
}
/** A condition tree. */
export type Condition = AllCondition | AnyCondition | NotCondition | FactCondition;

const self = { $ref: CONDITION_SCHEMA_REF };

/**
 * JSON Schema of a condition node, kept in the program schema's `$defs` (conditions nest, so it refers to itself by
 * its absolute address, which stays valid wherever the program schema is embedded).
 */
export const ConditionDefinition = {
  type: 'object',
  description: 'a condition: {"all": [...]}, {"any": [...]}, {"not": {...}} or {"fact", "op", "value"}',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    all: { type: 'array', items: self, minItems: 1, maxItems: 100, description: 'a list of 1 to 100 conditions' },
    any: { type: 'array', items: self, minItems: 1, maxItems: 100, description: 'a list of 1 to 100 conditions' },
    not: self,
    fact: {
      type: 'string',
      maxLength: 100,
      pattern: '^[a-z][A-Za-z0-9]*(\\.[A-Za-z0-9_-]+)+$',
      description: 'a fact name like "order.total" or "line.category"',
    },
    op: { type: 'string', enum: [...OPERATORS], description: `one of the operators ${OPERATORS.join(', ')}` },
    value: {
      type: ['string', 'number', 'boolean', 'array'],
      maxLength: 200,
      maxItems: 1000,
      items: { type: ['string', 'number'], maxLength: 200, description: 'a text or a number' },
      description: 'a text, a number, true/false, or a list of texts or numbers',
    },
  },
} as const;

/** A reference to the condition schema, typed as {@link Condition}. */
export const ConditionSchema = Type.Unsafe<Condition>({ $ref: CONDITION_SCHEMA_REF });
