/** Ids in paths and bodies: bounded strings of safe characters, so they are safe as storage keys and in URLs. */
import { Type } from '@sinclair/typebox';

/**
 * An id of 1 to 128 letters, digits, `.`, `_`, `:` or `-`.
 *
 * @example
 * Type.Object({ id: IdSchema })
 */
export const IdSchema = idSchema('an id of 1 to 128 letters, digits, ".", "_", ":" or "-"');

/**
 * The id schema with a description of what the id names.
 *
 * @example
 * idSchema('the order id')
 */
export function idSchema(description: string) {
  return Type.String({ pattern: '^[A-Za-z0-9._:-]{1,128}$', description });
}

/** A path with one `{id}`. */
export const IdParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
