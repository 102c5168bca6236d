/**
 * Operations that need no API key: liveness, readiness and the OpenAPI document.
 */
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

/** `/healthz` and `/readyz` answers. */
export const HealthSchema = Type.Object({ status: Type.String() });

/** The OpenAPI document as an answer (its own schema is OpenAPI's, not restated here). */
export const OpenApiDocumentSchema = Type.Object(
  { openapi: Type.String({ pattern: '^3\\.1\\.' }), paths: Type.Object({}), components: Type.Object({}) },
  { description: 'an OpenAPI 3.1 document' },
);

/**
 * The public operations. `document` is read when asked, so it can include these operations themselves.
 *
 * @example
 * const ops = systemOperations(() => doc);
 */
export function systemOperations(document: () => JsonObject): Operation[] {
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
      responses: { 200: { description: 'The document.', schema: OpenApiDocumentSchema } },
      handler: () => Promise.resolve({ status: 200, body: document() }),
    }),
  ];
}
