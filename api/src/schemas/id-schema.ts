/** Ids in paths and bodies: bounded strings of safe characters, so they are safe as storage keys and in URLs. */
import { Type } from '@sinclair/typebox';

/**
 * An id of 1 to 128 letters, digits, `.`, `_`, `:` or `-`.
 *
 * @example
 * Type.Object({ id: IdSchema })
 */
export const IdSchema = Type.String({
  pattern: '^[A-Za-z0-9._:-]{1,128}$',
  description: 'an id of 1 to 128 letters, digits, ".", "_", ":" or "-"',
});

/** A path with one `{id}`. */
export const IdParamsSchema = Type.Object({ id: IdSchema }, { additionalProperties: false });
