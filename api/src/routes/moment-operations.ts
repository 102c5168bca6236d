/**
 * The moments feed (docs/moments.md): what happened to customers, and what is due, for CRMs that poll rather than
 * receive webhooks. Oldest first; `after` resumes where the previous page stopped.
 */
import { MomentPageSchema, MomentQuerySchema, MomentsJobAnswerSchema } from '@purna/ledger';
import { JobRequestSchema } from '../schemas/ledger-schemas.js';
import { Type } from '@sinclair/typebox';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { ledgerReply } from './ledger-reply.js';
import { readPage } from './page-cursor.js';

/** `GET /v1/moments` query: the ledger's, with `after` as this API hands cursors out (opaque, URL-safe). */
const MomentListQuerySchema = Type.Object(
  {
    ...MomentQuerySchema.properties,
    after: Type.Optional(Type.String({ minLength: 1, maxLength: 600, pattern: '^[A-Za-z0-9_-]+$', description: 'the nextCursor of the previous page: resume after it' })),
  },
  { additionalProperties: false },
);

/** The moments operations. */
export function momentOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'listMoments',
      method: 'get',
      path: '/v1/moments',
      tag: 'moments',
      summary: "The moments feed, oldest first: every change and due date a CRM acts on, or one customer's",
      description:
        'Resume with `after` (the `nextCursor` of the previous page; it is kept even when a page is empty). The feed shows moments a couple of seconds after they happen, so a cursor never passes one still being written; with `customerId` it lists that customer\'s moments in the order they were committed, at once. Moments are kept for at least 30 days.',
      scopes: ['crm'],
      query: MomentListQuerySchema,
      responses: { 200: { description: 'One page.', schema: MomentPageSchema } },
      problems: [404],
      handler: async ({ query, ledger, principal }) => {
        const { after, ...filters } = query;
        return ledgerReply(200, await readPage(after, (cursor) => ledger.listMoments(principal.tenantId, { ...filters, ...(cursor !== undefined ? { after: cursor } : {}) }), '/after'));
      },
    }),
    defineOperation({
      operationId: 'runMoments',
      method: 'post',
      path: '/v1/jobs/moments',
      tag: 'jobs',
      summary: 'Run what is due at `at`: birthday and anniversary rewards, downgrades, expiries, and every time-based moment not yet emitted',
      description:
        'The server runs this itself every minute unless PURNA_SCHEDULER=off; cron users and tests call it. A late run catches up on everything due since the last one; a repeated run emits nothing new.',
      scopes: ['crm'],
      body: JobRequestSchema,
      responses: { 200: { description: 'What this run emitted.', schema: MomentsJobAnswerSchema } },
      handler: async ({ body, ledger, principal, now }) => ledgerReply(200, await ledger.runMomentsJob(principal.tenantId, { at: body.at ?? now() })),
    }),
  ];
}
