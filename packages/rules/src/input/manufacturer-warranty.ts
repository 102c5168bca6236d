/** The manufacturer's warranty of a product: what a warranty check and an order line carry alike. */
import { Type, type Static } from '@sinclair/typebox';

/**
 * Schema of a manufacturer's warranty: the unit's term in months, and optionally other terms for named components.
 *
 * @example { months: 12, components: { remote: 6 } }
 */
export const ManufacturerWarrantySchema = Type.Object(
  {
    months: Type.Integer({ minimum: 0, maximum: 1200, description: 'a whole number of months between 0 and 1200' }),
    components: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Integer({ minimum: 0, maximum: 1200 }), {
        maxProperties: 100,
        description: 'at most 100 components, each with a whole number of months between 0 and 1200',
      }),
    ),
  },
  { additionalProperties: false, description: 'the manufacturer\'s warranty {"months", "components"}' },
);
/** A manufacturer's warranty. */
export type ManufacturerWarranty = Static<typeof ManufacturerWarrantySchema>;
