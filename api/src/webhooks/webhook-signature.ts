/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com/, the scheme Svix implements): the signed content
 * is `${id}.${timestamp}.${body}`, signed with HMAC-SHA256 keyed by the secret's decoded bytes, and sent as
 * `v1,<base64>`. Several secrets give several signatures separated by spaces: while a secret is being rotated the
 * old and the new one both sign, so a receiver configured with either keeps verifying.
 *
 * The body is signed as the exact UTF-8 bytes of the string given; the sender must send that same string, never
 * a re-serialised copy, or the receiver's check fails.
 */
import { createHmac } from 'node:crypto';
import { parseWebhookSecret } from './webhook-secret.js';

/**
 * The three headers a Standard Webhooks receiver reads. A type alias rather than an interface so that it passes
 * as a plain `Record<string, string>` of headers (interfaces get no implicit index signature).
 *
 * @example
 * const headers: WebhookHeaders = webhookHeaders('msg_1', 1674087231, body, [secret]);
 * headers['webhook-signature']; // 'v1,K5oZ…='
 */
export type WebhookHeaders = {
  /** The message id: the same on every retry of one message, so receivers can deduplicate. */
  readonly 'webhook-id': string;
  /** When this attempt was signed, in whole seconds since the epoch. */
  readonly 'webhook-timestamp': string;
  /** `v1,<base64>` per secret, separated by spaces. */
  readonly 'webhook-signature': string;
};

// The spec forbids "." in the id (it delimits the signed content); whitespace and control characters could split
// or forge a header. Printable ASCII without "." is what every producer's ids (msg_…, UUIDs, ULIDs) look like.
const MESSAGE_ID = /^[\x21-\x2d\x2f-\x7e]{1,256}$/;

/** The refusal of a signing with no secret (no secrets to parse, or no keys to sign with). */
const NO_SECRET = 'A webhook is signed with at least one secret; none was given.';

/**
 * The `v1,<base64>` signature of one message with one secret.
 *
 * @throws TypeError on a malformed secret, id or timestamp (see {@link webhookHeaders}).
 * @example
 * signWebhook('msg_1', 1614265330, '{"a":1}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'); // 'v1,…'
 */
export function signWebhook(id: string, timestampSeconds: number, body: string, secret: string): string {
  checkContent(id, timestampSeconds, body);
  return sign(parseWebhookSecret(secret), id, timestampSeconds, body);
}

/**
 * The `webhook-id`, `webhook-timestamp` and `webhook-signature` headers for one attempt, signed with every secret
 * given (the current one, plus the previous one while a rotation is under way).
 *
 * @throws TypeError when there is no secret, a secret is malformed, the id is empty, longer than 256 characters or
 *   holds ".", whitespace or non-ASCII, the timestamp is not a whole non-negative number of seconds, or the body is
 *   not a string.
 * @example
 * const headers = webhookHeaders('msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', Math.floor(Date.now() / 1000), body, [secret]);
 * // { 'webhook-id': 'msg_…', 'webhook-timestamp': '1674087231', 'webhook-signature': 'v1,K5oZ…=' }
 */
export function webhookHeaders(
  id: string,
  timestampSeconds: number,
  body: string,
  secrets: readonly string[],
): WebhookHeaders {
  return signedHeaders(id, timestampSeconds, body, signingKeys(secrets));
}

/**
 * The HMAC keys of the secrets that sign, parsed once for many webhooks (the delivery worker keeps them for a
 * second): every secret is parsed before any signing, so a bad secret in a rotation pair fails the whole call
 * rather than silently sending only the good signature.
 *
 * @throws TypeError when there is no secret or a secret is malformed (which one is said, never its characters).
 * @example
 * const keys = signingKeys([oldSecret, newSecret]);
 * const headers = signedHeaders(moment.id, Math.floor(Date.now() / 1000), body, keys);
 */
export function signingKeys(secrets: readonly string[]): Buffer[] {
  if (secrets.length === 0) {
    throw new TypeError(NO_SECRET);
  }
  return secrets.map((secret, index) => {
    try {
      return parseWebhookSecret(secret);
    } catch (error) {
      throw new TypeError(`Webhook secret ${index + 1} of ${secrets.length}: ${(error as Error).message}`);
    }
  });
}

/**
 * {@link webhookHeaders} with the keys {@link signingKeys} parsed.
 *
 * @throws TypeError as {@link webhookHeaders} does for the id, the timestamp, the body, or no key.
 * @example
 * const headers = signedHeaders('msg_1', 1674087231, body, signingKeys([secret]));
 */
export function signedHeaders(id: string, timestampSeconds: number, body: string, keys: readonly Buffer[]): WebhookHeaders {
  checkContent(id, timestampSeconds, body);
  if (keys.length === 0) {
    throw new TypeError(NO_SECRET);
  }
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': keys.map((key) => sign(key, id, timestampSeconds, body)).join(' '),
  };
}

function sign(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${timestampSeconds}.${body}`, 'utf8').digest('base64')}`;
}

function checkContent(id: string, timestampSeconds: number, body: string): void {
  if (typeof id !== 'string' || !MESSAGE_ID.test(id)) {
    throw new TypeError(
      `A webhook id must be 1 to 256 printable ASCII characters without "." or spaces; got ${JSON.stringify(id)}.`,
    );
  }
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new TypeError(
      `A webhook timestamp must be whole seconds since the epoch; got ${String(timestampSeconds)} (milliseconds or a Date would be wrong too).`,
    );
  }
  if (typeof body !== 'string') {
    throw new TypeError(`A webhook body must be the JSON string that will be sent; got ${typeof body}.`);
  }
}
