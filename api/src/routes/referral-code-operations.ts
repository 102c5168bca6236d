/**
 * A customer's own referral code, to print on their account page or share: read it, or assign one.
 */
import { generateReferralCode } from '@purna/rules';
import { ApiError } from '../http/problem.js';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { IdParamsSchema } from '../schemas/id-schema.js';
import { ReferralCodeSchema } from '../schemas/ledger-schemas.js';

/** The referral code operations. */
export function referralCodeOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'getReferralCode',
      method: 'get',
      path: '/v1/customers/{id}/referral-code',
      tag: 'customers',
      summary: "A customer's referral code",
      scopes: ['crm', 'checkout'],
      params: IdParamsSchema,
      responses: { 200: { description: 'The code.', schema: ReferralCodeSchema } },
      problems: [404],
      handler: async ({ params, ledger, principal }) => {
        const { profile } = await ledger.getCustomer(principal.tenantId, params.id);
        if (!profile.referralCode) {
          throw new ApiError('not-found', `Customer "${params.id}" has no referral code yet; POST to this path assigns one.`);
        }
        return { status: 200, body: { customerId: params.id, code: profile.referralCode } };
      },
    }),
    defineOperation({
      operationId: 'assignReferralCode',
      method: 'post',
      path: '/v1/customers/{id}/referral-code',
      tag: 'customers',
      summary: 'Assign a referral code to a customer who has none (idempotent)',
      description:
        'A customer who has a code keeps it (200). Otherwise a code in unambiguous characters is derived from the ' +
        'tenant and customer ids, so a retry assigns the same code (201).',
      scopes: ['crm'],
      params: IdParamsSchema,
      responses: {
        200: { description: 'The customer already had this code.', schema: ReferralCodeSchema },
        201: { description: 'Assigned.', schema: ReferralCodeSchema },
      },
      problems: [404],
      handler: async ({ params, ledger, principal, now }) => {
        const { profile } = await ledger.getCustomer(principal.tenantId, params.id);
        if (profile.referralCode) return { status: 200, body: { customerId: params.id, code: profile.referralCode } };
        const code = generateReferralCode(`${principal.tenantId}\u0000${params.id}`);
        await ledger.upsertCustomer(principal.tenantId, { ...profile, referralCode: code }, { at: now() });
        return { status: 201, body: { customerId: params.id, code } };
      },
    }),
  ];
}
