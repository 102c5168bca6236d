/**
 * The program: publish a new version, read it, list the versions, validate a draft, simulate.
 */
import { ProgramSchema } from '@purna/rules';
import { Type } from '@sinclair/typebox';
import { defineOperation, type Operation } from '../openapi/operation.js';
import {
  ProgramDraftSchema,
  ProgramPublishedSchema,
  ProgramVersionListQuerySchema,
  ProgramVersionListSchema,
  ProgramValidationSchema,
  ProgramVersionSchema,
  SimulationReportSchema,
  SimulationRequestSchema,
} from '../schemas/program-schemas.js';
import { ledgerReply } from './ledger-reply.js';
import { readPage } from './page-cursor.js';
import { simulateProgram } from './simulate-program.js';
import { validateProgramDraft } from './validate-program-draft.js';

const ProgramQuerySchema = Type.Object(
  {
    version: Type.Optional(Type.Integer({ minimum: 1, description: 'a published version (default: the one in force at `at`)' })),
  },
  { additionalProperties: false },
);

/** The program operations. */
export function programOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'publishProgram',
      method: 'put',
      path: '/v1/program',
      tag: 'program',
      summary: 'Publish the program (a new immutable version)',
      description: 'The body is a program file; `$schema` is accepted at its top level. Invalid programs get every problem at once.',
      scopes: ['admin'],
      body: ProgramSchema,
      bodyOperatorKeysAllowed: ['/$schema'],
      responses: { 201: { description: 'Published.', schema: ProgramPublishedSchema } },
      problems: [409],
      audit: {
        action: 'program.published',
        target: ({ reply }) => { const { id, version } = reply.body as { id: string; version: number }; return `${id} v${version}`; },
      },
      handler: async ({ body, ledger, principal }) =>
        ledgerReply(201, await ledger.publishProgram(principal.tenantId, body)),
    }),
    defineOperation({
      operationId: 'getProgram',
      method: 'get',
      path: '/v1/program',
      tag: 'program',
      summary: 'The newest published program (or a given version)',
      scopes: ['checkout', 'crm'],
      query: ProgramQuerySchema,
      responses: { 200: { description: 'The program version.', schema: ProgramVersionSchema } },
      problems: [404],
      handler: async ({ query, ledger, principal }) =>
        ledgerReply(200, await ledger.getProgram(principal.tenantId, query.version)),
    }),
    defineOperation({
      operationId: 'listProgramVersions',
      method: 'get',
      path: '/v1/program/versions',
      tag: 'program',
      summary: 'Every published version, newest first, without the programs',
      description: 'Each version with when it was published; read one in full with `GET /v1/program?version=`.',
      scopes: ['checkout', 'crm'],
      query: ProgramVersionListQuerySchema,
      responses: { 200: { description: 'One page.', schema: ProgramVersionListSchema } },
      handler: async ({ query, ledger, principal }) => {
        const limit = query.limit ?? 50;
        const page = await readPage(query.cursor, (cursor) =>
          ledger.listProgramVersions(principal.tenantId, { limit, ...(cursor !== undefined ? { cursor } : {}) }),
        );
        return { status: 200, body: page };
      },
    }),
    defineOperation({
      operationId: 'validateProgram',
      method: 'post',
      path: '/v1/program/validate',
      tag: 'program',
      summary: 'Validate a draft program without publishing it',
      description: 'Answers 200 either way: `valid`, and every problem with its JSON pointer.',
      scopes: ['admin'],
      body: ProgramDraftSchema,
      bodyOperatorKeysAllowed: ['/$schema'],
      responses: { 200: { description: 'The verdict.', schema: ProgramValidationSchema } },
      handler: ({ body }) => Promise.resolve({ status: 200, body: validateProgramDraft(body) }),
    }),
    defineOperation({
      operationId: 'simulateProgram',
      method: 'post',
      path: '/v1/program/simulate',
      tag: 'program',
      summary: 'Replay orders through a draft (or the published) program and total what it would issue',
      description:
        'Nothing is written. Orders are replayed in time order with the history the ledger would pass (tier window, ' +
        'caps), so the totals equal the sum of per-order quotes. `rewards` (redemptions of the catalog) are replayed ' +
        'with them in time order, and the report\'s `rewards` part counts them and what their vouchers owe. Without ' +
        '`program`, the newest published one is used.',
      scopes: ['admin'],
      body: SimulationRequestSchema,
      bodyOperatorKeysAllowed: ['/program/$schema'],
      responses: { 200: { description: 'Totals by rule and tier, liability, tier movements.', schema: SimulationReportSchema } },
      problems: [404],
      handler: async ({ body, ledger, principal }) => {
        const program = body.program ?? (await ledger.getProgram(principal.tenantId)).program;
        return { status: 200, body: simulateProgram(program, body.orders, body.customers ?? [], body.rewards ?? []) };
      },
    }),
  ];
}
