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
  // The path is kept as segments and written as a pointer only for a key that is reported: most bodies have none.
  const path: string[] = [];
  const pointer = (): string => path.map((segment) => `/${escapePointer(segment)}`).join('');
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64) {
      found.push({ in: location, pointer: pointer(), message: 'is nested more than 64 levels deep', code: 'too-deep' });
      return;
    }
    if (Array.isArray(node)) {
      for (let index = 0; index < node.length; index += 1) {
        path.push(String(index));
        walk(node[index], depth + 1);
        path.pop();
      }
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    for (const key in node) {
      if (!Object.hasOwn(node, key)) continue;
      path.push(key);
      if (key.startsWith('$') || key.includes('.')) {
        const at = pointer();
        if (!allowedPointers.includes(at)) {
          found.push({
            in: location,
            pointer: at,
            message: `field name "${key}" is not allowed: names may not start with "$" or contain "."`,
            code: 'operator-key',
          });
        }
      }
      walk((node as Record<string, unknown>)[key], depth + 1);
      path.pop();
    }
  };
  walk(value, 0);
  return found;
}
