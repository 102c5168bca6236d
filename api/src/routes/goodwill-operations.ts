/**
 * Goodwill gestures: points for one of the program's goodwill reasons, within its maximum, the customer's limit and
 * the tenant's budget. The actor is the key; only an admin key's `override` goes past a reason's maximum.
 */
import { defineOperation, type Operation } from '../openapi/operation.js';
import { GoodwillBodySchema, GoodwillRecordedSchema } from '../schemas/ledger-schemas.js';
import { ledgerReply } from './ledger-reply.js';

/** The goodwill operations. */
export function goodwillOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'grantGoodwill',
      method: 'post',
      path: '/v1/goodwill',
      tag: 'goodwill',
      summary: "Grant a goodwill gesture for one of the program's goodwill reasons",
      description:
        "Points (available at once) for a reason of the program's `goodwill` section, tied to a complaint case when " +
        '`caseId` is given. Refused with 422 and every reason: an unknown reason, more points than the reason allows ' +
        '(`over-reason-maximum`), the per-customer limit of the period (`customer-limit-reached`), the budget of the ' +
        'period (`budget-exhausted`), a reward the catalog does not have (`unknown-reward`) or cannot give now (its ' +
        'tiers, stock, window or limit). A `rewardId` instead of points issues that reward\'s voucher without points; its ' +
        'cost counts toward the reason\'s maximum and the budget. Only an ' +
        'admin key sending `override: { reason }` goes past a reason\'s maximum, and the override is recorded; an ' +
        'override from another key is refused (`override-not-allowed`). The id is the idempotency key: the same ' +
        'request again answers the first answer (a refusal too), other content under the same id is a 409.',
      scopes: ['crm'],
      body: GoodwillBodySchema,
      responses: { 201: { description: 'Granted (or replayed).', schema: GoodwillRecordedSchema, headers: { 'Idempotency-Replayed': '"true" when this answers a replay of the same id' } } },
      problems: [404, 409, 422],
      audit: {
        action: ({ body }) => ((body as { override?: unknown }).override ? 'goodwill.overridden' : 'goodwill.granted'),
        target: ({ body }) => (body as { id: string }).id,
        details: ({ body }) => { const { customerId, reason, points, rewardId } = body as { customerId: string; reason: string; points?: number; rewardId?: string }; return { customerId, reason, ...(points !== undefined ? { points } : {}), ...(rewardId !== undefined ? { rewardId } : {}) }; },
      },
      handler: async ({ body, ledger, principal, now, idempotency }) => {
        // The actor is the key's, and so is the right to override: a body cannot speak for another agent.
        const { at, ...grant } = body;
        const mayOverride = principal.scopes.includes('admin');
        return ledgerReply(201, await ledger.grantGoodwill(principal.tenantId, { ...grant, actor: `api-key:${principal.keyId}` }, { at: at ?? now(), mayOverride, ...idempotency }));
      },
    }),
  ];
}
