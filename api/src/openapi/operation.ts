/**
 * One API operation, declared once: its route, scopes, request and response schemas and handler. The OpenAPI
 * document, the Express routes and the request validators are all generated from the list of operations, so a
 * route cannot exist without being documented and validated.
 */
import type { AuditAction, AuditTrail, StoreRateLimiter } from '@purna/ledger';
import type { Static, TSchema } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { ApiKeyStore } from '../auth/api-key-store.js';
import type { Principal } from '../auth/authenticate.js';
import type { Scope } from '../auth/scope.js';
import type { Reply } from '../http/problem.js';
import type { LedgerPort } from '../ledger-port.js';
import type { EndpointCheckOptions } from '../webhooks/endpoint-url.js';

/** HTTP methods the API uses. */
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One documented response. */
export interface ResponseSpec {
  readonly description: string;
  /** Absent for responses without a JSON body. */
  readonly schema?: TSchema;
  /** Documented response headers (name → description). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Content type of the body; `application/json` unless said. */
  readonly contentType?: string;
}

/** What a handler receives: validated input and the services, all scoped to the caller's tenant. */
export interface OperationContext<P, Q, B> {
  readonly principal: Principal;
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly ledger: LedgerPort;
  readonly keys: ApiKeyStore;
  /** The current instant as an ISO 8601 string (the default of `at` and `placedAt`). */
  readonly now: () => string;
  readonly log: Logger;
  readonly requestId: string;
  /** `{ idempotencyKey }` when the request carried `Idempotency-Key`, for the ledger to keep with the write. */
  readonly idempotency: { idempotencyKey?: string };
  /** Whether storage answers, for `/readyz`. */
  readonly ready: () => Promise<boolean>;
  /** How webhook endpoint URLs are checked: the operator's allow list, and the resolver (tests inject one). */
  readonly webhooks: EndpointCheckOptions;
  /** Voucher codes that matched nothing, per API key (`principal.tenantId`, `principal.keyId`): the brute-force limit. */
  readonly voucherMisses: StoreRateLimiter;
  /** The tenants' audit trails, on the ledger's store. */
  readonly audit: AuditTrail;
  /** The request body as it arrives, for an operation with a `streamBody` (read once, in bounded memory). */
  readonly bodyStream?: AsyncIterable<Buffer>;
}

/** An operation with its types erased, as kept in the operation list. */
export interface Operation {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** OpenAPI path template, e.g. `/v1/customers/{id}`. */
  readonly path: string;
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Scopes that may call it (`admin` always may), or `public` for health and the document. */
  readonly scopes: readonly Scope[] | 'public';
  readonly params?: TSchema;
  readonly query?: TSchema;
  readonly body?: TSchema;
  /** Description of the request body in the document. */
  readonly bodyDescription?: string;
  /**
   * A body streamed rather than parsed (an NDJSON file of any size): its media type and the schema of one line. The
   * handler reads `bodyStream` and checks each line itself; the document shows the line's schema.
   */
  readonly streamBody?: { readonly contentType: string; readonly lineSchema: TSchema };
  /** A path parameter the body's `id` defaults to, and must equal when sent (`PUT /v1/customers/{id}`). */
  readonly bodyIdFromPath?: string;
  /** JSON pointers in the body where a key may look like an operator (a program's `/$schema`). */
  readonly bodyOperatorKeysAllowed?: readonly string[];
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /** Problem statuses this operation may answer besides the ones every authenticated operation may. */
  readonly problems?: readonly number[];
  /** Recorded in the tenant's audit trail when it answers 2xx (docs/data.md, "The audit trail"). */
  readonly audit?: AuditSpec;
  readonly handler: (ctx: OperationContext<unknown, unknown, unknown>) => Promise<Reply>;
}

/** What an audited request did, as the audit trail's functions see it (its input validated, its 2xx answer). */
export interface AuditedRequest {
  readonly params: Readonly<Record<string, unknown>>;
  readonly body: unknown;
  readonly reply: Reply;
}

/** How an operation is recorded in the audit trail: the action, what it was done to, and what else names it. */
export interface AuditSpec {
  readonly action: AuditAction | ((done: AuditedRequest) => AuditAction);
  readonly target: (done: AuditedRequest) => string;
  readonly details?: (done: AuditedRequest) => Record<string, unknown>;
}

/** An operation declared with its schemas, so that its handler sees the static types. */
export interface OperationSpec<P extends TSchema, Q extends TSchema, B extends TSchema>
  extends Omit<Operation, 'params' | 'query' | 'body' | 'handler'> {
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly handler: (ctx: OperationContext<Static<P>, Static<Q>, Static<B>>) => Promise<Reply>;
}

/**
 * Declares an operation. Input reaches the handler only after it validated against the schemas, which is what
 * makes the static types true.
 *
 * @example
 * defineOperation({ operationId: 'getProgram', method: 'get', path: '/v1/program', ..., handler: async (ctx) => ... })
 */
export function defineOperation<P extends TSchema, Q extends TSchema, B extends TSchema>(
  spec: OperationSpec<P, Q, B>,
): Operation {
  return spec;
}
