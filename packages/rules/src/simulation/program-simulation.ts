/**
 * ProgramSimulation: replays a history (orders, returns, redemptions, custom events, birthday sweeps, adjustments)
 * through a program, one record at a time in time order, and totals what it would have issued and what is left.
 * Pure (no clock, no I/O): the caller streams the records in; `purna simulate` reads them from a file,
 * `POST /v1/program/simulate` from a request.
 *
 * Each record is decided by the same rules function the ledger calls for it (`quoteOrder`, `evaluateReturn`,
 * `evaluateRedemption`, `evaluateEvent`, `evaluateBirthday`, `evaluateReferralOrder`), with the history the ledger
 * would have passed at that moment, and applied to the customer's lots with the ledger's arithmetic (see
 * points-account.ts). So order points are exactly the sum of per-order quotes, clawbacks the sum of per-return
 * clawbacks, and expiry follows each lot's life.
 *
 * Memory: per customer only what can still matter is kept (customer-state.ts); orders are kept for returns for
 * `returnDays` after they were placed; customers with nothing left are forgotten. The report's size depends on the
 * program (rules, tiers, reason codes), never on the number of records.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import { evaluateEvent } from '../engine/events/evaluate-event.js';
import { evaluateTier } from '../engine/tiers/evaluate-tier.js';
import { pointsLifeMillis } from '../engine/points-life.js';
import { quoteOrder, type OrderQuote, type OrderSnapshot } from '../engine/earning/quote-order.js';
import type { PointsSource } from '../engine/actions.js';
import { InputError, inputError } from '../errors.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal, preview } from '../money/money.js';
import { evaluateBirthday } from '../birthday/evaluate-birthday.js';
import { evaluateRedemption } from '../redemption/evaluate-redemption.js';
import { evaluateReferralOrder } from '../referral/evaluate-referral-order.js';
import { normalizeReferralCode } from '../referral/referral-code.js';
import { checkReferralEnrolment } from '../referral/referral-enrolment.js';
import { evaluateReturn } from '../returns/evaluate-return.js';
import type { ReturnLineInput } from '../returns/return-lines.js';
import { CustomerState, type HeldOrder } from './customer-state.js';
import type { SimulatedLot } from './points-account.js';
import { retentionPolicy, type RetentionPolicy } from './retention-policy.js';
import {
  integerField,
  recordType,
  textField,
  type AdjustmentRecord,
  type BirthdayRecord,
  type CustomerDirectory,
  type EventRecord,
  type OrderRecord,
  type RedemptionRecord,
  type ReturnRecord,
  type SimulationRecord,
} from './simulation-record.js';
import type { SimulationReport, TierMovement, TierTotals } from './simulation-report.js';

/** How often (in records) every customer's state is pruned. A customer's state is also pruned at each of their records. */
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

/** What a return needs of its order, kept for `returnDays`. Kept lean: there can be a hundred thousand of them. */
interface Returnable {
  readonly customerId: string;
  readonly state: CustomerState;
  /**
   * The order as JSON text without the fields kept elsewhere (id, customerId, placedAt, currency): smaller than the
   * parsed object, and parsed again only when a return comes.
   */
  readonly text: string;
  /** What the order read (the snapshot without the program's id and version, which are this simulation's). */
  readonly tierBefore: string | null;
  readonly usageRead: Readonly<Record<string, number>>;
  readonly campaignUsageRead: Readonly<Record<string, number>>;
  /** Its tier-window entry; `points` is what the order has earned net of earlier returns. */
  readonly held: HeldOrder;
  readonly lot: SimulatedLot | undefined;
  returned: ReturnLineInput[] | undefined;
  referral: { readonly referrer: CustomerState; readonly referrerLot: SimulatedLot | undefined; readonly refereeLot: SimulatedLot | undefined; readonly referrerPoints: number; readonly refereePoints: number } | undefined;
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

type ReferralPlan =
  | { readonly qualifies: false; readonly reason: string }
  | { readonly qualifies: true; readonly referrerId: string; readonly referrerPoints: number; readonly refereePoints: number; readonly usage: ReadonlyArray<{ readonly key: string; readonly count: number }> };

interface MutableTierTotals {
  orders: number;
  spend: Decimal;
  points: number;
}

function count(into: Map<string, number>, key: string, n = 1): void {
  into.set(key, (into.get(key) ?? 0) + n);
}

function sortedRecord(map: ReadonlyMap<string, number>): Record<string, number> {
  return Object.fromEntries([...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
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
  readonly #policy: RetentionPolicy;
  readonly #directory: CustomerDirectory | undefined;
  readonly #returnMs: number;
  readonly #states = new Map<string, CustomerState>();
  readonly #seen = new Set<string>();
  readonly #returnable = new Map<string, Returnable>();
  /** Ids of the returnable orders, oldest first (each stops being returnable `returnDays` after it was placed). */
  #returnQueue: string[] = [];
  #returnHead = 0;
  readonly #referralsDecided = new Set<string>();
  readonly #campaignUsage: Record<string, number> = {};
  readonly #baseTier: string | null;
  /** Ids of order-scope earning rules: an order one of them applied to has order shares, read from the trace. */
  readonly #orderScoped: ReadonlySet<string>;
  #records = 0;
  #orders = 0;
  #lotSeq = 0;
  #first: string | null = null;
  #last: string | null = null;
  #lastMs = Number.NEGATIVE_INFINITY;
  #spend = new Decimal(0);
  #points = 0;
  #rounding = new Decimal(0);
  readonly #byRule = new Map<string, { orders: number; points: Decimal }>();
  readonly #byTier = new Map<string, MutableTierTotals>();
  readonly #movements = new Map<string, TierMovement & { count: number }>();
  readonly #issued = { orders: 0, referrals: 0, events: 0, birthdays: 0, adjustments: 0 };
  #clawedBack = 0;
  #reversed = 0;
  #redeemed = 0;
  #expired = 0;
  #removed = 0;
  readonly #returns = { count: 0, full: 0 };
  readonly #redemptions = { accepted: 0, points: 0, discount: new Decimal(0), refused: 0, refusedBy: new Map<string, number>() };
  readonly #events = { count: 0, points: 0, byRule: new Map<string, { events: number; points: number }>(), zeroBy: new Map<string, number>() };
  readonly #birthdays = { granted: 0, points: 0, notDueBy: new Map<string, number>() };
  readonly #referrals = { qualified: 0, referrerPoints: 0, refereePoints: 0, notQualifiedBy: new Map<string, number>(), reversed: 0 };
  readonly #adjustments = { count: 0, added: 0, removed: 0 };

  constructor(compiled: CompiledProgram, options: SimulationOptions = {}) {
    const returnDays = options.returnDays ?? DEFAULT_RETURN_DAYS;
    if (!Number.isSafeInteger(returnDays) || returnDays < 0) throw new RangeError(`returnDays must be a whole number of days (0 or more), got ${String(returnDays)}`);
    this.#compiled = compiled;
    this.#policy = retentionPolicy(compiled);
    this.#directory = options.customers;
    this.#returnMs = returnDays * DAY_MS;
    for (const rule of compiled.program.earning) this.#byRule.set(rule.id, { orders: 0, points: new Decimal(0) });
    this.#orderScoped = new Set(compiled.program.earning.filter((rule) => rule.scope === 'order').map((rule) => rule.id));
    this.#baseTier = evaluateTier(compiled, { orders: [] }, { at: '2000-01-01T00:00:00Z' }).tierId;
  }

  /** Orders added so far. */
  get orders(): number {
    return this.#orders;
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
    for (const state of this.#states.values()) n += state.size;
    return n;
  }

  /**
   * Decides one record with the customer's history so far and adds it to the totals. Records must come in time
   * order (an order's `placedAt`, any other record's `at`). Throws an InputError (and changes nothing) when the
   * record cannot be decided; its pointers are relative to the record (`/lines/0/unitPrice`, `/orderId`).
   */
  add(record: SimulationRecord): void {
    const type = recordType(record);
    switch (type) {
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
        this.#addBirthday(record as BirthdayRecord);
        break;
      case 'adjustment':
        this.#addAdjustment(record as AdjustmentRecord);
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
    const at = this.#time(order.placedAt, '/placedAt', 'orders');
    if (this.#returnMs > 0 && this.#returnable.has(order.id)) return inputError('/id', 'duplicate-order', `order "${order.id}" was already recorded (order ids must be unique)`);
    const profile = this.#directory?.customer(customerId);
    const existing = this.#states.get(customerId);
    let quote: OrderQuote;
    try {
      quote = quoteOrder(
        this.#compiled,
        { customer: profile ?? { id: customerId }, order, history: { orders: existing?.orders ?? [], usage: existing?.usage() ?? {}, campaignUsage: this.#campaignUsage } },
        { at: order.placedAt },
      );
    } catch (error) {
      // quoteOrder points into its input ("/order/currency"); a simulation's caller has the order itself.
      return relocate(error, /^\/order(?=\/|$)/);
    }
    const referral = profile ? this.#decideReferral(profile, order) : undefined;
    const ruleShares = this.#ruleShares(quote);
    const spend = quote.lines.reduce((sum, line) => sum.plus(line.amount), new Decimal(0));
    const exact = new Decimal(quote.exact);

    // Decided: from here on, nothing throws.
    this.#accept(order.placedAt, at, customerId);
    const state = this.#enter(customerId, at);
    this.#orders++;
    this.#points += quote.points;
    this.#issued.orders += quote.points;
    this.#rounding = this.#rounding.plus(new Decimal(quote.points).minus(exact));
    this.#spend = this.#spend.plus(spend);
    for (const [ruleId, points] of ruleShares) {
      const totals = this.#byRule.get(ruleId) ?? { orders: 0, points: new Decimal(0) };
      totals.orders++;
      totals.points = totals.points.plus(points);
      this.#byRule.set(ruleId, totals);
    }
    const tierKey = quote.tierBefore ?? NONE;
    const tier = this.#byTier.get(tierKey) ?? { orders: 0, spend: new Decimal(0), points: 0 };
    tier.orders++;
    tier.spend = tier.spend.plus(spend);
    tier.points += quote.points;
    this.#byTier.set(tierKey, tier);
    this.#move(state.tier, quote.tierBefore);
    this.#move(quote.tierBefore, quote.tierAfter);
    state.tier = quote.tierAfter;

    const held: HeldOrder = { id: order.id, placedAt: order.placedAt, tierSpend: quote.tierSpend, points: quote.points, ms: at };
    if (this.#compiled.tiers) state.addOrder(held);
    state.addUsage(quote.usage, at, this.#policy);
    for (const { ruleId, points } of quote.campaignUsage) this.#campaignUsage[ruleId] = (this.#campaignUsage[ruleId] ?? 0) + points;
    const keep = this.#returnMs > 0;
    const lot = quote.points > 0 ? this.#grant(state, 'order', quote.points, at, keep) : undefined;
    let returnable: Returnable | undefined;
    if (keep) {
      const { id: _id, customerId: _customer, placedAt: _placedAt, currency: _currency, ...rest } = order;
      const snapshot = quote.snapshot;
      returnable = {
        customerId,
        state,
        text: flat(JSON.stringify(rest)),
        tierBefore: snapshot.tierBefore,
        usageRead: countersOrShared(snapshot.usage),
        campaignUsageRead: countersOrShared(snapshot.campaignUsage),
        held,
        lot,
        returned: undefined,
        referral: undefined,
      };
    }
    if (referral) this.#applyReferral(profile!, referral, state, at, returnable);
    if (returnable) {
      state.open++;
      this.#returnable.set(order.id, returnable);
      this.#returnQueue.push(order.id);
    }
  }

  #addReturn(record: ReturnRecord): void {
    const returnId = textField(record as unknown as Record<string, unknown>, 'id');
    const orderId = textField(record as unknown as Record<string, unknown>, 'orderId');
    const atText = textField(record as unknown as Record<string, unknown>, 'at');
    const at = this.#time(atText, '/at', 'records');
    const found = this.#returnable.get(orderId);
    // Forgotten once its return period is over (the queue drops it when the next record is accepted).
    const held = found && found.held.ms + this.#returnMs >= at ? found : undefined;
    if (!held) {
      return inputError(
        '/orderId',
        'unknown-order',
        `return ${returnId}: order "${orderId}" is not known to the simulation: it was never recorded, or placed more than ${this.#returnMs / DAY_MS} days before the return (orders are kept for returns that long)`,
      );
    }
    const profile = this.#directory?.customer(held.customerId);
    const order = { ...(JSON.parse(held.text) as Omit<OrderInput, 'id' | 'currency'>), id: orderId, customerId: held.customerId, placedAt: held.held.placedAt, currency: this.#compiled.program.currency };
    const snapshot: OrderSnapshot = { programId: this.#compiled.id, programVersion: this.#compiled.version ?? null, tierBefore: held.tierBefore, usage: held.usageRead, campaignUsage: held.campaignUsageRead };
    let decision: ReturnType<typeof evaluateReturn>;
    try {
      decision = evaluateReturn(
        this.#compiled,
        { order, snapshot, returnedBefore: held.returned ?? [], lines: record.lines, awardedSoFar: held.held.points, customer: profile ?? { id: held.customerId } },
        { at: atText },
      );
    } catch (error) {
      return relocate(error, /^\/return(?=\/|$)/);
    }

    this.#accept(atText, at, held.customerId);
    const state = this.#enter(held.customerId, at);
    state.account.clawBack(decision.clawback, at, held.lot);
    held.returned = [...(held.returned ?? []), ...record.lines];
    held.held.tierSpend = decision.tierSpendAfter;
    held.held.points -= decision.clawback;
    state.addUsage(decision.usage, at, this.#policy);
    for (const { ruleId, points } of decision.campaignUsage) this.#campaignUsage[ruleId] = (this.#campaignUsage[ruleId] ?? 0) + points;
    this.#clawedBack += decision.clawback;
    this.#returns.count++;
    if (decision.fullyReturned) this.#returns.full++;
    const referral = held.referral;
    if (decision.reverseReferral && referral) {
      held.referral = undefined;
      this.#referrals.reversed++;
      if (referral.refereePoints > 0) state.account.clawBack(referral.refereePoints, at, referral.refereeLot);
      if (referral.referrerPoints > 0) {
        this.#expired += referral.referrer.account.advance(at);
        referral.referrer.account.clawBack(referral.referrerPoints, at, referral.referrerLot);
      }
      this.#reversed += referral.refereePoints + referral.referrerPoints;
    }
  }

  #addRedemption(record: RedemptionRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    textField(fields, 'id');
    const customerId = textField(fields, 'customerId');
    const orderTotal = textField(fields, 'orderTotal');
    const points = integerField(fields, 'points');
    const atText = textField(fields, 'at');
    const at = this.#time(atText, '/at', 'records');
    const view = this.#states.get(customerId)?.account.view(at) ?? { available: 0, pending: 0, expiring: 0, debt: 0 };
    const decision = evaluateRedemption(
      this.#compiled,
      { points, orderTotal, available: Math.max(0, view.available - view.debt), balance: view.available + view.pending - view.debt },
      { at: atText },
    );

    this.#accept(atText, at, customerId);
    if (!decision.accepted) {
      this.#redemptions.refused++;
      for (const reason of decision.reasons) count(this.#redemptions.refusedBy, reason.code);
      return;
    }
    this.#enter(customerId, at).account.redeem(decision.points, at);
    this.#redeemed += decision.points;
    this.#redemptions.accepted++;
    this.#redemptions.points += decision.points;
    this.#redemptions.discount = this.#redemptions.discount.plus(decision.discount);
  }

  #addEvent(record: EventRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const id = textField(fields, 'id');
    const customerId = textField(fields, 'customerId');
    const type = textField(fields, 'event');
    const atText = textField(fields, 'at');
    const at = this.#time(atText, '/at', 'records');
    const state = this.#states.get(customerId);
    const profile = this.#directory?.customer(customerId);
    const event = { id, customerId, type, occurredAt: record.occurredAt ?? atText, ...(record.attributes ? { attributes: record.attributes } : {}) };
    let answer: ReturnType<typeof evaluateEvent>;
    try {
      answer = evaluateEvent(this.#compiled, { customer: profile ?? { id: customerId }, event, history: { orders: state?.orders ?? [], usage: state?.usage() ?? {} } }, { at: atText });
    } catch (error) {
      return relocate(error, /^\/event(?=\/|$)/);
    }

    this.#accept(atText, at, customerId);
    this.#events.count++;
    if (answer.points === 0) count(this.#events.zeroBy, answer.reason ?? 'no-points');
    if (answer.points === 0 && answer.usage.length === 0) return;
    const target = this.#enter(customerId, at);
    target.addUsage(answer.usage, at, this.#policy);
    if (answer.points > 0) {
      this.#grant(target, 'event', answer.points, at, false);
      this.#issued.events += answer.points;
      this.#events.points += answer.points;
      for (const t of answer.trace.rules) {
        if (!t.applied) continue;
        const totals = this.#events.byRule.get(t.ruleId) ?? { events: 0, points: 0 };
        totals.events++;
        totals.points += t.points;
        this.#events.byRule.set(t.ruleId, totals);
      }
    }
  }

  #addBirthday(record: BirthdayRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    const customerId = textField(fields, 'customerId');
    const atText = textField(fields, 'at');
    const at = this.#time(atText, '/at', 'records');
    const state = this.#states.get(customerId);
    const profile = this.#directory?.customer(customerId) ?? { id: customerId };
    const tier = this.#compiled.tiers && this.#compiled.program.birthday ? evaluateTier(this.#compiled, { orders: state?.orders ?? [] }, { at: atText }).tierId : null;
    const granted = state?.birthdayYear !== undefined && state.birthdayKeptUntil >= at ? [state.birthdayYear] : [];
    const decision = evaluateBirthday(this.#compiled, profile, { at: atText, alreadyGranted: granted, ...(tier !== null ? { tier } : {}) });

    this.#accept(atText, at, customerId);
    if (!decision.due || decision.year === undefined) {
      count(this.#birthdays.notDueBy, decision.reasons[0]?.code ?? 'not-due');
      return;
    }
    const target = this.#enter(customerId, at);
    target.birthdayYear = decision.year;
    target.birthdayKeptUntil = at + BIRTHDAY_KEPT_MS;
    if (decision.points > 0) this.#grant(target, 'birthday', decision.points, at, false);
    this.#issued.birthdays += decision.points;
    this.#birthdays.granted++;
    this.#birthdays.points += decision.points;
  }

  #addAdjustment(record: AdjustmentRecord): void {
    const fields = record as unknown as Record<string, unknown>;
    textField(fields, 'id');
    const customerId = textField(fields, 'customerId');
    const points = integerField(fields, 'points');
    if (points === 0) return inputError('/points', 'zero-adjustment', 'an adjustment must add or remove at least 1 point');
    const atText = textField(fields, 'at');
    const at = this.#time(atText, '/at', 'records');

    this.#accept(atText, at, customerId);
    const state = this.#enter(customerId, at);
    this.#adjustments.count++;
    if (points > 0) {
      this.#grant(state, 'adjustment', points, at, false);
      this.#issued.adjustments += points;
      this.#adjustments.added += points;
    } else {
      state.account.clawBack(-points, at, undefined);
      this.#removed -= points;
      this.#adjustments.removed -= points;
    }
  }

  // ---- the report ---------------------------------------------------------------------------------------------

  /** The totals so far; balances, expiry and tiers at the end are read at the last record's instant. */
  report(): SimulationReport {
    const movements = new Map(this.#movements);
    const tiersAtEnd: Record<string, number> = {};
    let held = 0;
    let expired = this.#expired;
    let available = 0;
    let pending = 0;
    let outstanding = 0;
    let debt = 0;
    for (const state of this.#states.values()) {
      if (this.#last !== null) {
        const view = state.account.view(this.#lastMs);
        expired += view.expiring;
        available += view.available;
        pending += view.pending;
        const balance = view.available + view.pending - view.debt;
        if (balance > 0) outstanding += balance;
        else debt -= balance;
      }
      if (state.orders.length === 0 && state.tier === this.#baseTier) continue;
      const end = this.#last === null ? state.tier : evaluateTier(this.#compiled, { orders: state.orders }, { at: this.#last }).tierId;
      if (end !== state.tier) this.#countMove(movements, state.tier, end);
      tiersAtEnd[end ?? NONE] = (tiersAtEnd[end ?? NONE] ?? 0) + 1;
      held++;
    }
    // Customers without orders in the window hold the base tier.
    const rest = this.#seen.size - held;
    if (rest > 0) tiersAtEnd[this.#baseTier ?? NONE] = (tiersAtEnd[this.#baseTier ?? NONE] ?? 0) + rest;

    const pointValue = this.#compiled.program.points.redemption?.pointValue ?? null;
    const issued = this.#issued.orders + this.#issued.referrals + this.#issued.events + this.#issued.birthdays + this.#issued.adjustments;
    const value = (points: number): string | null => (pointValue === null ? null : new Decimal(points).times(pointValue).toString());
    const issuedValue = value(issued - this.#clawedBack - this.#reversed);
    const byTier: Record<string, TierTotals> = {};
    for (const [id, t] of this.#byTier) byTier[id] = { orders: t.orders, spend: t.spend.toString(), points: t.points };
    const byRule: Record<string, { orders: number; points: string }> = {};
    for (const [id, r] of this.#byRule) byRule[id] = { orders: r.orders, points: r.points.toString() };
    return {
      programId: this.#compiled.id,
      programVersion: this.#compiled.version ?? null,
      currency: this.#compiled.program.currency,
      orders: this.#orders,
      customers: this.#seen.size,
      from: this.#first,
      until: this.#last,
      spend: this.#spend.toString(),
      points: this.#points,
      pointsPerSpend: this.#spend.isZero() ? '0' : new Decimal(this.#points).div(this.#spend).toSignificantDigits(6).toString(),
      pointValue,
      liability: value(outstanding),
      issuedValue,
      rewardRate: issuedValue === null || this.#spend.isZero() ? null : new Decimal(issuedValue).div(this.#spend).toSignificantDigits(6).toString(),
      byRule,
      rounding: this.#rounding.toString(),
      byTier,
      tierMovements: [...movements.values()].sort((a, b) => b.count - a.count),
      tiersAtEnd,
      flow: {
        issued,
        issuedBy: { ...this.#issued },
        clawedBack: this.#clawedBack,
        reversed: this.#reversed,
        redeemed: this.#redeemed,
        expired,
        removed: this.#removed,
        outstanding,
        available,
        pending,
        debt,
      },
      returns: { count: this.#returns.count, full: this.#returns.full, clawedBack: this.#clawedBack },
      redemptions: {
        accepted: this.#redemptions.accepted,
        points: this.#redemptions.points,
        discount: this.#redemptions.discount.toString(),
        refused: this.#redemptions.refused,
        refusedBy: sortedRecord(this.#redemptions.refusedBy),
      },
      events: { count: this.#events.count, points: this.#events.points, byRule: Object.fromEntries(this.#events.byRule), zeroBy: sortedRecord(this.#events.zeroBy) },
      birthdays: { granted: this.#birthdays.granted, points: this.#birthdays.points, notDueBy: sortedRecord(this.#birthdays.notDueBy) },
      referrals: {
        qualified: this.#referrals.qualified,
        referrerPoints: this.#referrals.referrerPoints,
        refereePoints: this.#referrals.refereePoints,
        notQualifiedBy: sortedRecord(this.#referrals.notQualifiedBy),
        reversed: this.#referrals.reversed,
      },
      adjustments: { ...this.#adjustments },
    };
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  /** Epoch milliseconds of a record's instant, refused when it comes before the previous record. */
  #time(value: string, pointer: string, what: string): number {
    const at = this.#compiled.clock.millis(value, pointer);
    if (at < this.#lastMs) return inputError(pointer, 'out-of-order', `${what} must be in time order: ${value} comes before the previous record (${this.#last ?? ''})`);
    return at;
  }

  /** A record was decided: time moves on. */
  #accept(text: string, at: number, customerId: string): void {
    this.#first ??= text;
    this.#last = text;
    this.#lastMs = at;
    this.#seen.add(customerId);
    this.#forgetReturnables(at);
  }

  /** The customer's state, created if needed, moved to `at` (lots settled and expired, old entries pruned). */
  #enter(customerId: string, at: number): CustomerState {
    let state = this.#states.get(customerId);
    if (!state) {
      state = new CustomerState(this.#baseTier);
      this.#states.set(customerId, state);
    }
    this.#expired += state.account.advance(at);
    state.prune(at, this.#cutoff(at));
    return state;
  }

  #grant(state: CustomerState, source: PointsSource, points: number, at: number, pinned: boolean): SimulatedLot {
    const life = pointsLifeMillis(this.#compiled, source, at);
    return state.account.grant(points, life.availableAt, life.expiresAt ?? Number.POSITIVE_INFINITY, this.#lotSeq++, at, pinned);
  }

  /** Whether the referee's first order qualifies their referral (the ledger asks at the first order). Pure. */
  #decideReferral(referee: CustomerInput, order: OrderInput): ReferralPlan | undefined {
    if (!referee.referredBy || this.#referralsDecided.has(referee.id)) return undefined;
    const referrer = this.#directory?.referrer(referee.referredBy.code);
    const enrolment = checkReferralEnrolment(this.#compiled, { referee, referrer, refereeHasOrdered: false });
    if (enrolment.status === 'rejected' || !referrer) return { qualifies: false, reason: enrolment.status === 'rejected' ? enrolment.reason : 'unknown-code' };
    let decision: ReturnType<typeof evaluateReferralOrder>;
    try {
      decision = evaluateReferralOrder(
        this.#compiled,
        { referee, referrer, order, isFirstOrder: true, history: { usage: this.#states.get(referrer.id)?.usage() ?? {} } },
        { at: order.placedAt ?? '' },
      );
    } catch (error) {
      if (error instanceof InputError) {
        throw new InputError(error.errors.map((p) => ({ ...p, message: `referral of ${referee.id} by ${referrer.id}: ${p.message}` })));
      }
      throw error;
    }
    if (!decision.qualifies) return { qualifies: false, reason: decision.reason ?? 'referral-disabled' };
    return { qualifies: true, referrerId: referrer.id, referrerPoints: decision.referrerPoints, refereePoints: decision.refereePoints, usage: decision.usage };
  }

  #applyReferral(referee: CustomerInput, plan: ReferralPlan, state: CustomerState, at: number, returnable: Returnable | undefined): void {
    this.#referralsDecided.add(referee.id);
    if (!plan.qualifies) {
      count(this.#referrals.notQualifiedBy, plan.reason);
      return;
    }
    const keep = returnable !== undefined;
    const refereeLot = plan.refereePoints > 0 ? this.#grant(state, 'referral', plan.refereePoints, at, keep) : undefined;
    this.#seen.add(plan.referrerId);
    const referrer = this.#enter(plan.referrerId, at);
    const referrerLot = plan.referrerPoints > 0 ? this.#grant(referrer, 'referral', plan.referrerPoints, at, keep) : undefined;
    referrer.addUsage(plan.usage, at, this.#policy);
    this.#referrals.qualified++;
    this.#referrals.referrerPoints += plan.referrerPoints;
    this.#referrals.refereePoints += plan.refereePoints;
    this.#issued.referrals += plan.referrerPoints + plan.refereePoints;
    if (returnable) {
      returnable.referral = { referrer, referrerLot, refereeLot, referrerPoints: plan.referrerPoints, refereePoints: plan.refereePoints };
      referrer.open++;
    }
  }

  /** Orders whose return period ended before `at` are forgotten; their lots may merge with others from now on. */
  #forgetReturnables(at: number): void {
    const queue = this.#returnQueue;
    while (this.#returnHead < queue.length) {
      const orderId = queue[this.#returnHead]!;
      const held = this.#returnable.get(orderId);
      if (held && held.held.ms + this.#returnMs >= at) break;
      this.#returnHead++;
      if (!held) continue;
      this.#returnable.delete(orderId);
      held.state.open--;
      if (held.lot) held.lot.pinned = false;
      if (held.referral) {
        held.referral.referrer.open--;
        if (held.referral.refereeLot) held.referral.refereeLot.pinned = false;
        if (held.referral.referrerLot) held.referral.referrerLot.pinned = false;
      }
    }
    // Compact the queue once its consumed head is large, so it stays proportional to the orders still returnable.
    if (this.#returnHead > 4096 && this.#returnHead * 2 > queue.length) {
      this.#returnQueue = queue.slice(this.#returnHead);
      this.#returnHead = 0;
    }
  }

  /**
   * Each rule's exact share of the order's points: its points before the tier multiplier, scaled by the one factor
   * (tier multiplier and per-order cap) that turned the order's subtotal into its exact points, so the shares add up
   * to `exact`. Line shares are enough unless an order-scope rule applied; only then is the full trace written.
   */
  #ruleShares(quote: OrderQuote): Array<[string, Decimal]> {
    const byRule = new Map<string, Decimal>();
    let subtotal = new Decimal(0);
    if (quote.ruleIds.some((id) => this.#orderScoped.has(id))) {
      for (const rule of quote.trace.rules) {
        if (!rule.applied) continue;
        const points = new Decimal(rule.points);
        subtotal = subtotal.plus(points);
        if (!points.isZero()) byRule.set(rule.ruleId, points.plus(byRule.get(rule.ruleId) ?? 0));
      }
    } else {
      for (const line of quote.lines) {
        for (const share of line.rules) {
          const points = new Decimal(share.points);
          subtotal = subtotal.plus(points);
          if (!points.isZero()) byRule.set(share.ruleId, points.plus(byRule.get(share.ruleId) ?? 0));
        }
      }
    }
    if (subtotal.isZero()) return [];
    const scale = new Decimal(quote.exact).div(subtotal);
    return [...byRule].map(([ruleId, points]) => [ruleId, points.times(scale)]);
  }

  /** Orders placed before this instant can no longer affect the tier (undefined: the program has no tiers). */
  #cutoff(at: number): number | undefined {
    const span = this.#policy.historyMs;
    return span === undefined ? undefined : at - span;
  }

  #move(from: string | null, to: string | null): void {
    if (from !== to) this.#countMove(this.#movements, from, to);
  }

  #countMove(into: Map<string, TierMovement & { count: number }>, from: string | null, to: string | null): void {
    const key = `${from ?? ''}\u0000${to ?? ''}`;
    const existing = into.get(key);
    into.set(key, { from, to, count: (existing?.count ?? 0) + 1 });
  }

  /** Moves every customer to `at`; forgets those with nothing left (their tier is then the base tier, a downgrade if it was not). */
  #sweep(at: number): void {
    const cutoff = this.#cutoff(at);
    for (const [id, state] of this.#states) {
      this.#expired += state.account.advance(at);
      state.prune(at, cutoff);
      if (state.idle(at)) {
        this.#move(state.tier, this.#baseTier);
        this.#states.delete(id);
      }
    }
  }
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
