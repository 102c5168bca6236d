/** Freezing a program once it is checked, so a compiled program cannot change under the quotes that read it. */

/**
 * Freezes `value` and everything it holds, in place, and returns it.
 *
 * @example deepFreeze(JSON.parse(text)).earning.push(rule) // throws TypeError: the program is frozen
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) deepFreeze(item);
  }
  return value;
}
