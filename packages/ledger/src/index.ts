/**
 * @purna/ledger — keeps every customer's points exact on a memory, embedded (LMDB) or MongoDB store.
 *
 * @example
 * import { openLedger } from '@purna/ledger';
 * const ledger = await openLedger({ store: { kind: 'lmdb', path: './data' } });
 * await ledger.publishProgram('default', program);
 * const answer = await ledger.recordOrder('default', order, { at: '2026-02-01T10:00:00+07:00' });
 *
 * @packageDocumentation
 */
export { RULES_VERSION } from '@purna/rules';
export { openLedger, Ledger, type LedgerOptions, type WriteOptions, type ReadOptions } from './ledger/ledger.js';
export type { GoodwillOptions } from './ledger/goodwill.js';
export { RESERVATION_LEASE_MS, goodwillBudgetKey, type GoodwillBudgetDoc, type GoodwillReservation } from './ledger/goodwill-budget.js';
export { rewardStockKey, type VoucherIndexDoc } from './ledger/rewards.js';
export {
  OrderRequestSchema,
  ReturnLineSchema,
  ReturnRequestSchema,
  EventRequestSchema,
  RedemptionRequestSchema,
  AdjustmentRequestSchema,
  TierAssignmentRequestSchema,
  GoodwillRequestSchema,
  WarrantyProductSchema,
  WarrantyRequestSchema,
  OverrideSchema,
  DeliveryRequestSchema,
  CancellationRequestSchema,
  RedemptionCancellationRequestSchema,
  type DeliveryRequest,
  type CancellationRequest,
  type RedemptionCancellationRequest,
  type OrderRequest,
  type ReturnLine,
  type ReturnRequest,
  type EventRequest,
  type RedemptionRequest,
  type AdjustmentRequest,
  type TierAssignmentRequest,
  type GoodwillRequest,
  type WarrantyRequest,
  RewardRedemptionRequestSchema,
  VoucherUseRequestSchema,
  type RewardRedemptionRequest,
  type VoucherUseRequest,
} from './contract/requests.js';
export {
  ReferralStatusSchema,
  PointsViewSchema,
  TierViewSchema,
  CustomerViewSchema,
  CustomerImportLineSchema,
  type CustomerImportLine,
  UpsertedCustomerSchema,
  TransactionSchema,
  TransactionPageSchema,
  QuoteAnswerSchema,
  OrderAnswerSchema,
  ReturnAnswerSchema,
  CancelledContractSchema,
  type CancelledContract,
  EventAnswerSchema,
  RedemptionAnswerSchema,
  AdjustmentAnswerSchema,
  TierAssignedAnswerSchema,
  GoodwillAnswerSchema,
  YearlySweepAnswerSchema,
  ExpirySweepAnswerSchema,
  TierChangeSchema,
  TierReviewAnswerSchema,
  ReconcileDifferenceSchema,
  ReconcileAnswerSchema,
  WarrantyAnswerSchema,
  DeliveryAnswerSchema,
  CancellationAnswerSchema,
  ReleasedRedemptionSchema,
  RedemptionCancellationAnswerSchema,
  type DeliveryAnswer,
  type CancellationAnswer,
  type RedemptionCancellationAnswer,
  type TierView,
  type CustomerView,
  type UpsertedCustomer,
  type TransactionPage,
  type QuoteAnswer,
  type OrderAnswer,
  type ReturnAnswer,
  type EventAnswer,
  type RedemptionAnswer,
  type AdjustmentAnswer,
  type TierAssignedAnswer,
  type GoodwillAnswer,
  type YearlySweepAnswer,
  type ExpirySweepAnswer,
  type TierChange,
  type TierReviewAnswer,
  type ReconcileDifference,
  type ReconcileAnswer,
  VoucherSchema,
  RewardOfferSchema,
  RewardCatalogAnswerSchema,
  RewardRedemptionAnswerSchema,
  VoucherUseAnswerSchema,
  CustomerVouchersAnswerSchema,
  type VoucherView,
  type RewardCatalogAnswer,
  type RewardRedemptionAnswer,
  type VoucherUseAnswer,
  type CustomerVouchersAnswer,
} from './contract/answers.js';
export { MoneySchema, ReasonSchema, TraceSentencesSchema } from './contract/primitives.js';
export { MomentTypeSchema, MomentSchema, momentSchemaOf, MomentQuerySchema, MomentPageSchema, MomentsJobAnswerSchema, type MomentAnswer, type MomentQueryRequest, type MomentPage, type MomentsJobAnswer } from './contract/moments.js';
export { MOMENT_DATA_SCHEMAS, MomentDataSchema, BalanceAfterSchema, momentDataSchema } from './contract/moment-data.js';
export { momentId, publicMoment, FEED_HORIZON_MS, type Moment, type MomentDoc } from './moments/moment-store.js';
export type { DeliveryEndpoint, DeliveryPass, DeliveryPassResult, DeliveryDoc, DeliveryAttemptRecord, SendOutcome, RetryPolicy as DeliveryRetryPolicy } from './webhooks/webhook-deliveries.js';
export { DEFAULT_DELIVERY_CONCURRENCY } from './webhooks/webhook-deliveries.js';
export { ApiKeys, MAX_CACHED_KEYS, type ApiKeyRecord } from './ledger/api-keys.js';
export { DEFAULT_STALE_MS } from './ledger/programs.js';
export { setNewest } from './bounded-map.js';
export { StoreIdempotencyKeys, type IdempotencyBegin, type IdempotencyKeyStore, type StoreIdempotencyKeysOptions } from './coordination/idempotency-keys.js';
export { StoreRateLimiter, rateWindowMs, type RateLimitOptions, type RateLimitAnswer } from './coordination/rate-limiter.js';
export { StoreLeases } from './coordination/leases.js';
export { AuditTrail, AUDIT_PAGE_MAX } from './audit/audit-trail.js';
export type { CustomerExport } from './ledger/customer-export.js';
export { ErasureAnswerSchema, ErasureRequestSchema, type ErasureAnswer, type ErasureRequest } from './contract/erasure.js';
export { ERASED_TEXT } from './ledger/erasure.js';
export { importIdOf, type ImportOptions } from './ledger/imports.js';
export { IMPORT_ERRORS_KEPT, ImportLineErrorSchema, ImportStartedSchema, ImportStatusSchema, type ImportLineError, type ImportStarted, type ImportStatus } from './contract/imports.js';
export { AUDIT_ACTIONS, AuditEntrySchema, AuditPageSchema, type AuditAction, type AuditEntry, type AuditPage } from './contract/audit.js';
export type { ProgramVersionPage, ProgramVersionSummary } from './ledger/programs.js';
export {
  WarrantyContracts,
  type ProgramSource,
  type ContractWriteOptions,
  type ContractReadOptions,
  type WarrantyContractPage,
} from './warranty/warranty-contracts.js';
export type {
  WarrantyContractView,
  WarrantyTransferAnswer,
  ContractProduct,
  ContractCoverage,
  ContractOwner,
  TransferPolicy,
  ContractCancellationDoc,
} from './warranty/warranty-contract-doc.js';
export type { WarrantyClaimAnswer, WarrantyClaimPage } from './warranty/warranty-claims.js';
export {
  WebhookEndpointRequestSchema,
  WebhookEndpointUpdateSchema,
  WebhookEndpointSchema,
  CreatedWebhookEndpointSchema,
  WebhookEndpointPageSchema,
  WebhookSecretRotationSchema,
  WebhookAttemptSchema,
  WebhookDeliverySchema,
  WebhookDeliveryPageSchema,
  MAX_WEBHOOK_URL_LENGTH,
  type WebhookEndpointRequest,
  type WebhookEndpointUpdate,
  type WebhookEndpointView,
  type CreatedWebhookEndpoint,
  type WebhookEndpointPage,
  type WebhookSecretRotation,
} from './contract/webhooks.js';
export {
  WebhookEndpoints,
  webhookEndpointView,
  signingSecrets,
  newWebhookEndpointId,
  PREVIOUS_SECRET_TTL_MS,
  type WebhookEndpoint,
  type WebhookSecretRecord,
  type WebhookEndpointList,
  type WebhookChangeOptions,
  type WebhookEndpointSources,
} from './webhooks/webhook-endpoints.js';
export { generateWebhookSecret, parseWebhookSecret, WEBHOOK_SECRET_PREFIX } from './webhooks/webhook-secret.js';
export { WarrantyPlanRefused, WarrantyTransferRefused } from './warranty/warranty-errors.js';
export { Cases, type CaseWriteOptions, type CaseListOptions } from './cases/cases.js';
export {
  CASE_CHANNELS,
  CaseOpenRequestSchema,
  CaseChangeRequestSchema,
  CaseResolutionRequestSchema,
  CaseHistoryEntrySchema,
  CaseSchema,
  CasePageSchema,
  type CaseChannel,
  type CaseOpenRequest,
  type CaseChangeRequest,
  type CaseResolutionRequest,
  type CaseView,
  type CasePage,
} from './cases/case-schemas.js';
export { CaseTransitionRefused } from './cases/case-errors.js';
export { NotFound, Conflict, CustomerErased, IdempotencyMismatch, RedemptionRefused, ReturnRefused, GoodwillRefused, RewardRefused, VoucherRefused, ContentionError, InputError, ProgramError, type RefusalReason, type Problem } from './errors.js';
export { openStore, type StoreConfig } from './store/open-store.js';
export { MemoryStore } from './store/memory-store.js';
export { LmdbStore, type LmdbStoreOptions } from './store/lmdb-store.js';
export { MongoStore, type MongoStoreOptions } from './store/mongo-store.js';
export { FaultyStore, SimulatedCrash, type WriteStep } from './store/faulty-store.js';
export { ForwardingStore } from './store/forwarding-store.js';
export { COLLECTIONS, COLD_FIELD, type Store, type GetOptions, type CollectionName, type Versioned, type InsertResult, type ListQuery, type JsonObject, type JsonValue } from './store/store.js';
export type { Entry, EntryType } from './account/entry.js';
export type { Lot, LotSource } from '@purna/rules';
