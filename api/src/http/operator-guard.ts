/**
 * Keeps MongoDB operators out of storage: no key from user input may start with `$` or contain `.`, at any
 * depth of a body or query. Checked before validation, so that even a schema that allows free-form objects
 * (event attributes, tags) never lets `{ "$gt": "" }` through.
 */
import type { FieldError, FieldLocation } from './problem.js';

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * Every key in `value` that looks like an operator or a dotted path, as field errors.
 *
 * @param allowedPointers exact places where such a key is accepted (`/$schema` of a program).
 * @example
 * findOperatorKeys({ filter: { $gt: 1 } }, 'body') // [{ in: 'body', pointer: '/filter/$gt', ... }]
 */
export function findOperatorKeys(
  value: unknown,
  location: FieldLocation,
  allowedPointers: readonly string[] = [],
): FieldError[] {
  const found: FieldError[] = [];
  const walk = (node: unknown, pointer: string, depth: number): void => {
    if (depth > 64) {
      found.push({ in: location, pointer, message: 'is nested more than 64 levels deep', code: 'too-deep' });
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, `${pointer}/${index}`, depth + 1));
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const [key, child] of Object.entries(node)) {
      const at = `${pointer}/${escapePointer(key)}`;
      const allowed = allowedPointers.includes(at);
      if (!allowed && (key.startsWith('$') || key.includes('.'))) {
        found.push({
          in: location,
          pointer: at,
          message: `field name "${key}" is not allowed: names may not start with "$" or contain "."`,
          code: 'operator-key',
        });
      }
      walk(child, at, depth + 1);
    }
  };
  walk(value, '', 0);
  return found;
}
