/** The problems (pointer and code) of the InputError that `fn` throws; fails the test when it throws nothing. */
import { InputError } from '../../src/errors.js';

/** Calls `fn` and returns the pointer and code of every problem of its InputError. */
export function inputProblems(fn: () => unknown): Array<{ pointer: string; code: string }> {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e.errors.map(({ pointer, code }) => ({ pointer, code }));
    throw e;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}
