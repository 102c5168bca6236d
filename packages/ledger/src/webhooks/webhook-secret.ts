/**
 * Webhook signing secrets in the Standard Webhooks form `whsec_<base64>`, the form receivers paste into the
 * `standardwebhooks` (or Svix) libraries unchanged. The spec asks for at least 24 random bytes and at most 64;
 * we generate 32 by default and accept anything in the spec's range when parsing, so a secret that came from
 * another Standard Webhooks producer still works.
 *
 * Error messages describe a bad secret's shape (its prefix, its length), never its characters: a secret is a
 * credential and messages end up in logs.
 */
import { randomBytes } from 'node:crypto';

/**
 * The prefix that marks a symmetric Standard Webhooks secret.
 *
 * @example
 * const looksLikeSecret = value.startsWith(WEBHOOK_SECRET_PREFIX);
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';

// The spec's bounds on a symmetric key: 192 to 512 bits.
const MIN_SECRET_BYTES = 24;
const MAX_SECRET_BYTES = 64;

/** Fewest and most bytes {@link generateWebhookSecret} will generate. */
const GENERATED_BYTES = { min: 24, max: 32 } as const;

// Standard (not url-safe) base64 with its padding: the alphabet the reference libraries decode.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A fresh secret of `byteLength` random bytes (24 to 32, default 32), ready to show the endpoint's owner once.
 *
 * @throws TypeError when `byteLength` is not a whole number from 24 to 32.
 * @example
 * const secret = generateWebhookSecret(); // 'whsec_' + 44 base64 characters
 */
export function generateWebhookSecret(byteLength = 32): string {
  if (!Number.isInteger(byteLength) || byteLength < GENERATED_BYTES.min || byteLength > GENERATED_BYTES.max) {
    throw new TypeError(
      `A webhook secret is generated from ${GENERATED_BYTES.min} to ${GENERATED_BYTES.max} random bytes; ${String(byteLength)} was asked for.`,
    );
  }
  return `${WEBHOOK_SECRET_PREFIX}${randomBytes(byteLength).toString('base64')}`;
}

/**
 * The HMAC key bytes behind a `whsec_<base64>` secret.
 *
 * @throws TypeError naming what is wrong: a missing prefix, characters outside standard base64, or a key
 *   shorter than 24 or longer than 64 bytes.
 * @example
 * const key = parseWebhookSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'); // 24 bytes
 */
export function parseWebhookSecret(secret: string): Buffer {
  if (typeof secret !== 'string') {
    throw new TypeError(`A webhook secret must be a string; got ${secret === null ? 'null' : typeof secret}.`);
  }
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) {
    throw new TypeError(
      `A webhook secret must start with "${WEBHOOK_SECRET_PREFIX}"; this one (${secret.length} characters) does not.`,
    );
  }
  const encoded = secret.slice(WEBHOOK_SECRET_PREFIX.length);
  // Buffer.from(…, 'base64') silently skips characters it does not know, so the alphabet is checked first: a
  // typo must not quietly become a different key.
  if (encoded.length === 0 || !BASE64.test(encoded)) {
    throw new TypeError(
      `A webhook secret must be "${WEBHOOK_SECRET_PREFIX}" followed by standard base64 (A-Z, a-z, 0-9, "+", "/", "=" padding to a multiple of 4 characters); the ${encoded.length} characters after the prefix are not.`,
    );
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < MIN_SECRET_BYTES || key.length > MAX_SECRET_BYTES) {
    throw new TypeError(
      `A webhook secret must hold from ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes of key; this one holds ${key.length}.`,
    );
  }
  return key;
}
