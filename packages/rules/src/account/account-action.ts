/**
 * What a decision asks for: a union tagged on `type`. `applyActions` applies the account's own actions and hands the
 * others (`campaign`, `referrer-reward`, `referrer-reversal`: changes to the program's budgets or to another
 * customer's account) back as effects, which the ledger runs as follow-up operations and the simulation applies to
 * its other states.
 */
import type { HistoryOrder, TierHold } from '../input/customer-history.js';
import type { LotSource } from './lot.js';
import type { Credit, Debit, EntryFields, LotSchedule } from './points-entry.js';
import type { AccountVoucher, CaseTimer, DeliveryFollowUp, ReferralState, WarrantyOffer } from './account-state.js';
import type { MomentData, MomentType } from '../moments/moment-types.js';

/** One cap or limit counter change. */
export interface CounterDelta {
  readonly key: string;
  readonly count: number;
}

/** Grants points as one lot (a zero award writes its entry, with its reason, and no lot). */
export interface AwardAction {
  readonly type: 'award';
  readonly entry: EntryFields;
  readonly source: LotSource;
  readonly points: number;
  /** UTC ISO instants; `expiresAt` is `NEVER` without expiry. */
  readonly availableAt: string;
  readonly expiresAt: string;
  /** The order the lot belongs to (returns take from it first). */
  readonly orderId?: string;
  /** A name for the lot, so the decision's caller finds its id in `Applied.lots` (`order`, `referee`). */
  readonly role?: string;
}

/** Takes points from named lots (a redemption, an expiry). Never makes debt. */
export interface DebitAction {
  readonly type: 'debit';
  readonly entry: EntryFields;
  readonly debits: readonly Debit[];
  /** The lot an expiry closes. */
  readonly expiredLotId?: string;
}

/**
 * Takes points back (a return, a negative adjustment, a reversed referral): from `firstLotIds` while they have not
 * expired, then from available lots soonest-expiring first; what is missing becomes debt (SEMANTICS rule 6).
 */
export interface ClawbackAction {
  readonly type: 'clawback';
  readonly entry: EntryFields;
  readonly points: number;
  readonly firstLotIds: readonly string[];
}

/**
 * Puts points back into the lots they were taken from, with their own life (a cancelled redemption). Lots that
 * expired since get their points back too: the decision records them as expired at once (an expire debit).
 */
export interface RestoreAction {
  readonly type: 'restore';
  readonly entry: EntryFields;
  readonly credits: readonly Credit[];
}

/** Moves a pending lot's availability and expiry (an order whose points wait for its first delivery). */
export interface ScheduleLotAction {
  readonly type: 'schedule-lot';
  readonly entry: EntryFields;
  readonly schedule: LotSchedule;
}

/** Keeps a delivery's follow-up on the account until its `follow-up.due` moment is written. */
export interface FollowUpAction {
  readonly type: 'follow-up';
  readonly followUp: DeliveryFollowUp;
}

/** A delivery's follow-up was emitted: written with its moment, it drops the follow-up (so it fires once). */
export interface FollowUpDoneAction {
  readonly type: 'follow-up-done';
  /** The follow-up's key (its moment's). */
  readonly key: string;
}

/** Changes cap and limit counters. */
export interface CountersAction {
  readonly type: 'counters';
  readonly deltas: readonly CounterDelta[];
}

/** Remembers an order for the tier window (and as the first order). */
export interface OrderAction {
  readonly type: 'order';
  readonly order: HistoryOrder;
}

/**
 * A return changes an order's tier spend and points. Changes, not new values: two returns of one order may reach the
 * account in either order.
 */
export interface OrderReturnedAction {
  readonly type: 'order-returned';
  readonly orderId: string;
  /** A decimal string, zero or negative; the tier spend never goes below zero. */
  readonly tierSpendDelta: string;
  readonly pointsDelta: number;
}

/** The recorded tier changes (or a tier review records it unchanged). */
export interface TierAction {
  readonly type: 'tier';
  readonly from: string | null;
  readonly to: string | null;
  readonly at: string;
  /** Set by a tier review: its calendar month. */
  readonly review?: string;
}

/** A tier assigned by hand, held until its date (it replaces any earlier one). */
export interface TierHoldAction {
  readonly type: 'tier-hold';
  readonly hold: TierHold;
}

/** The customer's own referral changes status. */
export interface ReferralStatusAction {
  readonly type: 'referral-status';
  readonly status: Extract<ReferralState['status'], 'qualified' | 'reversed'>;
  readonly orderId?: string;
}

/** A birthday or anniversary reward of `year` was granted. */
export interface YearlyAction {
  readonly type: 'yearly';
  readonly kind: 'birthday' | 'anniversary';
  readonly year: number;
}

/**
 * A moment for the CRM (docs/moments.md): written in the same commit as the change that causes it. The reducer
 * gives it its deterministic key and adds the balance after the decision's other actions.
 */
export interface MomentAction {
  readonly type: 'moment';
  readonly moment: MomentType;
  readonly data: MomentData;
  /** When the moment happened, when not the instant the actions are applied at (a due date). */
  readonly occurredAt?: string;
  /** A key of its own, when the moment stands for a due date rather than for its place in the operation. */
  readonly key?: string;
}

/** Time-based moments were emitted through this instant (the next run emits only what falls due after it). */
export interface MomentsThroughAction {
  readonly type: 'moments-through';
  readonly at: string;
}

/** Program-wide points per rule, for campaign budgets (negative when a return gives some back). */
export interface CampaignAction {
  readonly type: 'campaign';
  readonly programId: string;
  readonly deltas: ReadonlyArray<{ readonly ruleId: string; readonly points: number }>;
}

/** The referrer's reward for a qualifying referral: a lot on the referrer's account, and its limit counter. */
export interface ReferrerRewardAction {
  readonly type: 'referrer-reward';
  readonly referrerId: string;
  readonly refereeId: string;
  readonly orderId: string;
  readonly points: number;
  readonly availableAt: string;
  readonly expiresAt: string;
  readonly programId: string;
  readonly programVersion?: number;
  readonly usage: readonly CounterDelta[];
}

/** Takes back a referrer's reward (the qualifying order was returned in full before its points were available). */
export interface ReferrerReversalAction {
  readonly type: 'referrer-reversal';
  readonly referrerId: string;
  readonly orderId: string;
  /** The reward's lot on the referrer's account. */
  readonly lotId: string;
  readonly points: number;
}

/** Actions on other accounts or on the program: `applyActions` hands them back as effects. */
export type EffectAction = CampaignAction | ReferrerRewardAction | ReferrerReversalAction;

/** Everything a decision can ask for. */
/** Keeps an order line's extended-warranty offer on the account (warranty.window-closing reads it). */
export interface WarrantyOfferAction {
  readonly type: 'warranty-offer';
  readonly offer: WarrantyOffer;
}

/**
 * A contract was registered for one unit: the offer of that order line (or, without an order, the oldest offer of
 * that sku with units left uncovered) counts it.
 */
export interface WarrantyCoveredAction {
  readonly type: 'warranty-covered';
  readonly sku: string;
  readonly orderId?: string;
}

/** A complaint case's timers from now on (null: it waits for nothing any more, like a closed case). */
export interface CaseTimersAction {
  readonly type: 'case-timers';
  readonly caseId: string;
  readonly timer: CaseTimer | null;
}

/** A case's timer fired: its moment was emitted with this action, so it never fires again. */
export interface CaseTimerFiredAction {
  readonly type: 'case-timer-fired';
  readonly caseId: string;
  readonly timer: 'callback' | 'follow-up';
}

/** A reward issued a voucher to the customer. */
export interface VoucherIssuedAction {
  readonly type: 'voucher-issued';
  readonly voucher: AccountVoucher;
}

/** A voucher was used on an order. */
export interface VoucherUsedAction {
  readonly type: 'voucher-used';
  readonly code: string;
  readonly orderId: string;
}

/** The order a voucher was used on was cancelled: the voucher may be used again (while it is valid). */
export interface VoucherReleasedAction {
  readonly type: 'voucher-released';
  readonly code: string;
}

/** A voucher expired unused (its moment is written with it, so it expires once), giving back `refunded` points. */
export interface VoucherExpiredAction {
  readonly type: 'voucher-expired';
  readonly code: string;
  readonly refunded: number;
}

/** What marks a timed moment's timer done, committed with the moment: a case's timer, a delivery's follow-up. */
export type TimerFiredAction = CaseTimerFiredAction | FollowUpDoneAction | VoucherExpiredAction;

export type AccountAction =
  | AwardAction
  | CaseTimersAction
  | CaseTimerFiredAction
  | WarrantyOfferAction
  | WarrantyCoveredAction
  | DebitAction
  | RestoreAction
  | ScheduleLotAction
  | FollowUpAction
  | FollowUpDoneAction
  | ClawbackAction
  | CountersAction
  | OrderAction
  | OrderReturnedAction
  | TierAction
  | TierHoldAction
  | ReferralStatusAction
  | YearlyAction
  | MomentAction
  | MomentsThroughAction
  | VoucherIssuedAction
  | VoucherUsedAction
  | VoucherReleasedAction
  | VoucherExpiredAction
  | EffectAction;
