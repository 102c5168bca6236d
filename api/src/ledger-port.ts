/**
 * The part of `@purna/ledger`'s `Ledger` this API calls, declared here while the ledger is being built (names from
 * docs/architecture.md and the ledger's brief). Every method is tenant-scoped by its first argument; writes
 * answer `replayed: true` when their natural id was seen before with the same content.
 * TODO(api): replace with `Pick<Ledger, ...>` from @purna/ledger once it exports `openLedger`.
 */
import type { CustomerInput, OrderInput } from '@purna/rules';
import type { ApiKeyStore } from './auth/api-key-store.js';

/** Options every call takes: the instant it happens at (or is read as of). */
export interface At {
  readonly at: string;
}

/** An answer the API passes on, with the ledger's own fields. */
export type LedgerAnswer = Record<string, unknown> & { readonly replayed?: boolean };

/** What the app needs from the ledger. */
export interface LedgerPort {
  readonly apiKeys: ApiKeyStore;
  publishProgram(tenantId: string, program: unknown, options: At): Promise<LedgerAnswer>;
  getProgram(tenantId: string, options: { at?: string; version?: number }): Promise<LedgerAnswer>;
  upsertCustomer(tenantId: string, customer: CustomerInput, options: At): Promise<LedgerAnswer>;
  getCustomer(tenantId: string, customerId: string, options: At): Promise<LedgerAnswer>;
  listTransactions(
    tenantId: string,
    customerId: string,
    options: { at: string; cursor?: string; limit: number },
  ): Promise<LedgerAnswer>;
  quoteOrder(tenantId: string, order: OrderInput, options: At): Promise<LedgerAnswer>;
  recordOrder(tenantId: string, order: OrderInput, options: At): Promise<LedgerAnswer>;
  returnOrder(
    tenantId: string,
    input: { orderId: string; id: string; lines: ReadonlyArray<{ sku: string; quantity: number }> },
    options: At,
  ): Promise<LedgerAnswer>;
  recordEvent(
    tenantId: string,
    event: { id: string; customerId: string; type: string; attributes?: Record<string, string | number | boolean> },
    options: At,
  ): Promise<LedgerAnswer>;
  redeem(
    tenantId: string,
    input: { id: string; customerId: string; orderId: string; orderTotal: string; points: number },
    options: At,
  ): Promise<LedgerAnswer>;
  adjust(
    tenantId: string,
    input: { id: string; customerId: string; points: number; reason: string },
    options: At,
  ): Promise<LedgerAnswer>;
  runBirthdaySweep(tenantId: string, options: At): Promise<LedgerAnswer>;
  runExpirySweep(tenantId: string, options: At): Promise<LedgerAnswer>;
  checkWarranty(
    tenantId: string,
    input: { customerId?: string; customerTier?: string; product: Record<string, unknown> },
    options: At,
  ): Promise<LedgerAnswer>;
}
