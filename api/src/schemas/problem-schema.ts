/** JSON Schema of an `application/problem+json` body (RFC 9457 plus `code`, `errors[]` and `reasons[]`). */
import { Type } from '@sinclair/typebox';

/** One bad field. */
export const FieldErrorSchema = Type.Object(
  {
    in: Type.Union([Type.Literal('body'), Type.Literal('query'), Type.Literal('path'), Type.Literal('header')]),
    pointer: Type.String({ description: 'RFC 6901 JSON pointer into the part of the request named by `in`' }),
    message: Type.String(),
    code: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

/**
 * A problem answer.
 *
 * @example
 * { "type": "https://purna.dev/problems/not-found", "title": "Not found", "status": 404, "detail": "...", "code": "not-found" }
 */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer({ minimum: 400, maximum: 599 }),
    detail: Type.String(),
    code: Type.String({ description: 'the stable error code (see docs/api.md)' }),
    instance: Type.Optional(Type.String({ description: 'the request id as a URN' })),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
    reasons: Type.Optional(Type.Array(Type.Unknown(), { description: 'why a redemption, a warranty plan or a warranty transfer was refused' })),
  },
  { additionalProperties: false },
);
