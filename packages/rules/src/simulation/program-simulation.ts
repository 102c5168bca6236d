/**
 * ProgramSimulation: replays a history (orders, returns, redemptions, custom events, birthday and purchase-anniversary
 * sweeps, adjustments, rewards of the catalog redeemed and their vouchers used) through a program, one record at a time in time order, and totals what it would have issued and what is left.
 * Pure (no clock, no I/O): the caller streams the records in; `purna simulate` reads them from a file,
 * `POST /v1/program/simulate` from a request.
 *
 * Each record is decided by the same `decide…` the ledger calls for it and applied by the same reducer
 * (`applyActions`) to an account held in memory, with the ledger's operation ids, so every lot, counter and tier is
 * what the ledger would hold (a property test drives both with the same histories). Expired lots, and vouchers
 * expired unused (which the ledger's moments run records, giving back the points of a reward with `refundOnExpiry`),
 * are recorded as the customer's next record, or a periodic sweep, comes by. A reward's stock is counted over the
 * whole history; a voucher's code is derived from its redemption's id (simulatedVoucherCode), not drawn at random.
 *
 * Memory: per customer only what the program's retention policy keeps (retention-policy.ts), open vouchers
 * included; orders are kept for
 * returns for `returnDays` after they were placed; customers with nothing left are forgotten. The report's size
 * depends on the program (rules, tiers, reason codes), never on the number of records.
 */
import type { AccountAction, EffectAction } from '../account/account-action.js';
import { emptyAccountState, type AccountState } from '../account/account-state.js';
import { applyActions } from '../account/apply-actions.js';
import { operationId } from '../account/operation-ids.js';
import { viewPoints } from '../account/points-state.js';
import { decideRewardRedemption } from '../rewards/decide-reward-redemption.js';
import { decideVoucherExpiry, decideVoucherUse, voucherStatus } from '../rewards/decide-voucher.js';
import { findReward } from '../rewards/reward-catalog.js';
import { formatVoucherCode, VOUCHER_CODE_BYTES } from '../rewards/voucher-code.js';
import { decideAdjustment } from '../decide/decide-adjustment.js';
import { decideExpiry } from '../decide/decide-account-sweeps.js';
import { decideEvent } from '../decide/decide-event.js';
import { decideOrder, type OrderDecision } from '../decide/decide-order.js';
import { decideRedemption } from '../decide/decide-redemption.js';
import { decideReturn, returnActions, type RecordedOrder, type RecordedReturn } from '../decide/decide-return.js';
import { referrerReversal, referrerReward } from '../decide/decide-referrer.js';
import { decideAnniversary, decideBirthday } from '../decide/decide-yearly-reward.js';
import { baseTier, heldTier, recordedTier } from '../decide/decision-parts.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { OrderSnapshot } from '../engine/earning/quote-order.js';
import { InputError, inputError } from '../errors.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal, preview } from '../money/money.js';
import { normalizeReferralCode } from '../referral/referral-code.js';
import { checkReferralEnrolment } from '../referral/referral-enrolment.js';
import { formatUtc } from '../time.js';
import {
  integerField,
  recordType,
  textField,
  type AdjustmentRecord,
  type AnniversaryRecord,
  type BirthdayRecord,
  type CustomerDirectory,
  type EventRecord,
  type OrderRecord,
  type RedemptionRecord,
  type ReturnRecord,
  type RewardRecord,
  type SimulationRecord,
  type VoucherUseRecord,
} from './simulation-record.js';
import type { SimulationReport, VoucherLiability } from './simulation-report.js';
import { SimulationTotals } from './simulation-totals.js';

/** How often (in records) every customer's state is moved to the latest instant and forgotten when empty. */
const SWEEP_EVERY = 50_000;
const NONE = 'none';
const DAY_MS = 86_400_000;
/** Days an order stays returnable when the caller does not say. */
export const DEFAULT_RETURN_DAYS = 30;
/** A birthday granted can be asked again only inside that year's window (at most a month long). */
const BIRTHDAY_KEPT_MS = 400 * DAY_MS;

/** Options of a simulation. */
export interface SimulationOptions {
  /** Customer profiles and referral codes. Without it each customer is `{ id }`, and no referral qualifies. */
  readonly customers?: CustomerDirectory;
  /**
   * How many days after it was placed an order can still be returned: its details are kept that long, then
   * forgotten, and a later return of it is refused. Default {@link DEFAULT_RETURN_DAYS}; 0 keeps nothing.
   */
  readonly returnDays?: number;
}

/**
 * What a return needs of its order, kept for `returnDays`. Kept lean: there can be a hundred thousand of them. The
 * order is JSON text without the fields kept beside it (id, customerId, placedAt, currency): smaller than the parsed
 * object, and parsed again only when a return comes.
 */
interface Returnable {
  readonly customerId: string;
  readonly text: string;
  readonly placedAt: string;
  readonly placedMs: number;
  readonly tierBefore: string | null;
  readonly usageRead: Readonly<Record<string, number>>;
  readonly campaignUsageRead: Readonly<Record<string, number>>;
  readonly awarded: number;
  readonly lotId: string | undefined;
  readonly availableAt: string;
  readonly tierSpend: string;
  readonly referral: RecordedOrder['referral'];
  returns: RecordedReturn[] | undefined;
}

/** One shared empty record for the many snapshots that read no counter. */
const NO_COUNTERS: Readonly<Record<string, number>> = Object.freeze({});

/**
 * A copy of `text` in one piece. JSON.stringify builds long results out of chunks joined together (a tree of string
 * parts), which costs more memory than the text itself; kept for a month, the flat copy is worth making.
 */
function flat(text: string): string {
  return UTF8_DECODER.decode(UTF8_ENCODER.encode(text));
}

const UTF8_ENCODER = new TextEncoder();
const UTF8_DECODER = new TextDecoder();

function countersOrShared(counters: Readonly<Record<string, number>>): Readonly<Record<string, number>> {
  for (const _ in counters) return counters;
  return NO_COUNTERS;
}

/** Pointers of a nested evaluation ("/order/currency", "/lines/0/sku") made relative to the record. */
function relocate(error: unknown, from: RegExp): never {
  if (error instanceof InputError) throw new InputError(error.errors.map((p) => ({ ...p, pointer: p.pointer.replace(from, '') })));
  throw error;
}

/**
 * An accumulator fed one record at a time, in time order.
 *
 * @example
 * const simulation = new ProgramSimulation(compileProgram(parseProgram(json)), { customers });
 * for (const record of records) simulation.add(record);
 * simulation.report().liability; // '1234500'
 */
export class ProgramSimulation {
  readonly #compiled: CompiledProgram;
  readonly #directory: CustomerDirectory | undefined;
  readonly #returnMs: number;
  readonly #totals: SimulationTotals;
  readonly #states = new Map<string, AccountState>();
  /**
   * What forgotten customers still need when the program grants purchase anniversaries: the first order (the
   * anniversary's date, however long ago) and the yearly rewards granted, as the ledger keeps them for ever.
   */
  readonly #remembered = new Map<string, Remembered>();
  readonly #anniversaries: boolean;
  readonly #seen = new Set<string>();
  readonly #returnable = new Map<string, Returnable>();
  /** Ids of the returnable orders, oldest first (each stops being returnable `returnDays` after it was placed). */
  #returnQueue: string[] = [];
  #returnHead = 0;
  /** Customers whose referral was decided (at their first order), so a forgotten customer's is not decided again. */
  readonly #referralsDecided = new Set<string>();
  readonly #campaignUsage: Record<string, number> = {};
  /** Units of each reward's stock taken so far, program-wide (as the ledger's stock counter). */
  readonly #stockUsed = new Map<string, number>();
  readonly #baseTier: string | null;
  #records = 0;
  #first: string | null = null;
  #last: string | null = null;
  #lastMs = Number.NEGATIVE_INFINITY;

  constructor(compiled: CompiledProgram, options: SimulationOptions = {}) {
    const returnDays = options.returnDays ?? DEFAULT_RETURN_DAYS;
    if (!Number.isSafeInteger(returnDays) || returnDays < 0) throw new RangeError(`returnDays must be a whole number of days (0 or more), got ${String(returnDays)}`);
    this.#compiled = compiled;
    this.#directory = options.customers;
    this.#returnMs = returnDays * DAY_MS;
    this.#totals = new SimulationTotals(compiled);
    this.#baseTier = baseTier(compiled);
    this.#anniversaries = compiled.program.anniversary !== undefined;
  }

  /** Orders added so far. */
  get orders(): number {
    return this.#totals.orders;
  }

  /** Records added so far (orders included). */
  get records(): number {
    return this.#records;
  }

  /** Customers whose state is held right now (for memory bounds). */
  get customersHeld(): number {
    return this.#states.size;
  }

  /** Entries held over every customer (tier-window orders, counters, lots) plus returnable orders, for memory bounds. */
  get entriesHeld(): number {
    let n = this.#returnable.size;
    for (const state of this.#states.values()) n += state.orders.length + state.usage.length + state.points.lots.length;
    return n;
  }

  /**
   * A customer's account as the simulation holds it (undefined: never seen, or forgotten with nothing left), exactly
   * as the ledger would hold it after the same records.
   */
  account(customerId: string): AccountState | undefined {
    return this.#states.get(customerId);
  }

  /**
   * Decides one record with the customer's history so far and adds it to the totals. Records must come in time
   * order (an order's `placedAt`, any other record's `at`). Throws an InputError (and changes nothing) when the
   * record cannot be decided; its pointers are relative to the record (`/lines/0/unitPrice`, `/orderId`).
   */
  add(record: SimulationRecord): void {
    switch (recordType(record)) {
      case 'order':
        this.#addOrder(record as OrderRecord);
        break;
      case 'return':
        this.#addReturn(record as ReturnRecord);
        break;
      case 'redemption':
        this.#addRedemption(record as RedemptionRecord);
        break;
      case 'event':
        this.#addEvent(record as EventRecord);
        break;
      case 'birthday':
        this.#addYearly('birthday', record as BirthdayRecord);
        break;
      case 'anniversary':
        this.#addYearly('anniversary', record as AnniversaryRecord);
        break;
      case 'adjustment':
        this.#addAdjustment(record as AdjustmentRecord);
        break;
      case 'reward':
        this.#addReward(record as RewardRecord);
        break;
      case 'voucher-use':
        this.#addVoucherUse(record as VoucherUseRecord);
        break;
    }
    this.#records++;
    if (this.#records % SWEEP_EVERY === 0) this.#sweep(this.#lastMs);
  }

  // ---- records ------------------------------------------------------------------------------------------------

  #addOrder(record: OrderRecord): void {
    let order: OrderInput = record;
    if (record.type !== undefined) {
      const { type: _type, ...rest } = record;
      order = rest;
    }
    const customerId = order.customerId;
    if (typeof customerId !== 'string' || customerId === '') return inputError('/customerId', 'missing-customer', 'a simulated order needs a "customerId": tiers and caps are per customer');
    if (order.placedAt === undefined) return inputError('/placedAt', 'missing-placed-at', 'a simulated order needs a "placedAt": orders are replayed in time order');
    const ms = this.#time(order.placedAt, '/placedAt', 'orders');
    const at = formatUtc(ms);
    if (this.#returnMs > 0 && this.#returnable.has(order.id)) return inputError('/id', 'duplicate-order', `order "${order.id}" was already recorded (order ids must be unique)`);
    const profile = this.#directory?.customer(customerId);
    const customer = profile ?? { id: customerId };
    let state = this.#stateOf(customerId);
    // The referral is decided at the customer's first order (the ledger decides it when the profile arrives).
    const enrolment = this.#enrol(profile, state);
    if (enrolment) state = { ...state, referral: enrolment.referral };
    const referrerId = state.referral?.status === 'pending' ? state.referral.referrerId : undefined;
    const referrer = referrerId === undefined ? undefined : this.#directory?.customer(referrerId);
    let decision: OrderDecision;
    try {
      decision = decideOrder(
        this.#compiled,
        state,
        { customer, order: { ...order, placedAt: at }, campaignUsage: this.#campaignUsage, ...(referrer ? { referrer: { customer: referrer, usage: this.#usageOf(referrer.id) } } : {}) },
        // The totals read each rule's share (the lines, the exact points, sometimes the trace).
        { trace: true },
      );
    } catch (error) {
      // The decision points into its input ("/order/currency"); a simulation's caller has the order itself.
      return relocate(error, /^\/order(?=\/|$)/);
    }

    // Decided: from here on, nothing throws.
    this.#accept(order.placedAt, ms, customerId);
    if (enrolment) {
      this.#referralsDecided.add(customerId);
      if (enrolment.refused) this.#totals.referralNotQualified(enrolment.refused);
    }
    if (decision.referralRefused) this.#totals.referralNotQualified(decision.referralRefused);
    if (decision.referral) this.#totals.referralQualified(decision.referral.referrer, decision.referral.referee);
    this.#totals.order(decision.quote);
    const opId = operationId.order(order.id);
    const applied = this.#apply(customerId, state, decision.actions, at, opId);
    if (this.#returnMs > 0) {
      const { id: _id, customerId: _customer, placedAt: _placedAt, currency: _currency, ...rest } = order;
      const { snapshot } = decision.quote;
      const referral = decision.referral
        ? { referrerId: decision.referral.referrerId, referrerLotId: `${operationId.referrer(opId)}#0`, refereeLotId: applied.referee ?? '', referrer: decision.referral.referrer, referee: decision.referral.referee }
        : undefined;
      this.#returnable.set(order.id, {
        customerId,
        text: flat(JSON.stringify(rest)),
        placedAt: at,
        placedMs: ms,
        tierBefore: snapshot.tierBefore,
        usageRead: countersOrShared(snapshot.usage),
        campaignUsageRead: countersOrShared(snapshot.campaignUsage),
        awarded: decision.awarded,
        lotId: applied.order,
        availableAt: decision.availableAt,
        tierSpend: decision.quote.tierSpend,
        referral,
        returns: undefined,
      });
      this.#returnQueue.push(order.id);
    }
  }

  #addReturn(record: ReturnRecord): void {
    const returnId = textField(record as unknown as Record<string, unknown>, 'id');
    const orderId = textField(record as unknown as Record<string, unknown>, 'orderId');
    const atText = textField(record as unknown as Record<string, unknown>, 'at');
    const ms = this.#time(atText, '/at', 'records');
    const at = formatUtc(ms);
    const found = this.#returnable.get(orderId);
    // Forgotten once its return period is over (the queue drops it when the next record is accepted).
    const held = found && found.placedMs + this.#returnMs >= ms ? found : undefined;
    if (!held) {
      return inputError(
        '/orderId',
        'unknown-order',
        `return ${returnId}: order "${orderId}" is not known to the simulation: it was never recorded, or placed more than ${this.#returnMs / DAY_MS} days before the return (orders are kept for returns that long)`,
      );
    }
    const order = this.#recordedOrder(orderId, held);
    let decided: RecordedReturn;
    try {
      decided = decideReturn(this.#compiled, order, { returnId, lines: record.lines }, { at });
    } catch (error) {
      return relocate(error, /^\/return(?=\/|$)/);
    }

    this.#accept(atText, ms, held.customerId);
    held.returns = [...(held.returns ?? []), decided];
    this.#totals.returned(decided.clawedBack, decided.fullyReturned === true);
    if (decided.reverseReferral && order.referral) this.#totals.referralReversed(order.referral.referee + order.referral.referrer);
    const state = this.#stateOf(held.customerId);
    this.#apply(held.customerId, state, returnActions(order, decided), at, operationId.return(returnId));
  }

  #addRedemption(record: RedemptionRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const id = textField(fields, 'id');
    const customerId = textField(fields, 'customerId');
    const orderTotal = textField(fields, 'orderTotal');
    const points = integerField(fields, 'points');
    const atText = textField(fields, 'at');
    const ms = this.#time(atText, '/at', 'records');
    const at = formatUtc(ms);
    const state = this.#stateOf(customerId);
    const outcome = decideRedemption(this.#compiled, state, { redemptionId: id, orderId: record.orderId ?? '', orderTotal, points }, { at });

    this.#accept(atText, ms, customerId);
    const { decision } = outcome;
    this.#totals.redemption(decision.accepted, decision.points, decision.discount, decision.reasons.map((r) => r.code));
    if (decision.accepted) this.#apply(customerId, state, outcome.actions, at, operationId.redemption(id));
  }

  #addEvent(record: EventRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const id = textField(fields, 'id');
    const customerId = textField(fields, 'customerId');
    const type = textField(fields, 'event');
    const atText = textField(fields, 'at');
    const ms = this.#time(atText, '/at', 'records');
    const at = formatUtc(ms);
    const state = this.#stateOf(customerId);
    const profile = this.#directory?.customer(customerId);
    const event = { id, customerId, type, occurredAt: record.occurredAt ?? atText, ...(record.attributes ? { attributes: record.attributes } : {}) };
    let outcome: ReturnType<typeof decideEvent>;
    try {
      outcome = decideEvent(this.#compiled, state, { customer: profile ?? { id: customerId }, event }, { at });
    } catch (error) {
      return relocate(error, /^\/event(?=\/|$)/);
    }

    this.#accept(atText, ms, customerId);
    this.#totals.event(outcome.evaluation);
    // An event that gives nothing and counts nothing leaves no trace (nor a state to hold).
    if (outcome.evaluation.points === 0 && outcome.evaluation.usage.length === 0) return;
    this.#apply(customerId, state, outcome.actions, at, operationId.event(id));
  }

  /** The birthday or the purchase-anniversary sweep reaching one customer, decided as the ledger's sweep decides it. */
  #addYearly(kind: 'birthday' | 'anniversary', record: BirthdayRecord | AnniversaryRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const customerId = textField(fields, 'customerId');
    const atText = textField(fields, 'at');
    const ms = this.#time(atText, '/at', 'records');
    const at = formatUtc(ms);
    const state = this.#stateOf(customerId);
    const profile = this.#directory?.customer(customerId) ?? { id: customerId };
    const outcome = (kind === 'birthday' ? decideBirthday : decideAnniversary)(this.#compiled, state, profile, { at });

    this.#accept(atText, ms, customerId);
    const { decision } = outcome;
    if (!decision.due || decision.year === undefined) {
      this.#totals.yearly(kind, undefined, decision.reasons[0]?.code ?? 'not-due');
      return;
    }
    this.#totals.yearly(kind, decision.points, '');
    this.#apply(customerId, state, outcome.actions, at, operationId.yearly(kind, customerId, decision.year));
  }

  #addAdjustment(record: AdjustmentRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const id = textField(fields, 'id');
    const customerId = textField(fields, 'customerId');
    const points = integerField(fields, 'points');
    if (points === 0) return inputError('/points', 'zero-adjustment', 'an adjustment must add or remove at least 1 point');
    const atText = textField(fields, 'at');
    const ms = this.#time(atText, '/at', 'records');
    const at = formatUtc(ms);
    const actions = decideAdjustment(this.#compiled, { points, reason: record.reason ?? 'adjustment', actor: 'simulation' }, { at });

    this.#accept(atText, ms, customerId);
    this.#totals.adjustment(points);
    this.#apply(customerId, this.#stateOf(customerId), actions, at, operationId.adjustment(id));
  }

  /**
   * A reward redeemed, decided by decideRewardRedemption as the ledger decides it (what expired by `at` recorded
   * first), with the stock left over the whole history and a voucher code derived from the redemption's id.
   */
  #addReward(record: RewardRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const id = textField(fields, 'id');
    const customerId = textField(fields, 'customerId');
    const rewardId = textField(fields, 'rewardId');
    const atText = textField(fields, 'at');
    const ms = this.#time(atText, '/at', 'records');
    const at = formatUtc(ms);
    const state = this.#current(customerId, at);
    const stock = findReward(this.#compiled, rewardId)?.stock;
    const stockLeft = stock === undefined ? {} : { stockLeft: stock - (this.#stockUsed.get(rewardId) ?? 0) };
    const decision = decideRewardRedemption(this.#compiled, state, { redemptionId: id, rewardId, code: simulatedVoucherCode(id, state) }, stockLeft, { at });

    this.#accept(atText, ms, customerId);
    this.#totals.reward(rewardId, decision.accepted, decision.accepted ? decision.points : 0, decision.accepted ? [] : decision.reasons.map((r) => r.code));
    if (!decision.accepted) return;
    if (stock !== undefined) this.#stockUsed.set(rewardId, (this.#stockUsed.get(rewardId) ?? 0) + 1);
    this.#apply(customerId, state, decision.actions, at, operationId.rewardRedemption(id));
  }

  /** The voucher of a reward redemption used on an order, decided by decideVoucherUse as the ledger decides it. */
  #addVoucherUse(record: VoucherUseRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const redemptionId = textField(fields, 'redemptionId');
    const customerId = textField(fields, 'customerId');
    const orderId = textField(fields, 'orderId');
    const atText = textField(fields, 'at');
    const ms = this.#time(atText, '/at', 'records');
    const at = formatUtc(ms);
    const state = this.#current(customerId, at);
    const voucher = state.vouchers?.find((v) => v.redemptionId === redemptionId);

    this.#accept(atText, ms, customerId);
    if (!voucher) {
      this.#totals.voucherUse('voucher-unknown');
      return;
    }
    const decision = decideVoucherUse(state, { code: voucher.code, orderId }, { at });
    this.#totals.voucherUse(decision.accepted ? undefined : decision.reason.code);
    if (decision.accepted) this.#apply(customerId, state, decision.actions, at, operationId.voucherUse(voucher.code, orderId));
  }

  // ---- the report ---------------------------------------------------------------------------------------------

  /** The totals so far; balances, expiry and tiers at the end are read at the last record's instant. */
  report(): SimulationReport {
    const last = this.#last === null ? null : formatUtc(this.#lastMs);
    const tiersAtEnd: Record<string, number> = {};
    const endMoves: Array<{ from: string | null; to: string | null }> = [];
    let held = 0;
    let expiredUnrecorded = 0;
    let available = 0;
    let pending = 0;
    let outstanding = 0;
    let debt = 0;
    let vouchersExpiredUnrecorded = 0;
    let refundedUnrecorded = 0;
    let value = new Decimal(0);
    const byKind: { -readonly [K in keyof VoucherLiability['byKind']]: number } = { value: 0, percent: 0, 'free-shipping': 0, gift: 0 };
    for (const kept of this.#states.values()) {
      let state = kept;
      if (last !== null) {
        // Vouchers past their expiry give their points back as the next record would record it, without recording it.
        const due = this.#voucherExpiries(kept, last);
        state = due.state;
        vouchersExpiredUnrecorded += due.expired;
        refundedUnrecorded += due.refunded;
        const view = viewPoints(state.points, last);
        expiredUnrecorded += view.expired - kept.points.expiredRecorded;
        for (const voucher of state.vouchers ?? []) {
          if (voucherStatus(voucher, last) !== 'available') continue;
          if (voucher.value !== undefined) value = value.plus(voucher.value);
          // A voucher reward has a value or a percent (check-program.ts); the other kinds have neither.
          byKind[voucher.kind !== 'voucher' ? voucher.kind : voucher.value !== undefined ? 'value' : 'percent']++;
        }
        available += view.available;
        pending += view.pending;
        if (view.balance > 0) outstanding += view.balance;
        else debt -= view.balance;
      }
      const recorded = recordedTier(this.#compiled, state);
      if (state.orders.length === 0 && recorded === this.#baseTier) continue;
      const end = last === null ? recorded : (heldTier(this.#compiled, state, last)?.tierId ?? null);
      if (end !== recorded) endMoves.push({ from: recorded, to: end });
      tiersAtEnd[end ?? NONE] = (tiersAtEnd[end ?? NONE] ?? 0) + 1;
      held++;
    }
    // Customers without orders in the window hold the base tier.
    const rest = this.#seen.size - held;
    if (rest > 0) tiersAtEnd[this.#baseTier ?? NONE] = (tiersAtEnd[this.#baseTier ?? NONE] ?? 0) + rest;
    const open = byKind.value + byKind.percent + byKind['free-shipping'] + byKind.gift;
    return this.#totals.report({
      first: this.#first,
      last: this.#last,
      customers: this.#seen.size,
      expiredUnrecorded,
      available,
      pending,
      outstanding,
      debt,
      tiersAtEnd,
      endMoves,
      vouchersExpiredUnrecorded,
      refundedUnrecorded,
      vouchers: { value: value.toString(), open, byKind },
    });
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  /** Epoch milliseconds of a record's instant, refused when it comes before the previous record. */
  #time(value: string, pointer: string, what: string): number {
    const at = this.#compiled.clock.millis(value, pointer);
    if (at < this.#lastMs) return inputError(pointer, 'out-of-order', `${what} must be in time order: ${value} comes before the previous record (${this.#last ?? ''})`);
    return at;
  }

  /** A record was decided: time moves on. */
  #accept(text: string, ms: number, customerId: string): void {
    this.#first ??= text;
    this.#last = text;
    this.#lastMs = ms;
    this.#seen.add(customerId);
    this.#forgetReturnables(ms);
  }

  /** A customer's account as held, or as it starts again after being forgotten (with what was remembered of it). */
  #stateOf(customerId: string): AccountState {
    const held = this.#states.get(customerId);
    if (held) return held;
    const remembered = this.#remembered.get(customerId);
    return remembered ? { ...emptyAccountState(), ...remembered } : emptyAccountState();
  }

  /** A customer's counters (the per-referrer limit reads the referrer's). */
  #usageOf(customerId: string): Record<string, number> {
    const usage: Record<string, number> = {};
    for (const counter of this.#states.get(customerId)?.usage ?? []) usage[counter.key] = counter.count;
    return usage;
  }

  /**
   * Applies a decision to a customer's account (after recording what expired by `at`), runs its effects on other
   * accounts and the campaign budgets, counts its tier moves, and answers the lots it named.
   */
  #apply(customerId: string, state: AccountState, actions: readonly AccountAction[], at: string, id: string): Record<string, string | undefined> {
    const current = this.#expire(customerId, state, at);
    const applied = applyActions(current, actions, { at, id, compiled: this.#compiled });
    for (const action of actions) if (action.type === 'tier') this.#totals.tierMove(action.from, action.to);
    this.#states.set(customerId, applied.state);
    if (this.#remembered.size > 0) this.#remembered.delete(customerId);
    for (const effect of applied.effects) this.#effect(effect, at, id);
    return applied.lots;
  }

  /**
   * Records the expiry of the customer's lots expired by `at` (the ledger's sweep or next order does the same), then
   * of the vouchers expired unused by then (the ledger's moments run), with the points they give back.
   */
  #expire(customerId: string, state: AccountState, at: string): AccountState {
    const expiry = decideExpiry(state, at);
    let current = state;
    if (expiry.length > 0) {
      let expired = 0;
      for (const action of expiry) if (action.type === 'debit') for (const d of action.debits) expired += d.points;
      this.#totals.expired(expired);
      current = applyActions(state, expiry, { at, id: operationId.expiry(customerId, at), compiled: this.#compiled }).state;
    }
    const due = this.#voucherExpiries(current, at);
    if (due.expired === 0) return current;
    for (const refunded of due.each) this.#totals.voucherExpired(refunded);
    this.#totals.expired(due.lapsed);
    return due.state;
  }

  /**
   * The customer's account as of `at` with what expired by then recorded, kept when it changed (so what was
   * recorded is not counted again), for a decision that reads it.
   */
  #current(customerId: string, at: string): AccountState {
    const state = this.#stateOf(customerId);
    const current = this.#expire(customerId, state, at);
    if (current !== state) this.#states.set(customerId, current);
    return current;
  }

  /**
   * Every voucher of `state` unused and past its `expiresAt` at `at`, expired as decideVoucherExpiry decides it: the
   * account after, how many expired, the points each gave back (restored into their lots), and of those the points
   * whose lot had expired meanwhile (back, and expired at once). Counts nothing in the totals.
   */
  #voucherExpiries(state: AccountState, at: string): { state: AccountState; expired: number; refunded: number; each: number[]; lapsed: number } {
    const each: number[] = [];
    let current = state;
    let lapsed = 0;
    for (const voucher of state.vouchers ?? []) {
      if (voucher.used || voucher.expired || voucher.expiresAt > at) continue;
      const expiry = decideVoucherExpiry(this.#compiled, voucher, at);
      let back = 0;
      for (const action of expiry.actions) {
        if (action.type === 'restore') for (const c of action.credits) back += c.points;
        if (action.type === 'debit') for (const d of action.debits) lapsed += d.points;
      }
      each.push(back);
      current = applyActions(current, [...expiry.actions, expiry.fired], { at, id: `voucher-expiry:${voucher.code}`, compiled: this.#compiled }).state;
    }
    return { state: current, expired: each.length, refunded: each.reduce((sum, n) => sum + n, 0), each, lapsed };
  }

  #effect(effect: EffectAction, at: string, parent: string): void {
    if (effect.type === 'campaign') {
      for (const { ruleId, points } of effect.deltas) this.#campaignUsage[ruleId] = (this.#campaignUsage[ruleId] ?? 0) + points;
      return;
    }
    const actions = effect.type === 'referrer-reward' ? referrerReward(effect) : referrerReversal(effect);
    this.#seen.add(effect.referrerId);
    this.#apply(effect.referrerId, this.#stateOf(effect.referrerId), actions, at, operationId.referrer(parent));
  }

  /** The referral of a customer's first order, decided once: pending with its referrer, or refused with the reason. */
  #enrol(profile: CustomerInput | undefined, state: AccountState): { referral: NonNullable<AccountState['referral']>; refused?: string } | undefined {
    if (!profile?.referredBy || state.referral || this.#referralsDecided.has(profile.id)) return undefined;
    const code = profile.referredBy.code;
    const referrer = this.#directory?.referrer(code);
    const enrolment = checkReferralEnrolment(this.#compiled, { referee: profile, referrer, refereeHasOrdered: false });
    if (enrolment.status === 'rejected') return { referral: { code, status: 'rejected', reason: enrolment.reason }, refused: enrolment.reason };
    if (!referrer) return { referral: { code, status: 'rejected', reason: 'unknown-code' }, refused: 'unknown-code' };
    return { referral: { code, status: 'pending', referrerId: referrer.id } };
  }

  /** The order as a return decides it, from what was kept of it. */
  #recordedOrder(orderId: string, held: Returnable): RecordedOrder {
    const order = { ...(JSON.parse(held.text) as Omit<OrderInput, 'id' | 'currency'>), id: orderId, customerId: held.customerId, placedAt: held.placedAt, currency: this.#compiled.program.currency };
    const snapshot: OrderSnapshot = { programId: this.#compiled.id, programVersion: this.#compiled.version ?? null, tierBefore: held.tierBefore, usage: held.usageRead, campaignUsage: held.campaignUsageRead };
    return {
      orderId,
      customerId: held.customerId,
      placedAt: held.placedAt,
      order,
      programId: this.#compiled.id,
      programVersion: this.#compiled.version ?? 0,
      snapshot,
      awarded: held.awarded,
      ...(held.lotId ? { lotId: held.lotId } : {}),
      availableAt: held.availableAt,
      tierSpend: held.tierSpend,
      ...(held.referral ? { referral: held.referral } : {}),
      returns: held.returns ?? [],
    };
  }

  /** Orders whose return period ended before `at` are forgotten. */
  #forgetReturnables(at: number): void {
    const queue = this.#returnQueue;
    while (this.#returnHead < queue.length) {
      const orderId = queue[this.#returnHead]!;
      const held = this.#returnable.get(orderId);
      if (held && held.placedMs + this.#returnMs >= at) break;
      this.#returnHead++;
      if (held) this.#returnable.delete(orderId);
    }
    // Compact the queue once its consumed head is large, so it stays proportional to the orders still returnable.
    if (this.#returnHead > 4096 && this.#returnHead * 2 > queue.length) {
      this.#returnQueue = queue.slice(this.#returnHead);
      this.#returnHead = 0;
    }
  }

  /** Moves every customer to `at`; forgets those with nothing left (their tier is then the base tier, a downgrade if it was not). */
  #sweep(ms: number): void {
    const at = formatUtc(ms);
    for (const [id, state] of this.#states) {
      const current = applyActions(this.#expire(id, state, at), [], { at, id: operationId.expiry(id, at), compiled: this.#compiled }).state;
      if (this.#idle(current, ms)) {
        this.#totals.tierMove(recordedTier(this.#compiled, current), this.#baseTier);
        this.#states.delete(id);
        if (this.#anniversaries && current.firstOrderAt !== undefined) this.#remembered.set(id, remembered(current));
      } else {
        this.#states.set(id, current);
      }
    }
  }

  /**
   * Nothing a later record could read: no lots, debt, tier-window orders, counters or vouchers still kept, no birthday
   * still to guard.
   */
  #idle(state: AccountState, ms: number): boolean {
    const birthday = state.yearly?.birthday;
    return (
      state.points.lots.length === 0 &&
      state.points.debt === 0 &&
      state.orders.length === 0 &&
      state.usage.length === 0 &&
      (state.vouchers === undefined || state.vouchers.length === 0) &&
      (birthday === undefined || Date.parse(birthday.at) + BIRTHDAY_KEPT_MS < ms)
    );
  }
}

/**
 * The voucher code of reward redemption `redemptionId` in a simulation: 10 bytes derived from the id (three 32-bit
 * FNV-1a hashes with different offsets, each through the murmur3 finalizer), so a run is repeatable without a random
 * source. On the rare code another voucher of the same account already has, the id is hashed again with `#1`, `#2`...
 * (codes only need to be unique per account: a voucher use names its customer).
 *
 * @example simulatedVoucherCode('rr-1') // the same 'XXXX-XXXX-XXXX-XXXX' on every run
 */
export function simulatedVoucherCode(redemptionId: string, state?: Pick<AccountState, 'vouchers'>): string {
  const taken = new Set((state?.vouchers ?? []).map((v) => v.code));
  for (let attempt = 0; ; attempt++) {
    const code = formatVoucherCode(hashBytes(attempt === 0 ? redemptionId : `${redemptionId}#${attempt}`));
    if (!taken.has(code)) return code;
  }
}

function hashBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(12);
  for (let lane = 0; lane < 3; lane++) {
    let h = (0x811c9dc5 ^ Math.imul(lane + 1, 0x9e3779b9)) >>> 0;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    h ^= h >>> 16;
    for (let b = 0; b < 4; b++) bytes[(lane * 4) + b] = (h >>> (24 - (8 * b))) & 0xff;
  }
  return bytes.subarray(0, VOUCHER_CODE_BYTES);
}

/** What a forgotten customer's account keeps: its first order and its yearly rewards. */
type Remembered = Pick<AccountState, 'firstOrderId' | 'firstOrderAt' | 'yearly'>;

function remembered(state: AccountState): Remembered {
  return {
    ...(state.firstOrderId !== undefined ? { firstOrderId: state.firstOrderId } : {}),
    ...(state.firstOrderAt !== undefined ? { firstOrderAt: state.firstOrderAt } : {}),
    ...(state.yearly ? { yearly: state.yearly } : {}),
  };
}

/**
 * A referral code in the form the ledger stores and looks up (`normalizeReferralCode`), or undefined for a code no
 * customer can own.
 */
export function referralKey(code: string): string | undefined {
  try {
    return normalizeReferralCode(code);
  } catch {
    return undefined;
  }
}

/**
 * An in-memory {@link CustomerDirectory} over a list of profiles (for requests and tests).
 *
 * @example
 * new ProgramSimulation(compiled, { customers: customerDirectory([{ id: 'ayu', referralCode: 'AYU-2026' }]) });
 */
export function customerDirectory(customers: Iterable<CustomerInput>): CustomerDirectory {
  const byId = new Map<string, CustomerInput>();
  const byCode = new Map<string, CustomerInput>();
  for (const customer of customers) {
    if (typeof customer !== 'object' || customer === null || typeof customer.id !== 'string') throw new RangeError(`a customer needs an "id", got ${preview(customer)}`);
    byId.set(customer.id, customer);
    const key = customer.referralCode === undefined ? undefined : referralKey(customer.referralCode);
    if (key !== undefined) byCode.set(key, customer);
  }
  return {
    customer: (id) => byId.get(id),
    referrer: (code) => {
      const key = referralKey(code);
      return key === undefined ? undefined : byCode.get(key);
    },
  };
}
