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
}

/** Base of every problem `type` URI, which ends with the code; the page it names is docs/api.md's error section. */
export const PROBLEM_TYPE_BASE = 'https://purna.dev/problems/';

/**
 * Error code → HTTP answer.
 *
 * @example
 * ERROR_TABLE['not-found'].status // 404
 */
export const ERROR_TABLE: Readonly<Record<string, ErrorMapping>> = {
  // this API
  'validation-failed': { status: 400, title: 'The request is not valid' },
  'malformed-json': { status: 400, title: 'The body is not valid JSON' },
  'operator-key': { status: 400, title: 'Field names may not start with $ or contain a dot' },
  unauthenticated: { status: 401, title: 'A valid API key is required' },
  forbidden: { status: 403, title: 'The API key lacks the scope this operation needs' },
  'route-not-found': { status: 404, title: 'No such route' },
  'method-not-allowed': { status: 405, title: 'Method not allowed on this route' },
  'idempotency-in-progress': { status: 409, title: 'A request with this Idempotency-Key is still being processed' },
  'idempotency-key-reused': { status: 409, title: 'This Idempotency-Key was used with a different request' },
  'payload-too-large': { status: 413, title: 'The body is too large' },
  'unsupported-media-type': { status: 415, title: 'The body must be application/json' },
  'rate-limited': { status: 429, title: 'Too many requests for this API key' },
  unavailable: { status: 503, title: 'The service is shutting down or storage is unreachable' },
  internal: { status: 500, title: 'Internal error' },
  // @purna/rules
  'invalid-program': { status: 400, title: 'The program is not valid' },
  'invalid-input': { status: 400, title: 'The input cannot be evaluated' },
  // @purna/ledger (not-found also from this API: no such key, no referral code yet)
  'not-found': { status: 404, title: 'Not found' },
  conflict: { status: 409, title: 'Conflict with the current state' },
  'idempotency-mismatch': { status: 409, title: 'This id was already used with different content' },
  'redemption-refused': { status: 422, title: 'The redemption is refused' },
  'goodwill-refused': { status: 422, title: 'The goodwill gesture is refused' },
  'reward-refused': { status: 422, title: 'The reward redemption is refused' },
  'voucher-refused': { status: 422, title: 'The voucher cannot be used' },
  'return-refused': { status: 422, title: 'The return is refused' },
  'warranty-plan-refused': { status: 422, title: 'The warranty plan is not offered for this product' },
  'warranty-transfer-refused': { status: 422, title: 'The warranty contract cannot be transferred' },
  'case-transition-refused': { status: 409, title: 'The case cannot make this change in its status flow' },
  contention: { status: 503, title: 'The account is busy; retrying is safe' },
};

/** The mapping for `code`, or the 500 mapping when the code is unknown. */
export function mappingFor(code: string | undefined): ErrorMapping & { code: string } {
  const known = code !== undefined && Object.hasOwn(ERROR_TABLE, code) ? ERROR_TABLE[code] : undefined;
  if (known && code !== undefined) return { ...known, code };
  return { ...ERROR_TABLE.internal!, code: 'internal' };
}
