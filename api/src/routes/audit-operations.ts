/**
 * The audit trail (docs/data.md, "The audit trail"): every admin action of the tenant, oldest first, with the acting
 * key, the time and the request. Admin keys only: a CRM or checkout key cannot read it.
 */
import { AUDIT_PAGE_MAX, AuditPageSchema } from '@purna/ledger';
import { Type } from '@sinclair/typebox';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { readPage } from './page-cursor.js';

const AuditQuerySchema = Type.Object(
  {
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$', description: 'the nextCursor of the previous page: resume after it' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: AUDIT_PAGE_MAX, description: `entries per page, 1 to ${AUDIT_PAGE_MAX} (default 100)` })),
  },
  { additionalProperties: false },
);

/** The audit operations. */
export function auditOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'listAudit',
      method: 'get',
      path: '/v1/audit',
      tag: 'keys',
      summary: "The tenant's audit trail, oldest first: programs published, keys created and revoked, adjustments, goodwill, webhook changes",
      description:
        'Append-only: an entry is written when the action answered 2xx (a replay of the same natural id or Idempotency-Key is recorded too, marked `replay: true`) and is never changed. Resume with `after` (the `nextCursor` of the previous page).',
      scopes: ['admin'],
      query: AuditQuerySchema,
      responses: { 200: { description: 'One page.', schema: AuditPageSchema } },
      handler: async ({ query, audit, principal }) => {
        const body = await readPage(query.after, (cursor) => audit.list(principal.tenantId, { ...(query.limit !== undefined ? { limit: query.limit } : {}), ...(cursor !== undefined ? { after: cursor } : {}) }), '/after');
        return { status: 200, body };
      },
    }),
  ];
}
