/** Request and answer schemas of the API key operations. */
import { Type } from '@sinclair/typebox';
import { SCOPES } from '../auth/scope.js';
import { idSchema } from './id-schema.js';

/** One scope. */
export const ScopeSchema = Type.Union(
  SCOPES.map((scope) => Type.Literal(scope)),
  { description: 'a scope: checkout, crm or admin' },
);

/** `POST /v1/keys` body. */
export const CreateApiKeySchema = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200, description: 'a name of 1 to 200 characters, e.g. "web checkout"' }),
    scopes: Type.Array(ScopeSchema, { minItems: 1, maxItems: 3, uniqueItems: true, description: 'a list of 1 to 3 distinct scopes' }),
    tenantId: Type.Optional(idSchema('the tenant the key belongs to; only the `default` tenant\'s admin keys may name another tenant')),
  },
  { additionalProperties: false },
);

/** A key as listed: never its secret or hash. */
export const ApiKeySchema = Type.Object({
  keyId: Type.String(),
  tenantId: Type.String(),
  name: Type.String(),
  scopes: Type.Array(ScopeSchema),
  createdAt: Type.String({ format: 'date-time' }),
  revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
});

/** The answer to creating a key: the only time the key itself is shown. */
export const CreatedApiKeySchema = Type.Composite([
  ApiKeySchema,
  Type.Object({ key: Type.String({ description: 'the API key; shown once, store it now' }) }),
]);

/** `GET /v1/keys` answer. */
export const ApiKeyListSchema = Type.Object({ items: Type.Array(ApiKeySchema) });
