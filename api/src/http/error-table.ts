/**
 * The one table that turns an error code into an HTTP answer. Codes come from three places: this API (auth,
 * validation, limits), @purna/rules (`invalid-program`, `invalid-input`) and @purna/ledger (`not-found`,
 * `conflict`, ...); all are kebab-case. A code missing here is a bug and answers 500 without leaking its message.
 */

/** How one error code is answered. */
export interface ErrorMapping {
  /** HTTP status. */
  readonly status: number;
  /** Short, stable summary of the problem type (RFC 9457 `title`). */
  readonly title: string;
  /** Last segment of the problem `type` URI. */
  readonly slug: string;
}

/** Base of every problem `type` URI; the page it names is docs/api.md's error section. */
export const PROBLEM_TYPE_BASE = 'https://purna.dev/problems/';

/**
 * Error code → HTTP answer.
 *
 * @example
 * ERROR_TABLE['not-found'].status // 404
 */
export const ERROR_TABLE: Readonly<Record<string, ErrorMapping>> = {
  // this API
  'validation-failed': { status: 400, title: 'The request is not valid', slug: 'validation-failed' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON', slug: 'malformed-json' },
  'operator-key': { status: 400, title: 'Field names may not start with $ or contain a dot', slug: 'operator-key' },
  unauthenticated: { status: 401, title: 'A valid API key is required', slug: 'unauthenticated' },
  forbidden: { status: 403, title: 'The API key lacks the scope this operation needs', slug: 'forbidden' },
  'route-not-found': { status: 404, title: 'No such route', slug: 'route-not-found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this route', slug: 'method-not-allowed' },
  'idempotency-in-progress': {
    status: 409,
    title: 'A request with this Idempotency-Key is still being processed',
    slug: 'idempotency-in-progress',
  },
  'idempotency-key-reused': {
    status: 409,
    title: 'This Idempotency-Key was used with a different request',
    slug: 'idempotency-key-reused',
  },
  'payload-too-large': { status: 413, title: 'The body is too large', slug: 'payload-too-large' },
  'unsupported-media-type': {
    status: 415,
    title: 'The body must be application/json',
    slug: 'unsupported-media-type',
  },
  'rate-limited': { status: 429, title: 'Too many requests for this API key', slug: 'rate-limited' },
  unavailable: { status: 503, title: 'The service is shutting down or storage is unreachable', slug: 'unavailable' },
  internal: { status: 500, title: 'Internal error', slug: 'internal' },
  // @purna/rules
  'invalid-program': { status: 400, title: 'The program is not valid', slug: 'invalid-program' },
  'invalid-input': { status: 400, title: 'The input cannot be evaluated', slug: 'invalid-input' },
  // @purna/ledger
  'not-found': { status: 404, title: 'Not found', slug: 'not-found' },
  conflict: { status: 409, title: 'Conflict with the current state', slug: 'conflict' },
  'idempotency-mismatch': {
    status: 409,
    title: 'This id was already used with different content',
    slug: 'idempotency-mismatch',
  },
  'redemption-refused': { status: 422, title: 'The redemption is refused', slug: 'redemption-refused' },
  'warranty-plan-refused': { status: 422, title: 'The warranty plan is not offered for this product', slug: 'warranty-plan-refused' },
  'warranty-transfer-refused': { status: 422, title: 'The warranty contract cannot be transferred', slug: 'warranty-transfer-refused' },
  contention: { status: 503, title: 'The account is busy; retrying is safe', slug: 'contention' },
};

/** The mapping for `code`, or the 500 mapping when the code is unknown. */
export function mappingFor(code: string | undefined): ErrorMapping & { code: string } {
  const known = code !== undefined && Object.hasOwn(ERROR_TABLE, code) ? ERROR_TABLE[code] : undefined;
  if (known && code !== undefined) return { ...known, code };
  return { ...ERROR_TABLE.internal!, code: 'internal' };
}
