/**
 * The validator of OUR program schema, in a module of its own so that a build for a page under a strict
 * Content-Security-Policy can put another in its place: ajv compiles a schema into code run with `new Function`,
 * which `script-src 'self'` refuses, so the playground's build (scripts/playground/build.ts) generates the same
 * validator's code with ajv's standalone mode ahead of time and swaps this file for it. `programValidatorOptions`
 * is the one place both take ajv's options from.
 */
import { Ajv2020, type Options, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { ProgramSchema } from './program-schema.js';

// ajv-formats ships CommonJS typings; its ESM-interop default may be the plugin or a namespace holding it.
type FormatsPlugin = (ajv: Ajv2020, formats: string[]) => Ajv2020;
const addFormats: FormatsPlugin =
  (addFormatsModule as unknown as { default?: FormatsPlugin }).default ?? (addFormatsModule as unknown as FormatsPlugin);

/** ajv's options for the program schema: every error, with the schema and the data (schema-messages reads them). */
export const programValidatorOptions: Options = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true, validateSchema: false };

/**
 * An ajv instance set up for the program schema, with the formats it uses; `code` adds ajv's code-generation
 * options (the standalone build passes `{ source: true, esm: true }`).
 *
 * @example standaloneCode(programAjv({ source: true, esm: true }), ...)
 */
export function programAjv(code: Options['code'] = {}): Ajv2020 {
  const ajv = new Ajv2020({ ...programValidatorOptions, code });
  addFormats(ajv, ['date', 'date-time']);
  return ajv;
}

let validator: ValidateFunction | undefined;

/** The validator, compiled once on first use. A schema a user sends is never compiled. */
export function programValidator(): ValidateFunction {
  validator ??= programAjv().compile(ProgramSchema);
  return validator;
}
