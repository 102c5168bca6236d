/**
 * `GET /v1/customers/{id}/export`: everything kept about one customer (docs/data.md, "Export"), and the customer as a
 * line of an import file.
 */
import { CaseSchema, CustomerImportLineSchema, CustomerViewSchema, CustomerVouchersAnswerSchema, MomentSchema, TransactionSchema } from '@purna/ledger';
import { Type } from '@sinclair/typebox';
import { WarrantyContractSchema } from './warranty-contract-schemas.js';

const Stored = (what: string) => Type.Object({}, { additionalProperties: true, description: what });

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
