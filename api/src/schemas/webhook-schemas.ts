/**
 * The webhook endpoint operations' own schema: the list query. Bodies and answers are the ledger's
 * (`@purna/ledger`'s contract/webhooks.ts), referenced as they are; the path is the common `{id}`.
 */
import { Type } from '@sinclair/typebox';
import { pageProperties } from './common-schemas.js';
import { idSchema } from './id-schema.js';

/** `GET /v1/webhooks` query. */
export const WebhookListQuerySchema = Type.Object({ ...pageProperties('endpoints') }, { additionalProperties: false });

/** `GET /v1/webhooks/{id}/deliveries` query. */
export const WebhookDeliveryQuerySchema = Type.Object({ ...pageProperties('deliveries') }, { additionalProperties: false });

/** `POST /v1/webhooks/{id}/deliveries/{momentId}/retry` path. */
export const DeliveryParamsSchema = Type.Object(
  { id: idSchema('the endpoint id'), momentId: idSchema('the moment id (the webhook-id of its deliveries)') },
  { additionalProperties: false },
);
