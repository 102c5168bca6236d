/**
 * Finds the caller from `Authorization: Bearer pk_<keyId>_<secret>` and checks the operation's scopes.
 */
import { ApiError } from '../http/problem.js';
import { apiKeyMatches, parseApiKey } from './api-key.js';
import type { ApiKeyStore } from './api-key-store.js';
import { scopeAllows, type Scope } from './scope.js';

/** Who is calling: every read and write is scoped to `tenantId`. */
export interface Principal {
  readonly tenantId: string;
  readonly keyId: string;
  readonly scopes: readonly string[];
}

const CHALLENGE = { 'WWW-Authenticate': 'Bearer realm="purna"' };

function unauthenticated(detail: string): ApiError {
  return new ApiError('unauthenticated', detail, { headers: CHALLENGE });
}

/**
 * The principal of a request, or throws `unauthenticated` (401) / `forbidden` (403).
 *
 * @example
 * const principal = await authenticate(req.get('authorization'), keys, ['checkout']);
 */
export async function authenticate(
  authorization: string | undefined,
  keys: ApiKeyStore,
  allowed: readonly Scope[],
): Promise<Principal> {
  if (!authorization) throw unauthenticated('Send the API key as "Authorization: Bearer pk_...".');
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(authorization);
  if (!match?.[1]) throw unauthenticated('The Authorization header must read "Bearer <api key>".');
  const parsed = parseApiKey(match[1]);
  if (!parsed) throw unauthenticated('The API key is not in the format pk_<key id>_<secret>.');
  const record = (await keys.findByKeyId(parsed.keyId)) ?? undefined;
  const matches = apiKeyMatches(parsed.keyId, parsed.secret, record?.hash);
  if (!record || !matches) throw unauthenticated('The API key is not known.');
  if (record.revokedAt) throw unauthenticated(`The API key ${record.keyId} was revoked at ${record.revokedAt}.`);
  if (!scopeAllows(record.scopes, allowed)) {
    throw new ApiError(
      'forbidden',
      `The API key has scope ${record.scopes.join(', ') || '(none)'}; this operation needs ${[...allowed, 'admin'].join(' or ')}.`,
    );
  }
  return { tenantId: record.tenantId, keyId: record.keyId, scopes: record.scopes };
}
