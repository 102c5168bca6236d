/**
 * Webhook endpoints (admin): register one (its secret is answered this once), list, read, change, delete, and
 * rotate its secret. A URL is checked with `checkEndpointUrl` before it is stored, on creation and on change: https,
 * and every address its host resolves to public, unless the host is on the operator's allow list
 * (PURNA_WEBHOOK_ALLOW_HOSTS). The delivery worker checks it again before every attempt, since DNS answers change.
 */
import {
  CreatedWebhookEndpointSchema,
  webhookEndpointView,
  WebhookEndpointPageSchema,
  WebhookEndpointRequestSchema,
  WebhookEndpointSchema,
  WebhookEndpointUpdateSchema,
  WebhookSecretRotationSchema,
  WebhookDeliveryPageSchema,
  WebhookDeliverySchema,
} from '@purna/ledger';
import { ApiError } from '../http/problem.js';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { IdParamsSchema } from '../schemas/id-schema.js';
import { DeliveryParamsSchema, WebhookDeliveryQuerySchema, WebhookListQuerySchema } from '../schemas/webhook-schemas.js';
import { checkEndpointUrl, type EndpointCheckOptions } from '../webhooks/endpoint-url.js';
import { readPage } from './page-cursor.js';

/** Refuses a URL the endpoint policy refuses, as a 400 on `/url` with the policy's reason as the code. */
async function requireCallableUrl(url: string, options: EndpointCheckOptions): Promise<void> {
  const check = await checkEndpointUrl(url, options);
  if (check.ok) return;
  throw new ApiError('validation-failed', `The endpoint URL cannot be used: ${check.message}`, {
    errors: [{ in: 'body', pointer: '/url', message: check.message, code: check.reason }],
  });
}

const URL_POLICY =
  'The URL must use https and its host must resolve only to public addresses (no loopback, private, link-local, ' +
  'metadata or reserved ones); a host on the operator\'s allow list (PURNA_WEBHOOK_ALLOW_HOSTS) may use http and any ' +
  'address. A refused URL is a 400 whose error on `/url` has the reason as its code (`https-required`, ' +
  '`private-address`, `loopback-address`, `metadata-address`, `unresolvable-host`, ...).';

/** The webhook endpoint operations. */
export function webhookOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'createWebhookEndpoint',
      method: 'post',
      path: '/v1/webhooks',
      tag: 'webhooks',
      summary: 'Register a webhook endpoint (its signing secret is shown once)',
      description: `Moments of the listed types (none: every type) are POSTed to the URL, signed as Standard Webhooks. ${URL_POLICY}`,
      scopes: ['admin'],
      body: WebhookEndpointRequestSchema,
      responses: { 201: { description: 'The endpoint, with its secret shown this once.', schema: CreatedWebhookEndpointSchema } },
      audit: { action: 'webhook.created', target: ({ reply }) => (reply.body as { id: string }).id },
      handler: async ({ body, ledger, principal, now, webhooks }) => {
        await requireCallableUrl(body.url, webhooks);
        return { status: 201, body: await ledger.webhookEndpoints.create(principal.tenantId, body, { now: now() }) };
      },
    }),
    defineOperation({
      operationId: 'listWebhookEndpoints',
      method: 'get',
      path: '/v1/webhooks',
      tag: 'webhooks',
      summary: "This tenant's webhook endpoints (never their secrets)",
      scopes: ['admin'],
      query: WebhookListQuerySchema,
      responses: { 200: { description: 'One page, in id order.', schema: WebhookEndpointPageSchema } },
      handler: async ({ query, ledger, principal }) => {
        const limit = query.limit ?? 50;
        const page = await readPage(query.cursor, (cursor) =>
          ledger.webhookEndpoints.list(principal.tenantId, { limit, ...(cursor !== undefined ? { cursor } : {}) }),
        );
        return { status: 200, body: { ...page, items: page.items.map(webhookEndpointView) } };
      },
    }),
    defineOperation({
      operationId: 'getWebhookEndpoint',
      method: 'get',
      path: '/v1/webhooks/{id}',
      tag: 'webhooks',
      summary: 'A webhook endpoint (never its secret)',
      scopes: ['admin'],
      params: IdParamsSchema,
      responses: { 200: { description: 'The endpoint.', schema: WebhookEndpointSchema } },
      problems: [404],
      handler: async ({ params, ledger, principal }) =>
        ({ status: 200, body: webhookEndpointView(await ledger.webhookEndpoints.get(principal.tenantId, params.id)) }),
    }),
    defineOperation({
      operationId: 'updateWebhookEndpoint',
      method: 'patch',
      path: '/v1/webhooks/{id}',
      tag: 'webhooks',
      summary: 'Change a webhook endpoint: only the fields sent change',
      description: `\`enabled: true\` enables an endpoint again after the delivery worker disabled it, and clears \`disabledReason\`. ${URL_POLICY}`,
      scopes: ['admin'],
      params: IdParamsSchema,
      body: WebhookEndpointUpdateSchema,
      responses: { 200: { description: 'The endpoint as changed.', schema: WebhookEndpointSchema } },
      problems: [404],
      audit: { action: 'webhook.updated', target: ({ params }) => String(params.id) },
      handler: async ({ params, body, ledger, principal, now, webhooks }) => {
        if (body.url !== undefined) await requireCallableUrl(body.url, webhooks);
        return { status: 200, body: webhookEndpointView(await ledger.webhookEndpoints.update(principal.tenantId, params.id, body, { now: now() })) };
      },
    }),
    defineOperation({
      operationId: 'deleteWebhookEndpoint',
      method: 'delete',
      path: '/v1/webhooks/{id}',
      tag: 'webhooks',
      summary: 'Delete a webhook endpoint: nothing more is delivered to it, and its secrets are forgotten',
      description: 'Answers the endpoint as it was, with `deletedAt`; afterwards the id is a 404.',
      scopes: ['admin'],
      params: IdParamsSchema,
      responses: { 200: { description: 'The deleted endpoint.', schema: WebhookEndpointSchema } },
      problems: [404],
      audit: { action: 'webhook.deleted', target: ({ params }) => String(params.id) },
      handler: async ({ params, ledger, principal, now }) =>
        ({ status: 200, body: await ledger.webhookEndpoints.delete(principal.tenantId, params.id, { now: now() }) }),
    }),
    defineOperation({
      operationId: 'rotateWebhookSecret',
      method: 'post',
      path: '/v1/webhooks/{id}/secret',
      tag: 'webhooks',
      summary: "Rotate a webhook endpoint's signing secret (the new one is shown once)",
      description:
        'Webhooks are signed with the new secret from now on, and also with the previous one for 24 hours ' +
        '(`previousSecretExpiresAt`), so a receiver can switch without rejecting any.',
      scopes: ['admin'],
      params: IdParamsSchema,
      responses: { 200: { description: 'The new secret, shown this once.', schema: WebhookSecretRotationSchema } },
      problems: [404],
      audit: { action: 'webhook.secret-rotated', target: ({ params }) => String(params.id) },
      handler: async ({ params, ledger, principal, now }) =>
        ({ status: 200, body: await ledger.webhookEndpoints.rotateSecret(principal.tenantId, params.id, { now: now() }) }),
    }),
    defineOperation({
      operationId: 'listWebhookDeliveries',
      method: 'get',
      path: '/v1/webhooks/{id}/deliveries',
      tag: 'webhooks',
      summary: "An endpoint's delivery log: each moment sent to it, with every attempt (status code, time, error) and the next try",
      scopes: ['admin'],
      params: IdParamsSchema,
      query: WebhookDeliveryQuerySchema,
      responses: { 200: { description: 'One page, by moment id.', schema: WebhookDeliveryPageSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal }) => {
        await ledger.webhookEndpoints.get(principal.tenantId, params.id);
        const limit = query.limit ?? 50;
        const page = await readPage(query.cursor, (cursor) =>
          ledger.listWebhookDeliveries(principal.tenantId, params.id, { limit, ...(cursor !== undefined ? { after: cursor } : {}) }),
        );
        return { status: 200, body: page };
      },
    }),
    defineOperation({
      operationId: 'retryWebhookDelivery',
      method: 'post',
      path: '/v1/webhooks/{id}/deliveries/{momentId}/retry',
      tag: 'webhooks',
      summary: 'Retry the delivery of one moment now, its 3 days of retries starting over',
      description:
        "The delivery is pending again and due at once; the customer's later moments go after it, in order. A delivered one is answered as it is. An endpoint the worker disabled is enabled again with `PATCH {\"enabled\": true}`.",
      scopes: ['admin'],
      params: DeliveryParamsSchema,
      responses: { 200: { description: 'The delivery, due now.', schema: WebhookDeliverySchema } },
      problems: [404],
      audit: { action: 'webhook.delivery-retried', target: ({ params }) => String(params.id), details: ({ params }) => ({ momentId: String(params.momentId) }) },
      handler: async ({ params, ledger, principal, now }) => {
        await ledger.webhookEndpoints.get(principal.tenantId, params.id);
        return { status: 200, body: await ledger.retryWebhookDelivery(principal.tenantId, params.id, params.momentId, { at: now() }) };
      },
    }),
  ];
}
