/**
 * The JSON Schema of what orderPerks (order-perks.ts) answers, for the API's responses. Kept apart from the
 * computation so that the engine, and with it the quote-only entry point (quote.ts), carries no schema library.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SentenceSchema } from '../messages/sentence-schema.js';

const AmountSchema = Type.String({ pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', description: "a decimal string of zero or more in the program's currency" });

/** What a perk takes off one line of the order. */
export const OrderPerkLineSchema = Type.Object(
  {
    index: Type.Integer({ minimum: 0, description: "the line's position in the order" }),
    sku: Type.String(),
    amount: AmountSchema,
  },
  { description: 'what the perk takes off one line' },
);
/** What a perk takes off one line of the order. */
export type OrderPerkLine = Static<typeof OrderPerkLineSchema>;

/**
 * A perk of the customer's tier for one order: whether it applies, how much it takes off (in total and per line),
 * and why not when it does not.
 *
 * @example
 * { id: 'free-shipping', kind: 'free-shipping', applies: true, amount: '25000', lines: [{ index: 2, sku: 'SHIP', amount: '25000' }] }
 */
export const OrderPerkSchema = Type.Object(
  {
    id: Type.String(),
    kind: Type.Union([Type.Literal('free-shipping'), Type.Literal('discount')], { description: 'free-shipping or discount' }),
    name: Type.Optional(Type.String()),
    applies: Type.Boolean({ description: 'true when the perk takes something off this order' }),
    amount: AmountSchema,
    lines: Type.Array(OrderPerkLineSchema, { description: 'what it takes off each line (empty when it does not apply)' }),
    reason: Type.Optional(
      Type.Object(
        { code: Type.String(), message: Type.String(), messageSentence: Type.Optional(SentenceSchema) },
        { description: 'why it does not apply: below-min-order-total, no-shipping-lines or no-matching-lines' },
      ),
    ),
  },
  { description: 'a perk of the tier held and what it takes off this order' },
);
/** A perk of the customer's tier for one order. */
export type OrderPerk = Static<typeof OrderPerkSchema>;
