/**
 * `GET /v1/customers/{id}/export`: everything kept about one customer (docs/data.md, "Export"), and the customer as a
 * line of an import file.
 */
import { CaseSchema, CustomerViewSchema, CustomerVouchersAnswerSchema, MomentSchema, TransactionSchema } from '@purna/ledger';
import { Type } from '@sinclair/typebox';
import { WarrantyContractSchema } from './warranty-contract-schemas.js';

const Stored = (what: string) => Type.Object({}, { additionalProperties: true, description: what });

/** One customer as a line of an import file: profile, the points held as lots, the tier held and until when. */
export const CustomerImportLineSchema = Type.Object(
  {
    id: Type.String(),
    enrolledAt: Type.Optional(Type.String()),
    birthDate: Type.Optional(Type.String()),
    timezone: Type.Optional(Type.String()),
    emailHash: Type.Optional(Type.String()),
    phoneHash: Type.Optional(Type.String()),
    referralCode: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String())),
    attributes: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()]))),
    lots: Type.Array(
      Type.Object({ points: Type.Integer({ minimum: 1 }), availableAt: Type.String(), expiresAt: Type.String(), reason: Type.String({ description: 'where the points came from (the lot\'s source)' }) }, { additionalProperties: false }),
      { description: 'the points still held, one lot each, with their own availability and expiry' },
    ),
    debt: Type.Optional(Type.Integer({ minimum: 1, description: 'points owed, repaid by the next points' })),
    tier: Type.Optional(Type.Object({ id: Type.String(), until: Type.String() }, { additionalProperties: false, description: 'the tier held, until when without new orders' })),
  },
  { additionalProperties: false },
);

/** Everything kept about one customer. */
export const CustomerExportSchema = Type.Object(
  {
    exportedAt: Type.String({ description: 'the instant the record is read at' }),
    customer: CustomerViewSchema,
    import: CustomerImportLineSchema,
    transactions: Type.Array(TransactionSchema, { description: 'every ledger entry, oldest first' }),
    orders: Type.Array(Stored('an order as recorded, with its returns, deliveries and cancellation')),
    redemptions: Type.Array(Stored('a redemption with what it took from which lot, and its cancellation')),
    moments: Type.Array(MomentSchema),
    cases: Type.Array(CaseSchema),
    vouchers: CustomerVouchersAnswerSchema.properties.items,
    warrantyContracts: Type.Array(WarrantyContractSchema),
  },
  { additionalProperties: false },
);
