/**
 * The webhooks Purna sends, for the document's OpenAPI 3.1 `webhooks` section: one per moment type, each carrying a
 * moment of that type (the `Moment` component with `type` that literal and `data` that type's schema). Each type's
 * `data` schema is a component of its own (`PointsAwardedMomentData`…), derived from the ledger's one map of them
 * (MOMENT_DATA_SCHEMAS), so a type that gets a schema there gets its component and its webhook body here.
 */
import type { TSchema } from '@sinclair/typebox';
import { BalanceAfterSchema, MOMENT_DATA_SCHEMAS, MomentDataSchema, momentSchemaOf } from '@purna/ledger';
import { MOMENT_TYPES, type MomentType } from '@purna/rules';
import type { OutboundWebhook } from './document.js';

/**
 * The component name of a type's `data` schema: the type in PascalCase, then `MomentData`.
 *
 * @example momentDataComponentName('tier.at-risk') // 'TierAtRiskMomentData'
 */
export function momentDataComponentName(type: MomentType): string {
  const pascal = type
    .split(/[.-]/)
    .map((word) => `${word.charAt(0).toUpperCase()}${word.slice(1)}`)
    .join('');
  return `${pascal}MomentData`;
}

/**
 * The `data` schemas as document components, by name: the generic one (`MomentData`), the `balanceAfter` they all
 * carry, and every type's own.
 *
 * @example { ...momentDataComponents() } // { MomentData: …, MomentBalanceAfter: …, PointsAwardedMomentData: …, … }
 */
export function momentDataComponents(): Record<string, TSchema> {
  const components: Record<string, TSchema> = { MomentData: MomentDataSchema, MomentBalanceAfter: BalanceAfterSchema };
  for (const type of MOMENT_TYPES) {
    const schema = MOMENT_DATA_SCHEMAS[type];
    if (schema) components[momentDataComponentName(type)] = schema;
  }
  return components;
}

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
      `without a second call and \`balanceAfter\` (docs/moments.md, "Types built so far")` +
      `${MOMENT_DATA_SCHEMAS[type] ? '' : '; the engine does not emit this type yet, so its fields are not fixed by a schema'}. ` +
      "Signed per Standard Webhooks with the endpoint's secrets; one customer's moments arrive in the order they happened.",
    body: momentSchemaOf(type),
  }));
}
