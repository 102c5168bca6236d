/**
 * Erasing a customer (docs/data.md, "What erasure removes and keeps"): an admin action, audited under the pseudonym.
 * Declared after every other operation, so the request examples' story erases its customer once it is told.
 */
import { ErasureAnswerSchema, ErasureRequestSchema } from '@purna/ledger';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { IdParamsSchema } from '../schemas/id-schema.js';

/** The customer erasure operation. */
export function customerErasureOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'eraseCustomer',
      method: 'delete',
      path: '/v1/customers/{id}',
      tag: 'customers',
      summary: "Erase a customer: personal data removed, a pseudonym in the id's place in every record kept",
      description:
        'The profile (hashes, birth date, zone, attributes, tags, referral code), the free text of their complaint cases and of ' +
        'adjustment and override reasons are removed; their entries, orders, returns, redemptions, moments, cases, vouchers and warranty ' +
        'contracts are kept under the `pseudonym`, so balances, totals and reconcile do not move. Their moments and webhooks stop. ' +
        'Afterwards the id answers 404 everywhere (this route too) and may be enrolled again as a new customer. A call after ' +
        'an unfinished one (a crash, a timeout) finishes it and answers the same pseudonym. Writes for the customer while ' +
        'the erasure runs answer 409. docs/data.md, "What erasure removes and keeps".',
      scopes: ['admin'],
      params: IdParamsSchema,
      body: ErasureRequestSchema,
      bodyDescription: 'Why the customer is erased (kept in the audit trail: name the request, not the person).',
      responses: { 200: { description: 'Erased.', schema: ErasureAnswerSchema } },
      problems: [404, 409],
      // The trail names the pseudonym: the old id is what the erasure removes.
      audit: {
        action: 'customer.erased',
        target: ({ reply }) => (reply.body as { pseudonym: string }).pseudonym,
        details: ({ body }) => ({ reason: (body as { reason: string }).reason }),
      },
      handler: async ({ params, body, ledger, principal, now }) => ({ status: 200, body: await ledger.eraseCustomer(principal.tenantId, params.id, body, { at: now() }) }),
    }),
  ];
}
