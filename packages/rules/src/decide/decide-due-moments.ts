/**
 * The time-based moments (docs/moments.md): what falls due on an account between the last run and `through`, with
 * the lead times of the program's `moments` section. N days before an instant is the same local time N calendar
 * days earlier in the program's zone. Each moment is keyed by what it stands for (the lot and the lead time, the
 * tier hold and the lead time), so a late run catches up and a repeated one emits nothing twice.
 *
 * - `points.available`: a pending lot (orders, referrals) becomes available.
 * - `points.expiring`: `daysBefore` a lot expires, once it is available and while it has points left.
 * - `tier.at-risk`: `daysBefore` the hold of the tier held ends (its threshold no longer met, its grace over), as
 *   the hold stood at the last run or stands now.
 * - `follow-up.due`: `moments.followUp.daysAfterDelivery` after a delivery (kept on the account until emitted).
 * - `warranty.window-closing`: `daysBefore` the last day to buy a plan offered for an order line (local midnight),
 *   while units of it are uncovered by a contract and only while that day has not ended.
 * - `case.callback-due` and `case.follow-up-due`: when a complaint case's callback was promised (and not marked done)
 *   and `daysAfterResolution` after its resolution. Their timers stay on the account until they fire (a timer that
 *   fires clears itself), so they do not depend on the last run: a case recorded late with a callback already
 *   overdue is reminded of at the next run.
 * - `points.expired` comes with the expiry itself (decideExpiry); birthdays, anniversaries and a downgrade at the
 *   end of a grace with their decisions (decideMomentsRun runs them all).
 */
import type { AccountAction, MomentAction, TimerFiredAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import { NEVER, type Lot } from '../account/lot.js';
import { settle } from '../account/points-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { pointsLifeMillis } from '../engine/points-life.js';
import type { CustomerInput } from '../input/customer-input.js';
import { momentLeadTimes } from '../program/moments-section.js';
import { formatUtc } from '../time.js';
import { decideExpiry, decideTierReview } from './decide-account-sweeps.js';
import { decideAnniversary, decideBirthday, nextYearlyDue } from './decide-yearly-reward.js';
import { heldTier, recordedTier } from './decision-parts.js';
import type { TierEvaluation } from '../engine/tiers/evaluate-tier.js';
import { expiryField, momentAction } from './moment-actions.js';
import { dayStart } from './warranty-offers.js';
import { pendingUntilDelivery } from './decide-delivery.js';
import { caseTimerMoments } from './case-moments.js';
import { decideVoucherExpiry } from '../rewards/decide-voucher.js';

function lotFields(lot: Lot): Record<string, string | number> {
  return { points: lot.remaining, lotId: lot.id, source: lot.source, ...(lot.orderId !== undefined ? { orderId: lot.orderId } : {}) };
}

/**
 * Where the enumeration of timed moments goes: `wants` is asked of each one's instant (epoch ms) and of the instant
 * a run no longer emits it (a reminder of a window that has closed), and only a moment it wants is built and `add`ed.
 * The run wants those due by its instant; the due index wants none, and keeps the earliest instant it was asked of.
 */
interface MomentSink {
  wants(at: number, until?: number): boolean;
  /**
   * `fired`: what marks the moment's timer done, committed with it (a case's timer); `more`: what else the moment
   * brings (an expired voucher's points given back).
   */
  add(at: number, action: MomentAction, fired?: TimerFiredAction, more?: readonly AccountAction[]): void;
}

/**
 * Every time-based moment of `state` that falls due after `from` (epoch ms; -Infinity when never run): the lots as
 * they stand at `pointsAt`, the tier holds as they stand at each of `holdsAt`. The one enumeration both the run
 * (decideDueMoments) and the due index (nextMomentDue) read, so the index can never miss what a run would emit.
 * Instants stay epoch milliseconds until a moment is built: this runs on every write.
 */
function timedMoments(compiled: CompiledProgram, state: AccountState, from: number, pointsAt: string, holdsAt: readonly string[], sink: MomentSink, hold: HoldAt = (instant) => heldTier(compiled, state, instant)): void {
  const { clock } = compiled;
  const leads = momentLeadTimes(compiled.program.moments);
  // Whether lots of a source waited before becoming available: the same for every lot of the source.
  const waitedBySource = new Map<Lot['source'], boolean>();
  for (const lot of settle(state.points, pointsAt).lots) {
    // A lot expired by now still had its warnings due before: a late run emits them, then its expiry.
    if (lot.remaining <= 0) continue;
    const availableAt = clock.millis(lot.availableAt, '/availableAt');
    // Order points pending from delivery waited even without pending days; until delivered they have no date.
    let waited = waitedBySource.get(lot.source);
    if (waited === undefined) {
      waited = pointsLifeMillis(compiled, lot.source, 0).availableAt > 0 || (lot.source === 'order' && pendingUntilDelivery(compiled));
      waitedBySource.set(lot.source, waited);
    }
    if (waited && lot.availableAt !== NEVER && availableAt > from && sink.wants(availableAt)) {
      sink.add(availableAt, momentAction('points.available', { ...lotFields(lot), availableAt: lot.availableAt, expiresAt: expiryField(lot.expiresAt) }, { occurredAt: lot.availableAt, key: `points.available:${lot.id}` }));
    }
    if (lot.expiresAt === NEVER) continue;
    const expiresAt = clock.millis(lot.expiresAt, '/expiresAt');
    for (const days of leads.pointsExpiring) {
      const at = clock.plusDays(expiresAt, -days);
      if (at <= from || at < availableAt || !sink.wants(at)) continue;
      const occurredAt = formatUtc(at);
      sink.add(at, momentAction('points.expiring', { ...lotFields(lot), expiresAt: lot.expiresAt, daysBefore: days }, { occurredAt, key: `points.expiring:${lot.id}:${days}` }));
    }
  }
  // The hold as it stood at the last run and as it stands now: a late run still warns of a hold that has ended since.
  const warned = new Set<string>();
  for (const holdAt of leads.tierAtRisk.length === 0 ? [] : holdsAt) {
    const tier = hold(holdAt);
    if (!tier?.tierId || tier.until === null) continue;
    const untilMs = clock.millis(tier.until, '/until');
    for (const days of leads.tierAtRisk) {
      const at = clock.plusDays(untilMs, -days);
      if (at <= from || !sink.wants(at)) continue;
      const until = formatUtc(untilMs);
      const key = `tier.at-risk:${tier.tierId}:${until}:${days}`;
      if (warned.has(key)) continue;
      warned.add(key);
      sink.add(at, momentAction('tier.at-risk', { tier: tier.tierId, until, daysBefore: days }, { occurredAt: formatUtc(at), key }));
    }
  }
  for (const offer of leads.warrantyWindowClosing.length === 0 ? [] : (state.warrantyOffers ?? [])) {
    if (offer.covered >= offer.quantity) continue;
    const closesAt = clock.millis(offer.closesAt, '/closesAt');
    for (const days of leads.warrantyWindowClosing) {
      const at = dayStart(compiled, offer.lastPurchaseDay, -days);
      if (at <= from || !sink.wants(at, closesAt)) continue;
      const data = {
        orderId: offer.orderId,
        sku: offer.sku,
        quantity: offer.quantity,
        covered: offer.covered,
        lastPurchaseDay: offer.lastPurchaseDay,
        daysBefore: days,
        // The plans still on sale that day.
        plans: offer.plans.filter((plan) => dayStart(compiled, plan.lastPurchaseDay, 1) > at).map((plan) => ({ ...plan })),
      };
      sink.add(at, momentAction('warranty.window-closing', data, { occurredAt: formatUtc(at), key: `warranty.window-closing:${offer.orderId}:${offer.sku}:${days}` }));
    }
  }
  // A delivery's follow-up, like a case's timer, is not filtered by `from`: it stays on the account until its
  // moment is written (with the action that drops it), so a delivery recorded late still gets its call.
  for (const followUp of state.followUps ?? []) {
    const at = clock.millis(followUp.dueAt, '/dueAt');
    if (!sink.wants(at)) continue;
    const data = { orderId: followUp.orderId, deliveryId: followUp.deliveryId, deliveredAt: followUp.deliveredAt, dueAt: followUp.dueAt };
    sink.add(at, momentAction('follow-up.due', data, { occurredAt: followUp.dueAt, key: followUp.key }), { type: 'follow-up-done', key: followUp.key });
  }
  for (const timer of state.caseTimers ?? []) {
    for (const due of caseTimerMoments(compiled, timer)) if (sink.wants(due.at)) sink.add(due.at, due.moment, due.fired);
  }
  // An unused voucher stays on the account until its expiry is recorded (with its moment), so it expires once.
  for (const voucher of state.vouchers ?? []) {
    if (voucher.used || voucher.expired) continue;
    const at = clock.millis(voucher.expiresAt, '/expiresAt');
    if (!sink.wants(at)) continue;
    const expiry = decideVoucherExpiry(compiled, voucher, pointsAt);
    sink.add(at, expiry.moment, expiry.fired, expiry.actions);
  }
}

/** The tier held at an instant (a caller that needs it too passes its own, so it is evaluated once). */
type HoldAt = (instant: string) => TierEvaluation | undefined;

/** The instants a run reads tier holds at: the last run's (when there was one) and `at`. */
function holdInstants(from: string, at: string): string[] {
  return [from, at].filter((instant) => instant !== '');
}

/** The last run's instant as epoch ms (-Infinity when the account was never run). */
function fromMillis(compiled: CompiledProgram, state: AccountState): number {
  return state.momentsThrough === undefined ? -Infinity : compiled.clock.millis(state.momentsThrough, '/momentsThrough');
}

/**
 * The moments due on `state` after its `momentsThrough` and at or before `through` (UTC ISO), oldest first, and
 * the watermark that records the run.
 *
 * @example decideDueMoments(compiled, state, '2027-02-22T00:00:00.000Z') // [{ type: 'moment', moment: 'points.expiring', ... }, { type: 'moments-through', ... }]
 */
export function decideDueMoments(compiled: CompiledProgram, state: AccountState, through: string): AccountAction[] {
  const from = state.momentsThrough ?? '';
  const end = compiled.clock.millis(through, '/through');
  const due: Array<{ at: number; actions: AccountAction[] }> = [];
  timedMoments(compiled, state, fromMillis(compiled, state), through, holdInstants(from, through), {
    wants: (at, until) => at <= end && (until === undefined || end < until),
    add: (at, action, fired, more) => due.push({ at, actions: [action, ...(fired ? [fired] : []), ...(more ?? [])] }),
  });
  // Stable: moments due at the same instant keep the enumeration's order.
  due.sort((a, b) => a.at - b.at);
  return [...due.flatMap((moment) => moment.actions), { type: 'moments-through', at: through }];
}

/**
 * The earliest instant at which a moments run would find something due on the account as it stands after a write
 * at `at` (UTC ISO), or undefined when nothing ever falls due without another write: a time-based moment after
 * the last run, the expiry of a lot with points left, the end of the tier hold (a downgrade) or a tier recorded
 * differently from the one held, and the next birthday or anniversary window that would grant. The due index of
 * the ledger files the account under this instant, so a run reads only the accounts something is due for. It may
 * be early (the run then finds nothing and files the account again), never late.
 *
 * @example nextMomentDue(compiled, state, ayu, '2026-02-01T03:00:00.000Z') // '2026-02-15T03:00:00.000Z' (points available)
 */
export function nextMomentDue(compiled: CompiledProgram, state: AccountState, customer: CustomerInput | undefined, at: string): string | undefined {
  const { clock } = compiled;
  const holdNow = heldTier(compiled, state, at);
  const hold: HoldAt = (instant) => (instant === at ? holdNow : heldTier(compiled, state, instant));
  let next = Infinity;
  const consider = (instant: number): void => {
    if (instant < next) next = instant;
  };
  timedMoments(compiled, state, fromMillis(compiled, state), at, holdInstants(state.momentsThrough ?? '', at), {
    wants: (instant, until) => {
      if (until === undefined || instant < until) consider(instant);
      return false;
    },
    add: () => undefined,
  }, hold);
  for (const lot of settle(state.points, at).lots) if (lot.remaining > 0 && lot.expiresAt !== NEVER) consider(clock.millis(lot.expiresAt, '/expiresAt'));
  if (holdNow) {
    if (holdNow.until) consider(clock.millis(holdNow.until, '/until'));
    if (holdNow.tierId !== recordedTier(compiled, state)) consider(clock.millis(at, '/at'));
  }
  if (customer) {
    const tier = holdNow?.tierId ?? null;
    for (const kind of ['birthday', 'anniversary'] as const) {
      const due = nextYearlyDue(kind, compiled, state, customer, at, tier);
      if (due !== undefined) consider(clock.millis(due, '/at'));
    }
  }
  return next === Infinity ? undefined : formatUtc(next);
}

/** The answer of {@link decideMomentsRun}. */
export interface MomentsRun {
  readonly actions: readonly AccountAction[];
  /** Something is due: the actions do more than move the watermark. */
  readonly due: boolean;
}

/**
 * A moments run on one account at `through` (UTC ISO): the birthday and anniversary rewards due then, the tier
 * review when it changes the tier (a downgrade at the end of a grace), the expiry of lots expired by then, and the
 * time-based moments due since the last run.
 *
 * @example decideMomentsRun(compiled, state, ayu, { at: '2027-03-01T00:00:00.000Z' }).due
 */
export function decideMomentsRun(compiled: CompiledProgram, state: AccountState, customer: CustomerInput | undefined, options: { readonly at: string }): MomentsRun {
  const { at } = options;
  const actions: AccountAction[] = [];
  if (customer) {
    actions.push(...decideBirthday(compiled, state, customer, { at }).actions);
    actions.push(...decideAnniversary(compiled, state, customer, { at }).actions);
  }
  const review = compiled.tiers ? decideTierReview(compiled, state, at) : undefined;
  if (review && review.from !== review.to) actions.push(...review.actions);
  actions.push(...decideExpiry(state, at));
  const moments = decideDueMoments(compiled, state, at);
  const all = [...actions, ...moments];
  // The customer's moments in the order they happened (a warning before the expiry it warned of); moments change
  // nothing the other actions read, so they may move.
  const when = (action: AccountAction): string => (action.type === 'moment' ? (action.occurredAt ?? at) : at);
  const ordered = [...all.filter((a) => a.type !== 'moment'), ...all.filter((a) => a.type === 'moment').sort((a, b) => (when(a) < when(b) ? -1 : when(a) > when(b) ? 1 : 0))];
  return { actions: ordered, due: actions.length > 0 || moments.length > 1 };
}
