/**
 * Builds the Express app from the operation list. `server.ts` connects storage and listens; tests use this app
 * through supertest. Every operation runs the same pipeline: authenticate → rate limit → read the JSON body →
 * refuse operator keys → validate against the OpenAPI document → Idempotency-Key → handler → reply.
 */
import { AuditTrail, MemoryStore, StoreIdempotencyKeys, StoreRateLimiter, type Store } from '@purna/ledger';
import express, { type Express, type Request, type Response } from 'express';
import { pino, type Logger } from 'pino';
import swaggerUi from 'swagger-ui-express';
import type { ApiKeyStore } from './auth/api-key-store.js';
import { authenticate, type Principal } from './auth/authenticate.js';
import { DEFAULT_RATE_LIMIT, DEFAULT_VOUCHER_MISSES } from './config.js';
import { ApiError, problemReply, type FieldError, type Reply } from './http/problem.js';
import {
  IDEMPOTENCY_KEY_PATTERN,
  MemoryIdempotencyStore,
  requestFingerprint,
  type IdempotencyStore,
} from './http/idempotency.js';
import { localizedReply } from './http/content-language.js';
import { jsonBodyReader } from './http/json-body.js';
import { DEFAULT_PLAYGROUND_DIR, playgroundFiles } from './http/playground-files.js';
import { rateLimitHeaders } from './http/rate-limit-headers.js';
import { findOperatorKeys } from './http/operator-guard.js';
import { requestLocals, requestLog } from './http/request-log.js';
import type { LedgerPort } from './ledger-port.js';
import { buildOpenApiDocument, expressPath, type JsonObject } from './openapi/document.js';
import { momentWebhooks } from './openapi/moment-webhooks.js';
import { REQUEST_EXAMPLES } from './openapi/request-examples.js';
import type { Operation } from './openapi/operation.js';
import { DocumentValidators, type Check } from './openapi/validator.js';
import { apiOperations } from './routes/api-operations.js';
import { systemOperations } from './routes/system-operations.js';
import { COMPONENT_SCHEMAS } from './schemas/components.js';
import type { EndpointCheckOptions } from './webhooks/endpoint-url.js';
import { ProblemSchema } from './schemas/problem-schema.js';

/** What `createApp` needs. */
export interface AppOptions {
  /** The ledger every route calls; its `apiKeys` authenticate requests unless `keys` is given. */
  readonly ledger: LedgerPort;
  readonly keys?: ApiKeyStore;
  /** Answers whether storage is reachable, for `/readyz`. */
  readonly ready?: () => Promise<boolean>;
  /** Structured logger; silent when absent. */
  readonly logger?: Logger;
  /** The current time in milliseconds since the epoch (the default of `at`; rate limiting). */
  readonly clock?: () => number;
  /**
   * Requests each API key may send, over every instance on the ledger's store: `burst` in each window of
   * 60 s × burst ÷ perMinute (default 6000 a minute, burst 1000: 1000 per 10 s window); see `StoreRateLimiter`.
   */
  readonly rateLimit?: { readonly perMinute: number; readonly burst: number };
  /**
   * Voucher codes that match nothing (unknown, another customer's, malformed) each API key may send, counted the
   * same way (default 30 a minute, burst 20: 20 per 40 s window). With none left, `POST /v1/vouchers/{code}/use`
   * answers 429.
   */
  readonly voucherMisses?: { readonly perMinute: number; readonly burst: number };
  readonly bodyLimitBytes?: number;
  /** Where Idempotency-Key answers are kept; default the ledger's store (shared by every instance on it). */
  readonly idempotency?: IdempotencyStore;
  /**
   * Where rate-limit counters are kept; default the ledger's store. Tests that count the store writes of one request
   * keep them apart: an instance reserves a chunk of a key's allowance once per many requests, not per request.
   */
  readonly rateLimitStore?: Store;
  /**
   * How webhook endpoint URLs are checked when registered or changed: `allowHosts` (PURNA_WEBHOOK_ALLOW_HOSTS,
   * default none) and `resolve` (default the system's DNS; tests inject one so that nothing leaves the machine).
   */
  readonly webhooks?: EndpointCheckOptions;
  /** The built playground served at `/playground/` (default playground/dist, where `npm run build:playground` writes). */
  readonly playgroundDir?: string;
}

/** An Express app that also exposes its OpenAPI document. */
export type PurnaApp = Express & { readonly openApiDocument: JsonObject };

/** The document's descriptive header. */
const INFO = {
  title: 'Purna REST API',
  version: '1.0.0',
  description:
    'Loyalty points, tiers, referrals, birthdays and extended-warranty checks for shop checkouts and CRMs. ' +
    'Authenticate with `Authorization: Bearer pk_...`. Errors are application/problem+json (RFC 9457). ' +
    'Besides what the schemas say: no field name in a body or a query may start with `$` or contain `.` (400 ' +
    '`operator-key`; a program\'s own `$schema` excepted), and a body nests at most 64 levels. ' +
    'Every request body has examples that tell one story on a fresh tenant, in the order of the operations ' +
    'publishProgram, upsertCustomer, recordOrder and onwards (docs/api.md, "Try it out with the examples"). ' +
    'A guide with curl examples is in docs/api.md.',
};

interface Compiled {
  readonly op: Operation;
  readonly path: Check;
  readonly query: Check;
  readonly body: Check | undefined;
}

function unauthenticatedPrincipal(): Principal {
  return { tenantId: '', keyId: '', scopes: [] };
}

// The body's id defaults to the path's; a different one is a validation error, not a silent override.
function bodyWithPathId(body: unknown, pathId: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const sent = (body as { id?: unknown }).id;
  if (sent === undefined) return { ...body, id: pathId };
  if (sent !== pathId) {
    throw new ApiError('validation-failed', 'The body id must equal the path id.', {
      errors: [{ in: 'body', pointer: '/id', message: `must equal the path id ${JSON.stringify(pathId)}, got ${JSON.stringify(sent)}` }],
    });
  }
  return body;
}

/** The Idempotency-Key header's form (the OpenAPI document's pattern), compiled once. */
const IDEMPOTENCY_KEY = new RegExp(IDEMPOTENCY_KEY_PATTERN);

/** The Content-Type header Express's `res.type(t).send(text)` writes, for the JSON types the operations answer. */
const JSON_CONTENT_TYPES: ReadonlyMap<string, string> = new Map(
  ['application/json', 'application/problem+json'].map((type) => [type, `${type}; charset=utf-8`]),
);

function writeReply(res: Response, sent: Reply): void {
  const reply = localizedReply(sent, res.req.headers['accept-language']);
  res.vary('Accept-Language');
  res.statusCode = reply.status;
  const headers = reply.headers ?? {};
  for (const name in headers) res.setHeader(name, headers[name]!);
  if (reply.body === undefined) {
    res.end();
    return;
  }
  const text = JSON.stringify(reply.body);
  const contentType = JSON_CONTENT_TYPES.get(reply.contentType ?? 'application/json');
  // A document's own validator is answered by Express (a 304 when If-None-Match holds it), and so is any other type.
  if (contentType === undefined || headers.ETag !== undefined || reply.status === 204 || reply.status === 304) {
    res.type(reply.contentType ?? 'application/json').send(text);
    return;
  }
  // What `send` would do for this answer, without its steps that do nothing here; a string body goes out in the
  // same write as the head (a Buffer would be a second chunk).
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (res.req.method === 'HEAD') res.end();
  else res.end(text);
}

/**
 * The app.
 *
 * @example
 * const app = createApp({ ledger: openLedger({ store: memoryStore() }) });
 * await request(app).get('/healthz').expect(200);
 */
export function createApp(options: AppOptions): PurnaApp {
  const keys = options.keys ?? options.ledger.apiKeys;
  const logger = options.logger ?? pino({ level: 'silent' });
  const clock = options.clock ?? Date.now;
  // Limits and answers live in the ledger's store, so every instance on it counts and replays alike; a ledger
  // stand-in without a store (pipeline tests) gets a memory store of its own, the same mechanism in one process.
  const shared = options.ledger.store;
  const store = shared ?? new MemoryStore();
  const limitStore = options.rateLimitStore ?? store;
  const audit = new AuditTrail(store);
  const limiter = new StoreRateLimiter(limitStore, 'requests', { ...DEFAULT_RATE_LIMIT, ...options.rateLimit, now: clock });
  const voucherMisses = new StoreRateLimiter(limitStore, 'voucher-misses', { ...DEFAULT_VOUCHER_MISSES, ...options.voucherMisses, now: clock });
  const idempotency =
    options.idempotency ?? (shared ? new StoreIdempotencyKeys<Reply>(shared, { now: clock }) : new MemoryIdempotencyStore({ now: clock }));
  const readJson = jsonBodyReader(options.bodyLimitBytes ?? 1_048_576);
  const ready = options.ready ?? (() => Promise.resolve(true));
  const webhooks = options.webhooks ?? {};

  let document: JsonObject = {};
  const operations = [...systemOperations(() => document), ...apiOperations()];
  document = buildOpenApiDocument(operations, COMPONENT_SCHEMAS, INFO, ProblemSchema, momentWebhooks(), REQUEST_EXAMPLES);
  const validators = DocumentValidators.for(document);
  const compiled: Compiled[] = operations.map((op) => ({
    op,
    path: validators.parameters(op.path, op.method, 'path'),
    query: validators.parameters(op.path, op.method, 'query'),
    body: validators.body(op.path, op.method),
  }));

  async function run(entry: Compiled, req: Request, res: Response): Promise<Reply> {
    const { op } = entry;
    const locals = requestLocals(res);
    const principal =
      op.scopes === 'public' ? unauthenticatedPrincipal() : await authenticate(req.get('authorization'), keys, op.scopes);
    if (op.scopes !== 'public') {
      locals.tenantId = principal.tenantId;
      locals.keyId = principal.keyId;
      const taken = await limiter.take(principal.tenantId, principal.keyId);
      for (const [name, value] of Object.entries(rateLimitHeaders(taken))) res.setHeader(name, value);
      if (!taken.allowed) {
        throw new ApiError('rate-limited', `Slow down: retry after ${taken.resetSeconds} s.`, {
          headers: { 'Retry-After': String(taken.resetSeconds) },
        });
      }
    }
    const read = entry.body ? await readJson(req, res) : undefined;
    const body = op.bodyIdFromPath ? bodyWithPathId(read, String(req.params[op.bodyIdFromPath])) : read;
    const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) };
    const params: Record<string, unknown> = { ...req.params };
    const operatorKeys = [
      ...findOperatorKeys(body, 'body', op.bodyOperatorKeysAllowed ?? []),
      ...findOperatorKeys(query, 'query'),
    ];
    if (operatorKeys.length > 0) {
      throw new ApiError('operator-key', 'Field names may not start with "$" or contain ".".', { errors: operatorKeys });
    }
    const errors: FieldError[] = [...entry.path(params), ...entry.query(query)];
    if (entry.body) {
      if (body === undefined) errors.push({ in: 'body', pointer: '', message: 'a JSON body is required', code: 'required' });
      else errors.push(...entry.body(body));
    }
    const idempotencyKey = op.method === 'post' ? req.get('idempotency-key') : undefined;
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      errors.push({ in: 'header', pointer: '/Idempotency-Key', message: 'must be 1 to 200 visible ASCII characters' });
    }
    if (errors.length > 0) {
      throw new ApiError('validation-failed', `${errors.length} field(s) are not valid; see errors.`, { errors });
    }
    // A streamed body is read by the handler, line by line; only its media type is checked here.
    if (op.streamBody && !req.is(op.streamBody.contentType)) {
      throw new ApiError('unsupported-media-type', `Send the body as ${op.streamBody.contentType}; got ${req.get('content-type') ?? 'no Content-Type'}.`);
    }
    const handle = (): Promise<Reply> =>
      op.handler({
        principal,
        params,
        query,
        body,
        ledger: options.ledger,
        keys,
        now: () => new Date(clock()).toISOString(),
        // The request's child logger is made only when the handler logs.
        get log() {
          return locals.log;
        },
        requestId: locals.requestId,
        idempotency: idempotencyKey === undefined ? {} : { idempotencyKey },
        ready,
        webhooks,
        voucherMisses,
        audit,
        ...(op.streamBody ? { bodyStream: req } : {}),
      });
    // An audited operation is recorded once it answered 2xx, a replay too (marked): the replay may be the retry of a
    // request whose action was done but whose record failed. A failed record fails the request, so that it is retried.
    const call = async (): Promise<Reply> => {
      const reply = await handle();
      if (op.audit && reply.status >= 200 && reply.status < 300) {
        const done = { params, body, reply };
        const action = typeof op.audit.action === 'function' ? op.audit.action(done) : op.audit.action;
        const details = op.audit.details?.(done);
        await audit.record(principal.tenantId, {
          at: new Date(clock()).toISOString(),
          actor: principal.keyId,
          action,
          target: op.audit.target(done),
          requestId: locals.requestId,
          ...(reply.headers?.['Idempotency-Replayed'] === 'true' ? { replay: true } : {}),
          ...(details ? { details } : {}),
        });
      }
      return reply;
    };
    if (idempotencyKey === undefined) return call();
    const fingerprint = requestFingerprint(req.method, req.path, body);
    const begun = await idempotency.begin(principal.tenantId, idempotencyKey, fingerprint);
    if (begun.state === 'replay') {
      return { ...begun.reply, headers: { ...begun.reply.headers, 'Idempotency-Replayed': 'true' } };
    }
    if (begun.state === 'mismatch') {
      throw new ApiError(
        'idempotency-key-reused',
        `Idempotency-Key "${idempotencyKey}" was first used with a different request (method, path or body).`,
      );
    }
    if (begun.state === 'in-progress') {
      throw new ApiError('idempotency-in-progress', `A request with Idempotency-Key "${idempotencyKey}" is still running; retry shortly.`);
    }
    let reply: Reply;
    try {
      reply = await call();
    } catch (error) {
      reply = problemReply(error, locals.requestId);
      if (reply.status >= 500) locals.log.error({ err: error }, 'operation failed');
    }
    if (reply.status >= 500) {
      await idempotency.abandon(principal.tenantId, idempotencyKey, fingerprint);
      return reply;
    }
    try {
      await idempotency.complete(principal.tenantId, idempotencyKey, fingerprint, reply);
    } catch (error) {
      // The answer could not be kept: free the key so that the retry runs again (the ledger's natural ids and its
      // own key records answer it as a replay) instead of finding it "in progress" until the takeover.
      await idempotency.abandon(principal.tenantId, idempotencyKey, fingerprint).catch(() => undefined);
      throw error;
    }
    return reply;
  }

  const app = express();
  app.disable('x-powered-by');
  // No ETag made by hashing every answer: a POST's answer is never revalidated, and a customer's balance is read
  // fresh. Routes that serve documents (/openapi.json, the program schema) set their own ETag, which Express still
  // answers with a 304 when If-None-Match holds it.
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.use(requestLog(logger));
  app.use(
    '/docs',
    swaggerUi.serve,
    swaggerUi.setup(document, {
      customSiteTitle: 'Purna API',
      // The API key pasted into Authorize survives a reload of the page (kept in the browser's localStorage).
      swaggerOptions: { persistAuthorization: true },
    }),
  );

  app.use(
    '/playground',
    playgroundFiles(options.playgroundDir ?? DEFAULT_PLAYGROUND_DIR, (error, res) => writeReply(res, problemReply(error, requestLocals(res).requestId))),
  );

  const methodsByPath = new Map<string, string[]>();
  for (const entry of compiled) {
    const route = expressPath(entry.op.path);
    methodsByPath.set(route, [...(methodsByPath.get(route) ?? []), entry.op.method.toUpperCase()]);
    app[entry.op.method](route, async (req: Request, res: Response) => {
      const locals = requestLocals(res);
      let reply: Reply;
      try {
        reply = await run(entry, req, res);
      } catch (error) {
        reply = problemReply(error, locals.requestId);
        if (reply.status >= 500) locals.log.error({ err: error }, 'operation failed');
      }
      writeReply(res, reply);
    });
  }
  // A known path with another method is a 405 naming the allowed ones; anything else is a 404.
  const templates = [...methodsByPath].map(([route, methods]) => ({
    pattern: new RegExp(`^${route.replace(/[.]/g, '\\.').replace(/:[A-Za-z0-9_]+/g, '[^/]+')}/?$`),
    methods: methods.includes('GET') ? [...methods, 'HEAD'] : methods,
  }));
  app.use((req: Request, res: Response, next: () => void) => {
    const known = templates.find((template) => template.pattern.test(req.path));
    if (!known) {
      next();
      return;
    }
    const error = new ApiError('method-not-allowed', `Use ${known.methods.join(', ')} on this route.`, {
      headers: { Allow: known.methods.join(', ') },
    });
    writeReply(res, problemReply(error, requestLocals(res).requestId));
  });
  app.use((req: Request, res: Response) => {
    const error = new ApiError('route-not-found', `No route ${req.method} ${req.path}; see /openapi.json.`);
    writeReply(res, problemReply(error, requestLocals(res).requestId));
  });
  // Anything thrown outside an operation (Swagger UI's static files, ...) still answers problem+json.
  app.use((error: unknown, _req: Request, res: Response, next: (error?: unknown) => void) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const locals = requestLocals(res);
    const reply = problemReply(error, locals.requestId);
    if (reply.status >= 500) locals.log.error({ err: error }, 'request failed');
    writeReply(res, reply);
  });
  return Object.assign(app, { openApiDocument: document });
}
