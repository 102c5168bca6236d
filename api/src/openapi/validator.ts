/**
 * Validates requests (and, in tests, responses) against the OpenAPI document itself: the document is added to
 * ajv (draft 2020-12) once, and every validator is a `$ref` into it, compiled once at start-up.
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FieldError, FieldLocation } from '../http/problem.js';
import type { Json, JsonObject } from './document.js';

// ajv-formats is CommonJS; its default export arrives as the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** The id the document is registered under inside ajv. */
export const DOCUMENT_ID = 'urn:purna:openapi';

function escapeSegment(segment: string): string {
  return encodeURIComponent(segment.replaceAll('~', '~0').replaceAll('/', '~1'));
}

/** A `$ref` to `segments` inside the document. */
export function documentRef(...segments: string[]): string {
  return `${DOCUMENT_ID}#/${segments.map(escapeSegment).join('/')}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function collectExtensionKeywords(node: unknown, into: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collectExtensionKeywords(child, into);
    return;
  }
  if (!isObject(node)) return;
  for (const [key, child] of Object.entries(node)) {
    if (key.startsWith('x-')) into.add(key);
    collectExtensionKeywords(child, into);
  }
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** Turns ajv errors into one field error per offending pointer, in words a developer understands. */
export function fieldErrors(errors: readonly ErrorObject[] | null | undefined, location: FieldLocation): FieldError[] {
  const byPointer = new Map<string, FieldError>();
  for (const error of errors ?? []) {
    let pointer = error.instancePath;
    let message: string;
    const params = error.params as Record<string, unknown>;
    if (error.keyword === 'required') {
      pointer = `${pointer}/${String(params.missingProperty)}`;
      message = 'is required';
    } else if (error.keyword === 'additionalProperties') {
      pointer = `${pointer}/${String(params.additionalProperty)}`;
      message = 'is not a known field (unknown fields are refused, not ignored)';
    } else if (error.keyword === 'unevaluatedProperties') {
      pointer = `${pointer}/${String(params.unevaluatedProperty)}`;
      message = 'is not a known field (unknown fields are refused, not ignored)';
    } else {
      const parent = isObject(error.parentSchema) ? error.parentSchema : {};
      const description = typeof parent.description === 'string' ? parent.description : undefined;
      message = description
        ? `must be ${description}, got ${preview(error.data)}`
        : `${error.message ?? 'is not valid'}, got ${preview(error.data)}`;
    }
    if (!byPointer.has(pointer)) byPointer.set(pointer, { in: location, pointer, message, code: error.keyword });
  }
  return [...byPointer.values()];
}

/** Most field errors one answer lists, as parseProgram does; the last entry then says how many more there were. */
export const MAX_FIELD_ERRORS = 50;

/** Keeps an answer about untrusted input bounded: the first {@link MAX_FIELD_ERRORS}, then one "more" line. */
function cappedErrors(errors: FieldError[], location: FieldLocation): FieldError[] {
  if (errors.length <= MAX_FIELD_ERRORS) return errors;
  const more = errors.length - MAX_FIELD_ERRORS;
  return [
    ...errors.slice(0, MAX_FIELD_ERRORS),
    { in: location, pointer: '', code: 'too-many-errors', message: `and ${more} more problem${more === 1 ? '' : 's'} not listed; fix these first` },
  ];
}

/** What a response carried, for {@link DocumentValidators.responseProblems}. */
export interface ResponseSeen {
  readonly contentType?: string | undefined;
  /** All the response's headers; when absent, headers are not checked (but the content type is). */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** The parsed body; undefined when the response had none. */
  readonly body: unknown;
}

/** One way a response departs from the document: in its status, a header, or its body, at a JSON pointer. */
export interface ResponseProblem {
  readonly in: 'status' | 'header' | 'body';
  readonly pointer: string;
  readonly message: string;
}

/** One compiled check: the value is valid, or the field errors. */
export type Check = (value: unknown) => FieldError[];

/**
 * Validators compiled from one document.
 *
 * @example
 * const validators = new DocumentValidators(doc);
 * const check = validators.body('/v1/orders', 'post');
 */
export class DocumentValidators {
  // Compiling the program schema takes about a second; apps built from the same document (every test's app, a
  // server's only app) share one set of validators.
  static readonly #byDocument = new Map<string, DocumentValidators>();

  /**
   * The validators of `document`, compiled once per distinct document in this process.
   *
   * @example
   * const validators = DocumentValidators.for(doc);
   */
  static for(document: JsonObject): DocumentValidators {
    const key = JSON.stringify(document);
    let validators = DocumentValidators.#byDocument.get(key);
    if (!validators) {
      validators = new DocumentValidators(document);
      DocumentValidators.#byDocument.set(key, validators);
    }
    return validators;
  }

  readonly #checks = new Map<string, Check>();
  readonly #strict: Ajv2020;
  readonly #coercing: Ajv2020;
  readonly #document: JsonObject;

  constructor(document: JsonObject) {
    this.#document = document;
    const extensions = new Set<string>();
    collectExtensionKeywords(document.components, extensions);
    const make = (coerceTypes: boolean): Ajv2020 => {
      const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true, coerceTypes, validateSchema: false });
      addFormats(ajv);
      for (const keyword of extensions) ajv.addKeyword(keyword);
      // OpenAPI's own vocabulary: its schema keywords, and the document's top-level fields (ajv sees the
      // document as the root schema that `$ref`s point into).
      ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
      ajv.addVocabulary(['openapi', 'info', 'jsonSchemaDialect', 'servers', 'security', 'tags', 'paths', 'components', 'webhooks']);
      ajv.addSchema(document, DOCUMENT_ID);
      return ajv;
    };
    this.#strict = make(false);
    this.#coercing = make(true);
  }

  #compile(ajv: Ajv2020, schema: Json, location: FieldLocation): Check {
    const key = `${ajv === this.#strict ? 'strict' : 'coercing'} ${location} ${JSON.stringify(schema)}`;
    const cached = this.#checks.get(key);
    if (cached) return cached;
    const validate: ValidateFunction = ajv.compile(schema as object);
    const check: Check = (value) => (validate(value) ? [] : cappedErrors(fieldErrors(validate.errors, location), location));
    this.#checks.set(key, check);
    return check;
  }

  #operation(path: string, method: string): Record<string, unknown> {
    const paths = this.#document.paths;
    const item = isObject(paths) ? paths[path] : undefined;
    const op = isObject(item) ? item[method] : undefined;
    if (!isObject(op)) throw new Error(`${method.toUpperCase()} ${path} is not in the document`);
    return op;
  }

  /** A check of the schema at `ref` (a `documentRef`). */
  schema(ref: string): Check {
    return this.#compile(this.#strict, { $ref: ref }, 'body');
  }

  /** The request body check of an operation, or undefined when it takes no JSON body (none, or NDJSON read line by line). */
  body(path: string, method: string): Check | undefined {
    const op = this.#operation(path, method);
    if (!isObject(op.requestBody) || !isObject(op.requestBody.content) || !isObject(op.requestBody.content['application/json'])) return undefined;
    const ref = documentRef('paths', path, method, 'requestBody', 'content', 'application/json', 'schema');
    return this.#compile(this.#strict, { $ref: ref }, 'body');
  }

  /** The check of the path or query parameters, as one object (unknown query parameters are refused). */
  parameters(path: string, method: string, location: 'path' | 'query'): Check {
    const op = this.#operation(path, method);
    const list = Array.isArray(op.parameters) ? op.parameters : [];
    const properties: JsonObject = {};
    const required: string[] = [];
    list.forEach((parameter, index) => {
      if (!isObject(parameter) || parameter.in !== location || typeof parameter.name !== 'string') return;
      properties[parameter.name] = { $ref: documentRef('paths', path, method, 'parameters', String(index), 'schema') };
      if (parameter.required === true) required.push(parameter.name);
    });
    return this.#compile(
      this.#coercing,
      { type: 'object', properties, required, additionalProperties: false },
      location,
    );
  }

  /**
   * Problems of a response against the document: the status must be documented, the content type must match, the
   * body must validate, and, when `headers` are given (names in any case), every required header must be present
   * and every documented one valid. Empty when it conforms.
   *
   * @example
   * validators.responseProblems('/v1/orders', 'post', 201, { contentType: 'application/json', body });
   */
  responseProblems(path: string, method: string, status: number, response: ResponseSeen): ResponseProblem[] {
    const op = this.#operation(path, method);
    const responses = isObject(op.responses) ? op.responses : {};
    const range = `${String(status).charAt(0)}XX`;
    const key = [String(status), range, 'default'].find((candidate) => candidate in responses) ?? String(status);
    const spec = responses[key];
    if (!isObject(spec)) return [{ in: 'status', pointer: '', message: `status ${status} is not documented for ${method.toUpperCase()} ${path}` }];
    const problems: ResponseProblem[] = [];
    if (response.headers) {
      const sent = new Map(Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]));
      const documented = isObject(spec.headers) ? spec.headers : {};
      for (const [name, header] of Object.entries(documented)) {
        if (!isObject(header)) continue;
        const value = sent.get(name.toLowerCase());
        if (value === undefined) {
          if (header.required === true) problems.push({ in: 'header', pointer: `/${name}`, message: 'is required' });
          continue;
        }
        if (!isObject(header.schema)) continue;
        const check = this.#compile(this.#coercing, { $ref: documentRef('paths', path, method, 'responses', key, 'headers', name, 'schema') }, 'header');
        for (const error of check(value)) problems.push({ in: 'header', pointer: `/${name}`, message: error.message });
      }
    }
    const content = isObject(spec.content) ? spec.content : undefined;
    if (!content) {
      if (response.body !== undefined) problems.push({ in: 'body', pointer: '', message: `status ${status} is documented without a body, got ${preview(response.body)}` });
      return problems;
    }
    const mediaType = (response.contentType ?? '').split(';')[0]?.trim() ?? '';
    if (!isObject(content[mediaType])) {
      problems.push({ in: 'header', pointer: '/Content-Type', message: `content type ${mediaType || '(none)'} is not documented for ${status}; expected ${Object.keys(content).join(', ')}` });
      return problems;
    }
    const ref = documentRef('paths', path, method, 'responses', key, 'content', mediaType, 'schema');
    const check = this.#compile(this.#strict, { $ref: ref }, 'body');
    for (const error of check(response.body)) problems.push({ in: 'body', pointer: error.pointer, message: error.message });
    return problems;
  }

  /**
   * Problems of a response against the document (status, content type and body; headers unchecked), as lines.
   * Empty when it conforms.
   */
  response(path: string, method: string, status: number, contentType: string | undefined, body: unknown): string[] {
    return this.responseProblems(path, method, status, { contentType, body }).map((problem) =>
      problem.in === 'body' && problem.pointer !== '' ? `${problem.pointer}: ${problem.message}` : problem.in === 'body' ? `/: ${problem.message}` : problem.message,
    );
  }
}
