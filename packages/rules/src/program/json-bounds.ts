/**
 * Untrusted programs are bounded before anything else looks at them: size, nesting depth and node count, and only
 * plain JSON values. A schema validator given an unbounded document can be made to work (and collect errors)
 * without end.
 */
import type { Problem } from '../errors.js';
import { describePointer } from '../money/money.js';

/** Limits of a program document. */
export interface JsonLimits {
  /** Longest JSON text accepted, in characters. */
  readonly maxChars: number;
  /** Deepest nesting of objects and arrays. */
  readonly maxDepth: number;
  /** Most values (objects, arrays, scalars) in the document. */
  readonly maxNodes: number;
}

/** Default limits: far beyond any real program, far below what could hurt. */
export const DEFAULT_JSON_LIMITS: JsonLimits = { maxChars: 2_000_000, maxDepth: 32, maxNodes: 200_000 };

function escapeToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Checks that `value` is plain JSON within the limits. Returns the first problem (one is enough: the document is
 * refused before validation), or undefined.
 */
export function checkJsonBounds(value: unknown, limits: JsonLimits): Problem | undefined {
  const stack: Array<{ value: unknown; pointer: string; depth: number }> = [{ value, pointer: '', depth: 0 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { value: current, pointer, depth } = stack.pop()!;
    nodes += 1;
    if (nodes > limits.maxNodes) {
      return { pointer: '', code: 'program-too-large', message: `the program has more than ${limits.maxNodes} values; split it or remove unused parts` };
    }
    if (current === null || typeof current === 'string' || typeof current === 'boolean') continue;
    if (typeof current === 'number') {
      if (!Number.isFinite(current)) return { pointer, code: 'not-json', message: `${describePointer(pointer)} is not a finite number` };
      continue;
    }
    if (typeof current !== 'object') {
      return { pointer, code: 'not-json', message: `${describePointer(pointer)} is a ${typeof current}, which JSON cannot hold` };
    }
    if (depth >= limits.maxDepth) {
      return { pointer, code: 'program-too-deep', message: `${describePointer(pointer)} nests more than ${limits.maxDepth} levels deep` };
    }
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, pointer: `${pointer}/${i}`, depth: depth + 1 }));
      continue;
    }
    const proto: unknown = Object.getPrototypeOf(current);
    if (proto !== Object.prototype && proto !== null) {
      return { pointer, code: 'not-json', message: `${describePointer(pointer)} is not a plain JSON object` };
    }
    for (const [key, item] of Object.entries(current)) stack.push({ value: item, pointer: `${pointer}/${escapeToken(key)}`, depth: depth + 1 });
  }
  return undefined;
}
