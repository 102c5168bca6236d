/**
 * Complaint cases: open one for a customer, change it (in progress, what was done, the callback, the department,
 * closing it), resolve it, read it, and list cases per customer and by status. Each answers the whole case with
 * its history (who changed what, when).
 */
import { defineOperation, type Operation } from '../openapi/operation.js';
import { CaseChangeBodySchema, CaseListQuerySchema, CaseOpenBodySchema, CasePageSchema, CaseResolutionBodySchema, CaseSchema } from '../schemas/case-schemas.js';
import { IdParamsSchema } from '../schemas/id-schema.js';
import { ledgerReply } from './ledger-reply.js';
import { readPage } from './page-cursor.js';

const REPLAY_HEADER = { 'Idempotency-Replayed': '"true" when this answers a replay of the same request' };

/** The complaint case operations. */
export function caseOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'openCase',
      method: 'post',
      path: '/v1/cases',
      tag: 'cases',
      summary: 'Open a complaint case for a customer',
      description:
        'The fields of the complaint form: when it came in (`receivedAt`), through which channel, who took it, which ' +
        'department handles it, the complaint, and the callback promised (`callbackBy`). Emits `case.opened`, and ' +
        '`case.callback-due` at `callbackBy` unless the callback is marked done by then. The id is the idempotency ' +
        'key: the same request again answers the first answer, other content under the same id is a 409.',
      scopes: ['crm'],
      body: CaseOpenBodySchema,
      responses: { 201: { description: 'Opened (or replayed).', schema: CaseSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ body, ledger, principal, idempotency }) => ledgerReply(201, await ledger.cases.open(principal.tenantId, body, idempotency)),
    }),
    defineOperation({
      operationId: 'getCase',
      method: 'get',
      path: '/v1/cases/{id}',
      tag: 'cases',
      summary: 'A complaint case with its history',
      scopes: ['crm'],
      params: IdParamsSchema,
      responses: { 200: { description: 'The case.', schema: CaseSchema } },
      problems: [404],
      handler: async ({ params, ledger, principal }) => ledgerReply(200, await ledger.cases.get(principal.tenantId, params.id)),
    }),
    defineOperation({
      operationId: 'listCases',
      method: 'get',
      path: '/v1/cases',
      tag: 'cases',
      summary: "Complaint cases: a customer's, or the tenant's, by status",
      description: "With `customerId`, that customer's cases, the most recently received first (404 when there is no such customer); otherwise every case in id order. `status` keeps those in that status.",
      scopes: ['crm'],
      query: CaseListQuerySchema,
      responses: { 200: { description: 'One page.', schema: CasePageSchema } },
      problems: [404],
      handler: async ({ query, ledger, principal }) => {
        const { cursor: _cursor, ...filters } = query;
        const page = await readPage(query.cursor, (cursor) => ledger.cases.list(principal.tenantId, { ...filters, limit: query.limit ?? 50, ...(cursor !== undefined ? { cursor } : {}) }));
        return { status: 200, body: page };
      },
    }),
    defineOperation({
      operationId: 'changeCase',
      method: 'patch',
      path: '/v1/cases/{id}',
      tag: 'cases',
      summary: 'Change a complaint case: its status, department, what was done, the callback',
      description:
        '`by` says who makes the change; with it at least one of `status` (`in-progress` from open or to reopen a ' +
        'resolved case, `closed` for a resolved one, with `signedOffBy`), `department`, `assignedTo`, `action` (what ' +
        'was done, added to `actions`), `callbackBy` (a callback promised) or `callbackDone: true`. A change the ' +
        'status flow does not allow is a 409 naming the statuses allowed. Every change is kept in `history` with who ' +
        'and when. The same change with the same `at` again is a replay; a change that changes nothing answers the case as it is.',
      scopes: ['crm'],
      params: IdParamsSchema,
      body: CaseChangeBodySchema,
      responses: { 200: { description: 'The case after the change.', schema: CaseSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ params, body, ledger, principal, now }) => {
        const { at, ...change } = body;
        return ledgerReply(200, await ledger.cases.update(principal.tenantId, params.id, change, { at: at ?? now() }));
      },
    }),
    defineOperation({
      operationId: 'resolveCase',
      method: 'post',
      path: '/v1/cases/{id}/resolution',
      tag: 'cases',
      summary: 'Resolve a complaint case',
      description:
        'Who resolved it, the outcome and who signed it off. Emits `case.resolved`, and `case.follow-up-due` ' +
        "`moments.caseFollowUp.daysAfterResolution` days later (14 by default; same local time in the program's zone) " +
        'unless the case is reopened or closed by then. A case already resolved or closed is a 409. The same ' +
        'resolution with the same `at` again is a replay.',
      scopes: ['crm'],
      params: IdParamsSchema,
      body: CaseResolutionBodySchema,
      responses: { 201: { description: 'Resolved (or replayed).', schema: CaseSchema, headers: REPLAY_HEADER } },
      problems: [404, 409],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...resolution } = body;
        return ledgerReply(201, await ledger.cases.resolve(principal.tenantId, params.id, resolution, { at: at ?? now(), ...idempotency }));
      },
    }),
  ];
}
