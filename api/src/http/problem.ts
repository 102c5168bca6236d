/**
 * RFC 9457 problem details: the one shape every error of this API takes, built from an error's `code` through
 * `ERROR_TABLE`.
 */
import { mappingFor, PROBLEM_TYPE_BASE } from './error-table.js';
import { isStorageUnavailable } from './storage-unavailable.js';

/** Where a bad field sits in the request. */
export type FieldLocation = 'body' | 'query' | 'path' | 'header';

/** One bad field: a JSON pointer into the part of the request named by `in`, and what is wrong with it. */
export interface FieldError {
  readonly in: FieldLocation;
  /** RFC 6901 pointer into that part ("" for the part itself). */
  readonly pointer: string;
  readonly message: string;
  /** Stable code when the source gives one (`required`, `currency-mismatch`, ...). */
  readonly code?: string;
}

/** The body of an `application/problem+json` answer. */
export interface ProblemBody {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly code: string;
  readonly instance?: string;
  readonly errors?: readonly FieldError[];
  readonly reasons?: readonly unknown[];
}

/** An answer the app writes: status, JSON body and extra headers. Handlers return these; problems become one. */
export interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /** `application/json` unless said otherwise. */
  readonly contentType?: string;
}

/**
 * An error raised by the API itself, carrying a code from `ERROR_TABLE`.
 *
 * @example
 * throw new ApiError('forbidden', 'This key has scope checkout; the operation needs crm or admin.');
 */
export class ApiError extends Error {
  readonly code: string;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    code: string,
    detail: string,
    extra: { errors?: readonly FieldError[]; headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(detail);
    this.name = 'ApiError';
    this.code = code;
    this.errors = extra.errors;
    this.headers = extra.headers;
  }
}

interface CodedError {
  code: string;
  message: string;
  errors?: unknown;
  reasons?: unknown;
  headers?: unknown;
}

function isCoded(error: unknown): error is CodedError {
  return (
    error instanceof Error && typeof (error as { code?: unknown }).code === 'string'
  );
}

function fieldErrorsOf(raw: unknown): FieldError[] | undefined {
  if (!Array.isArray(raw)) return undefined;
  return raw.map((item: unknown): FieldError => {
    const record = (typeof item === 'object' && item !== null ? item : {}) as Record<string, unknown>;
    const location = record.in;
    return {
      in: location === 'query' || location === 'path' || location === 'header' ? location : 'body',
      pointer: typeof record.pointer === 'string' ? record.pointer : '',
      message: typeof record.message === 'string' ? record.message : String(item),
      ...(typeof record.code === 'string' ? { code: record.code } : {}),
    };
  });
}

/** Content type of every problem answer. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Turns anything thrown into a problem reply. Errors whose code is in `ERROR_TABLE` keep their message as
 * `detail`; anything else becomes a 500 whose detail says nothing about internals (the caller logs it).
 *
 * @example
 * const reply = problemReply(new ApiError('unauthenticated', 'No Authorization header.'), 'req-1');
 * reply.status // 401
 */
export function problemReply(error: unknown, requestId?: string): Reply & { body: ProblemBody } {
  const coded = isCoded(error) ? error : undefined;
  const unavailable = !coded && isStorageUnavailable(error);
  const mapping = mappingFor(unavailable ? 'unavailable' : coded?.code);
  let detail: string;
  if (unavailable) detail = 'Storage is busy or unreachable; retry the request with the same ids (it is safe).';
  else if (mapping.code === 'internal' || !coded) {
    detail = 'The server could not answer this request. Retry later; if it persists, report the request id.';
  } else detail = coded.message;
  const errors = fieldErrorsOf(coded?.errors);
  const reasons = Array.isArray(coded?.reasons) ? (coded.reasons as unknown[]) : undefined;
  const body: ProblemBody = {
    type: `${PROBLEM_TYPE_BASE}${mapping.code}`,
    title: mapping.title,
    status: mapping.status,
    detail,
    code: mapping.code,
    ...(requestId ? { instance: `urn:purna:request:${requestId}` } : {}),
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...(reasons ? { reasons } : {}),
  };
  // A refused redemption sent again is refused again: say it is a replay, as for accepted writes.
  const replayed = (error as { replayed?: unknown } | undefined)?.replayed === true;
  const headers =
    error instanceof ApiError
      ? error.headers
      : unavailable
        ? { 'Retry-After': '1' }
        : replayed
          ? { 'Idempotency-Replayed': 'true' }
          : undefined;
  return { status: mapping.status, body, contentType: PROBLEM_CONTENT_TYPE, ...(headers ? { headers } : {}) };
}
