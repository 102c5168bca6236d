/** Answers of the program operations. */
import { Type } from '@sinclair/typebox';

/** `PUT /v1/program` answer. */
export const ProgramPublishedSchema = Type.Object({ id: Type.String(), version: Type.Integer({ minimum: 1 }) });

/** `GET /v1/program` answer. */
export const ProgramVersionSchema = Type.Object({
  id: Type.String(),
  version: Type.Integer({ minimum: 1 }),
  program: Type.Object({}, { description: 'the program as published' }),
});

/** A draft to validate: any JSON object (its problems are the answer, not a 400). */
export const ProgramDraftSchema = Type.Object({}, { description: 'a draft program' });

/** `POST /v1/program/validate` answer. */
export const ProgramValidationSchema = Type.Object({
  valid: Type.Boolean(),
  errors: Type.Array(Type.Object({ pointer: Type.String(), code: Type.String(), message: Type.String() })),
});
