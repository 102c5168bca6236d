/**
 * The part of `@purna/ledger`'s `Ledger` this API calls, with the signatures of its `ledger.ts`. Every method is
 * tenant-scoped by its first argument; writes answer `replayed: true` when their natural id (or
 * `idempotencyKey`) was seen before with the same content.
 * It is declared structurally (not `Pick<Ledger, ...>`) so that tests of the pipeline can pass a key store of
 * their own; the check at the end keeps it true to the real `Ledger`.
 */
import type { Ledger } from '@purna/ledger';
import type { CustomerInput } from '@purna/rules';
import type { ApiKeyStore } from './auth/api-key-store.js';

/** `at` (default: the ledger's now). */
export interface ReadAt {
  at?: string;
}

/** `at` and an `Idempotency-Key` the ledger keeps with the write. */
export interface WriteAt extends ReadAt {
  idempotencyKey?: string;
}

/** A write's answer: its fields, and whether it replayed an earlier write. */
export interface Replayable {
  replayed?: boolean;
}

/** A page of a list, and the cursor of the next one. */
export interface Page {
  items: object[];
  nextCursor?: string;
}

/** What the app needs from the ledger's warranty contracts (`Ledger.warrantyContracts`). */
export interface WarrantyContractsPort {
  register(tenantId: string, input: unknown, options?: WriteAt): Promise<Replayable>;
  get(tenantId: string, contractId: string, options?: ReadAt): Promise<object>;
  listForCustomer(tenantId: string, customerId: string, options?: ReadAt & { cursor?: string; limit?: number }): Promise<Page>;
  transfer(tenantId: string, contractId: string, input: unknown, options?: WriteAt): Promise<Replayable>;
}

/** What the app needs from the ledger. */
export interface LedgerPort {
  readonly apiKeys: ApiKeyStore;
  readonly warrantyContracts: WarrantyContractsPort;
  publishProgram(tenantId: string, program: unknown): Promise<{ id: string; version: number }>;
  getProgram(tenantId: string, version?: number): Promise<{ id: string; version: number; program: unknown }>;
  listProgramVersions(tenantId: string, options?: { cursor?: string; limit?: number }): Promise<Page>;
  upsertCustomer(tenantId: string, input: unknown, options?: ReadAt): Promise<{ id: string }>;
  getCustomer(tenantId: string, customerId: string, options?: ReadAt): Promise<{ profile: CustomerInput }>;
  listTransactions(tenantId: string, customerId: string, options?: ReadAt & { cursor?: string; limit?: number }): Promise<object>;
  quoteOrder(tenantId: string, input: unknown, options?: ReadAt): Promise<object>;
  recordOrder(tenantId: string, input: unknown, options?: WriteAt): Promise<Replayable>;
  returnOrder(
    tenantId: string,
    orderId: string,
    input: { id: string; lines: Array<{ sku: string; quantity: number }> },
    options?: WriteAt,
  ): Promise<Replayable>;
  recordEvent(tenantId: string, input: unknown, options?: WriteAt): Promise<Replayable>;
  redeem(
    tenantId: string,
    input: { id: string; customerId: string; orderId: string; orderTotal: string; points: number },
    options?: WriteAt,
  ): Promise<Replayable>;
  adjust(
    tenantId: string,
    input: { id: string; customerId: string; points: number; reason: string; actor: string },
    options?: WriteAt,
  ): Promise<Replayable>;
  runBirthdaySweep(tenantId: string, options?: ReadAt): Promise<{ granted: number; skipped: number }>;
  runExpirySweep(tenantId: string, options?: ReadAt): Promise<object>;
  reconcile(tenantId: string): Promise<{ checked: number; differences: object[] }>;
  checkWarranty(
    tenantId: string,
    input: { customerId?: string; customerTier?: string; product: unknown },
    options?: ReadAt,
  ): Promise<unknown>;
}

/** Compile-time proof that the real ledger satisfies the port: this line stops compiling if they drift apart. */
export const LEDGER_SATISFIES_PORT: Ledger extends LedgerPort ? true : never = true;
