/**
 * Request checks at the ledger's boundary, against the schemas of its contract (../contract/) and the rules' own
 * (one source of truth), so a bad request gets every problem at once, each with its JSON pointer and a sentence
 * made of the schema's `description`, before anything is claimed or written.
 */
import { InputError, type Problem } from '@purna/rules';
import type { Static, TSchema } from '@sinclair/typebox';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { PRINTABLE_PATTERN } from '../contract/primitives.js';

// ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

// A private ajv instance (no global configuration), with the formats the schemas use; `verbose` gives each error
// the schema it broke, whose description makes the message.
const ajv = addFormats(new Ajv2020({ allErrors: true, verbose: true, strict: false }));
const validators = new WeakMap<TSchema, ValidateFunction>();

/** Most problems one InputError lists: a request is small, and a flood of them says nothing more. */
const MAX_PROBLEMS = 20;

/**
 * Answers `value` typed by `schema`, or throws one InputError listing every way it breaks the schema, each with
 * its pointer (`pointer` is prefixed: the request's place in the caller's terms) and a sentence naming `what`.
 *
 * @example
 * const request = checkInput(ReturnRequestSchema, input, '', 'return');
 * // InputError: [{ pointer: '/lines/0/quantity', code: 'invalid-input', message: 'return lines[0].quantity must be a whole quantity of 1 or more, got 0' }]
 */
export function checkInput<S extends TSchema>(schema: S, value: unknown, pointer: string, what: string): Static<S> {
  let validate = validators.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  // The schema's own check is what makes the static type true.
  if (validate(value)) return value;
  const problems: Problem[] = (validate.errors ?? []).slice(0, MAX_PROBLEMS).map((error) => problemOf(error, pointer, what));
  throw new InputError(problems);
}

function problemOf(error: ErrorObject, pointer: string, what: string): Problem {
  const params = error.params as Record<string, unknown>;
  if (error.keyword === 'required') {
    const field = String(params.missingProperty);
    return { pointer: `${pointer}${error.instancePath}/${field}`, code: 'invalid-input', message: `${where(what, error.instancePath)} is missing "${field}"` };
  }
  if (error.keyword === 'additionalProperties') {
    const field = String(params.additionalProperty);
    return { pointer: `${pointer}${error.instancePath}/${field}`, code: 'invalid-input', message: `${where(what, error.instancePath)} has an unknown field "${field}"` };
  }
  const schema = error.parentSchema as { description?: unknown } | undefined;
  // ajv's own words ("must be >= 1") when the schema does not say what it expects.
  const expected = typeof schema?.description === 'string' ? `must be ${schema.description}` : (error.message ?? 'is not valid');
  return { pointer: `${pointer}${error.instancePath}`, code: 'invalid-input', message: `${where(what, error.instancePath)} ${expected}, got ${preview(error.data)}` };
}

/** `return lines[0].quantity` for `/lines/0/quantity` in a return; `the return` for the whole of it. */
function where(what: string, path: string): string {
  if (path === '') return `the ${what}`;
  let field = '';
  for (const token of path.slice(1).split('/')) {
    const part = token.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^[0-9]+$/.test(part)) field += `[${part}]`;
    else field += field === '' ? part : `.${part}`;
  }
  return `${what} ${field}`;
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// The ids of the contract's schemas and the ids below follow one rule.
const PRINTABLE = new RegExp(PRINTABLE_PATTERN, 'u');

/**
 * Answers `value` if it is a usable identifier: 1 to 200 characters without control characters (they separate
 * store keys). For the ids a caller passes beside a request (a tenant, a customer, an order in a path).
 *
 * @example
 * checkId(tenantId, '/tenantId', 'tenantId');
 */
export function checkId(value: unknown, pointer: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 200 || !PRINTABLE.test(value)) {
    throw new InputError([{ pointer, code: 'invalid-id', message: `${what} must be 1 to 200 characters without control characters, got ${JSON.stringify(value)}` }]);
  }
  return value;
}

/**
 * Answers `value` if it is a whole number, or throws an InputError naming the field.
 *
 * @example
 * checkInteger(options.limit, '/limit', 'limit');
 */
export function checkInteger(value: unknown, pointer: string, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new InputError([{ pointer, code: 'invalid-integer', message: `${what} must be a whole number, got ${JSON.stringify(value)}` }]);
  }
  return value;
}
