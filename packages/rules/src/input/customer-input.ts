/** A customer as evaluations receive it. */
import { Type, type Static } from '@sinclair/typebox';
import { DateSchema, InstantSchema, TimeZoneSchema } from '../program/primitives.js';

/** Schema of a customer profile (the body of `PUT /v1/customers/{id}`). */
export const CustomerInputSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200, description: 'a customer id' }),
    enrolledAt: Type.Optional(InstantSchema),
    birthDate: Type.Optional(DateSchema),
    timezone: Type.Optional(TimeZoneSchema),
    emailHash: Type.Optional(Type.String({ maxLength: 200 })),
    phoneHash: Type.Optional(Type.String({ maxLength: 200 })),
    referralCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    referredBy: Type.Optional(Type.Object({ code: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false })),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    attributes: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean()]), { maxProperties: 100 }),
    ),
  },
  { additionalProperties: false, description: 'a customer {"id", "enrolledAt", ...}' },
);
/** A customer profile. */
export type CustomerInput = Static<typeof CustomerInputSchema>;
