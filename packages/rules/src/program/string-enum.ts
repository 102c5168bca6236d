/** A string enum as a plain JSON Schema `enum` (TypeBox's literal unions become `anyOf`, which reads worse in errors). */
import { Type, type TUnsafe } from '@sinclair/typebox';

/**
 * A JSON Schema `{ type: 'string', enum }` typed as the union of its values; `annotations` adds what editors show
 * (`default`: the value taken when the field is left out).
 */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  description: string,
  annotations: { readonly default?: T[number] } = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], description, ...annotations });
}
