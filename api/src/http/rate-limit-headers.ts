/**
 * The `RateLimit-*` headers of draft-ietf-httpapi-ratelimit-headers-06 on every answer of an authenticated route
 * once its key is known: the key's allowance in the current window, counted over every instance on the store
 * (`StoreRateLimiter` of @purna/ledger). Their values and their descriptions in the OpenAPI document sit here
 * together, so the two cannot drift.
 */
import type { RateLimitAnswer } from '@purna/ledger';

/** Each header with what it says, as the OpenAPI document declares it. */
export const RATE_LIMIT_HEADERS: Readonly<Record<string, string>> = {
  'RateLimit-Limit': 'Requests this API key may send in the current window (PURNA_RATE_LIMIT_BURST).',
  'RateLimit-Remaining': 'Requests left to the key in the current window, as this instance knows it (another instance may have spent some).',
  'RateLimit-Reset': 'Seconds until the current window ends and the allowance is whole again.',
  'RateLimit-Policy': 'The limit and its window, like `1000;w=10`: 1000 requests per 10-second window.',
};

/**
 * The headers of one answer.
 *
 * @example
 * rateLimitHeaders(await limiter.take(tenantId, keyId)); // { 'RateLimit-Limit': '1000', 'RateLimit-Remaining': '999', ... }
 */
export function rateLimitHeaders(answer: RateLimitAnswer): Record<string, string> {
  return {
    'RateLimit-Limit': String(answer.limit),
    'RateLimit-Remaining': String(answer.remaining),
    'RateLimit-Reset': String(answer.resetSeconds),
    'RateLimit-Policy': `${answer.limit};w=${answer.windowSeconds}`,
  };
}
