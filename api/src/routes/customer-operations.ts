/**
 * Customers: upsert a profile, read balances and tier as of an instant, page through the ledger, adjust points.
 */
import { CustomerViewSchema, TransactionPageSchema, UpsertedCustomerSchema } from '@purna/ledger';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { AtQuerySchema } from '../schemas/common-schemas.js';
import { IdParamsSchema } from '../schemas/id-schema.js';
import { AdjustmentBodySchema, AdjustmentRecordedSchema, CustomerBodySchema, TierAssignedSchema, TierAssignmentBodySchema, TransactionQuerySchema } from '../schemas/ledger-schemas.js';
import { ledgerReply } from './ledger-reply.js';
import { CustomerExportSchema } from '../schemas/customer-export-schemas.js';

/** The customer operations. */
export function customerOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'upsertCustomer',
      method: 'put',
      path: '/v1/customers/{id}',
      tag: 'customers',
      summary: 'Create or update a customer profile',
      description:
        'The body is the customer profile; its `id` may be left out (the path gives it) and must equal the path ' +
        'when sent. With `referredBy`, the answer says whether the referral is `pending` or `rejected` and why.',
      scopes: ['crm'],
      params: IdParamsSchema,
      body: CustomerBodySchema,
      bodyDescription: 'A customer profile; `id` defaults to the path id.',
      bodyIdFromPath: 'id',
      responses: { 200: { description: 'The customer.', schema: UpsertedCustomerSchema } },
      problems: [409],
      handler: async ({ params, body, ledger, principal, now }) =>
        ledgerReply(200, await ledger.upsertCustomer(principal.tenantId, { ...body, id: params.id }, { at: now() })),
    }),
    defineOperation({
      operationId: 'getCustomer',
      method: 'get',
      path: '/v1/customers/{id}',
      tag: 'customers',
      summary: "Balances, tier, the tier's perks and expiring points as of an instant",
      scopes: ['crm'],
      params: IdParamsSchema,
      query: AtQuerySchema,
      responses: { 200: { description: 'The customer.', schema: CustomerViewSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal, now }) =>
        ledgerReply(200, await ledger.getCustomer(principal.tenantId, params.id, { at: query.at ?? now() })),
    }),
    defineOperation({
      operationId: 'listTransactions',
      method: 'get',
      path: '/v1/customers/{id}/transactions',
      tag: 'customers',
      summary: "A customer's ledger entries, newest first, with reasons and rule ids",
      scopes: ['crm'],
      params: IdParamsSchema,
      query: TransactionQuerySchema,
      responses: { 200: { description: 'One page.', schema: TransactionPageSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal, now }) => {
        // The ledger's cursor is a storage key; clients get it opaque and URL-safe.
        const page = await ledger.listTransactions(principal.tenantId, params.id, {
          at: query.at ?? now(),
          limit: query.limit ?? 50,
          ...(query.cursor !== undefined ? { cursor: Buffer.from(query.cursor, 'base64url').toString('utf8') } : {}),
        });
        const { nextCursor, ...rest } = page;
        return ledgerReply(200, {
          ...rest,
          ...(nextCursor !== undefined ? { nextCursor: Buffer.from(nextCursor, 'utf8').toString('base64url') } : {}),
        });
      },
    }),
    defineOperation({
      operationId: 'exportCustomer',
      method: 'get',
      path: '/v1/customers/{id}/export',
      tag: 'customers',
      summary: 'Everything kept about one customer, and the customer as a line of an import file',
      description:
        'Profile, balances, tier, every ledger entry (oldest first), the orders and redemptions they belong to, moments, complaint cases, vouchers and warranty contracts, as of `at` (default now); `import` is the customer as one line of an import file: profile, the points still held as lots with their own availability and expiry, and the tier held with the date its threshold stops being met (or its hold by hand ends), before the grace: `POST /v1/imports` takes the line back.',
      scopes: ['crm'],
      params: IdParamsSchema,
      query: AtQuerySchema,
      responses: { 200: { description: 'The whole record.', schema: CustomerExportSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal, now }) => ({ status: 200, body: await ledger.exportCustomer(principal.tenantId, params.id, { at: query.at ?? now() }) }),
    }),
    defineOperation({
      operationId: 'adjustPoints',
      method: 'post',
      path: '/v1/customers/{id}/adjustments',
      tag: 'customers',
      summary: 'Grant or deduct points by hand, with a reason',
      scopes: ['crm'],
      params: IdParamsSchema,
      body: AdjustmentBodySchema,
      responses: { 201: { description: 'Recorded (or replayed).', schema: AdjustmentRecordedSchema, headers: { 'Idempotency-Replayed': '"true" on a replay' } } },
      problems: [404, 409],
      audit: {
        action: 'points.adjusted',
        target: ({ params }) => String(params.id),
        details: ({ body }) => { const { id, points, reason } = body as { id: string; points: number; reason: string }; return { adjustmentId: id, points, reason }; },
      },
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        // The customer is the path's and the actor the key's: a body cannot speak for another customer or agent.
        const { at, ...adjustment } = body;
        return ledgerReply(
          201,
          await ledger.adjust(principal.tenantId, { ...adjustment, customerId: params.id, actor: `api-key:${principal.keyId}` }, { at: at ?? now(), ...idempotency }),
        );
      },
    }),
    defineOperation({
      operationId: 'assignTier',
      method: 'put',
      path: '/v1/customers/{id}/tier',
      tag: 'customers',
      summary: 'Assign a tier by hand, held until a date whatever the spend',
      description:
        'A status match or a goodwill upgrade: the tier is held until `until` whatever the spend, then the tier rules apply with their grace. ' +
        'A tier below the one earned changes nothing while the earned one holds. The customer\'s tier then says `manual: { until, reason }` while the hold is what keeps it. ' +
        'Refused (400 `invalid-input`, with the pointer) for a program without tiers, a tier the program does not have, or an `until` not in the future.',
      scopes: ['admin'],
      params: IdParamsSchema,
      body: TierAssignmentBodySchema,
      responses: { 200: { description: 'Recorded (or replayed).', schema: TierAssignedSchema, headers: { 'Idempotency-Replayed': '"true" on a replay' } } },
      problems: [404, 409],
      audit: {
        action: 'tier.assigned',
        target: ({ params }) => String(params.id),
        details: ({ body }) => { const { tierId, until, reason } = body as { tierId: string; until: string; reason: string }; return { tierId, until, reason }; },
      },
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        // The customer is the path's and the actor the key's: a body cannot speak for another customer or agent.
        const { at, ...assignment } = body;
        return ledgerReply(200, await ledger.assignTier(principal.tenantId, { ...assignment, customerId: params.id, actor: `api-key:${principal.keyId}` }, { at: at ?? now(), ...idempotency }));
      },
    }),
  ];
}
