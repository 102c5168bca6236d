/**
 * Webhook endpoints (docs/moments.md, "Webhook endpoints"): what registering and changing one takes, and what a
 * reader is shown, one TypeBox schema each, referenced by the API's OpenAPI document. The URL is only bounded here:
 * whether it may be called (https, public addresses, the operator's allow list) is judged by the API, which can
 * resolve names; the ledger does no DNS.
 *
 * A secret appears in two answers only, creation and rotation; the endpoint as read never carries one.
 */
import { MOMENT_TYPES } from '@purna/rules';
import { Type, type Static } from '@sinclair/typebox';
import { MomentTypeSchema } from './moments.js';
import { instantSchema, textSchema } from './primitives.js';

/** Longest endpoint URL kept. */
export const MAX_WEBHOOK_URL_LENGTH = 2000;

const UrlSchema = Type.String({
  minLength: 1,
  maxLength: MAX_WEBHOOK_URL_LENGTH,
  description: `the URL the moments are POSTed to, 1 to ${MAX_WEBHOOK_URL_LENGTH} characters (https, a public address)`,
});

const TypesSchema = Type.Array(MomentTypeSchema, {
  uniqueItems: true,
  maxItems: MOMENT_TYPES.length,
  description: 'a list of distinct moment types to receive; empty for every type',
});

const DescriptionSchema = textSchema('what the endpoint is for', 500);

/**
 * Registering an endpoint.
 *
 * @example
 * { url: 'https://crm.example.com/purna', types: ['points.expiring', 'tier.changed'], description: 'CRM journeys' }
 */
export const WebhookEndpointRequestSchema = Type.Object(
  {
    url: UrlSchema,
    types: Type.Optional(TypesSchema),
    description: Type.Optional(DescriptionSchema),
  },
  { additionalProperties: false, description: 'a webhook endpoint {"url", "types", "description"}' },
);
/** Registering an endpoint. */
export type WebhookEndpointRequest = Static<typeof WebhookEndpointRequestSchema>;

/**
 * Changing an endpoint: only the fields sent change. `enabled: true` re-enables an endpoint the delivery worker
 * disabled, and clears why.
 *
 * @example
 * { enabled: true }
 */
export const WebhookEndpointUpdateSchema = Type.Object(
  {
    url: Type.Optional(UrlSchema),
    types: Type.Optional(TypesSchema),
    description: Type.Optional(DescriptionSchema),
    enabled: Type.Optional(Type.Boolean({ description: 'true or false: whether moments are delivered to it' })),
  },
  { additionalProperties: false, description: 'a change of a webhook endpoint {"url", "types", "description", "enabled"}' },
);
/** Changing an endpoint. */
export type WebhookEndpointUpdate = Static<typeof WebhookEndpointUpdateSchema>;

/**
 * An endpoint as it is read: never with its secrets.
 *
 * @example
 * { id: 'we_Qm9…', url: 'https://crm.example.com/purna', types: [], enabled: true, createdAt: '…', updatedAt: '…' }
 */
export const WebhookEndpointSchema = Type.Object({
  id: Type.String({ description: 'the endpoint id, we_<random>' }),
  url: Type.String(),
  types: Type.Array(MomentTypeSchema, { description: 'the moment types it receives; empty: every type' }),
  description: Type.Optional(Type.String()),
  enabled: Type.Boolean({ description: 'false: nothing is delivered to it (disabled by hand, or by the delivery worker after 3 days of failures)' }),
  createdAt: instantSchema('when it was registered'),
  updatedAt: instantSchema('when it last changed'),
  disabledReason: Type.Optional(Type.String({ description: 'why the delivery worker disabled it; cleared when it is enabled again' })),
  disabledAt: Type.Optional(instantSchema('when it was disabled')),
  deletedAt: Type.Optional(instantSchema('when it was deleted (only in the answer to the deletion)')),
});
/** An endpoint as it is read. */
export type WebhookEndpointView = Static<typeof WebhookEndpointSchema>;

/**
 * A newly registered endpoint, with its signing secret: the only answer besides a rotation that shows a secret.
 *
 * @example
 * { id: 'we_Qm9…', url: '…', types: [], enabled: true, secret: 'whsec_…', createdAt: '…', updatedAt: '…' }
 */
export const CreatedWebhookEndpointSchema = Type.Composite([
  WebhookEndpointSchema,
  Type.Object({ secret: Type.String({ description: 'the signing secret, whsec_<base64>; shown this once, store it now' }) }),
]);
/** A newly registered endpoint, with its secret. */
export type CreatedWebhookEndpoint = Static<typeof CreatedWebhookEndpointSchema>;

/**
 * A page of endpoints, in id order.
 *
 * @example
 * { items: [{ id: 'we_…', … }], nextCursor: '…' }
 */
export const WebhookEndpointPageSchema = Type.Object({
  items: Type.Array(WebhookEndpointSchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as cursor for the next page; absent on the last one' })),
});
/** A page of endpoints. */
export type WebhookEndpointPage = Static<typeof WebhookEndpointPageSchema>;

/**
 * A rotation: the new secret, shown this once, and until when the previous one still signs.
 *
 * @example
 * { id: 'we_Qm9…', secret: 'whsec_…', previousSecretExpiresAt: '2027-01-02T10:00:00.000Z' }
 */
export const WebhookSecretRotationSchema = Type.Object({
  id: Type.String({ description: 'the endpoint id' }),
  secret: Type.String({ description: 'the new signing secret, whsec_<base64>; shown this once' }),
  previousSecretExpiresAt: instantSchema('until when webhooks are also signed with the previous secret (24 hours)'),
});
/** A rotation's answer. */
export type WebhookSecretRotation = Static<typeof WebhookSecretRotationSchema>;

/**
 * One attempt to deliver a moment: when, whether the receiver took it (2xx), its status or why there was none.
 *
 * @example
 * { at: '2027-01-02T10:00:00.000Z', ok: false, status: 503, durationMs: 41 }
 */
export const WebhookAttemptSchema = Type.Object({
  at: instantSchema('when the attempt started'),
  ok: Type.Boolean({ description: 'the receiver answered 2xx' }),
  status: Type.Optional(Type.Integer({ description: "the receiver's HTTP status" })),
  reason: Type.Optional(Type.String({ description: 'why it failed: unsuccessful-status, timeout, connection-failed, invalid-response, redirect-not-followed, private-address, ...' })),
  error: Type.Optional(Type.String({ description: 'the network error, when there was no answer' })),
  durationMs: Type.Number({ description: 'how long it took' }),
});

/**
 * The delivery of one moment to one endpoint, with every attempt.
 *
 * @example
 * { momentId: 'mo_…', customerId: 'ayu', type: 'tier.changed', status: 'pending', attempts: [...], nextAttemptAt: '…' }
 */
export const WebhookDeliverySchema = Type.Object({
  endpointId: Type.String({ description: 'the endpoint' }),
  momentId: Type.String({ description: 'the moment (the webhook-id of every attempt)' }),
  customerId: Type.String({ description: 'whose moment it is' }),
  seq: Type.Integer({ description: "its place among the customer's moments" }),
  type: Type.String({ description: 'the moment type' }),
  status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed')], {
    description: 'pending (a retry is due at nextAttemptAt), delivered, or failed (given up after 3 days; the endpoint was disabled)',
  }),
  attempts: Type.Array(WebhookAttemptSchema),
  nextAttemptAt: Type.Optional(instantSchema('when the next attempt is due, while pending')),
  retryFrom: Type.Optional(instantSchema('when an admin last asked for a retry: the 3 days of retries count from there')),
});

/**
 * A page of an endpoint's deliveries, by moment id.
 *
 * @example
 * { items: [{ momentId: 'mo_…', status: 'delivered', … }], nextCursor: '…' }
 */
export const WebhookDeliveryPageSchema = Type.Object({
  items: Type.Array(WebhookDeliverySchema),
  nextCursor: Type.Optional(Type.String({ description: 'pass as cursor for the next page; absent on the last one' })),
});
