/**
 * A customer's account as the decision core sees it: points (lots and debt), the orders the tier window can still
 * see, cap and limit counters, the tier last recorded, the referral, and the yearly rewards granted. The ledger
 * stores it (with its own bookkeeping around it); the simulation keeps it in memory. Both change it only through
 * `applyActions`, so a rule of the points semantics exists once.
 */
import type { CustomerHistory, HistoryOrder, TierHold } from '../input/customer-history.js';
import { emptyPointsState, type PointsState } from './points-state.js';
import type { EntryLot } from './points-entry.js';
import type { RewardKind } from '../program/rewards-section.js';

/** A cap or limit counter (docs/architecture.md "The history summary"). */
export interface UsageCounter {
  key: string;
  count: number;
  /** Last change: the retention policy forgets a counter once its period can no longer be read after it. */
  at: string;
}

/** The tier recorded by the latest order that changed it or the latest tier review. */
export interface TierRecord {
  id: string | null;
  /** Held since (UTC ISO). */
  since: string;
  /** The calendar month (`yyyy-MM` in the program's zone) of the latest tier review, and when it ran. */
  period?: string;
  reviewedAt?: string;
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

/** The year of the latest birthday or anniversary reward granted, and when. */
export interface YearlyGrant {
  year: number;
  at: string;
}

/** An extended-warranty plan a recorded order offered for one of its lines. */
export interface OfferedPlan {
  planId: string;
  name: string;
  /** The price for the tier the order left the customer in (a decimal string). */
  price: string;
  /** The last day this plan can be bought (`YYYY-MM-DD` in the program's zone). */
  lastPurchaseDay: string;
}

/**
 * An order line's extended-warranty offer, kept until its last day to buy so that `warranty.window-closing` can
 * remind the customer of it, unless contracts were registered for every unit.
 */
export interface WarrantyOffer {
  orderId: string;
  sku: string;
  quantity: number;
  /** Units a contract was registered for since the offer. */
  covered: number;
  /** The last day any of its plans can be bought (`YYYY-MM-DD` in the program's zone). */
  lastPurchaseDay: string;
  /** When that day ends (UTC ISO): the offer is dropped by the first write after it. */
  closesAt: string;
  plans: OfferedPlan[];
}

/**
 * A delivery's follow-up call, kept until its `follow-up.due` moment is written (the moment with the same `key`
 * drops it), so a moments run emits it exactly once, however late it runs.
 */
export interface DeliveryFollowUp {
  orderId: string;
  deliveryId: string;
  deliveredAt: string;
  /** When the call is due (UTC ISO): `moments.followUp.daysAfterDelivery` after the delivery. */
  dueAt: string;
  /** The key of its moment. */
  key: string;
}

/**
 * What a complaint case still waits for, kept on its customer's account so that the moments run and the due index
 * find it (decide-due-moments.ts): a callback promised and not marked done, a follow-up after its resolution. A
 * timer is cleared by the moment it fires (or by the change that makes it moot), so each fires at most once.
 */
export interface CaseTimer {
  caseId: string;
  /** What the due moments tell the CRM about the case. */
  summary: string;
  department: string;
  orderId?: string;
  /** The callback promised by this instant (UTC ISO) and not marked done: `case.callback-due` then. */
  callbackBy?: string;
  /** The resolution a follow-up checks on (UTC ISO) and when it is due: `case.follow-up-due` then. */
  followUp?: { resolvedAt: string; at: string };
}

/**
 * A voucher a reward issued (docs/perks-and-rewards.md), kept on its customer's account: every use goes through one
 * compare-and-set of that account, so a voucher is used once however many try at the same time. Its status is read
 * from it at an instant (voucherStatus): `used`, `expired` (its `expiresAt` has passed unused), or `available`.
 */
export interface AccountVoucher {
  /** The code the customer types: 80 random bits or more, from an alphabet without look-alike letters. */
  code: string;
  rewardId: string;
  /** The reward redemption (or the goodwill grant) that issued it. */
  redemptionId: string;
  kind: RewardKind;
  /** Money off (a decimal string in the program's currency), for a voucher with a value. */
  value?: string;
  /** Percent off, for a voucher with a percent. */
  percent?: string;
  /** The product given, for a gift. */
  sku?: string;
  /** UTC ISO. */
  issuedAt: string;
  expiresAt: string;
  /** Points paid for it (0 when goodwill granted it). */
  points: number;
  /** Kept when the reward gives the points back on expiry: the lots they came from, as in a redemption record. */
  debits?: Array<{ points: number; lot: EntryLot }>;
  /** The order it was used on; cleared when that order is cancelled while the voucher is still valid. */
  used?: { orderId: string; at: string };
  /** It expired unused (recorded by the moments run): when, and the points it gave back. */
  expired?: { at: string; refunded: number };
}

/** One customer's account. */
export interface AccountState {
  points: PointsState;
  /** Orders the tier can still see (window + grace), net of returns. */
  orders: HistoryOrder[];
  usage: UsageCounter[];
  tier?: TierRecord;
  /** The latest tier assigned by hand (absent: none ever was). */
  tierHold?: TierHold;
  referral?: ReferralState;
  /** The customer's first order (referral qualification needs "is this the first order"; anniversaries its date). */
  firstOrderId?: string;
  firstOrderAt?: string;
  yearly?: { birthday?: YearlyGrant; anniversary?: YearlyGrant };
  /** The instant through which time-based moments were emitted (decideDueMoments). */
  momentsThrough?: string;
  /** Extended-warranty offers whose last day to buy has not passed (absent: none). */
  warrantyOffers?: WarrantyOffer[];
  /** Delivery follow-ups whose moment is not written yet (absent: none). */
  followUps?: DeliveryFollowUp[];
  /** Complaint cases with a callback or a follow-up still to come (absent: none). */
  caseTimers?: CaseTimer[];
  /** Vouchers issued by rewards, newest last (absent: none). */
  vouchers?: AccountVoucher[];
}

/**
 * An account with nothing in it.
 *
 * @example applyActions(emptyAccountState(), decision.actions, { at, id: 'order:o-1', compiled })
 */
export function emptyAccountState(): AccountState {
  return { points: emptyPointsState(), orders: [], usage: [] };
}

/**
 * What evaluations read of an account at `at`: the orders placed by then and every counter.
 *
 * @example quoteOrder(compiled, { customer, order, history: historyOf(state, order.placedAt) }, { at })
 */
export function historyOf(state: Pick<AccountState, 'orders' | 'usage' | 'tierHold'>, at: string): CustomerHistory {
  const usage: Record<string, number> = {};
  for (const counter of state.usage) usage[counter.key] = counter.count;
  return { orders: state.orders.filter((order) => order.placedAt <= at), usage, ...(state.tierHold ? { tierHold: state.tierHold } : {}) };
}
