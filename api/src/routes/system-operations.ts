/**
 * Operations that need no API key: liveness, readiness, the OpenAPI document and the program JSON Schema.
 */
import { createHash } from 'node:crypto';
import { PROGRAM_SCHEMA_ID, programSchemaDocument } from '@purna/rules';
import { Type } from '@sinclair/typebox';
import type { JsonObject } from '../openapi/document.js';
import { defineOperation, type Operation } from '../openapi/operation.js';

/**
 * How long `/readyz` waits for storage to answer before it says not ready: a load balancer asks every few seconds
 * and must hear "unavailable" quickly when the database is gone (the driver itself waits up to 10 s).
 */
export const READY_WITHIN_MS = 2_000;

/** `ready()`, or false when it fails or takes longer than `ms`. */
function readyWithin(ready: () => Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([ready().catch(() => false), late]).finally(() => clearTimeout(timer));
}

/**
 * The ETag of a document served as JSON, made once per document: a hash of the text the answer sends (the app makes
 * no ETag of its own, app.ts). Express answers 304 when a request's If-None-Match holds it.
 */
const documentTags = new WeakMap<object, string>();
function documentTag(doc: object): string {
  let tag = documentTags.get(doc);
  if (tag === undefined) {
    tag = `"${createHash('sha256').update(JSON.stringify(doc)).digest('base64url').slice(0, 27)}"`;
    documentTags.set(doc, tag);
  }
  return tag;
}

/** `/healthz` and `/readyz` answers. */
export const HealthSchema = Type.Object({ status: Type.String() });

/** The OpenAPI document as an answer (its own schema is OpenAPI's, not restated here). */
export const OpenApiDocumentSchema = Type.Object(
  { openapi: Type.String({ pattern: '^3\\.1\\.' }), paths: Type.Object({}), components: Type.Object({}) },
  { description: 'an OpenAPI 3.1 document' },
);

/** The program JSON Schema as an answer (the schema itself is the rules', not restated here). */
export const ProgramSchemaDocumentSchema = Type.Object(
  { title: Type.String(), $defs: Type.Object({}), properties: Type.Object({}) },
  { description: `the program JSON Schema (draft 2020-12), $id ${PROGRAM_SCHEMA_ID}` },
);

/** Where the API serves the program schema: the path of its `$id`, so `<your API><path>` is where the id resolves. */
export const PROGRAM_SCHEMA_PATH = new URL(PROGRAM_SCHEMA_ID).pathname;

/** How long clients and caches may keep the schema: it changes only with a new release of the API. */
const SCHEMA_MAX_AGE_SECONDS = 3600;

/**
 * The public operations. `document` is read when asked, so it can include these operations themselves.
 *
 * @example
 * const ops = systemOperations(() => doc);
 */
export function systemOperations(document: () => JsonObject): Operation[] {
  const programSchema = programSchemaDocument();
  return [
    defineOperation({
      operationId: 'health',
      method: 'get',
      path: '/healthz',
      tag: 'operations',
      summary: 'Liveness: the process answers',
      scopes: 'public',
      responses: { 200: { description: 'The process is alive.', schema: HealthSchema } },
      handler: () => Promise.resolve({ status: 200, body: { status: 'ok' } }),
    }),
    defineOperation({
      operationId: 'ready',
      method: 'get',
      path: '/readyz',
      tag: 'operations',
      summary: `Readiness: storage answered within ${READY_WITHIN_MS / 1000} s and the server is not shutting down`,
      scopes: 'public',
      responses: {
        200: { description: 'Ready to serve.', schema: HealthSchema },
        503: { description: 'Not ready.', schema: HealthSchema },
      },
      handler: async (ctx) => {
        const ready = await readyWithin(ctx.ready, READY_WITHIN_MS);
        return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'unavailable' } };
      },
    }),
    defineOperation({
      operationId: 'openApiDocument',
      method: 'get',
      path: '/openapi.json',
      tag: 'operations',
      summary: 'This OpenAPI 3.1 document',
      scopes: 'public',
      responses: {
        200: { description: 'The document.', schema: OpenApiDocumentSchema, headers: { ETag: 'The version of the document.' } },
        // Swagger UI asks again on every reload of /docs, with the ETag it holds.
        304: { description: 'Not modified: the ETag sent in If-None-Match is current.' },
      },
      handler: () => {
        const body = document();
        return Promise.resolve({ status: 200, headers: { ETag: documentTag(body) }, body });
      },
    }),
    defineOperation({
      operationId: 'programSchema',
      method: 'get',
      path: PROGRAM_SCHEMA_PATH,
      tag: 'operations',
      summary: 'The program JSON Schema, for editors and validators',
      description:
        `The schema a program follows (draft 2020-12, \`$id\` \`${PROGRAM_SCHEMA_ID}\`), exactly as ` +
        '`@purna/rules` ships it in `schema/program.schema.json`. Point an editor at this URL (a program\'s ' +
        '`"$schema"`, or a mapping of `*.program.json` files) to autocomplete and check programs. Cacheable: ' +
        `\`Cache-Control: public, max-age=${SCHEMA_MAX_AGE_SECONDS}\` and an \`ETag\` (\`If-None-Match\` answers 304).`,
      scopes: 'public',
      responses: {
        200: {
          description: 'The schema.',
          schema: ProgramSchemaDocumentSchema,
          contentType: 'application/schema+json',
          headers: { 'Cache-Control': 'How long the schema may be kept.', ETag: 'The version of the schema.' },
        },
        304: { description: 'Not modified: the ETag sent in If-None-Match is current.' },
      },
      handler: () =>
        Promise.resolve({
          status: 200,
          contentType: 'application/schema+json',
          headers: { 'Cache-Control': `public, max-age=${SCHEMA_MAX_AGE_SECONDS}`, ETag: documentTag(programSchema) },
          body: programSchema,
        }),
    }),
  ];
}
