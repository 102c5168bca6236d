/**
 * API key format and hashing. A key reads `pk_<keyId>_<secret>`: the key id finds the stored record, the secret
 * (32 random bytes, base64url) is checked against its sha256 in constant time. A fast hash is enough because the
 * secret has 256 bits of entropy; there is nothing to guess. Only the hash is stored; the key is shown once.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * What a key looks like. The key id has no `_`, so the first `_` after it separates the secret unambiguously.
 * Generated keys have a 16-hex-digit id and a 43-character secret; an operator's PURNA_ADMIN_KEY may use any id
 * of letters and digits and any secret of at least 32 characters.
 */
export const API_KEY_PATTERN = /^pk_([A-Za-z0-9]{1,64})_([A-Za-z0-9_-]{32,256})$/;

/** The parts of a well-formed key. */
export interface ParsedApiKey {
  readonly keyId: string;
  readonly secret: string;
}

/** A newly generated key: the full key to hand out once, and what to store. */
export interface GeneratedApiKey extends ParsedApiKey {
  readonly key: string;
  readonly hash: string;
}

/** Splits a key into id and secret, or answers undefined when it is not a key of this format. */
export function parseApiKey(key: string): ParsedApiKey | undefined {
  const match = API_KEY_PATTERN.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  return { keyId: match[1], secret: match[2] };
}

/** The stored hash of a key: hex sha256 over the key id and secret, so a hash cannot be moved to another id. */
export function hashApiKey(keyId: string, secret: string): string {
  return createHash('sha256').update(`${keyId}:${secret}`).digest('hex');
}

/**
 * A fresh key with a random id and secret.
 *
 * @example
 * const { key, keyId, hash } = generateApiKey(); // store { keyId, hash }, show `key` once
 */
export function generateApiKey(): GeneratedApiKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `pk_${keyId}_${secret}`, keyId, secret, hash: hashApiKey(keyId, secret) };
}

// Compared when no record exists, so that an unknown key id takes as long as a wrong secret.
const DUMMY_HASH = hashApiKey('0000000000000000', 'x'.repeat(43));

/**
 * Whether `secret` matches `storedHash`, in time independent of where they differ.
 *
 * @example
 * apiKeyMatches(keyId, secret, record.hash)
 */
export function apiKeyMatches(keyId: string, secret: string, storedHash: string | undefined): boolean {
  const actual = Buffer.from(hashApiKey(keyId, secret), 'hex');
  const expected = Buffer.from(storedHash ?? DUMMY_HASH, 'hex');
  if (expected.length !== actual.length) {
    timingSafeEqual(actual, actual);
    return false;
  }
  return timingSafeEqual(actual, expected) && storedHash !== undefined;
}
