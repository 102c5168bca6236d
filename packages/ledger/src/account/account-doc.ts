/**
 * The documents the ledger stores. The account document is the single point of truth for a customer's balance:
 * every change to it is one compare-and-set on its version (docs/ledger.md). Its points, counters, tier-window
 * orders, tier record and referral are the rules' `AccountState`, changed only by `applyActions`; the ledger adds
 * the profile and its write-protocol bookkeeping.
 */
import { emptyAccountState, type AccountState, type EffectAction, type RecordedCancellation, type RecordedDelivery, type RecordedOrder, type RecordedRedemption, type RecordedReturn } from '@purna/rules';
import type { Entry } from './entry.js';
import type { MomentDoc } from '../moments/moment-store.js';
import type { AccountSummary } from './stored-account.js';
import type { CollectionName } from '../store/store.js';

export type { UsageCounter, ReferralState } from '@purna/rules';

/** A customer's profile as the ledger keeps it. */
export interface CustomerProfile {
  id: string;
  enrolledAt?: string;
  birthDate?: string;
  timezone?: string;
  referralCode?: string;
  referredBy?: { code: string };
  emailHash?: string;
  phoneHash?: string;
  tags?: string[];
  attributes?: Record<string, string | number | boolean>;
}

/**
 * Follow-up actions as earlier versions stored them in `unflushed` (read, and run as the effect they mean, by
 * `followUpEffect`).
 */
export type LegacyFollowUpAction =
  | { type: 'grant'; entryType: 'referral'; points: number; availableAt: string; expiresAt: string; programId: string; programVersion: number; ruleIds: string[]; orderId: string; refereeId: string; usage: Array<{ key: string; count: number }>; reason: string }
  | { type: 'reverse-lot'; lotId: string; amount: number; entryType: 'referral' | 'return'; orderId: string; reason: string };

/** Work another account or the program's counters must do once an operation is committed (an effect of its actions). */
export interface FollowUp {
  opId: string;
  customerId: string;
  /** When the parent operation happened (UTC ISO). */
  at: string;
  action: EffectAction | LegacyFollowUpAction;
}

/**
 * A document an operation writes beside the account once it is committed (a warranty contract and its owner row):
 * `insert` creates it unless it exists; `replace` moves it from `expectedVersion` on, and counts as done when the
 * document is past that version (only operations serialized on this account move it, so nobody else could have).
 */
export type CommittedDocument =
  | { write: 'insert'; collection: CollectionName; key: string; doc: object }
  | { write: 'replace'; collection: CollectionName; key: string; expectedVersion: number; doc: object };

/** An operation committed on the account whose entries may not be written yet (a crash can stop us anywhere). */
export interface Unflushed {
  opId: string;
  entries: Entry[];
  /** An order document to create with the operation (recordOrder). */
  order?: OrderDoc;
  /** Other documents the operation writes, in this order. */
  documents?: CommittedDocument[];
  followUps: FollowUp[];
  /** The moments the operation caused (moment-store.ts), numbered after the account's `momentCount`. */
  moments?: MomentDoc[];
  answer: object;
  /** The answer is a refusal. */
  refused?: boolean;
}

/** One customer's account. */
export interface AccountDoc extends AccountState {
  customerId: string;
  /** Undefined for a customer known only from orders or events. */
  profile?: CustomerProfile;
  /** Incremented by each commit that writes entries; orders the customer's entries. */
  commits: number;
  /** How many moments the account has committed (absent: none yet). */
  momentCount?: number;
  /** The next instant a moments run finds something due on the account (moments-due.ts), absent: none. */
  dueAt?: string;
  /** The program version `dueAt` was computed with. */
  dueProgram?: number;
  /**
   * Set when the customer was erased (erasure.ts): first on the account under its old id while the erasure runs,
   * then on the pseudonymous account it leaves. Such an account is no customer's: reads answer 404, writes are
   * refused, and sweeps and moments runs pass it by; its points stay in the tenant's totals.
   */
  erasedAt?: string;
  unflushed: Unflushed[];
  /** What balance reads answer from, as the latest write stored it (every write computes it again). */
  summary?: AccountSummary;
}

/** A fresh account. */
export function emptyAccount(customerId: string): AccountDoc {
  return { customerId, ...emptyAccountState(), commits: 0, unflushed: [] };
}

/** An operation record: claims a natural id, then holds the first answer. */
export interface OperationDoc {
  opId: string;
  kind: string;
  customerId: string;
  requestHash: string;
  /** `committing`: reserved by a writer other than the claimer, so only the account may decide it now. */
  status: 'pending' | 'committing' | 'done';
  /** The first answer, once done. */
  answer?: object;
  /** The answer was a refusal (replays refuse again). */
  refused?: boolean;
}

/** One return of an order, decided once (on the order document) and then applied to the account. */
export interface ReturnDecision extends RecordedReturn {
  opId: string;
  requestHash: string;
}

/** One delivery of an order, decided once (on the order document) and then applied to the account. */
export interface OrderDelivery extends RecordedDelivery {
  opId: string;
  requestHash: string;
}

/** An order's cancellation, decided once (on the order document) and then applied to the account. */
export interface OrderCancellation extends RecordedCancellation {
  opId: string;
  requestHash: string;
}

/** An order as recorded, with what a return, a delivery and a cancellation need. */
export interface OrderDoc extends RecordedOrder {
  opId: string;
  referral?: RecordedOrder['referral'] & { referrerOpId: string };
  returns: ReturnDecision[];
  /** Its deliveries in the order they were recorded (orders recorded before deliveries were kept have none stored). */
  deliveries: OrderDelivery[];
  cancellation?: OrderCancellation;
}

/**
 * A redemption as made (the `redemptions` collection, keyed by `redemptionKey`): what it took from which lot, so a
 * cancellation puts the points back; `cancellation` once it was cancelled (by itself or by its order's).
 */
export interface RedemptionDoc extends RecordedRedemption {
  customerId: string;
  opId: string;
  cancellation?: {
    opId: string;
    at: string;
    reason: string;
    restored: number;
    expired: number;
    /** The order cancellation that released it. */
    cancellationId?: string;
  };
}

/** Program-wide points granted per rule, for campaign budgets (one document per program). */
export interface CampaignDoc {
  programId: string;
  counts: Array<{ ruleId: string; points: number }>;
  /** Operations already counted, oldest first; an entry leaves only once its operation is done. */
  applied: string[];
}
