/**
 * Bodies, queries and answers of the complaint case operations, derived from @purna/ledger's case schemas: a body
 * is the ledger's request plus the write's `at`, an answer the ledger's case (the API sends `replayed` as the
 * `Idempotency-Replayed` header instead).
 */
import { CASE_STATUSES } from '@purna/rules';
import { CaseChangeRequestSchema, CaseOpenRequestSchema, CasePageSchema, CaseResolutionRequestSchema, CaseSchema } from '@purna/ledger';
import { Type } from '@sinclair/typebox';
import { instantSchema, pageProperties } from './common-schemas.js';
import { idSchema } from './id-schema.js';
import { requestBody } from './ledger-schemas.js';

/** `POST /v1/cases` body: the case as the ledger takes it (`receivedAt` is when it happened). */
export const CaseOpenBodySchema = CaseOpenRequestSchema;

/** `PATCH /v1/cases/{id}` body: a change, who makes it and when (default now). */
export const CaseChangeBodySchema = Type.Object(
  { ...CaseChangeRequestSchema.properties, at: Type.Optional(instantSchema('when the change was made (default: now); the same change with the same at again is a replay')) },
  { additionalProperties: false, minProperties: 2, ...(CaseChangeRequestSchema.description !== undefined ? { description: CaseChangeRequestSchema.description } : {}) },
);

/** `POST /v1/cases/{id}/resolution` body. */
export const CaseResolutionBodySchema = requestBody(CaseResolutionRequestSchema);

/** A case, as every case operation answers it. */
export { CaseSchema, CasePageSchema };

/** `GET /v1/cases` query. */
export const CaseListQuerySchema = Type.Object(
  {
    status: Type.Optional(Type.Unsafe<(typeof CASE_STATUSES)[number]>(Type.String({ enum: [...CASE_STATUSES], description: `only cases in this status, one of ${CASE_STATUSES.join(', ')}` }))),
    customerId: Type.Optional(idSchema("only this customer's cases, the most recently received first")),
    ...pageProperties('cases'),
  },
  { additionalProperties: false },
);
