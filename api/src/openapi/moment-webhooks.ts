/**
 * The webhooks Purna sends, for the document's OpenAPI 3.1 `webhooks` section: one per moment type, each carrying a
 * moment (the `Moment` component). What each type's `data` holds is in docs/moments.md, "Types built so far".
 */
import { MomentSchema } from '@purna/ledger';
import { MOMENT_TYPES } from '@purna/rules';
import type { OutboundWebhook } from './document.js';

/**
 * One webhook per moment type.
 *
 * @example buildOpenApiDocument(operations, components, info, ProblemSchema, momentWebhooks())
 */
export function momentWebhooks(): OutboundWebhook[] {
  return MOMENT_TYPES.map((type) => ({
    name: type,
    summary: `A ${type} moment, POSTed to every enabled endpoint that wants it`,
    description:
      `The body is one moment of type \`${type}\` ({ id, type, occurredAt, customerId, data }); \`data\` carries what a CRM needs ` +
      "without a second call (docs/moments.md lists each type's fields) and `balanceAfter`. Signed per Standard Webhooks with " +
      "the endpoint's secrets; one customer's moments arrive in the order they happened.",
    body: MomentSchema,
  }));
}
