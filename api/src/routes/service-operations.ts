/**
 * Jobs (idempotent sweeps any number of workers may run) and warranty checks.
 */
import { ExpirySweepAnswerSchema, ReconcileAnswerSchema, WarrantyAnswerSchema, YearlySweepAnswerSchema } from '@purna/ledger';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { JobRequestSchema, WarrantyBodySchema } from '../schemas/ledger-schemas.js';
import { ledgerReply } from './ledger-reply.js';

/** The job and warranty operations. */
export function serviceOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'runBirthdayRewards',
      method: 'post',
      path: '/v1/jobs/birthday-rewards',
      tag: 'jobs',
      summary: 'Grant the birthday rewards due at `at` (idempotent: at most once a year per customer)',
      scopes: ['crm'],
      body: JobRequestSchema,
      responses: { 200: { description: 'How many were granted and skipped by this run.', schema: YearlySweepAnswerSchema } },
      handler: async ({ body, ledger, principal, now }) =>
        ledgerReply(200, await ledger.runBirthdaySweep(principal.tenantId, { at: body.at ?? now() })),
    }),
    defineOperation({
      operationId: 'runAnniversaryRewards',
      method: 'post',
      path: '/v1/jobs/anniversary-rewards',
      tag: 'jobs',
      summary: 'Grant the purchase-anniversary rewards due at `at` (idempotent: at most once a year per customer)',
      description: "The anniversary is that of the customer's first order, its date in the customer's zone; the first one comes a year after that order.",
      scopes: ['crm'],
      body: JobRequestSchema,
      responses: { 200: { description: 'How many were granted and skipped by this run.', schema: YearlySweepAnswerSchema } },
      handler: async ({ body, ledger, principal, now }) =>
        ledgerReply(200, await ledger.runAnniversarySweep(principal.tenantId, { at: body.at ?? now() })),
    }),
    defineOperation({
      operationId: 'runExpiry',
      method: 'post',
      path: '/v1/jobs/expiry',
      tag: 'jobs',
      summary: 'Expire the lots whose expiry has passed at `at` (idempotent)',
      scopes: ['admin'],
      body: JobRequestSchema,
      responses: { 200: { description: 'What was expired.', schema: ExpirySweepAnswerSchema } },
      handler: async ({ body, ledger, principal, now }) =>
        ledgerReply(200, await ledger.runExpirySweep(principal.tenantId, { at: body.at ?? now() })),
    }),
    defineOperation({
      operationId: 'reconcile',
      method: 'post',
      path: '/v1/jobs/reconcile',
      tag: 'jobs',
      summary: "Check every account's materialized balances against the replay of its ledger entries",
      description: 'Read-only: reports differences, changes nothing. An empty `differences` means every balance is exact.',
      scopes: ['admin'],
      body: JobRequestSchema,
      responses: { 200: { description: 'Accounts checked and every difference.', schema: ReconcileAnswerSchema } },
      handler: async ({ ledger, principal }) => ledgerReply(200, await ledger.reconcile(principal.tenantId)),
    }),
    defineOperation({
      operationId: 'checkWarranty',
      method: 'post',
      path: '/v1/warranty/eligibility',
      tag: 'warranty',
      summary: 'Extended-warranty plans for a product: eligible or not with every reason, price and coverage',
      description: "Send `customerId` (their tier at `at` counts) or `customerTier`; neither means no tier perks.",
      scopes: ['checkout', 'crm'],
      body: WarrantyBodySchema,
      responses: { 200: { description: 'One answer per plan.', schema: WarrantyAnswerSchema } },
      problems: [404],
      handler: async ({ body, ledger, principal, now }) => {
        const { at, ...input } = body;
        return ledgerReply(200, await ledger.checkWarranty(principal.tenantId, input, { at: at ?? now() }));
      },
    }),
  ];
}
