/**
 * Builds the OpenAPI 3.1 document from the operation list. Schemas registered as components (the rules' TypeBox
 * schemas, the API's own answers) are emitted once under `components.schemas` and referenced by `$ref` wherever
 * an operation uses them, by object identity: nothing is copied. Their `$id`s are dropped and references to
 * them rewritten to `#/components/schemas/...`, so the document resolves on its own (Swagger UI, ajv).
 */
import type { TSchema } from '@sinclair/typebox';
import { IDEMPOTENCY_KEY_PATTERN } from '../http/idempotency.js';
import { ACCEPT_LANGUAGE_DESCRIPTION, CONTENT_LANGUAGE_HEADERS } from '../http/content-language.js';
import { RATE_LIMIT_HEADERS } from '../http/rate-limit-headers.js';
import type { Operation } from './operation.js';
import type { RequestExamples } from './request-examples.js';

/** A JSON value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonObject = { [key: string]: Json };

/** Statuses every authenticated operation may answer, documented on each. */
export const COMMON_PROBLEMS = [400, 401, 403, 413, 415, 429, 500] as const;

const PROBLEM_TITLES: Readonly<Record<number, string>> = {
  400: 'The request is not valid: every bad field is listed in `errors`.',
  401: 'No API key, an unknown key or a revoked key.',
  403: 'The key lacks the scope this operation needs.',
  404: 'No such resource in this tenant.',
  409: 'The id or Idempotency-Key was already used with different content, or is still being processed.',
  413: 'The body is larger than the configured limit.',
  415: 'The body is not application/json.',
  422: 'Refused, with every reason.',
  429: 'Too many requests for this key; retry after `Retry-After` seconds.',
  500: 'Internal error; retry later.',
  503: 'Storage is unreachable or the server is shutting down.',
};

/** Statuses answered before the key is known, which carry no `RateLimit-*` header. */
const BEFORE_RATE_LIMIT = new Set(['401', '403']);

function headerObjects(headers: Readonly<Record<string, string>>): JsonObject {
  const out: JsonObject = {};
  for (const [name, description] of Object.entries(headers)) out[name] = { description, schema: { type: 'string' } };
  return out;
}

const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SCHEMA_VALUES = new Set([
  'items',
  'additionalProperties',
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
]);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function plainJson(value: unknown): Json {
  if (Array.isArray(value)) return value.map(plainJson);
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(value)) if (child !== undefined) out[key] = plainJson(child);
    return out;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return null;
}

/** Emits schemas into a document, replacing registered components by references. */
export class SchemaEmitter {
  readonly #names = new Map<unknown, string>();
  readonly #idToRef = new Map<string, string>();
  readonly #components: Readonly<Record<string, TSchema>>;

  constructor(components: Readonly<Record<string, TSchema>>) {
    this.#components = components;
    for (const [name, schema] of Object.entries(components)) {
      if (this.#names.has(schema)) throw new Error(`schema registered twice: ${name} and ${this.#names.get(schema)}`);
      this.#names.set(schema, name);
      const id = (schema as { $id?: unknown }).$id;
      if (typeof id === 'string') this.#idToRef.set(id, `#/components/schemas/${name}`);
    }
  }

  /** The `components.schemas` section. */
  components(): JsonObject {
    const out: JsonObject = {};
    for (const [name, schema] of Object.entries(this.#components)) out[name] = this.#emit(schema, schema);
    return out;
  }

  /** `schema` as it appears in an operation: a reference when it is a component. */
  emit(schema: TSchema): Json {
    return this.#emit(schema, undefined);
  }

  // `<registered $id>#/x` → `#/components/schemas/<Name>/x`, so the reference resolves inside the document.
  #rewriteRef(ref: string): string {
    const hash = ref.indexOf('#');
    const base = hash === -1 ? ref : ref.slice(0, hash);
    const fragment = hash === -1 ? '' : ref.slice(hash + 1);
    const target = this.#idToRef.get(base);
    if (target === undefined) return ref;
    return `${target}${fragment}`;
  }

  #emit(node: unknown, root: unknown): Json {
    if (!isObject(node)) return plainJson(node);
    const name = this.#names.get(node);
    if (name !== undefined && node !== root) return { $ref: `#/components/schemas/${name}` };
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (value === undefined || key === '$id' || key === '$schema') continue;
      if (key === '$ref' && typeof value === 'string') {
        out[key] = this.#rewriteRef(value);
      } else if (SCHEMA_MAPS.has(key) && isObject(value)) {
        const map: JsonObject = {};
        for (const [child, schema] of Object.entries(value)) map[child] = this.#emit(schema, root);
        out[key] = map;
      } else if (SCHEMA_LISTS.has(key) && Array.isArray(value)) {
        out[key] = value.map((schema) => this.#emit(schema, root));
      } else if (SCHEMA_VALUES.has(key)) {
        out[key] = this.#emit(value, root);
      } else {
        out[key] = plainJson(value);
      }
    }
    return out;
  }
}

/** Converts `/v1/customers/{id}` to Express's `/v1/customers/:id`. */
export function expressPath(template: string): string {
  return template.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

function parameters(
  emitter: SchemaEmitter,
  location: 'path' | 'query',
  schema: TSchema | undefined,
  examples: Readonly<Record<string, JsonObject>> = {},
): Json[] {
  if (!schema) return [];
  const emitted = emitter.emit(schema);
  if (!isObject(emitted) || !isObject(emitted.properties)) {
    throw new Error(`${location} parameters must be declared as an object schema with properties`);
  }
  const required = Array.isArray(emitted.required) ? emitted.required : [];
  return Object.entries(emitted.properties).map(([name, child]) => {
    const description = isObject(child) && typeof child.description === 'string' ? child.description : undefined;
    return {
      name,
      in: location,
      required: location === 'path' || required.includes(name),
      ...(description ? { description } : {}),
      schema: child,
      ...(examples[name] !== undefined ? { examples: examples[name] } : {}),
    };
  });
}

/**
 * The `examples` of an operation's body, and of its path parameters under the same example names (so a client
 * picks the parameters that go with a body).
 */
function examplesOf(op: Operation, requestExamples: RequestExamples | undefined): { body?: JsonObject; params: Record<string, JsonObject> } {
  if (!requestExamples) return { params: {} };
  const named = requestExamples[op.operationId];
  if (!op.body && !op.streamBody) {
    if (named) throw new Error(`request examples for ${op.operationId}, which takes no body`);
    return { params: {} };
  }
  if (!named || Object.keys(named).length === 0) throw new Error(`${op.operationId} takes a body but has no request example`);
  const body: JsonObject = {};
  const params: Record<string, JsonObject> = {};
  for (const [name, example] of Object.entries(named)) {
    body[name] = { summary: example.summary, value: plainJson(example.value) };
    for (const [param, value] of Object.entries(example.params ?? {})) (params[param] ??= {})[name] = { value };
  }
  return { body, params };
}

/** The document's metadata. */
export interface DocumentInfo {
  readonly title: string;
  readonly version: string;
  readonly description: string;
}

/** A request Purna sends (OpenAPI 3.1 `webhooks`): its name, what it means, and its body's schema. */
export interface OutboundWebhook {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly body: TSchema;
}

/** The `webhooks` section: each a POST with its body, the Standard Webhooks headers, and what the receiver answers. */
function webhookItems(emitter: SchemaEmitter, webhooks: readonly OutboundWebhook[]): JsonObject {
  const header = (name: string, description: string): Json => ({ name, in: 'header', required: true, description, schema: { type: 'string' } });
  const items: JsonObject = {};
  for (const hook of webhooks) {
    items[hook.name] = {
      post: {
        summary: hook.summary,
        description: hook.description,
        parameters: [
          header('webhook-id', 'the moment id: the same on every retry, so a receiver de-duplicates by it'),
          header('webhook-timestamp', 'when this attempt was signed, in seconds since the epoch'),
          header('webhook-signature', '`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per valid secret, space-separated'),
        ],
        requestBody: { required: true, content: { 'application/json': { schema: emitter.emit(hook.body) } } },
        responses: { '2XX': { description: 'Received: delivered, never sent again.' }, default: { description: 'Not received: retried with growing waits for 3 days.' } },
      },
    };
  }
  return items;
}

/**
 * The OpenAPI 3.1 document of `operations`, and of the `webhooks` Purna sends.
 *
 * @example
 * const doc = buildOpenApiDocument(operations, componentSchemas, { title: 'Purna API', version: '1.0.0', description });
 */
export function buildOpenApiDocument(
  operations: readonly Operation[],
  components: Readonly<Record<string, TSchema>>,
  info: DocumentInfo,
  problemSchema: TSchema,
  webhooks: readonly OutboundWebhook[] = [],
  requestExamples?: RequestExamples,
): JsonObject {
  const emitter = new SchemaEmitter(components);
  const problemName = Object.entries(components).find(([, schema]) => schema === problemSchema)?.[0];
  if (!problemName) throw new Error('the problem schema must be registered as a component');
  const paths: Record<string, JsonObject> = {};
  for (const op of operations) {
    const item = (paths[op.path] ??= {});
    if (item[op.method]) throw new Error(`${op.method.toUpperCase()} ${op.path} is declared twice`);
    const examples = examplesOf(op, requestExamples);
    const params: Json[] = [...parameters(emitter, 'path', op.params, examples.params), ...parameters(emitter, 'query', op.query)];
    params.push({ name: 'Accept-Language', in: 'header', required: false, description: ACCEPT_LANGUAGE_DESCRIPTION, schema: { type: 'string', maxLength: 200 }, example: 'id, en;q=0.5' });
    if (op.method === 'post') {
      params.push({
        name: 'Idempotency-Key',
        in: 'header',
        required: false,
        description:
          'Any visible ASCII, 1 to 200 characters. A retry with the same key and request answers the first answer ' +
          '(header `Idempotency-Replayed: true`); the same key with another request is a 409.',
        schema: { type: 'string', pattern: IDEMPOTENCY_KEY_PATTERN },
      });
    }
    const responses: JsonObject = {};
    const limited = op.scopes !== 'public';
    for (const [status, spec] of Object.entries(op.responses)) {
      const json = spec.schema !== undefined && (spec.contentType ?? 'application/json') === 'application/json';
      const headers = headerObjects({ ...spec.headers, ...(json ? CONTENT_LANGUAGE_HEADERS : {}), ...(limited ? RATE_LIMIT_HEADERS : {}) });
      responses[status] = {
        description: spec.description,
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        ...(spec.schema
          ? { content: { [spec.contentType ?? 'application/json']: { schema: emitter.emit(spec.schema) } } }
          : {}),
      };
    }
    const problems = new Set<number>([
      ...(op.scopes === 'public' ? [500] : COMMON_PROBLEMS),
      ...(op.problems ?? []),
      // Every POST takes Idempotency-Key, whose reuse with another request is a 409.
      ...(op.method === 'post' ? [409] : []),
    ]);
    for (const status of [...problems].sort()) {
      const headers = headerObjects({
        ...CONTENT_LANGUAGE_HEADERS,
        ...(status === 429 ? { 'Retry-After': 'Seconds to wait.' } : {}),
        ...(limited && !BEFORE_RATE_LIMIT.has(String(status)) ? RATE_LIMIT_HEADERS : {}),
      });
      responses[String(status)] ??= {
        description: PROBLEM_TITLES[status] ?? 'A problem.',
        ...(Object.keys(headers).length > 0 ? { headers } : {}),
        content: { 'application/problem+json': { schema: { $ref: `#/components/schemas/${problemName}` } } },
      };
    }
    const scopeNote =
      op.scopes === 'public' ? 'No API key needed.' : `Scopes: ${[...op.scopes, 'admin'].join(', ')}.`;
    item[op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description: [op.description, scopeNote].filter(Boolean).join('\n\n'),
      'x-purna-scopes': op.scopes === 'public' ? [] : [...op.scopes, 'admin'],
      ...(op.scopes === 'public' ? { security: [] } : {}),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(op.body
        ? {
            requestBody: {
              required: true,
              ...(op.bodyDescription ? { description: op.bodyDescription } : {}),
              content: { 'application/json': { schema: emitter.emit(op.body), ...(examples.body ? { examples: examples.body } : {}) } },
            },
          }
        : {}),
      ...(op.streamBody
        ? {
            requestBody: {
              required: true,
              ...(op.bodyDescription ? { description: op.bodyDescription } : {}),
              content: { [op.streamBody.contentType]: { schema: emitter.emit(op.streamBody.lineSchema), ...(examples.body ? { examples: examples.body } : {}) } },
            },
          }
        : {}),
      responses,
    };
  }
  if (requestExamples) {
    const known = new Set(operations.map((op) => op.operationId));
    const stray = Object.keys(requestExamples).filter((id) => !known.has(id));
    if (stray.length > 0) throw new Error(`request examples for unknown operations: ${stray.join(', ')}`);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: { title: info.title, version: info.version, description: info.description },
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    tags: [...new Set(operations.map((op) => op.tag))].map((name) => ({ name })),
    paths,
    ...(webhooks.length > 0 ? { webhooks: webhookItems(emitter, webhooks) } : {}),
    components: {
      securitySchemes: {
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'pk_<keyId>_<secret>',
          description: 'An API key: `Authorization: Bearer pk_...`.',
        },
      },
      schemas: emitter.components(),
    },
  };
}
