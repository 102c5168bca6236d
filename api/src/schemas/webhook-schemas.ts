/**
 * The webhook endpoint operations' own schema: the list query. Bodies and answers are the ledger's
 * (`@purna/ledger`'s contract/webhooks.ts), referenced as they are; the path is the common `{id}`.
 */
import { Type } from '@sinclair/typebox';
import { pageProperties } from './common-schemas.js';

/** `GET /v1/webhooks` query. */
export const WebhookListQuerySchema = Type.Object({ ...pageProperties('endpoints') }, { additionalProperties: false });
