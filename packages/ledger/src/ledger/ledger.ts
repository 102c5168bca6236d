/**
 * The `Ledger` service: what the API, the CLI and the scenario runner call. It asks `@purna/rules` for every
 * decision and applies it through the write protocol (../write-protocol.ts), so every write is idempotent,
 * race-free and crash-safe on any store.
 */
import {
  CustomerInputSchema,
  Decimal,
  isDecimalString,
  normalizeReferralCode,
  type WarrantyEligibility,
  EventInputSchema,
  InputError,
  OrderInputSchema,
  type CustomerInput,
  type EventInput,
  type OrderInput,
  type OrderSnapshot,
} from '@purna/rules';
import { DateTime } from 'luxon';
import type { AccountDoc, CampaignDoc, OperationDoc, OrderDoc, ReturnDecision, Unflushed } from '../account/account-doc.js';
import { getAccount, getAccountHead, listAccounts, replaceAccount, summarize } from '../account/account-store.js';
import { viewFromSummary } from '../account/points-summary.js';
import { summaryOf } from '../account/stored-account.js';
import type { Entry } from '../account/entry.js';
import { applyEntry, emptyPointsState, planDebits, viewPoints, type PointsState, type PointsView } from '../account/points-state.js';
import { Conflict, IdempotencyMismatch, NotFound, RedemptionRefused, type RefusalReason } from '../errors.js';
import { openStore, type StoreConfig } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { entryPrefix, flush, hashRequest, readAccount, runOperation, type Decision, type EntryDraft, type OperationResult, type ProtocolContext } from '../write-protocol.js';
import { addUsage, customerOf, historyOf, pruneOrders, tierAt, tierFromSummary, tierOf, tierSummarizer } from './account-view.js';
import { ApiKeys } from './api-keys.js';
import { campaignKey, runFollowUp } from './follow-ups.js';
import { checkId, checkInput, checkInteger, utcInstant, utcOf } from './input-check.js';
import { Programs, type LoadedProgram, type ProgramVersionPage } from './programs.js';
import { reconcileAccount, type ReconcileDifference } from './reconcile.js';
import { WarrantyContracts } from '../warranty/warranty-contracts.js';
import {
  checkReferralEnrolment,
  checkWarrantyEligibility,
  evaluateBirthday,
  evaluateEvent,
  evaluateRedemption,
  evaluateReferralOrder,
  evaluateReturn,
  pointsLife,
  quoteOrder,
  type Compiled,
} from './rules-port.js';

/** Options of `openLedger`. */
export interface LedgerOptions {
  /** `'memory'`, `{ kind: 'lmdb', path }`, `{ kind: 'mongo', uri, dbName? }`, or an opened `Store`. */
  store: StoreConfig | Store;
  /** The clock for writes and reads that give no `at` (the rules never read a clock; the ledger may). */
  now?: () => string;
  /** Attempts of a write under contention before it gives up with a retryable error. */
  maxAttempts?: number;
}

/** `at` (default: now) and, for writes, an `Idempotency-Key`. */
export interface WriteOptions {
  at?: string;
  idempotencyKey?: string;
}

/** `at` (default: now). */
export interface ReadOptions {
  at?: string;
}

/** A customer as `getCustomer` answers. */
export interface CustomerView {
  id: string;
  profile: CustomerInput;
  points: { available: number; pending: number; expired: number; redeemed: number; balance: number };
  tier: { id: string; name: string; heldUntil?: string } | null;
  expiring: Array<{ points: number; at: string }>;
  referral?: { status: string; reason?: string; referrerId?: string };
}

/** The answer of `recordOrder`. */
export interface OrderAnswer {
  orderId: string;
  awarded: number;
  availableAt: string;
  tierBefore: string | null;
  tierAfter: string | null;
  referral?: { referrer: number; referee: number };
  trace: unknown;
  replayed: boolean;
}

/** The answer of `returnOrder`. */
export interface ReturnAnswer {
  returnId: string;
  orderId: string;
  clawedBack: number;
  balance: number;
  replayed: boolean;
}

/** The answer of `recordEvent`. */
export interface EventAnswer {
  eventId: string;
  awarded: number;
  reason?: string;
  replayed: boolean;
}

/** The answer of an accepted `redeem`. */
export interface RedemptionAnswer {
  redemptionId: string;
  orderId: string;
  redeemed: number;
  discount: string;
  replayed: boolean;
}

/** The answer of `adjust`. */
export interface AdjustmentAnswer {
  adjustmentId: string;
  points: number;
  balance: number;
  replayed: boolean;
}

/** A redemption request. */
export interface RedemptionRequest {
  id: string;
  customerId: string;
  orderId: string;
  orderTotal: string;
  points: number;
}

/** An adjustment request: a goodwill gesture or a correction. */
export interface AdjustmentRequest {
  id: string;
  customerId: string;
  /** Points to add (positive) or remove (negative). */
  points: number;
  /** A reason code, e.g. `goodwill` or `correction`. */
  reason: string;
  /** Who made it (a support agent's id). */
  actor: string;
}

/** A return request: which quantities of which skus came back. */
export interface ReturnRequest {
  id: string;
  lines: Array<{ sku: string; quantity: number }>;
}

/** A warranty check: the customer (for the tier) or a tier, and the product. */
export interface WarrantyRequest {
  customerId?: string;
  customerTier?: string;
  product: unknown;
}

/** One page of a customer's transactions, newest first. */
export interface TransactionPage {
  items: Entry[];
  nextCursor?: string;
}

const PAGE = 100;
/** The expiry of lots of a program without expiry. */
const NEVER = '9999-12-31T23:59:59.999Z';

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
  private readonly programs: Programs;
  private readonly protocol: ProtocolContext;
  private readonly now: () => string;

  constructor(
    readonly store: Store,
    options: Omit<LedgerOptions, 'store'> = {},
  ) {
    this.apiKeys = new ApiKeys(store);
    this.programs = new Programs(store);
    this.now = options.now ?? (() => new Date().toISOString());
    this.warrantyContracts = new WarrantyContracts(store, this.programs, this.now);
    const protocol: ProtocolContext = {
      store,
      runFollowUp: (tenantId, followUp) => runFollowUp(protocol, tenantId, followUp),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    };
    this.protocol = protocol;
  }

  // ---- programs ---------------------------------------------------------------------------------------------

  /** Validates and publishes a program as the tenant's next immutable version. */
  publishProgram(tenantId: string, programJson: unknown): Promise<{ id: string; version: number }> {
    return this.programs.publish(checkId(tenantId, '/tenantId', 'tenantId'), programJson, this.now());
  }

  /** A published version (the newest by default). */
  async getProgram(tenantId: string, version?: number): Promise<{ id: string; version: number; program: unknown }> {
    const loaded = await this.programs.load(checkId(tenantId, '/tenantId', 'tenantId'), version);
    return { id: loaded.id, version: loaded.version, program: loaded.program };
  }

  /** Published versions, newest first, without their programs; `cursor` is the previous page's `nextCursor`. */
  listProgramVersions(tenantId: string, options: { cursor?: string; limit?: number } = {}): Promise<ProgramVersionPage> {
    return this.programs.list(checkId(tenantId, '/tenantId', 'tenantId'), options);
  }

  // ---- customers --------------------------------------------------------------------------------------------

  /**
   * Creates or updates a customer's profile. A referral (`referredBy`) is decided once, at the first profile that
   * carries it; a referral code is claimed for this customer only (another customer's code is a Conflict).
   */
  async upsertCustomer(tenantId: string, input: unknown, options: ReadOptions = {}): Promise<CustomerInput & { referral?: { status: string; reason?: string } }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const profile = checkInput<CustomerInput>(CustomerInputSchema, input, '', 'customer');
    checkId(profile.id, '/id', 'customer id');
    const at = this.at(options);
    if (profile.enrolledAt) utcInstant(profile.enrolledAt, '/enrolledAt');
    if (profile.referralCode) {
      const key = codeKey(profile.referralCode);
      if (key === undefined) {
        throw new InputError([{ pointer: '/referralCode', code: 'invalid-referral-code', message: `a referral code is 1 to 64 letters and digits (spaces and hyphens are ignored), got ${JSON.stringify(profile.referralCode)}` }]);
      }
      const claim = await this.store.insert<{ customerId: string }>('referralCodes', tenantId, key, { customerId: profile.id });
      if (claim.record.doc.customerId !== profile.id) throw new Conflict(`referral code "${profile.referralCode}" belongs to another customer`);
    }
    const loaded = profile.referredBy ? await this.programs.load(tenantId) : undefined;
    for (;;) {
      const account = await readAccount(this.store, tenantId, profile.id, true);
      if (!account) throw new Error('ledger: account could not be created');
      const doc = account.doc;
      const merged: CustomerInput = { ...(doc.profile ?? {}), ...profile, enrolledAt: doc.profile?.enrolledAt ?? profile.enrolledAt ?? at };
      let referral = doc.referral;
      if (!referral && profile.referredBy && loaded) {
        const presented = codeKey(profile.referredBy.code);
        const referrerId = presented ? (await this.store.get<{ customerId: string }>('referralCodes', tenantId, presented))?.doc.customerId : undefined;
        const referrerAccount = referrerId ? await getAccountHead(this.store, tenantId, referrerId) : undefined;
        const decision = checkReferralEnrolment(loaded.compiled, {
          referee: merged,
          referrer: referrerAccount ? customerOf(referrerAccount.doc) : undefined,
          refereeHasOrdered: doc.firstOrderId !== undefined,
        });
        referral = {
          code: profile.referredBy.code,
          status: decision.status,
          ...(decision.status === 'rejected' ? { reason: decision.reason } : {}),
          ...(decision.status === 'pending' && referrerId ? { referrerId } : {}),
        };
      }
      const next: AccountDoc = { ...doc, profile: merged, ...(referral ? { referral } : {}) };
      if (await replaceAccount(this.store, tenantId, account.version, next, summarize(next, doc))) {
        return { ...merged, ...(referral ? { referral: { status: referral.status, ...(referral.reason ? { reason: referral.reason } : {}) } } : {}) };
      }
    }
  }

  /**
   * A customer's points and tier as of `at`. From the latest write on, the account's read summary answers without
   * reading its lots or orders (docs/ledger.md "Balance reads"); an instant it does not cover reads the account.
   */
  async getCustomer(tenantId: string, customerId: string, options: ReadOptions = {}): Promise<CustomerView> {
    const at = this.at(options);
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(customerId, '/customerId', 'customer id');
    const head = await getAccountHead(this.store, tenantId, customerId);
    if (!head) throw new NotFound('customer', customerId);
    const loaded = await this.programs.load(tenantId);
    const summary = summaryOf(head.doc);
    let view = summary ? viewFromSummary(summary.points, at) : undefined;
    let tier = tierFromSummary(summary?.tier, loaded, at);
    let source: Pick<AccountDoc, 'customerId' | 'profile' | 'referral'> = head.doc;
    if (!view || !tier) {
      const account = await this.account(tenantId, customerId);
      source = account;
      // The materialized state answers any instant from the latest write on; an earlier instant replays the
      // entries committed up to it (the only read whose cost grows with the number of entries).
      view ??= viewPoints(at < account.points.clock ? await this.pointsAsOf(tenantId, account, at) : account.points, at);
      tier ??= { tier: tierAt(loaded.compiled, account, at) ?? null };
    }
    return {
      id: customerId,
      profile: customerOf(source),
      points: pointsOf(view),
      tier: tier.tier,
      expiring: view.expiring,
      ...(source.referral ? { referral: { status: source.referral.status, ...(source.referral.reason ? { reason: source.referral.reason } : {}) } } : {}),
    };
  }

  /** A customer's transactions, newest first, as of `at` (entries after `at` are left out). */
  async listTransactions(tenantId: string, customerId: string, options: ReadOptions & { cursor?: string; limit?: number } = {}): Promise<TransactionPage> {
    const at = this.at(options);
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    const account = await this.account(tenantId, customerId);
    // Entries committed but not yet flushed are part of the ledger already.
    const pending = new Map<string, Entry>();
    for (const item of account.unflushed) for (const entry of item.entries) pending.set(entry.seq, entry);
    const items: Entry[] = [];
    let after = options.cursor;
    for (;;) {
      const page = await this.store.list<Entry>('entries', tenantId, { prefix: entryPrefix(customerId), reverse: true, limit: PAGE, ...(after ? { after } : {}) });
      for (const record of page) pending.set(record.key, record.doc);
      const merged = [...pending.values()].filter((e) => after === undefined || e.seq < after).sort((a, b) => (a.seq < b.seq ? 1 : -1));
      const last = page[page.length - 1]?.key;
      const settledUpTo = page.length < PAGE ? '' : (last ?? '');
      for (const entry of merged) {
        if (entry.seq < settledUpTo) break;
        pending.delete(entry.seq);
        if (entry.at > at) continue;
        items.push(entry);
        if (items.length >= limit) return { items, nextCursor: entry.seq };
      }
      if (page.length < PAGE) return { items };
      after = last;
    }
  }

  // ---- orders -----------------------------------------------------------------------------------------------

  /** What an order would earn now; nothing is written. */
  async quoteOrder(tenantId: string, input: unknown, options: ReadOptions = {}): Promise<{ points: number; tierBefore: string | null; tierAfter: string | null; trace: unknown }> {
    const order = checkInput<OrderInput>(OrderInputSchema, input, '', 'order');
    const at = this.at(options);
    const loaded = await this.programs.load(tenantId);
    const account = order.customerId ? (await getAccount(this.store, tenantId, order.customerId))?.doc : undefined;
    const placedAt = order.placedAt ? utcInstant(order.placedAt, '/placedAt') : at;
    const quote = quoteOrder(
      loaded.compiled,
      { customer: account ? customerOf(account) : { id: order.customerId ?? 'anonymous' }, order: { ...order, placedAt }, history: account ? historyOf(account, placedAt) : { orders: [], usage: {} } },
      { at: placedAt },
    );
    return {
      points: quote.points,
      tierBefore: tierOf(loaded.program, quote.tierBefore)?.id ?? null,
      tierAfter: tierOf(loaded.program, quote.tierAfter)?.id ?? null,
      trace: quote.trace ?? null,
    };
  }

  /** Records a paid order and awards its points (and a referral it qualifies). Replays answer the first answer. */
  async recordOrder(tenantId: string, input: unknown, options: WriteOptions = {}): Promise<OrderAnswer> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const order = checkInput<OrderInput>(OrderInputSchema, input, '', 'order');
    checkId(order.id, '/id', 'order id');
    const customerId = checkId(order.customerId, '/customerId', 'order customerId');
    const at = this.at(options);
    const placedAt = order.placedAt ? utcInstant(order.placedAt, '/placedAt') : at;
    const opId = `order:${order.id}`;
    const requestHash = hashRequest(order);
    await this.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
    const loaded = await this.programs.load(tenantId);
    let expiredLots = false;
    const result = await runOperation(this.protocol, tenantId, {
      opId,
      kind: 'order',
      customerId,
      requestHash,
      at,
      createAccount: true,
      tierSummary: tierSummarizer(loaded),
      decide: (account) => {
        expiredLots = hasExpiredLots(account, at);
        return this.decideOrder(tenantId, loaded, account, { ...order, placedAt }, opId, at);
      },
    });
    // Expiry on touch: an active customer's expired lots are recorded by their next order, as the sweep would,
    // so the account stays as small as a year of lots whatever the sweep's cadence.
    if (expiredLots && !result.replayed) await this.expireAccount(tenantId, customerId, at, loaded);
    return { ...(result.answer as Omit<OrderAnswer, 'replayed'>), replayed: result.replayed };
  }

  private async decideOrder(tenantId: string, loaded: LoadedProgram, account: AccountDoc, order: OrderInput & { placedAt: string }, opId: string, at: string): Promise<Decision> {
    const { compiled, program } = loaded;
    const customer = customerOf(account);
    const campaign = await this.store.get<CampaignDoc>('counters', tenantId, campaignKey(loaded.id));
    const history = { ...historyOf(account, order.placedAt), campaignUsage: Object.fromEntries((campaign?.doc.counts ?? []).map((c) => [c.ruleId, c.points])) };
    const quote = quoteOrder(compiled, { customer, order, history }, { at: order.placedAt });
    const life = lifeOf(compiled, 'order', order.placedAt);
    const ruleIds = [...(quote.ruleIds ?? [])];
    const lines = order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
    const awarded = quote.points;
    const lotId = `${opId}#0`;
    const entries: EntryDraft[] = [
      {
        type: 'earn',
        points: awarded,
        at,
        programId: loaded.id,
        programVersion: loaded.version,
        ruleIds,
        orderId: order.id,
        lines,
        ...(awarded > 0 ? { lot: { id: lotId, source: 'order' as const, amount: awarded, ...life, orderId: order.id } } : {}),
        debits: [],
        debt: 0,
      },
    ];
    const followUps: Unflushed['followUps'] = [];
    let referral: OrderDoc['referral'];
    let referralAnswer: { referrer: number; referee: number } | undefined;
    if (account.referral?.status === 'pending' && account.referral.referrerId && account.firstOrderId === undefined) {
      const referrerId = account.referral.referrerId;
      const referrerAccount = (await getAccount(this.store, tenantId, referrerId))?.doc;
      if (referrerAccount) {
        const decision = evaluateReferralOrder(
          compiled,
          { referee: customer, referrer: customerOf(referrerAccount), order, isFirstOrder: true, history: historyOf(referrerAccount, order.placedAt) },
          { at: order.placedAt },
        );
        const referrerPoints = decision.referrerPoints;
        const refereePoints = decision.refereePoints;
        if (decision.qualifies) {
          const referralLife = lifeOf(compiled, 'referral', order.placedAt);
          const refereeLotId = `${opId}#1`;
          const referrerOpId = `${opId}/referrer`;
          if (refereePoints > 0) {
            entries.push({
              type: 'referral',
              points: refereePoints,
              at,
              programId: loaded.id,
              programVersion: loaded.version,
              ruleIds: ['referral'],
              orderId: order.id,
              reason: 'referee',
              lot: { id: refereeLotId, source: 'referral', amount: refereePoints, ...referralLife, orderId: order.id },
              debits: [],
              debt: 0,
            });
          }
          if (referrerPoints > 0) {
            followUps.push({
              opId: referrerOpId,
              customerId: referrerId,
              at,
              action: {
                type: 'grant',
                entryType: 'referral',
                points: referrerPoints,
                ...referralLife,
                programId: loaded.id,
                programVersion: loaded.version,
                ruleIds: ['referral'],
                orderId: order.id,
                refereeId: account.customerId,
                usage: decision.usage.map((u) => ({ key: u.key, count: u.count })),
                reason: 'referrer',
              },
            });
          }
          referral = { referrerId, referrerOpId, referrerLotId: `${referrerOpId}#0`, refereeLotId, referrer: referrerPoints, referee: refereePoints };
          referralAnswer = { referrer: referrerPoints, referee: refereePoints };
        }
      }
    }
    if (quote.campaignUsage.length > 0) {
      followUps.push({ opId: `${opId}/campaign`, customerId: account.customerId, at, action: { type: 'campaign', programId: loaded.id, deltas: quote.campaignUsage.map((c) => ({ ruleId: c.ruleId, points: c.points })) } });
    }
    const tierBefore = tierOf(program, quote.tierBefore)?.id ?? null;
    const tierAfter = tierOf(program, quote.tierAfter)?.id ?? null;
    const answer: Omit<OrderAnswer, 'replayed'> = {
      orderId: order.id,
      awarded,
      availableAt: life.availableAt,
      tierBefore,
      tierAfter,
      ...(referralAnswer ? { referral: referralAnswer } : {}),
      trace: quote.trace ?? null,
    };
    const orderDoc: OrderDoc = {
      orderId: order.id,
      customerId: account.customerId,
      opId,
      placedAt: order.placedAt,
      order,
      programId: loaded.id,
      programVersion: loaded.version,
      snapshot: quote.snapshot ?? {},
      awarded,
      ...(awarded > 0 ? { lotId } : {}),
      availableAt: life.availableAt,
      tierSpend: quote.tierSpend ?? '0',
      ...(referral ? { referral } : {}),
      returns: [],
    };
    return {
      commit: {
        entries,
        update: (doc) => ({
          ...doc,
          orders: pruneOrders([...doc.orders, { id: order.id, placedAt: order.placedAt, tierSpend: quote.tierSpend ?? '0', points: awarded }], program, doc.points.clock),
          usage: addUsage(doc.usage, quote.usage, at),
          firstOrderId: doc.firstOrderId ?? order.id,
          ...(doc.referral && referral ? { referral: { ...doc.referral, status: 'qualified' as const, orderId: order.id } } : {}),
        }),
        answer,
        order: orderDoc,
        followUps,
      },
    };
  }

  /**
   * Records a return of some of an order's lines and claws back what they earned, computed with the order's own
   * program version, tier and counters. However a return is split, the clawbacks add up to what was awarded.
   */
  async returnOrder(tenantId: string, orderId: string, request: ReturnRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<ReturnAnswer> {
    const input = asRecord(request, 'return');
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(orderId, '/orderId', 'order id');
    const returnId = checkId(input.id, '/id', 'return id');
    const lines = checkReturnLines(input.lines);
    const at = this.at(options);
    const opId = `return:${returnId}`;
    const requestHash = hashRequest({ orderId, lines });
    await this.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
    const order = await this.findOrder(tenantId, orderId);
    const already = order.doc.returns.find((r) => r.returnId === returnId);
    if (!already) checkReturnable(order.doc, lines);
    // The return is decided with the order's program version; balance reads answer the tier of the current one.
    const current = await this.programs.load(tenantId);
    const result = await runOperation(this.protocol, tenantId, {
      opId,
      kind: 'return',
      customerId: order.doc.customerId,
      requestHash,
      at,
      createAccount: true,
      tierSummary: tierSummarizer(current),
      decide: async (account) => {
        const decision = await this.decideReturn(tenantId, orderId, returnId, opId, lines, requestHash, at);
        return this.applyReturn(account, order.doc, decision, opId, at);
      },
    });
    return { ...(result.answer as Omit<ReturnAnswer, 'replayed'>), replayed: result.replayed };
  }

  /** Decides a return once, on the order document (the point of truth for what was returned). */
  private async decideReturn(tenantId: string, orderId: string, returnId: string, opId: string, lines: ReturnDecision['lines'], requestHash: string, at: string): Promise<ReturnDecision> {
    for (;;) {
      const order = await this.store.get<OrderDoc>('orders', tenantId, orderId);
      if (!order) throw new NotFound('order', orderId);
      const existing = order.doc.returns.find((r) => r.returnId === returnId);
      if (existing) {
        if (existing.requestHash !== requestHash) throw new IdempotencyMismatch(opId);
        return existing;
      }
      checkReturnable(order.doc, lines);
      const loaded = await this.programs.load(tenantId, order.doc.programVersion);
      const returnedBefore = order.doc.returns.flatMap((r) => r.lines);
      const awardedSoFar = order.doc.awarded - order.doc.returns.reduce((sum, r) => sum + r.clawedBack, 0);
      const answer = evaluateReturn(
        loaded.compiled,
        { order: order.doc.order as OrderInput, snapshot: order.doc.snapshot as OrderSnapshot, returnedBefore, lines, awardedSoFar, customer: { id: order.doc.customerId } },
        { at },
      );
      const clawedBack = answer.clawback;
      const decision: ReturnDecision = {
        returnId,
        opId,
        at,
        lines,
        clawedBack,
        tierSpendDelta: subtractDecimal(answer.tierSpendAfter, order.doc.tierSpend, order.doc.returns),
        usage: answer.usage.map((u) => ({ key: u.key, count: u.count })),
        campaignUsage: answer.campaignUsage.map((c) => ({ ruleId: c.ruleId, points: c.points })),
        ruleIds: [],
        reverseReferral: order.doc.referral !== undefined && answer.reverseReferral,
        requestHash,
      };
      const next: OrderDoc = { ...order.doc, returns: [...order.doc.returns, decision] };
      if (await this.store.replace<OrderDoc>('orders', tenantId, orderId, order.version, next)) return decision;
    }
  }

  private applyReturn(account: AccountDoc, order: OrderDoc, decision: ReturnDecision, opId: string, at: string): Decision {
    const plan = planDebits(account.points, decision.clawedBack, at, { firstLotIds: order.lotId ? [order.lotId] : [], allowDebt: true });
    const entries: EntryDraft[] = [
      {
        type: 'return',
        points: -decision.clawedBack,
        at,
        programId: order.programId,
        programVersion: order.programVersion,
        ruleIds: decision.ruleIds,
        orderId: order.orderId,
        returnId: decision.returnId,
        lines: decision.lines,
        debits: plan.debits,
        debt: plan.debt,
      },
    ];
    const followUps: Unflushed['followUps'] = [];
    if ((decision.campaignUsage ?? []).length > 0) {
      followUps.push({ opId: `${opId}/campaign`, customerId: account.customerId, at, action: { type: 'campaign', programId: order.programId, deltas: decision.campaignUsage } });
    }
    const referral = order.referral;
    if (decision.reverseReferral && referral) {
      if (referral.referee > 0) {
        let points = account.points;
        points = applyEntry(points, { ...entries[0], id: 'preview', customerId: account.customerId, seq: '', opId } as Entry);
        const refereePlan = planDebits(points, referral.referee, at, { firstLotIds: [referral.refereeLotId], allowDebt: true });
        entries.push({
          type: 'referral',
          points: -referral.referee,
          at,
          programId: order.programId,
          programVersion: order.programVersion,
          ruleIds: ['referral'],
          orderId: order.orderId,
          returnId: decision.returnId,
          reason: 'referral-reversed',
          debits: refereePlan.debits,
          debt: refereePlan.debt,
        });
      }
      if (referral.referrer > 0) {
        followUps.push({
          opId: `${opId}/referrer`,
          customerId: referral.referrerId,
          at,
          action: { type: 'reverse-lot', lotId: referral.referrerLotId, amount: referral.referrer, entryType: 'referral', orderId: order.orderId, reason: 'referral-reversed' },
        });
      }
    }
    let after = account.points;
    entries.forEach((draft, i) => {
      after = applyEntry(after, { ...draft, id: `${opId}#${i}`, customerId: account.customerId, seq: '', opId });
    });
    const answer: Omit<ReturnAnswer, 'replayed'> = { returnId: decision.returnId, orderId: order.orderId, clawedBack: decision.clawedBack, balance: viewPoints(after, at).balance };
    return {
      commit: {
        entries,
        update: (doc) => ({
          ...doc,
          orders: doc.orders.map((o) =>
            o.id === order.orderId ? { ...o, tierSpend: addDecimalFloor0(o.tierSpend, decision.tierSpendDelta), points: o.points - decision.clawedBack } : o,
          ),
          usage: addUsage(doc.usage, decision.usage, at),
          ...(decision.reverseReferral && doc.referral ? { referral: { ...doc.referral, status: 'reversed' as const } } : {}),
        }),
        answer,
        followUps,
      },
    };
  }

  // ---- events, redemptions, adjustments ---------------------------------------------------------------------

  /** Records a custom event and awards its points within its limits (zero, with the reason, over a limit). */
  async recordEvent(tenantId: string, input: unknown, options: WriteOptions = {}): Promise<EventAnswer> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const event = checkInput<EventInput>(EventInputSchema, input, '', 'event');
    checkId(event.id, '/id', 'event id');
    const customerId = checkId(event.customerId, '/customerId', 'event customerId');
    const at = this.at(options);
    const opId = `event:${event.id}`;
    const requestHash = hashRequest(event);
    await this.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
    const loaded = await this.programs.load(tenantId);
    const result = await runOperation(this.protocol, tenantId, {
      opId,
      kind: 'event',
      customerId,
      requestHash,
      at,
      createAccount: true,
      tierSummary: tierSummarizer(loaded),
      decide: (account) => {
        const answer = evaluateEvent(loaded.compiled, { customer: customerOf(account), event: { ...event, occurredAt: event.occurredAt ?? at }, history: historyOf(account, at) }, { at });
        const awarded = answer.points;
        const reason = answer.reason;
        const life = lifeOf(loaded.compiled, 'event', at);
        const ruleIds = [...answer.ruleIds];
        return {
          commit: {
            entries: [
              {
                type: 'event',
                points: awarded,
                at,
                programId: loaded.id,
                programVersion: loaded.version,
                ruleIds,
                eventId: event.id,
                ...(reason ? { reason } : {}),
                ...(awarded > 0 ? { lot: { id: `${opId}#0`, source: 'event' as const, amount: awarded, ...life } } : {}),
                debits: [],
                debt: 0,
              },
            ],
            update: (doc) => ({ ...doc, usage: addUsage(doc.usage, answer.usage, at) }),
            answer: { eventId: event.id, awarded, ...(reason ? { reason } : {}) },
          },
        };
      },
    });
    return { ...(result.answer as Omit<EventAnswer, 'replayed'>), replayed: result.replayed };
  }

  /**
   * Redeems points for a discount on an order, from available lots soonest-expiring first. A refusal throws
   * `RedemptionRefused` with every reason (and is the first answer: a replay refuses again).
   */
  async redeem(tenantId: string, request: RedemptionRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<RedemptionAnswer> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const input = asRecord(request, 'redemption');
    const redemptionId = checkId(input.id, '/id', 'redemption id');
    const customerId = checkId(input.customerId, '/customerId', 'redemption customerId');
    const orderId = checkId(input.orderId, '/orderId', 'redemption orderId');
    const points = checkInteger(input.points, '/points', 'points');
    const at = this.at(options);
    const opId = `redemption:${redemptionId}`;
    const orderTotal = checkDecimal(input.orderTotal, '/orderTotal', 'orderTotal');
    const requestHash = hashRequest({ customerId, orderId, orderTotal, points });
    await this.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
    const loaded = await this.programs.load(tenantId);
    await this.account(tenantId, customerId);
    const result = await runOperation(this.protocol, tenantId, {
      opId,
      kind: 'redemption',
      customerId,
      requestHash,
      at,
      createAccount: false,
      tierSummary: tierSummarizer(loaded),
      decide: (account) => {
        const view = viewPoints(account.points, at);
        const decision = evaluateRedemption(loaded.compiled, { points, orderTotal, available: view.available, balance: view.balance }, { at });
        if (!decision.accepted) {
          return { answer: { redemptionId, orderId, refused: true, reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) }, refused: true };
        }
        const plan = planDebits(account.points, decision.points, at, { allowDebt: false });
        return {
          commit: {
            entries: [{ type: 'redeem', points: -decision.points, at, programId: loaded.id, programVersion: loaded.version, ruleIds: [], orderId, redemptionId, debits: plan.debits, debt: 0 }],
            answer: { redemptionId, orderId, redeemed: decision.points, discount: decision.discount },
          },
        };
      },
    });
    if (result.refused) {
      const refusal = result.answer as { reasons: RefusalReason[] };
      throw new RedemptionRefused(redemptionId, refusal.reasons, result.replayed);
    }
    return { ...(result.answer as Omit<RedemptionAnswer, 'replayed'>), replayed: result.replayed };
  }

  /** A goodwill or correction adjustment, with a reason code and who made it. Negative adjustments may leave debt. */
  async adjust(tenantId: string, request: AdjustmentRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<AdjustmentAnswer> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const input = asRecord(request, 'adjustment');
    const adjustmentId = checkId(input.id, '/id', 'adjustment id');
    const customerId = checkId(input.customerId, '/customerId', 'adjustment customerId');
    const points = checkInteger(input.points, '/points', 'points');
    if (points === 0) throw new InputError([{ pointer: '/points', code: 'zero-adjustment', message: 'an adjustment must add or remove at least 1 point' }]);
    const reason = checkId(input.reason, '/reason', 'adjustment reason');
    const actor = checkId(input.actor, '/actor', 'adjustment actor');
    const at = this.at(options);
    const opId = `adjustment:${adjustmentId}`;
    const requestHash = hashRequest({ customerId, points, reason, actor });
    await this.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
    const loaded = await this.programs.load(tenantId);
    await this.account(tenantId, customerId);
    const result = await runOperation(this.protocol, tenantId, {
      opId,
      kind: 'adjustment',
      customerId,
      requestHash,
      at,
      createAccount: false,
      tierSummary: tierSummarizer(loaded),
      decide: (account) => {
        const base = { type: 'adjustment' as const, points, at, programId: loaded.id, programVersion: loaded.version, ruleIds: [], reason, actor };
        const draft: EntryDraft =
          points > 0
            ? { ...base, lot: { id: `${opId}#0`, source: 'adjustment', amount: points, ...lifeOf(loaded.compiled, 'adjustment', at) }, debits: [], debt: 0 }
            : { ...base, ...planDebits(account.points, -points, at, { allowDebt: true }) };
        const after = applyEntry(account.points, { ...draft, id: `${opId}#0`, customerId, seq: '', opId });
        return { commit: { entries: [draft], answer: { adjustmentId, points, balance: viewPoints(after, at).balance } } };
      },
    });
    return { ...(result.answer as Omit<AdjustmentAnswer, 'replayed'>), replayed: result.replayed };
  }

  // ---- sweeps -----------------------------------------------------------------------------------------------

  /** Grants birthday rewards due at `at`. Any number of workers may run it at once: each year is granted once. */
  async runBirthdaySweep(tenantId: string, options: ReadOptions = {}): Promise<{ granted: number; skipped: number }> {
    const at = this.at(options);
    const loaded = await this.programs.load(tenantId);
    let granted = 0;
    let skipped = 0;
    for await (const account of this.accounts(tenantId)) {
      if (!account.profile?.birthDate) {
        skipped++;
        continue;
      }
      const tier = tierAt(loaded.compiled, account, at)?.id;
      const decision = evaluateBirthday(loaded.compiled, customerOf(account), { at, alreadyGranted: [], ...(tier ? { tier } : {}) });
      if (!decision.due || decision.year === undefined) {
        skipped++;
        continue;
      }
      const opId = `birthday:${account.customerId}:${decision.year}`;
      const result = await runOperation(this.protocol, tenantId, {
        opId,
        kind: 'birthday',
        customerId: account.customerId,
        requestHash: hashRequest({ customerId: account.customerId, year: decision.year }),
        at,
        createAccount: false,
        tierSummary: tierSummarizer(loaded),
        decide: () => ({
          commit: {
            entries: [
              {
                type: 'birthday',
                points: decision.points,
                at,
                programId: loaded.id,
                programVersion: loaded.version,
                ruleIds: ['birthday'],
                reason: decision.key ?? `birthday:${decision.year}`,
                lot: { id: `${opId}#0`, source: 'birthday', amount: decision.points, ...lifeOf(loaded.compiled, 'birthday', at) },
                debits: [],
                debt: 0,
              },
            ],
            answer: { customerId: account.customerId, year: decision.year, points: decision.points },
          },
        }),
      });
      if (result.replayed) skipped++;
      else granted++;
    }
    return { granted, skipped };
  }

  /**
   * Records expire transactions for every lot expired by `at`. Safe to run by any number of workers at once: each
   * expired point is recorded (and counted in the answers) once.
   */
  async runExpirySweep(tenantId: string, options: ReadOptions = {}): Promise<{ customers: number; expired: number }> {
    const at = this.at(options);
    // The program only refreshes the tier the accounts' read summaries answer; lots expire without one.
    const loaded = await this.programs.load(tenantId).catch((error: unknown) => {
      if (error instanceof NotFound) return undefined;
      throw error;
    });
    let customers = 0;
    let expired = 0;
    for await (const account of this.accounts(tenantId)) {
      if (!hasExpiredLots(account, at)) continue;
      const result = await this.expireAccount(tenantId, account.customerId, at, loaded);
      // A replay is another worker's expiry of the same lots: counted by that worker.
      if (!result.replayed && result.points > 0) {
        customers++;
        expired += result.points;
      }
    }
    return { customers, expired };
  }

  private async expireAccount(tenantId: string, customerId: string, at: string, loaded: LoadedProgram | undefined): Promise<{ points: number; replayed: boolean }> {
    const opId = `expire:${customerId}:${at}`;
    const result: OperationResult = await runOperation(this.protocol, tenantId, {
      opId,
      kind: 'expire',
      customerId,
      requestHash: hashRequest({ customerId, at }),
      at,
      createAccount: false,
      ...(loaded ? { tierSummary: tierSummarizer(loaded) } : {}),
      // The lots due are read from this version of the account: a lot expired by another worker is gone already.
      decide: (account) => {
        const due = account.points.lots.filter((lot) => lot.expiresAt <= at && lot.remaining > 0);
        const entries: EntryDraft[] = due.map((lot) => ({
          type: 'expire',
          points: -lot.remaining,
          at,
          ruleIds: [],
          reason: 'expired',
          expiredLotId: lot.id,
          ...(lot.orderId ? { orderId: lot.orderId } : {}),
          debits: [{ lotId: lot.id, points: lot.remaining }],
          debt: 0,
        }));
        return { commit: { entries, answer: { points: due.reduce((sum, lot) => sum + lot.remaining, 0) } } };
      },
    });
    return { points: (result.answer as { points: number }).points, replayed: result.replayed };
  }

  /**
   * Tier review: records the tier each customer holds at `at` (and since when), once per customer and calendar
   * month in the program's zone, and reports the changes since the last review. Safe to run by any number of
   * workers at once: each customer's review of a month is one operation.
   */
  async runTierReview(tenantId: string, options: ReadOptions = {}): Promise<{ reviewed: number; changed: Array<{ customerId: string; from: string | null; to: string | null }> }> {
    const at = this.at(options);
    const loaded = await this.programs.load(tenantId);
    const period = DateTime.fromISO(at, { zone: loaded.program.timezone }).toFormat('yyyy-MM');
    let reviewed = 0;
    const changed: Array<{ customerId: string; from: string | null; to: string | null }> = [];
    for await (const account of this.accounts(tenantId)) {
      const result = await runOperation(this.protocol, tenantId, {
        opId: `tier-review:${account.customerId}:${period}`,
        kind: 'tier-review',
        customerId: account.customerId,
        requestHash: hashRequest({ customerId: account.customerId, period }),
        at,
        createAccount: false,
        tierSummary: tierSummarizer(loaded),
        decide: (current) => {
          const to = tierAt(loaded.compiled, current, at)?.id ?? null;
          const from = current.tier?.id ?? null;
          const since = from === to && current.tier ? current.tier.since : at;
          return {
            commit: {
              entries: [],
              update: (doc) => ({ ...doc, tier: { id: to, period, reviewedAt: at, since } }),
              answer: { customerId: current.customerId, from, to },
            },
          };
        },
      });
      if (result.replayed) continue;
      reviewed++;
      const answer = result.answer as { customerId: string; from: string | null; to: string | null };
      if (answer.from !== answer.to) changed.push(answer);
    }
    return { reviewed, changed };
  }

  // ---- checks -----------------------------------------------------------------------------------------------

  /** Recomputes every account from its entries and reports each difference from the materialized balances. */
  async reconcile(tenantId: string): Promise<{ checked: number; differences: ReconcileDifference[] }> {
    let checked = 0;
    const differences: ReconcileDifference[] = [];
    for await (const account of this.accounts(tenantId)) {
      for (const item of account.unflushed) await flush(this.protocol, tenantId, account.customerId, item);
      const entries: Entry[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await this.store.list<Entry>('entries', tenantId, { prefix: entryPrefix(account.customerId), limit: 500, ...(after ? { after } : {}) });
        entries.push(...page.map((r) => r.doc));
        if (page.length < 500) break;
        after = page[page.length - 1]?.key;
      }
      checked++;
      differences.push(...reconcileAccount(account, entries));
    }
    return { checked, differences };
  }

  /** Extended-warranty plans for a product, with the tier of `customerId` or the given `customerTier`. */
  async checkWarranty(tenantId: string, request: WarrantyRequest | Record<string, unknown>, options: ReadOptions = {}): Promise<WarrantyEligibility> {
    const input = asRecord(request, 'warranty check') as { customerId?: unknown; customerTier?: unknown; product?: unknown };
    const at = this.at(options);
    const loaded = await this.programs.load(tenantId);
    let tier = input.customerTier === undefined ? undefined : checkId(input.customerTier, '/customerTier', 'customerTier');
    if (input.customerId !== undefined) {
      const account = await this.account(tenantId, checkId(input.customerId, '/customerId', 'customerId'));
      tier = tierAt(loaded.compiled, account, at)?.id;
    }
    return checkWarrantyEligibility(loaded.compiled, { product: input.product as never, ...(tier ? { tier } : {}) }, { at });
  }

  /** Closes the store. */
  close(): Promise<void> {
    return this.store.close();
  }

  // ---- internals --------------------------------------------------------------------------------------------

  private at(options: ReadOptions): string {
    return utcInstant(options.at ?? this.now(), '/at');
  }

  private async account(tenantId: string, customerId: string): Promise<AccountDoc> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(customerId, '/customerId', 'customer id');
    const found = await getAccount(this.store, tenantId, customerId);
    if (!found) throw new NotFound('customer', customerId);
    return found.doc;
  }

  private async *accounts(tenantId: string): AsyncGenerator<AccountDoc> {
    let after: string | undefined;
    for (;;) {
      const page = await listAccounts(this.store, tenantId, { limit: PAGE, ...(after ? { after } : {}) });
      for (const record of page) yield record.doc;
      if (page.length < PAGE) return;
      after = page[page.length - 1]?.key;
    }
  }

  /** The points state after every commit made at or before `at`: a replay of the ledger's prefix. */
  private async pointsAsOf(tenantId: string, account: AccountDoc, at: string): Promise<PointsState> {
    const stored = new Map<string, Entry>();
    for (const item of account.unflushed) for (const entry of item.entries) stored.set(entry.seq, entry);
    let after: string | undefined;
    for (;;) {
      const page = await this.store.list<Entry>('entries', tenantId, { prefix: entryPrefix(account.customerId), limit: 500, ...(after ? { after } : {}) });
      for (const record of page) stored.set(record.key, record.doc);
      if (page.length < 500) break;
      after = page[page.length - 1]?.key;
    }
    let state = emptyPointsState();
    for (const entry of [...stored.values()].sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0))) {
      // A prefix of the commits, so every debit finds the lot it takes from.
      if (entry.at > at) break;
      state = applyEntry(state, entry);
    }
    return state;
  }

  /** The order document; completes the order's operation first when a crash left it committed but unflushed. */
  private async findOrder(tenantId: string, orderId: string): Promise<{ version: number; doc: OrderDoc }> {
    const found = await this.store.get<OrderDoc>('orders', tenantId, orderId);
    if (found) return found;
    const op = await this.store.get<OperationDoc>('operations', tenantId, `order:${orderId}`);
    if (op) {
      const account = await getAccount(this.store, tenantId, op.doc.customerId);
      for (const item of account?.doc.unflushed ?? []) await flush(this.protocol, tenantId, op.doc.customerId, item);
      const again = await this.store.get<OrderDoc>('orders', tenantId, orderId);
      if (again) return again;
    }
    throw new NotFound('order', orderId);
  }

  /** Binds an `Idempotency-Key` to one operation and request; a key reused for anything else is a mismatch. */
  private async claimIdempotencyKey(tenantId: string, key: string | undefined, opId: string, requestHash: string): Promise<void> {
    if (key === undefined) return;
    checkId(key, '/idempotencyKey', 'Idempotency-Key');
    const claim = await this.store.insert<{ opId: string; requestHash: string }>('operations', tenantId, `key:${key}`, { opId, requestHash });
    if (claim.record.doc.opId !== opId || claim.record.doc.requestHash !== requestHash) throw new IdempotencyMismatch(`Idempotency-Key ${key}`);
  }
}

function pointsOf(view: PointsView): CustomerView['points'] {
  return { available: view.available, pending: view.pending, expired: view.expired, redeemed: view.redeemed, balance: view.balance };
}

/** A referral code in the rules' canonical form ("ayu-2026" and "AYU 2026" are one code), or undefined if unusable. */
function codeKey(code: string): string | undefined {
  try {
    return normalizeReferralCode(code);
  } catch {
    return undefined;
  }
}

function lifeOf(compiled: Compiled, source: 'order' | 'referral' | 'event' | 'birthday' | 'adjustment', at: string): { availableAt: string; expiresAt: string } {
  const life = pointsLife(compiled, source, at);
  // A program without expiry: the lot never expires (a far instant keeps every comparison a string comparison).
  return { availableAt: utcOf(life.availableAt, '/availableAt'), expiresAt: life.expiresAt === null ? NEVER : utcOf(life.expiresAt, '/expiresAt') };
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError([{ pointer: '', code: 'invalid-input', message: `a ${what} must be a JSON object` }]);
  }
  return value as Record<string, unknown>;
}

function checkDecimal(value: unknown, pointer: string, what: string): string {
  if (!isDecimalString(value)) throw new InputError([{ pointer, code: 'invalid-decimal', message: `${what} must be a decimal string like "2000000", got ${JSON.stringify(value)}` }]);
  return value;
}

function checkReturnLines(lines: unknown): ReturnDecision['lines'] {
  if (!Array.isArray(lines) || lines.length === 0) {
    throw new InputError([{ pointer: '/lines', code: 'invalid-lines', message: 'a return needs a list of 1 or more lines { sku, quantity }' }]);
  }
  return lines.map((line: unknown, i) => {
    const l = line as { sku?: unknown; quantity?: unknown };
    const sku = checkId(l?.sku, `/lines/${i}/sku`, `lines[${i}].sku`);
    const quantity = checkInteger(l?.quantity, `/lines/${i}/quantity`, `lines[${i}].quantity`);
    if (quantity < 1) throw new InputError([{ pointer: `/lines/${i}/quantity`, code: 'invalid-quantity', message: `lines[${i}].quantity must be 1 or more` }]);
    return { sku, quantity };
  });
}

function quantities(lines: ReadonlyArray<{ sku: string; quantity: number }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of lines) out.set(line.sku, (out.get(line.sku) ?? 0) + line.quantity);
  return out;
}

/** Throws an InputError when a return asks for more of a sku than the order has left. */
function checkReturnable(order: OrderDoc, lines: ReturnDecision['lines']): void {
  const bought = quantities((order.order as OrderInput).lines);
  const returned = quantities(order.returns.flatMap((r) => r.lines));
  const asked = quantities(lines);
  const problems = [...asked.entries()]
    .filter(([sku, n]) => n > (bought.get(sku) ?? 0) - (returned.get(sku) ?? 0))
    .map(([sku, n]) => ({
      pointer: `/lines/${lines.findIndex((l) => l.sku === sku)}`,
      code: 'return-exceeds-order',
      message: `order ${order.orderId} has ${(bought.get(sku) ?? 0) - (returned.get(sku) ?? 0)} of sku ${sku} left to return, ${n} asked`,
    }));
  if (problems.length > 0) throw new InputError(problems);
}

/** The change that brings the order's tier spend (as recorded, less earlier returns) to `after`. */
function subtractDecimal(after: string, recorded: string, earlier: readonly ReturnDecision[]): string {
  const current = earlier.reduce((sum, r) => sum.plus(r.tierSpendDelta), new Decimal(recorded));
  return new Decimal(after).minus(current).toString();
}

/** `value + delta`, never below zero (money as decimal strings). */
function addDecimalFloor0(value: string, delta: string): string {
  const sum = new Decimal(value).plus(delta);
  return (sum.isNegative() ? new Decimal(0) : sum).toString();
}

/** Whether the account has lots with points left that expired by `at` (what an expire operation records). */
function hasExpiredLots(account: AccountDoc, at: string): boolean {
  return account.points.lots.some((lot) => lot.expiresAt <= at && lot.remaining > 0);
}
