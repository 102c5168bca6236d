/**
 * The part of `@purna/ledger`'s `Ledger` this API calls, derived from the ledger's own type: each method is
 * `Ledger`'s, with the requests and answers of its contract, so a change there reaches every route at compile
 * time. Every method is tenant-scoped by its first argument; writes answer `replayed: true` when their natural id
 * (or `idempotencyKey`) was seen before with the same content.
 *
 * Two members are narrowed to what a test can fake without a store: `apiKeys` is the API's own `ApiKeyStore`
 * (the pipeline tests authenticate against an in-memory one) and `warrantyContracts`, `cases` and `webhookEndpoints` the
 * methods the routes call.
 */
import type { Cases, Ledger, Store, WarrantyContracts, WebhookEndpoints } from '@purna/ledger';
import type { ApiKeyStore } from './auth/api-key-store.js';

/** What the app needs from the ledger's warranty contracts (`Ledger.warrantyContracts`). */
export type WarrantyContractsPort = Pick<WarrantyContracts, 'register' | 'get' | 'listForCustomer' | 'transfer' | 'claim' | 'claims'>;

/** What the app needs from the ledger's complaint cases (`Ledger.cases`). */
export type CasesPort = Pick<Cases, 'open' | 'get' | 'list' | 'update' | 'resolve'>;

/** What the app needs from the ledger's webhook endpoints (`Ledger.webhookEndpoints`). */
export type WebhookEndpointsPort = Pick<WebhookEndpoints, 'create' | 'get' | 'list' | 'update' | 'delete' | 'rotateSecret'>;

/** The `Ledger` methods the routes call. */
type LedgerMethods = Pick<
  Ledger,
  | 'publishProgram'
  | 'getProgram'
  | 'listProgramVersions'
  | 'upsertCustomer'
  | 'getCustomer'
  | 'listTransactions'
  | 'exportCustomer'
  | 'eraseCustomer'
  | 'quoteOrder'
  | 'recordOrder'
  | 'returnOrder'
  | 'deliverOrder'
  | 'cancelOrder'
  | 'cancelRedemption'
  | 'recordEvent'
  | 'redeem'
  | 'adjust'
  | 'assignTier'
  | 'importCustomers'
  | 'getImport'
  | 'grantGoodwill'
  | 'rewardCatalog'
  | 'redeemReward'
  | 'useVoucher'
  | 'customerVouchers'
  | 'runBirthdaySweep'
  | 'listMoments'
  | 'runMomentsJob'
  | 'listWebhookDeliveries'
  | 'retryWebhookDelivery'
  | 'runAnniversarySweep'
  | 'runExpirySweep'
  | 'reconcile'
  | 'checkWarranty'
>;

/**
 * What the app needs from the ledger: a `Ledger`, or a stand-in for tests.
 *
 * @example
 * const app = createApp({ ledger: await openLedger({ store: 'memory' }) });
 */
export interface LedgerPort extends LedgerMethods {
  readonly apiKeys: ApiKeyStore;
  readonly warrantyContracts: WarrantyContractsPort;
  readonly cases: CasesPort;
  readonly webhookEndpoints: WebhookEndpointsPort;
  /**
   * The ledger's store, where the app keeps Idempotency-Key answers and rate-limit counters so that every instance
   * on it shares them; a stand-in without one gets them per process.
   */
  readonly store?: Store;
}

/** Compile-time proof that the real ledger's key store fits the API's `ApiKeyStore` (the one member not picked). */
export const LEDGER_SATISFIES_PORT: Ledger extends LedgerPort ? true : never = true;
