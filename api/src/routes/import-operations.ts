/**
 * Imports of customers from another program (docs/data.md, "Migrating from another program"): an NDJSON file, one
 * customer a line, streamed through the ledger's import in bounded memory, and the import's status.
 */
import { CustomerImportLineSchema, ImportStartedSchema, ImportStatusSchema } from '@purna/ledger';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { IdParamsSchema } from '../schemas/id-schema.js';

/** The media type of an import file. */
const NDJSON = 'application/x-ndjson';

/** The import operations. */
export function importOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'importCustomers',
      method: 'post',
      path: '/v1/imports',
      tag: 'customers',
      summary: 'Import customers from another program: profiles, opening lots with their own dates, tiers held until a date',
      description:
        'The body is NDJSON (`application/x-ndjson`), one customer a line as the schema shows (the `import` of `GET /v1/customers/{id}/export` is such a line), read as it arrives in bounded memory. ' +
        'Every line is checked on its own: a bad line is listed with its number and a JSON pointer into it and the others go on. ' +
        'Lots keep their `availableAt` and `expiresAt` (default: available at once, expiring as the program says); `tier` is held by hand until `until`, then by the tier rules with their grace. ' +
        'Only new customers are imported: an existing one is a line error. Send an `Idempotency-Key`: the import is named after it, the same key answers the same import, and a file sent again with it (after an interruption) skips the customers it holds already. ' +
        'Answers once the file is read; `GET /v1/imports/{id}` reads the status meanwhile and after, from any instance. No moments are emitted for imported customers.',
      scopes: ['admin'],
      streamBody: { contentType: NDJSON, lineSchema: CustomerImportLineSchema },
      bodyDescription: 'NDJSON: one customer a line (this schema), blank lines ignored.',
      responses: { 202: { description: 'The import, read to the end of the file: its status says what was imported and what was not.', schema: ImportStartedSchema, headers: { 'Idempotency-Replayed': '"true" on a replay' } } },
      problems: [415],
      audit: {
        action: 'customers.imported',
        target: ({ reply }) => String((reply.body as { importId: string }).importId),
      },
      handler: async ({ bodyStream, ledger, principal, now, idempotency }) => {
        const status = await ledger.importCustomers(principal.tenantId, bodyStream ?? [], { at: now(), ...idempotency });
        return { status: 202, body: { importId: status.importId } };
      },
    }),
    defineOperation({
      operationId: 'getImport',
      method: 'get',
      path: '/v1/imports/{id}',
      tag: 'customers',
      summary: "An import's status: lines read, customers imported, lines refused with their number and pointer",
      scopes: ['admin'],
      params: IdParamsSchema,
      responses: { 200: { description: 'The status.', schema: ImportStatusSchema } },
      problems: [404],
      handler: async ({ params, ledger, principal }) => ({ status: 200, body: await ledger.getImport(principal.tenantId, params.id) }),
    }),
  ];
}
