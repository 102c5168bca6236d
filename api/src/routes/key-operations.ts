/**
 * API keys: create (shown once), list, revoke. Admin scope, within the caller's tenant; only admin keys of the
 * `default` tenant (the operator's) may create the first key of another tenant.
 */
import { Type } from '@sinclair/typebox';
import { generateApiKey } from '../auth/api-key.js';
import type { ApiKeyRecord } from '../auth/api-key-store.js';
import { ApiError } from '../http/problem.js';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { ApiKeyListSchema, ApiKeySchema, CreateApiKeySchema, CreatedApiKeySchema } from '../schemas/api-key-schemas.js';

/** The tenant of the operator, whose admin keys may create keys for other tenants. */
export const OPERATOR_TENANT = 'default';

const KeyIdParams = Type.Object(
  { keyId: Type.String({ pattern: '^[A-Za-z0-9]{1,64}$', description: 'a key id of 1 to 64 letters and digits' }) },
  { additionalProperties: false },
);

function view(record: ApiKeyRecord): Record<string, unknown> {
  return {
    keyId: record.keyId,
    tenantId: record.tenantId,
    name: record.name,
    scopes: record.scopes,
    createdAt: record.createdAt,
    ...(record.revokedAt ? { revokedAt: record.revokedAt } : {}),
  };
}

/** The key operations. */
export function keyOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'createApiKey',
      method: 'post',
      path: '/v1/keys',
      tag: 'keys',
      summary: 'Create an API key (the key is shown once)',
      scopes: ['admin'],
      body: CreateApiKeySchema,
      responses: { 201: { description: 'The new key, with the secret shown this once.', schema: CreatedApiKeySchema } },
      problems: [409],
      audit: {
        action: 'key.created',
        target: ({ reply }) => (reply.body as { keyId: string }).keyId,
        details: ({ reply }) => { const { tenantId, scopes, name } = reply.body as { tenantId: string; scopes: string[]; name: string }; return { tenantId, scopes, name }; },
      },
      handler: async ({ body, principal, keys, now }) => {
        const tenantId = body.tenantId ?? principal.tenantId;
        if (tenantId !== principal.tenantId && principal.tenantId !== OPERATOR_TENANT) {
          throw new ApiError('forbidden', `Only admin keys of tenant "${OPERATOR_TENANT}" may create keys for another tenant.`);
        }
        const generated = generateApiKey();
        const record: ApiKeyRecord = {
          tenantId,
          keyId: generated.keyId,
          hash: generated.hash,
          scopes: body.scopes,
          name: body.name,
          createdAt: now(),
        };
        await keys.insert(record);
        return { status: 201, body: { ...view(record), key: generated.key } };
      },
    }),
    defineOperation({
      operationId: 'listApiKeys',
      method: 'get',
      path: '/v1/keys',
      tag: 'keys',
      summary: "List this tenant's API keys (never their secrets)",
      scopes: ['admin'],
      responses: { 200: { description: 'The keys, revoked ones included.', schema: ApiKeyListSchema } },
      handler: async ({ principal, keys }) => {
        const records = await keys.list(principal.tenantId);
        return { status: 200, body: { items: records.map(view) } };
      },
    }),
    defineOperation({
      operationId: 'revokeApiKey',
      method: 'delete',
      path: '/v1/keys/{keyId}',
      tag: 'keys',
      summary: 'Revoke an API key of this tenant',
      scopes: ['admin'],
      params: KeyIdParams,
      responses: { 200: { description: 'The revoked key.', schema: ApiKeySchema } },
      problems: [404],
      audit: { action: 'key.revoked', target: ({ params }) => String(params.keyId) },
      handler: async ({ params, principal, keys, now }) => {
        const record = await keys.findByKeyId(params.keyId);
        if (!record || record.tenantId !== principal.tenantId) {
          throw new ApiError('not-found', `No API key ${params.keyId} in this tenant.`);
        }
        const revokedAt = record.revokedAt ?? now();
        if (!record.revokedAt) await keys.revoke(principal.tenantId, params.keyId, revokedAt);
        return { status: 200, body: view({ ...record, revokedAt }) };
      },
    }),
  ];
}
