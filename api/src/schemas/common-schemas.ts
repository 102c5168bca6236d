/** Small schemas the API's own requests and answers share. */
import { Type } from '@sinclair/typebox';

/** An ISO 8601 instant with an offset. */
export const InstantSchema = instantSchema('an ISO 8601 instant with an offset like "2026-03-10T10:00:00+07:00"');

/** The instant schema with its own description. */
export function instantSchema(description: string) {
  return Type.String({ format: 'date-time', maxLength: 40, description });
}

/**
 * The `cursor` and `limit` query parameters of a paged list, for `Type.Object({ ...pageProperties('entries') })`.
 *
 * @example Type.Object({ at: Type.Optional(InstantSchema), ...pageProperties('contracts') }, { additionalProperties: false })
 */
export function pageProperties(items: string) {
  return {
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 512, pattern: '^[A-Za-z0-9_-]+$', description: 'the nextCursor of the previous page' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50, description: `${items} per page, 1 to 100 (default 50)` })),
  };
}

/** `?at=`: answer as of this instant (default now). */
export const AtQuerySchema = Type.Object(
  { at: Type.Optional(instantSchema('answer as of this instant (default: now)')) },
  { additionalProperties: false },
);
