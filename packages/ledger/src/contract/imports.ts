/**
 * Imports of customers from another program (docs/data.md, "Migrating from another program"): what starting one
 * answers and what its status reads, one TypeBox schema each, referenced by the API's OpenAPI document.
 */
import { Type, type Static } from '@sinclair/typebox';
import { countSchema, instantSchema } from './primitives.js';

/** How many line errors an import keeps (the `failed` count goes on past it). */
export const IMPORT_ERRORS_KEPT = 1000;

/** A line of the file that was not imported: its number (the first line is 1), where in it, and why. */
export const ImportLineErrorSchema = Type.Object(
  {
    line: Type.Integer({ minimum: 1, description: 'the line number in the file, the first line being 1' }),
    pointer: Type.String({ description: 'a JSON pointer into the line ("" for the whole line)' }),
    message: Type.String(),
  },
  { additionalProperties: false },
);
/** A line that was not imported. */
export type ImportLineError = Static<typeof ImportLineErrorSchema>;

/**
 * An import as it stands: running while its file is read, then done (or failed when the file could not be read to
 * its end: send it again with the same Idempotency-Key to finish it).
 *
 * @example
 * { importId: 'imp_Qm9…', status: 'done', processed: 3, imported: 2, failed: 1, errors: [{ line: 2, pointer: '/lots/0/points', message: '…' }], startedAt: '…', updatedAt: '…' }
 */
export const ImportStatusSchema = Type.Object(
  {
    importId: Type.String(),
    status: Type.Union([Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')], { description: 'running while the file is read; failed when it could not be read to its end' }),
    processed: countSchema('lines read (blank lines are not counted)'),
    imported: countSchema('customers this import holds: imported now, or already by an earlier sending of the same import'),
    failed: countSchema('lines not imported'),
    errors: Type.Array(ImportLineErrorSchema, { description: `the lines not imported, the first ${IMPORT_ERRORS_KEPT}` }),
    reason: Type.Optional(Type.String({ description: 'why the import failed (status failed)' })),
    startedAt: instantSchema('when this sending of the import started'),
    updatedAt: instantSchema('when the status was last written'),
  },
  { additionalProperties: false },
);
/** An import's status. */
export type ImportStatus = Static<typeof ImportStatusSchema>;

/** What starting an import answers. */
export const ImportStartedSchema = Type.Object({ importId: Type.String({ description: 'read its status at GET /v1/imports/{importId}' }) }, { additionalProperties: false });
/** What starting an import answers. */
export type ImportStarted = Static<typeof ImportStartedSchema>;
