/**
 * The documents the ledger stores. The account document is the single point of truth for a customer's balance:
 * every change to it is one compare-and-set on its version (docs/ledger.md).
 */
import type { HistoryOrder } from '@purna/rules';
import type { Entry } from './entry.js';
import type { AccountSummary } from './stored-account.js';
import { emptyPointsState, type PointsState } from './points-state.js';

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

/** A customer's referral, decided at enrolment. */
export interface ReferralState {
  code: string;
  referrerId?: string;
  status: 'pending' | 'rejected' | 'qualified' | 'reversed';
  reason?: string;
  /** The order that qualified it. */
  orderId?: string;
}

/** A cap or limit counter (docs/architecture.md "The history summary"). */
export interface UsageCounter {
  key: string;
  count: number;
  /** Last change, so that counters of long-gone periods can be dropped. */
  at: string;
}

/** Work another account must do once an operation is committed (a referral reward for the referrer...). */
export interface FollowUp {
  opId: string;
  customerId: string;
  /** When the parent operation happened (UTC ISO). */
  at: string;
  action:
    | { type: 'grant'; entryType: 'referral'; points: number; availableAt: string; expiresAt: string; programId: string; programVersion: number; ruleIds: string[]; orderId: string; refereeId: string; usage: Array<{ key: string; count: number }>; reason: string }
    | { type: 'reverse-lot'; lotId: string; amount: number; entryType: 'referral' | 'return'; orderId: string; reason: string }
    | { type: 'campaign'; programId: string; deltas: Array<{ ruleId: string; points: number }> };
}

/** An operation committed on the account whose entries may not be written yet (a crash can stop us anywhere). */
export interface Unflushed {
  opId: string;
  entries: Entry[];
  /** An order document to create with the operation (recordOrder). */
  order?: OrderDoc;
  followUps: FollowUp[];
  answer: object;
  /** The answer is a refusal. */
  refused?: boolean;
}

/** One customer's account. */
export interface AccountDoc {
  customerId: string;
  /** Undefined for a customer known only from orders or events. */
  profile?: CustomerProfile;
  points: PointsState;
  /** Orders inside the tier window (+ grace), net of returns. */
  orders: HistoryOrder[];
  usage: UsageCounter[];
  referral?: ReferralState;
  /** The customer's first order id (referral qualification needs "is this the first order"). */
  firstOrderId?: string;
  /** Incremented by each commit that writes entries; orders the customer's entries. */
  commits: number;
  unflushed: Unflushed[];
  /** The tier recorded by the latest tier review (reads compute the tier from the history; this is the record). */
  tier?: { id: string | null; period: string; reviewedAt: string; since: string };
  /** Ids of recent referees that qualified, for the referrer's limit. */
  referrals: Array<{ refereeId: string; at: string }>;
  /** What balance reads answer from, as the latest write stored it (every write computes it again). */
  summary?: AccountSummary;
}

/** A fresh account. */
export function emptyAccount(customerId: string): AccountDoc {
  return { customerId, points: emptyPointsState(), orders: [], usage: [], commits: 0, unflushed: [], referrals: [] };
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
export interface ReturnDecision {
  returnId: string;
  opId: string;
  at: string;
  lines: Array<{ sku: string; quantity: number }>;
  clawedBack: number;
  /** Change of the order's tier spend (negative or zero). */
  tierSpendDelta: string;
  usage: Array<{ key: string; count: number }>;
  /** Campaign budget given back (negative points per rule). */
  campaignUsage: Array<{ ruleId: string; points: number }>;
  ruleIds: string[];
  /** The order is now returned in full before its points became available: its referral is reversed. */
  reverseReferral: boolean;
  requestHash: string;
}

/** An order as recorded, with what a return needs. */
export interface OrderDoc {
  orderId: string;
  customerId: string;
  opId: string;
  placedAt: string;
  order: object;
  programId: string;
  programVersion: number;
  /** The rules' snapshot (docs/architecture.md "What a return needs"). */
  snapshot: object;
  awarded: number;
  /** The lot the order's points went to, when it earned any. */
  lotId?: string;
  availableAt: string;
  tierSpend: string;
  referral?: { referrerId: string; referrerOpId: string; referrerLotId: string; refereeLotId: string; referrer: number; referee: number };
  returns: ReturnDecision[];
}

/** Program-wide points granted per rule, for campaign budgets (one document per program). */
export interface CampaignDoc {
  programId: string;
  counts: Array<{ ruleId: string; points: number }>;
  /** Operations already counted, oldest first; an entry leaves only once its operation is done. */
  applied: string[];
}
