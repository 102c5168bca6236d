/**
 * The audit trail as the API answers it (docs/data.md, "The audit trail"): one entry per admin action, and a page of
 * them, one TypeBox schema each, referenced by the API's OpenAPI document.
 */
import { Type, type Static } from '@sinclair/typebox';

/** The actions the trail records, by name. */
export const AUDIT_ACTIONS = [
  'program.published',
  'key.created',
  'key.revoked',
  'points.adjusted',
  'goodwill.granted',
  'goodwill.overridden',
  'customer.erased',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'webhook.secret-rotated',
  'webhook.delivery-retried',
  'tier.assigned',
  'customers.imported',
] as const;
/** One action name. */
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * One admin action: who (the acting API key's id), what, on what, when, and the request that did it.
 *
 * @example
 * { at: '2026-03-02T03:00:00.000Z', actor: 'k7Qd9x', action: 'program.published', target: 'toko-rewards v3', requestId: 'req-…' }
 */
export const AuditEntrySchema = Type.Object(
  {
    at: Type.String({ description: 'when the action was answered (UTC, ISO 8601)' }),
    actor: Type.String({ description: 'the id of the API key that acted (`GET /v1/keys` lists them)' }),
    action: Type.String({ enum: [...AUDIT_ACTIONS], description: `what was done: ${AUDIT_ACTIONS.join(', ')}` }),
    target: Type.String({ description: 'what it was done to: a program version, a key id, a customer, a goodwill id, an endpoint id' }),
    requestId: Type.String({ description: 'the request that did it (the `X-Request-Id` of its answer, and its line in the server log)' }),
    replay: Type.Optional(Type.Boolean({ description: 'true when the request replayed an earlier one (same natural id or Idempotency-Key) and changed nothing' })),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'what else identifies the action (a customer id, points, scopes)' })),
  },
  { additionalProperties: false },
);
/** One entry of the audit trail. */
export type AuditEntry = Static<typeof AuditEntrySchema>;

/** A page of the audit trail, oldest first. */
export const AuditPageSchema = Type.Object(
  {
    items: Type.Array(AuditEntrySchema),
    nextCursor: Type.Optional(Type.String({ description: 'pass as `after` to read on; present when more may follow' })),
  },
  { additionalProperties: false },
);
/** A page of the audit trail. */
export type AuditPage = Static<typeof AuditPageSchema>;
