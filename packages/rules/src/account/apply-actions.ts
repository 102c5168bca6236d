/**
 * applyActions: the one reducer. It applies a decision's actions to an account: lots, debt, counters, the tier
 * window's orders, the tier record, the referral and the yearly rewards; it writes a journal entry for every action
 * that moves points; and it forgets what the program's retention policy says can no longer be read. The ledger
 * stores what it produced; the simulation keeps it in memory. Pure: nothing is read from a clock or a store, and
 * `state` is not changed.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { AccountAction, CounterDelta, EffectAction, MomentAction } from './account-action.js';
import type { AccountState, AccountVoucher, CaseTimer, TierRecord, UsageCounter, WarrantyOffer } from './account-state.js';
import type { EntryFields, PointsEntry } from './points-entry.js';
import { applyEntry, planDebits, settle, viewPoints, type PointsState } from './points-state.js';
import type { RecordedMoment } from '../moments/moment-types.js';
import { counterSpan, retentionPolicy, type RetentionPolicy } from './retention-policy.js';
import { Decimal } from '../money/money.js';

/** Options of {@link applyActions}. */
export interface ApplyOptions {
  /** When the actions happen (UTC ISO, `formatUtc`): the points are settled up to it first. */
  readonly at: string;
  /** The operation's id: its n-th entry is `<id>#<n>`, and a credit's lot has the id of its entry. */
  readonly id: string;
  /** The program whose retention policy says what may be forgotten; without it nothing is forgotten. */
  readonly compiled?: CompiledProgram;
}

/** What {@link applyActions} produced. */
export interface Applied<S extends AccountState = AccountState> {
  /** The account after the actions (with every field of `state` the reducer does not own kept as it was). */
  readonly state: S;
  /** One per action that moves points, in order. */
  readonly entries: readonly PointsEntry[];
  /** The actions on other accounts or on the program, for the caller to run. */
  readonly effects: readonly EffectAction[];
  /** Ids of the lots created by awards that named a `role`. */
  readonly lots: Readonly<Record<string, string>>;
  /**
   * The decision's moments, in order, each keyed `<id>~<n>` (or by its own key) and carrying `balanceAfter`: the
   * account's points once every action is applied.
   */
  readonly moments: readonly RecordedMoment[];
}

/**
 * Applies `actions` to `state` at `options.at`.
 *
 * @example
 * const decision = decideOrder(compiled, state, { customer, order });
 * const { state: next, entries } = applyActions(state, decision.actions, { at, id: 'order:o-1001', compiled });
 */
export function applyActions<S extends AccountState>(state: S, actions: readonly AccountAction[], options: ApplyOptions): Applied<S> {
  const { at, id } = options;
  let points: PointsState = settle(state.points, at);
  let { orders, usage, tier, tierHold, referral, firstOrderId, firstOrderAt, yearly, momentsThrough, warrantyOffers, followUps, caseTimers, vouchers } = state;
  const entries: PointsEntry[] = [];
  const effects: EffectAction[] = [];
  const lots: Record<string, string> = {};
  const momentActions: MomentAction[] = [];
  const write = (fields: EntryFields, body: Pick<PointsEntry, 'points' | 'debits' | 'debt' | 'lot' | 'expiredLotId' | 'credits' | 'schedule'>): void => {
    const made: Record<string, unknown> = { ...fields, ruleIds: [...fields.ruleIds], id: `${id}#${entries.length}`, at };
    // The body's fields that are set, in its order: one object, no spread of a filtered copy (a hot path of imports).
    for (const key in body) {
      const value = body[key as keyof typeof body];
      if (value !== undefined) made[key] = value;
    }
    const entry = made as unknown as PointsEntry;
    points = applyEntry(points, entry);
    entries.push(entry);
  };
  for (const action of actions) {
    switch (action.type) {
      case 'award': {
        const lotId = `${id}#${entries.length}`;
        const lot = action.points > 0 ? { id: lotId, source: action.source, amount: action.points, availableAt: action.availableAt, expiresAt: action.expiresAt, ...(action.orderId ? { orderId: action.orderId } : {}) } : undefined;
        write(action.entry, { points: action.points, debits: [], debt: 0, lot });
        if (lot && action.role) lots[action.role] = lotId;
        break;
      }
      case 'debit': {
        const taken = action.debits.reduce((sum, d) => sum + d.points, 0);
        write(action.entry, { points: negative(taken), debits: action.debits.map((d) => ({ ...d })), debt: 0, expiredLotId: action.expiredLotId });
        break;
      }
      case 'restore': {
        const credits = action.credits.map((c) => ({ points: c.points, lot: { ...c.lot } }));
        write(action.entry, { points: credits.reduce((sum, c) => sum + c.points, 0), debits: [], debt: 0, credits });
        break;
      }
      case 'schedule-lot':
        write(action.entry, { points: 0, debits: [], debt: 0, schedule: { ...action.schedule } });
        break;
      case 'follow-up':
        followUps = [...(followUps ?? []).filter((f) => f.key !== action.followUp.key), { ...action.followUp }];
        break;
      case 'clawback': {
        const plan = planDebits(points, action.points, at, { firstLotIds: [...action.firstLotIds], allowDebt: true });
        write(action.entry, { points: negative(action.points), debits: plan.debits, debt: plan.debt });
        break;
      }
      case 'counters':
        usage = addCounters(usage, action.deltas, at);
        break;
      case 'order':
        orders = [...orders, { ...action.order }];
        firstOrderId ??= action.order.id;
        firstOrderAt ??= action.order.placedAt;
        break;
      case 'order-returned':
        orders = orders.map((o) => (o.id === action.orderId ? { ...o, tierSpend: nonNegativeSum(o.tierSpend, action.tierSpendDelta), points: o.points + action.pointsDelta } : o));
        break;
      case 'tier':
        tier = tierRecord(tier, action.to, action.at, action.review);
        break;
      case 'tier-hold':
        tierHold = { ...action.hold };
        break;
      case 'referral-status':
        if (referral) referral = { ...referral, status: action.status, ...(action.orderId ? { orderId: action.orderId } : {}) };
        break;
      case 'yearly':
        yearly = { ...yearly, [action.kind]: { year: action.year, at } };
        break;
      case 'moment':
        momentActions.push(action);
        break;
      case 'follow-up-done':
        followUps = followUps?.filter((f) => f.key !== action.key);
        break;
      case 'moments-through':
        if (momentsThrough === undefined || action.at > momentsThrough) momentsThrough = action.at;
        break;
      case 'warranty-offer':
        warrantyOffers = [...(warrantyOffers ?? []).filter((o) => o.orderId !== action.offer.orderId || o.sku !== action.offer.sku), { ...action.offer, plans: action.offer.plans.map((p) => ({ ...p })) }];
        break;
      case 'warranty-covered':
        warrantyOffers = coverOne(warrantyOffers ?? [], action.sku, action.orderId);
        break;
      case 'case-timers':
        caseTimers = [...(caseTimers ?? []).filter((t) => t.caseId !== action.caseId), ...(action.timer ? [copyTimer(action.timer)] : [])];
        break;
      case 'case-timer-fired':
        caseTimers = (caseTimers ?? []).map((t) => (t.caseId === action.caseId ? withoutTimer(t, action.timer) : t));
        break;
      case 'voucher-issued':
        vouchers = [...(vouchers ?? []).filter((v) => v.code !== action.voucher.code), copyVoucher(action.voucher)];
        break;
      case 'voucher-used':
        vouchers = changeVoucher(vouchers, action.code, (v) => ({ ...v, used: { orderId: action.orderId, at } }));
        break;
      case 'voucher-released':
        vouchers = changeVoucher(vouchers, action.code, ({ used: _used, ...v }) => v);
        break;
      case 'voucher-expired':
        vouchers = changeVoucher(vouchers, action.code, (v) => ({ ...v, expired: { at, refunded: action.refunded } }));
        break;
      default:
        effects.push(action);
    }
  }
  const policy = options.compiled ? retentionPolicy(options.compiled) : undefined;
  const next: S = {
    ...state,
    points,
    orders: policy ? keptOrders(orders, policy, points.clock) : orders,
    usage: keptCounters(usage, policy, points.clock),
    ...(tier ? { tier } : {}),
    ...(tierHold ? { tierHold } : {}),
    ...(referral ? { referral } : {}),
    ...(firstOrderId !== undefined ? { firstOrderId } : {}),
    ...(firstOrderAt !== undefined ? { firstOrderAt } : {}),
    ...(yearly ? { yearly } : {}),
    ...(momentsThrough !== undefined ? { momentsThrough } : {}),
  };
  // Offers whose last day to buy has passed remind nobody of anything: the first write after it drops them.
  const openOffers = warrantyOffers?.filter((offer) => offer.closesAt > at);
  if (openOffers && openOffers.length > 0) next.warrantyOffers = openOffers;
  else delete next.warrantyOffers;
  const keptVouchers = vouchers?.filter((v) => stillKept(v, points.clock));
  if (keptVouchers && keptVouchers.length > 0) next.vouchers = keptVouchers;
  else delete next.vouchers;
  if (followUps && followUps.length > 0) next.followUps = followUps;
  else delete next.followUps;
  // A case waiting for nothing more is dropped, so the account keeps only what can still fall due.
  const waiting = caseTimers?.filter((t) => t.callbackBy !== undefined || t.followUp !== undefined);
  if (waiting && waiting.length > 0) next.caseTimers = waiting;
  else delete next.caseTimers;
  return { state: next, entries, effects, lots, moments: recordedMoments(momentActions, points, options) };
}

/** The moments with their keys and the balance after the decision (computed once, and only when there are any). */
function recordedMoments(actions: readonly MomentAction[], points: PointsState, options: ApplyOptions): RecordedMoment[] {
  if (actions.length === 0) return [];
  const view = viewPoints(points, options.at);
  const balanceAfter = { available: view.available, pending: view.pending, debt: view.debt };
  return actions.map((action, n) => ({
    key: action.key ?? `${options.id}~${n}`,
    type: action.moment,
    occurredAt: action.occurredAt ?? options.at,
    data: { ...action.data, balanceAfter },
  }));
}

/** `-n` without a negative zero (entries are compared and serialized). */
function negative(n: number): number {
  return n === 0 ? 0 : -n;
}

/** `value + delta` (decimal strings), never below zero. */
function nonNegativeSum(value: string, delta: string): string {
  const sum = new Decimal(value).plus(delta);
  return (sum.isNegative() ? new Decimal(0) : sum).toString();
}

/** The record after a tier action: `since` moves only when the tier changes; a review stamps its month. */
function tierRecord(current: TierRecord | undefined, to: string | null, at: string, review: string | undefined): TierRecord {
  const since = current && current.id === to ? current.since : at;
  if (review !== undefined) return { id: to, since, period: review, reviewedAt: at };
  return { ...(current?.period !== undefined ? { period: current.period } : {}), ...(current?.reviewedAt !== undefined ? { reviewedAt: current.reviewedAt } : {}), id: to, since };
}

/**
 * Counters with `deltas` added at `at` (a new key starts at zero). A count never goes below zero: a reversal (a
 * return's negative delta) of an application whose counter was already forgotten, its period over, has nothing
 * left to take back, and must not come back as a negative counter.
 */
function addCounters(usage: readonly UsageCounter[], deltas: readonly CounterDelta[], at: string): UsageCounter[] {
  if (deltas.length === 0) return usage as UsageCounter[];
  const byKey = new Map(usage.map((counter) => [counter.key, { ...counter }]));
  for (const delta of deltas) {
    const counter = byKey.get(delta.key) ?? { key: delta.key, count: 0, at };
    counter.count = Math.max(0, counter.count + delta.count);
    if (at > counter.at) counter.at = at;
    byKey.set(delta.key, counter);
  }
  return [...byKey.values()];
}

/** Orders the tier can still see from `clock` on; the same array when none is dropped. */
function keptOrders<T extends { placedAt: string }>(orders: T[], policy: RetentionPolicy, clock: string): T[] {
  if (policy.historyMs === undefined) return orders.length === 0 ? orders : [];
  const cutoff = new Date(Date.parse(clock) - policy.historyMs).toISOString();
  return orders.some((order) => order.placedAt < cutoff) ? orders.filter((order) => order.placedAt >= cutoff) : orders;
}

/** Counters that can still be read at `clock` (all, without a policy); a zero counter reads as an absent one. */
function keptCounters(usage: UsageCounter[], policy: RetentionPolicy | undefined, clock: string): UsageCounter[] {
  const now = Date.parse(clock);
  const keep = (counter: UsageCounter): boolean => counter.count !== 0 && (!policy || Date.parse(counter.at) + counterSpan(counter.key, policy) >= now);
  return usage.every(keep) ? usage : usage.filter(keep);
}

/** The offers with one more unit of `sku` covered: the order's line, else the oldest offer of the sku with one left. */
function coverOne(offers: readonly WarrantyOffer[], sku: string, orderId: string | undefined): WarrantyOffer[] {
  const index = offers.findIndex((o) => o.sku === sku && o.covered < o.quantity && (orderId === undefined || o.orderId === orderId));
  if (index < 0) return [...offers];
  return offers.map((o, i) => (i === index ? { ...o, covered: o.covered + 1 } : o));
}

/** How long a voucher stays on the account after it expired (its status can be read back for a year). */
const VOUCHER_KEPT_MS = 366 * 24 * 3600 * 1000;

/** A voucher is forgotten a year after it expired, unless it still waits for the moments run to expire it. */
function stillKept(voucher: AccountVoucher, clock: string): boolean {
  if (voucher.used === undefined && voucher.expired === undefined) return true;
  return Date.parse(voucher.expiresAt) + VOUCHER_KEPT_MS >= Date.parse(clock);
}

function copyVoucher(voucher: AccountVoucher): AccountVoucher {
  return { ...voucher, ...(voucher.debits ? { debits: voucher.debits.map((d) => ({ points: d.points, lot: { ...d.lot } })) } : {}), ...(voucher.used ? { used: { ...voucher.used } } : {}), ...(voucher.expired ? { expired: { ...voucher.expired } } : {}) };
}

/** The vouchers with the one of `code` changed (the same list when there is none: nothing to change). */
function changeVoucher(vouchers: AccountVoucher[] | undefined, code: string, change: (voucher: AccountVoucher) => AccountVoucher): AccountVoucher[] | undefined {
  if (!vouchers?.some((v) => v.code === code)) return vouchers;
  return vouchers.map((v) => (v.code === code ? change(v) : v));
}

function copyTimer(timer: CaseTimer): CaseTimer {
  return { ...timer, ...(timer.followUp ? { followUp: { ...timer.followUp } } : {}) };
}

/** The case's timers without the one that fired. */
function withoutTimer(timer: CaseTimer, fired: 'callback' | 'follow-up'): CaseTimer {
  const { callbackBy, followUp, ...rest } = timer;
  return { ...rest, ...(fired !== 'callback' && callbackBy !== undefined ? { callbackBy } : {}), ...(fired !== 'follow-up' && followUp ? { followUp: { ...followUp } } : {}) };
}
