/** An order as evaluations receive it (also the request body the API validates). */
import { Type, type Static } from '@sinclair/typebox';
import { DecimalStringSchema, InstantSchema, NonNegativeDecimalSchema } from '../program/primitives.js';
import { ManufacturerWarrantySchema } from './manufacturer-warranty.js';

const Text = (description: string) => Type.String({ minLength: 1, maxLength: 200, description });
const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'a list of tags' });

/** Schema of one order line. Its amount is `quantity × unitPrice − discount`. */
export const OrderLineInputSchema = Type.Object(
  {
    id: Type.Optional(Text('a line id')),
    sku: Text('a sku like "LP-14"'),
    category: Type.Optional(Text('a category like "laptop"')),
    brand: Type.Optional(Text('a brand')),
    tags: Type.Optional(Tags),
    quantity: Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'a whole quantity of 0 or more' }),
    unitPrice: NonNegativeDecimalSchema,
    discount: Type.Optional(NonNegativeDecimalSchema),
    // A recorded order offers the extended-warranty plans that cover a line with it (the `warranty.offer` moment).
    manufacturerWarranty: Type.Optional(ManufacturerWarrantySchema),
  },
  { additionalProperties: false, description: 'an order line {"sku", "quantity", "unitPrice"}' },
);
/** One order line. */
export type OrderLineInput = Static<typeof OrderLineInputSchema>;

/** Schema of an order. `placedAt` defaults to the evaluation's `at` (a checkout quote). */
export const OrderInputSchema = Type.Object(
  {
    id: Text('an order id'),
    customerId: Type.Optional(Text('a customer id')),
    placedAt: Type.Optional(InstantSchema),
    currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'a three-letter currency code like "IDR"' }),
    channel: Type.Optional(Text('a sales channel like "web"')),
    tags: Type.Optional(Tags),
    lines: Type.Array(OrderLineInputSchema, { minItems: 1, maxItems: 1000, description: 'a list of 1 to 1000 lines' }),
    total: Type.Optional(DecimalStringSchema),
  },
  { additionalProperties: false, description: 'an order {"id", "currency", "lines"}' },
);
/** An order. `total`, when given, must equal the sum of the line amounts. */
export type OrderInput = Static<typeof OrderInputSchema>;
