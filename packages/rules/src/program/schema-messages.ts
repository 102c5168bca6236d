/**
 * Turns the JSON Schema validator's errors into sentences a marketer understands, using the `description` each
 * schema carries ("earning[2].award.pointsPer.amount must be a positive decimal string like "10000", got "-5"").
 */
import type { ErrorObject } from 'ajv';
import type { Problem } from '../errors.js';
import { describePointer, preview } from '../money/money.js';

function where(pointer: string): string {
  return pointer === '' ? 'the program' : describePointer(pointer);
}

function escapeToken(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function descriptionOf(schema: unknown): string | undefined {
  if (typeof schema === 'object' && schema !== null && 'description' in schema && typeof schema.description === 'string') return schema.description;
  return undefined;
}

function allowedFields(schema: unknown): string {
  if (typeof schema === 'object' && schema !== null && 'properties' in schema && typeof schema.properties === 'object' && schema.properties !== null) {
    return Object.keys(schema.properties).join(', ');
  }
  return '';
}

const CODES: Record<string, string> = {
  required: 'missing-field',
  additionalProperties: 'unknown-field',
  type: 'wrong-type',
  pattern: 'invalid-format',
  format: 'invalid-format',
  enum: 'not-allowed',
  minimum: 'out-of-range',
  maximum: 'out-of-range',
  minLength: 'invalid-length',
  maxLength: 'invalid-length',
  minItems: 'invalid-length',
  maxItems: 'invalid-length',
  uniqueItems: 'duplicate-item',
  minProperties: 'invalid-shape',
  maxProperties: 'invalid-shape',
};

/** One validator error as a problem. Requires the validator to run with `verbose: true`. */
export function schemaErrorToProblem(error: ErrorObject): Problem {
  const path = error.instancePath;
  const code = CODES[error.keyword] ?? 'invalid-value';
  if (error.keyword === 'required') {
    const missing = String((error.params as { missingProperty?: unknown }).missingProperty);
    return { pointer: `${path}/${escapeToken(missing)}`, code, message: `${where(path)} is missing "${missing}"` };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = String((error.params as { additionalProperty?: unknown }).additionalProperty);
    const allowed = allowedFields(error.parentSchema);
    return {
      pointer: `${path}/${escapeToken(extra)}`,
      code,
      message: `${where(path)} has an unknown field "${extra}"${allowed ? ` (allowed: ${allowed})` : ''}`,
    };
  }
  const expected = descriptionOf(error.parentSchema) ?? `valid (${error.message ?? error.keyword})`;
  return { pointer: path, code, message: `${where(path)} must be ${expected}, got ${preview(error.data)}` };
}

/**
 * Every validator error as problems, without duplicates (same place, same sentence). A value that fits no branch of
 * a union ("a number of days like 14, or a list of them") is one problem in the union's own words, not one per
 * branch it missed.
 */
export function schemaErrorsToProblems(errors: readonly ErrorObject[]): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const isBranchOfUnion = (error: ErrorObject): boolean => unions.some((u) => u !== error && u.instancePath === error.instancePath && error.schemaPath.startsWith(`${u.schemaPath}/`));
  for (const error of errors) {
    if (isBranchOfUnion(error)) continue;
    const problem = schemaErrorToProblem(error);
    const key = `${problem.pointer}\u0000${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems;
}
