/**
 * Request checks at the ledger's boundary, against the rules' own JSON Schemas (one source of truth), so a bad
 * request gets every problem at once, each with its JSON pointer, before anything is claimed or written.
 */
import { InputError, type Problem } from '@purna/rules';
import type { TSchema } from '@sinclair/typebox';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

// ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

// A private ajv instance (no global configuration), with the formats the rules' schemas use.
const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false }));
const validators = new WeakMap<TSchema, ValidateFunction>();

/** Throws one InputError listing every way `value` breaks `schema`; answers `value` typed. */
export function checkInput<T>(schema: TSchema, value: unknown, pointer: string, what: string): T {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  if (validate(value)) return value as T;
  const problems: Problem[] = (validate.errors ?? []).slice(0, 20).map((error) => ({
    pointer: `${pointer}${error.instancePath}`,
    code: 'invalid-input',
    message: `${what}${error.instancePath || ''} ${error.message ?? 'is invalid'}${error.keyword === 'additionalProperties' ? ` (${JSON.stringify(error.params)})` : ''}`,
  }));
  throw new InputError(problems);
}

/** Throws an InputError unless `value` is a usable identifier (no control characters: they separate store keys). */
export function checkId(value: unknown, pointer: string, what: string): string {
  // eslint-disable-next-line no-control-regex
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || /[\u0000-\u001f\uffff]/.test(value)) {
    throw new InputError([{ pointer, code: 'invalid-id', message: `${what} must be 1 to 200 characters without control characters, got ${JSON.stringify(value)}` }]);
  }
  return value;
}

/** A whole number, or an InputError naming the field. */
export function checkInteger(value: unknown, pointer: string, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InputError([{ pointer, code: 'invalid-integer', message: `${what} must be a whole number, got ${JSON.stringify(value)}` }]);
  }
  return value;
}
