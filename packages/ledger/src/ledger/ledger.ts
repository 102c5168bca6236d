/**
 * The `Ledger` service: what the API, the CLI and the scenario runner call. A thin façade over rooms with one job
 * each (customers.ts, reads.ts, orders.ts, returns.ts, wallet.ts, sweeps.ts): every write asks `@purna/rules` for
 * its decision and applies it through the write protocol (../write-protocol.ts), so every write is idempotent,
 * race-free and crash-safe on any store. What each method takes and answers is a schema of the contract
 * (../contract/), checked by the room before anything is claimed.
 */
import { inputError, type WarrantyEligibility } from '@purna/rules';
import type {
  AdjustmentAnswer,
  TierAssignedAnswer,
  CustomerImportLine,
  CancellationAnswer,
  DeliveryAnswer,
  RedemptionCancellationAnswer,
  CustomerView,
  GoodwillAnswer,
  EventAnswer,
  ExpirySweepAnswer,
  OrderAnswer,
  QuoteAnswer,
  ReconcileAnswer,
  RedemptionAnswer,
  ReturnAnswer,
  TierReviewAnswer,
  TransactionPage,
  UpsertedCustomer,
  YearlySweepAnswer,
  CustomerVouchersAnswer,
  RewardCatalogAnswer,
  RewardRedemptionAnswer,
  VoucherUseAnswer,
} from '../contract/answers.js';
import type { AdjustmentRequest, TierAssignmentRequest, CancellationRequest, DeliveryRequest, GoodwillRequest, RedemptionCancellationRequest, RedemptionRequest, ReturnRequest, RewardRedemptionRequest, VoucherUseRequest, WarrantyRequest } from '../contract/requests.js';
import { deliverOrder } from './deliveries.js';
import { cancelOrder } from './order-cancellations.js';
import { cancelRedemption } from './redemption-cancellations.js';
import { openStore, type StoreConfig } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { ApiKeys } from './api-keys.js';
import { upsertCustomer } from './customers.js';
import { NotFound } from '../errors.js';
import { checkId } from './input-check.js';
import { LedgerContext, type ReadOptions, type WriteOptions } from './ledger-context.js';
import { quoteOrderFor, recordOrder } from './orders.js';
import { cacheBound, type ProgramVersionPage } from './programs.js';
import { checkWarranty, getCustomer, listTransactions } from './reads.js';
import { returnOrder } from './returns.js';
import { reconcile, runExpirySweep, runTierReview, runYearlySweep } from './sweeps.js';
import { adjust, recordEvent, redeem } from './wallet.js';
import { grantGoodwill, type GoodwillOptions } from './goodwill.js';
import { customerVouchers, redeemReward, rewardCatalogOf, useVoucher } from './rewards.js';
import { exportCustomer, exportTenant, type CustomerExport } from './customer-export.js';
import { eraseCustomer } from './erasure.js';
import type { ErasureAnswer } from '../contract/erasure.js';
import { assignTier } from './manual-tiers.js';
import { importCustomers, importStatus, type ImportOptions } from './imports.js';
import type { ImportStatus } from '../contract/imports.js';
import { WarrantyContracts } from '../warranty/warranty-contracts.js';
import { Cases } from '../cases/cases.js';
import { WebhookEndpoints } from '../webhooks/webhook-endpoints.js';
import type { MomentPage, MomentQueryRequest, MomentsJobAnswer } from '../contract/moments.js';
import { listMoments } from './moments.js';
import { runMomentsJob } from './moments-job.js';
import { StoreLeases } from '../coordination/leases.js';
import { DEFAULT_LEASE_MS, deliverEndpoint, discover, drainCaughtUp, listDeliveries, QueueRecords, retryDelivery, settleDiscovery, type DeliveryDoc, type DeliveryEndpoint, type DeliveryPass, type DeliveryPassResult } from '../webhooks/webhook-deliveries.js';

export type { WriteOptions, ReadOptions } from './ledger-context.js';

/**
 * How often a delivery pass lists every queue of an endpoint at most (wall ms), unless its discovery left queues
 * unleased: a retry that came due, an admin's retry or a dead worker's queue waits at most this long.
 */
export const QUEUE_SWEEP_MS = 10_000;

/** Options of `openLedger`. */
export interface LedgerOptions {
  /** `'memory'`, `{ kind: 'lmdb', path }`, `{ kind: 'mongo', uri, dbName? }`, or an opened `Store`. */
  store: StoreConfig | Store;
  /** The clock for writes and reads that give no `at` (the rules never read a clock; the ledger may). */
  now?: () => string;
  /** Attempts of a write under contention before it gives up with a retryable error. */
  maxAttempts?: number;
  /** Wall-clock milliseconds, for the moments feed and the caches (default `Date.now`): never the business `now`. */
  wallClock?: () => number;
  /**
   * How long (wall ms) this instance reuses a tenant's newest program version and an API key it read before it
   * reads them again (default 500): a program published or a key revoked on another instance over the same store
   * takes effect here within this bound, on the instance that made the change at once (docs/ledger.md "What an
   * instance caches"). 0 reads the store every time.
   */
  staleMs?: number;
}

/**
 * Opens a ledger on a store.
 *
 * @example
 * const ledger = await openLedger({ store: { kind: 'lmdb', path: './data' } });
 * await ledger.publishProgram('default', programJson);
 * await ledger.recordOrder('default', order, { at: '2026-02-01T10:00:00+07:00' });
 */
export async function openLedger(options: LedgerOptions): Promise<Ledger> {
  const store = isStore(options.store) ? options.store : await openStore(options.store);
  return new Ledger(store, options);
}

function isStore(value: StoreConfig | Store): value is Store {
  return typeof value === 'object' && typeof (value as Partial<Store>).replace === 'function';
}

/** The points ledger of every tenant on one store. */
export class Ledger {
  /** API keys (only hashes), for the API's authentication. */
  readonly apiKeys: ApiKeys;
  /** Extended-warranty contracts: registered under the program in force, transferred between customers. */
  readonly warrantyContracts: WarrantyContracts;
  /** Complaint cases: opened, changed, resolved and closed, with their moments on the customer's feed. */
  readonly cases: Cases;
  /** Webhook endpoints: where moments are delivered, and the secrets they are signed with. */
  readonly webhookEndpoints: WebhookEndpoints;
  /** Named leases over the store, on the wall clock (the moments scheduler's one run per tenant and tick). */
  readonly leases: StoreLeases;
  private readonly ctx: LedgerContext;
  /** When this process's delivery passes last listed every queue of an endpoint (wall ms), by tenant and endpoint. */
  private readonly queueSweeps = new Map<string, number>();
  /** The webhook queues this process's delivery passes wrote last: the next discovery changes them without a read. */
  private readonly webhookQueues = new QueueRecords();

  constructor(
    readonly store: Store,
    options: Omit<LedgerOptions, 'store'> = {},
  ) {
    const bound = cacheBound({ wallClock: options.wallClock, staleMs: options.staleMs });
    this.ctx = new LedgerContext(store, options.now ?? (() => new Date().toISOString()), options.maxAttempts, bound);
    this.apiKeys = new ApiKeys(store, bound);
    this.warrantyContracts = new WarrantyContracts(store, this.ctx.programs, this.ctx.now, this.ctx.protocol);
    this.cases = new Cases(this.ctx);
    this.webhookEndpoints = new WebhookEndpoints(store, this.ctx.now);
    this.leases = new StoreLeases(store, bound.wallClock);
  }

  /** Validates and publishes a program as the tenant's next immutable version. */
  publishProgram(tenantId: string, programJson: unknown): Promise<{ id: string; version: number }> {
    return this.ctx.programs.publish(checkId(tenantId, '/tenantId', 'tenantId'), programJson, this.ctx.now());
  }

  /** A published version (the newest by default). */
  async getProgram(tenantId: string, version?: number): Promise<{ id: string; version: number; program: unknown }> {
    const loaded = await this.ctx.programs.load(checkId(tenantId, '/tenantId', 'tenantId'), version);
    return { id: loaded.id, version: loaded.version, program: loaded.program };
  }

  /** Every tenant with a published program, in id order (the scheduler runs each tenant's moments). */
  tenants(): AsyncGenerator<string> {
    return this.ctx.programs.tenants();
  }

  /** Published versions, newest first, without their programs; `cursor` is the previous page's `nextCursor`. */
  listProgramVersions(tenantId: string, options: { cursor?: string; limit?: number } = {}): Promise<ProgramVersionPage> {
    return this.ctx.programs.list(checkId(tenantId, '/tenantId', 'tenantId'), options);
  }

  /** Creates or updates a customer's profile (customers.ts). */
  upsertCustomer(tenantId: string, input: unknown, options: ReadOptions = {}): Promise<UpsertedCustomer> {
    return upsertCustomer(this.ctx, tenantId, input, options);
  }

  /** A customer's points and tier as of `at` (reads.ts). */
  getCustomer(tenantId: string, customerId: string, options: ReadOptions = {}): Promise<CustomerView> {
    return getCustomer(this.ctx, tenantId, customerId, options);
  }

  /**
   * Everything kept about one customer as of `at` (customer-export.ts): profile, balances, tier, every entry, their
   * orders, redemptions, moments, cases, vouchers and warranty contracts, and the customer as a line of an import file.
   */
  exportCustomer(tenantId: string, customerId: string, options: ReadOptions = {}): Promise<CustomerExport> {
    const at = this.ctx.at(options);
    return exportCustomer(this.ctx, {
      getCustomer: (id, when) => this.getCustomer(tenantId, id, { at: when }),
      listTransactions: (id, when, cursor) => this.listTransactions(tenantId, id, { at: when, limit: 500, ...(cursor !== undefined ? { cursor } : {}) }),
      listMoments: (id, after) => this.listMoments(tenantId, { customerId: id, limit: 500, ...(after !== undefined ? { after } : {}) }),
      listCases: (id, cursor) => this.cases.list(tenantId, { customerId: id, limit: 500, ...(cursor !== undefined ? { cursor } : {}) }),
      listContracts: (id, when, cursor) => this.warrantyContracts.listForCustomer(tenantId, id, { at: when, limit: 500, ...(cursor !== undefined ? { cursor } : {}) }),
      vouchers: (id, when) => this.customerVouchers(tenantId, id, { at: when }),
    }, tenantId, customerId, at);
  }

  /**
   * Erases a customer (erasure.ts): personal data removed, a pseudonym in the old id's place in every record kept;
   * the old id answers 404 afterwards and may be enrolled again. `input` is `{ reason }`.
   */
  eraseCustomer(tenantId: string, customerId: string, input: unknown, options: ReadOptions = {}): Promise<ErasureAnswer> {
    return eraseCustomer(this.ctx, tenantId, customerId, input, options);
  }

  /** A customer's transactions, newest first, as of `at` (reads.ts). */
  listTransactions(tenantId: string, customerId: string, options: ReadOptions & { cursor?: string; limit?: number } = {}): Promise<TransactionPage> {
    return listTransactions(this.ctx, tenantId, customerId, options);
  }

  /** The moments feed, oldest first, resumable; or one customer's moments (moments/moment-feed.ts). */
  listMoments(tenantId: string, query: MomentQueryRequest | Record<string, unknown> = {}): Promise<MomentPage> {
    return listMoments(this.ctx, tenantId, query);
  }

  /** What an order would earn now; nothing is written (orders.ts). */
  quoteOrder(tenantId: string, input: unknown, options: ReadOptions = {}): Promise<QuoteAnswer> {
    return quoteOrderFor(this.ctx, tenantId, input, options);
  }

  /** Records a paid order and awards its points (orders.ts). */
  recordOrder(tenantId: string, input: unknown, options: WriteOptions = {}): Promise<OrderAnswer> {
    return recordOrder(this.ctx, tenantId, input, options);
  }

  /** Records a return and claws back what it earned (returns.ts). */
  returnOrder(tenantId: string, orderId: string, request: ReturnRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<ReturnAnswer> {
    return returnOrder(this.ctx, tenantId, orderId, request, options);
  }

  /** Records a delivery of an order: `order.delivered`, its follow-up, points that waited for it (deliveries.ts). */
  deliverOrder(tenantId: string, orderId: string, request: DeliveryRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<DeliveryAnswer> {
    return deliverOrder(this.ctx, tenantId, orderId, request, options);
  }

  /**
   * Cancels an order before delivery: claws back what it earned as a full return would and releases its
   * redemptions; after a delivery it is a Conflict (order-cancellations.ts).
   */
  cancelOrder(tenantId: string, orderId: string, request: CancellationRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<CancellationAnswer> {
    return cancelOrder(this.ctx, tenantId, orderId, request, options);
  }

  /** Cancels a redemption: its points go back into the lots they came from (redemption-cancellations.ts). */
  cancelRedemption(tenantId: string, redemptionId: string, request: RedemptionCancellationRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<RedemptionCancellationAnswer> {
    return cancelRedemption(this.ctx, tenantId, redemptionId, request, options);
  }

  /** Records a custom event (wallet.ts). */
  recordEvent(tenantId: string, input: unknown, options: WriteOptions = {}): Promise<EventAnswer> {
    return recordEvent(this.ctx, tenantId, input, options);
  }

  /** Redeems points for a discount; a refusal throws `RedemptionRefused` with every reason (wallet.ts). */
  redeem(tenantId: string, request: RedemptionRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<RedemptionAnswer> {
    return redeem(this.ctx, tenantId, request, options);
  }

  /** A goodwill or correction adjustment (wallet.ts). */
  adjust(tenantId: string, request: AdjustmentRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<AdjustmentAnswer> {
    return adjust(this.ctx, tenantId, request, options);
  }

  /**
   * Imports customers from an NDJSON byte stream, one customer a line, in bounded memory; answers the final status
   * (imports.ts). The same `idempotencyKey` names the same import: sent again, it skips the customers it holds.
   */
  importCustomers(tenantId: string, chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, options: ImportOptions = {}): Promise<ImportStatus> {
    return importCustomers(this.ctx, tenantId, chunks, options);
  }

  /** Every customer of the tenant as a line of an import file as of `at`, in id order (customer-export.ts). */
  exportTenant(tenantId: string, options: ReadOptions = {}): AsyncGenerator<CustomerImportLine> {
    return exportTenant(this.ctx, checkId(tenantId, '/tenantId', 'tenantId'), this.ctx.at(options));
  }

  /** The status of an import (imports.ts). */
  getImport(tenantId: string, importId: string): Promise<ImportStatus> {
    return importStatus(this.ctx, tenantId, importId);
  }

  /** A tier assigned by hand, held until a date whatever the spend (manual-tiers.ts). */
  assignTier(tenantId: string, request: TierAssignmentRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<TierAssignedAnswer> {
    return assignTier(this.ctx, tenantId, request, options);
  }

  /**
   * A goodwill gesture for one of the program's reasons, within its maximum (or past it with an override when
   * `mayOverride`), the customer's limit and the tenant's budget; a refusal throws `GoodwillRefused` with every
   * reason (goodwill.ts).
   */
  async grantGoodwill(tenantId: string, request: GoodwillRequest | Record<string, unknown>, options: GoodwillOptions = {}): Promise<GoodwillAnswer> {
    // A gesture tied to a case settles that customer's complaint: the case must exist (NotFound) and be theirs.
    const { caseId, customerId } = request as { caseId?: unknown; customerId?: unknown };
    if (typeof caseId === 'string' && typeof customerId === 'string') {
      const settled = await this.cases.get(tenantId, caseId);
      if (settled.customerId !== customerId) inputError('/caseId', 'case-of-another-customer', `case ${JSON.stringify(caseId)} is ${JSON.stringify(settled.customerId)}'s complaint, not ${JSON.stringify(customerId)}'s`);
    }
    return grantGoodwill(this.ctx, tenantId, request, options);
  }

  /**
   * The rewards catalog at `at`, each reward with `available` and every reason when not: for `customerId` when
   * given, else for anyone (rewards.ts).
   */
  rewardCatalog(tenantId: string, query: { customerId?: string } = {}, options: ReadOptions = {}): Promise<RewardCatalogAnswer> {
    return rewardCatalogOf(this.ctx, tenantId, query, options);
  }

  /** Redeems a reward of the catalog for points and issues its voucher; a refusal throws `RewardRefused` (rewards.ts). */
  redeemReward(tenantId: string, request: RewardRedemptionRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<RewardRedemptionAnswer> {
    return redeemReward(this.ctx, tenantId, request, options);
  }

  /** Uses a voucher once on an order; unknown, another customer's, used or expired throws `VoucherRefused` (rewards.ts). */
  useVoucher(tenantId: string, code: string, request: VoucherUseRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<VoucherUseAnswer> {
    return useVoucher(this.ctx, tenantId, code, request, options);
  }

  /** A customer's vouchers with their status at `at`, newest first (rewards.ts). */
  customerVouchers(tenantId: string, customerId: string, options: ReadOptions = {}): Promise<CustomerVouchersAnswer> {
    return customerVouchers(this.ctx, tenantId, customerId, options);
  }

  /** Grants birthday rewards due at `at` (sweeps.ts). */
  runBirthdaySweep(tenantId: string, options: ReadOptions = {}): Promise<YearlySweepAnswer> {
    return runYearlySweep(this.ctx, tenantId, 'birthday', options);
  }

  /** Grants purchase-anniversary rewards due at `at` (sweeps.ts). */
  runAnniversarySweep(tenantId: string, options: ReadOptions = {}): Promise<YearlySweepAnswer> {
    return runYearlySweep(this.ctx, tenantId, 'anniversary', options);
  }

  /**
   * The moments run as of `at`: birthday and anniversary rewards, downgrades at the end of a grace, expiries, and
   * every time-based moment due and not yet emitted (moments-job.ts).
   */
  runMomentsJob(tenantId: string, options: ReadOptions = {}): Promise<MomentsJobAnswer> {
    return runMomentsJob(this.ctx, tenantId, options);
  }

  /**
   * One delivery pass of the tenant's moments to one endpoint: the feed read since the endpoint's cursor, then every
   * customer's queue drained in order with `pass.send` (../webhooks/webhook-deliveries.ts).
   */
  async deliverWebhooks(tenantId: string, endpoint: DeliveryEndpoint, pass: DeliveryPass): Promise<DeliveryPassResult & { discovered: number }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const now = pass.now();
    const queues = this.webhookQueues;
    const discovery = await discover(this.store, tenantId, endpoint, now, { owner: pass.owner, until: now + (pass.leaseMs ?? DEFAULT_LEASE_MS) }, queues);
    // The caught-up customers' moments first, then the cursor moves past them (only once each was delivered or
    // queued) and is let go for the next discovery. A store failure leaves the cursor where it was.
    let failure: { error: unknown } | undefined;
    const caught = await drainCaughtUp(this.store, tenantId, endpoint, pass, discovery, queues).catch((error: unknown) => {
      failure = { error };
      return { delivered: 0, failed: 0, gaveUp: false };
    });
    await settleDiscovery(this.store, tenantId, endpoint.id, discovery, failure === undefined, queues).catch((error: unknown) => (failure ??= { error }));
    // Discovery leases the queues of new moments of customers with a queue. The rest (retries come due, an admin's
    // retry, leases of a worker that died, queues discovery could not lease) are found by listing every queue of the
    // endpoint, which costs a read per customer: done when discovery left queues unleased, else at most every
    // QUEUE_SWEEP_MS per endpoint. After a give-up or a failure the leased queues are only let go.
    const sweep = `${tenantId}\u0001${endpoint.id}`;
    const listQueues = discovery.unleased > 0 || now - (this.queueSweeps.get(sweep) ?? -Infinity) >= QUEUE_SWEEP_MS;
    if (listQueues) this.queueSweeps.set(sweep, now);
    const rest = await deliverEndpoint(this.store, tenantId, endpoint, pass, discovery, { listQueues, queues, letGoOnly: caught.gaveUp || failure !== undefined });
    if (failure !== undefined) throw failure.error;
    return { discovered: discovery.found, delivered: caught.delivered + rest.delivered, failed: caught.failed + rest.failed };
  }

  /** One page of an endpoint's delivery log, every attempt of each moment (../webhooks/webhook-deliveries.ts). */
  listWebhookDeliveries(tenantId: string, endpointId: string, options: { after?: string; limit?: number } = {}): Promise<{ items: DeliveryDoc[]; nextCursor?: string }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(endpointId, '/endpointId', 'endpoint id');
    return listDeliveries(this.store, tenantId, endpointId, options);
  }

  /** An admin's retry of one delivery (pending again, due now, its schedule starting over); NotFound when there is none. */
  async retryWebhookDelivery(tenantId: string, endpointId: string, momentId: string, options: ReadOptions = {}): Promise<DeliveryDoc> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const delivery = await retryDelivery(this.store, tenantId, endpointId, checkId(momentId, '/momentId', 'moment id'), this.ctx.at(options));
    if (!delivery) throw new NotFound('delivery', `of moment ${momentId} to endpoint ${endpointId}`);
    return delivery;
  }

  /** Records the expiry of every lot expired by `at` (sweeps.ts). */
  runExpirySweep(tenantId: string, options: ReadOptions = {}): Promise<ExpirySweepAnswer> {
    return runExpirySweep(this.ctx, tenantId, options);
  }

  /** Records the tier each customer holds at `at`, once a month (sweeps.ts). */
  runTierReview(tenantId: string, options: ReadOptions = {}): Promise<TierReviewAnswer> {
    return runTierReview(this.ctx, tenantId, options);
  }

  /** Recomputes every account from its entries and reports each difference (sweeps.ts). */
  reconcile(tenantId: string): Promise<ReconcileAnswer> {
    return reconcile(this.ctx, tenantId);
  }

  /** Extended-warranty plans for a product, with a customer's tier or a given tier (reads.ts). */
  checkWarranty(tenantId: string, request: WarrantyRequest | Record<string, unknown>, options: ReadOptions = {}): Promise<WarrantyEligibility> {
    return checkWarranty(this.ctx, tenantId, request, options);
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }
}
