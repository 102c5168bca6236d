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
 * - `warranty.window-closing`: `daysBefore` the last day to buy a plan offered for an order line (local midnight),
 *   while units of it are uncovered by a contract and only while that day has not ended.
 * - `points.expired` comes with the expiry itself (decideExpiry); birthdays, anniversaries and a downgrade at the
 *   end of a grace with their decisions (decideMomentsRun runs them all).
 */
import type { AccountAction, MomentAction } from '../account/account-action.js';
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
import { expiryField, momentAction } from './moment-actions.js';
import { dayStart } from './warranty-offers.js';

/** `days` calendar days before `instant` (UTC ISO) in the program's zone. */
function daysBefore(compiled: CompiledProgram, instant: string, days: number): string {
  return formatUtc(compiled.clock.plusDays(compiled.clock.millis(instant, '/at'), -days));
}

function lotFields(lot: Lot): Record<string, string | number> {
  return { points: lot.remaining, lotId: lot.id, source: lot.source, ...(lot.orderId !== undefined ? { orderId: lot.orderId } : {}) };
}

/** A time-based moment of the account and the instant it falls due; `make` builds it (only when it is emitted). */
interface TimedMoment {
  readonly at: string;
  readonly key: string;
  /** A run at or after this instant no longer emits it (a reminder of a window that has closed). */
  readonly until?: string;
  readonly make: () => MomentAction;
}

/**
 * Every time-based moment of `state` that falls due after `from`: the lots as they stand at `pointsAt`, the tier
 * holds as they stand at each of `holdsAt`. The one enumeration both the run (decideDueMoments) and the due index
 * (nextMomentDue) read, so the index can never miss what a run would emit.
 */
function timedMoments(compiled: CompiledProgram, state: AccountState, from: string, pointsAt: string, holdsAt: readonly string[]): TimedMoment[] {
  const leads = momentLeadTimes(compiled.program.moments);
  const found: TimedMoment[] = [];
  for (const lot of settle(state.points, pointsAt).lots) {
    // A lot expired by now still had its warnings due before: a late run emits them, then its expiry.
    if (lot.remaining <= 0) continue;
    const waited = pointsLifeMillis(compiled, lot.source, 0).availableAt > 0;
    if (waited && lot.availableAt > from) {
      const key = `points.available:${lot.id}`;
      found.push({ at: lot.availableAt, key, make: () => momentAction('points.available', { ...lotFields(lot), availableAt: lot.availableAt, expiresAt: expiryField(lot.expiresAt) }, { occurredAt: lot.availableAt, key }) });
    }
    if (lot.expiresAt === NEVER) continue;
    for (const days of leads.pointsExpiring) {
      const at = daysBefore(compiled, lot.expiresAt, days);
      if (at <= from || at < lot.availableAt) continue;
      const key = `points.expiring:${lot.id}:${days}`;
      found.push({ at, key, make: () => momentAction('points.expiring', { ...lotFields(lot), expiresAt: lot.expiresAt, daysBefore: days }, { occurredAt: at, key }) });
    }
  }
  // The hold as it stood at the last run and as it stands now: a late run still warns of a hold that has ended since.
  const warned = new Set<string>();
  for (const holdAt of leads.tierAtRisk.length === 0 ? [] : holdsAt) {
    const tier = heldTier(compiled, state, holdAt);
    if (!tier?.tierId || tier.until === null) continue;
    const until = formatUtc(compiled.clock.millis(tier.until, '/until'));
    for (const days of leads.tierAtRisk) {
      const at = daysBefore(compiled, until, days);
      const key = `tier.at-risk:${tier.tierId}:${until}:${days}`;
      if (at <= from || warned.has(key)) continue;
      warned.add(key);
      const tierId = tier.tierId;
      found.push({ at, key, make: () => momentAction('tier.at-risk', { tier: tierId, until, daysBefore: days }, { occurredAt: at, key }) });
    }
  }
  for (const offer of leads.warrantyWindowClosing.length === 0 ? [] : (state.warrantyOffers ?? [])) {
    if (offer.covered >= offer.quantity) continue;
    for (const days of leads.warrantyWindowClosing) {
      const at = formatUtc(dayStart(compiled, offer.lastPurchaseDay, -days));
      if (at <= from) continue;
      const key = `warranty.window-closing:${offer.orderId}:${offer.sku}:${days}`;
      const day = offer.lastPurchaseDay;
      found.push({
        at,
        key,
        until: offer.closesAt,
        make: () =>
          momentAction(
            'warranty.window-closing',
            {
              orderId: offer.orderId,
              sku: offer.sku,
              quantity: offer.quantity,
              covered: offer.covered,
              lastPurchaseDay: day,
              daysBefore: days,
              // The plans still on sale that day.
              plans: offer.plans.filter((plan) => formatUtc(dayStart(compiled, plan.lastPurchaseDay, 1)) > at).map((plan) => ({ ...plan })),
            },
            { occurredAt: at, key },
          ),
      });
    }
  }
  return found;
}

/** The instants a run reads tier holds at: the last run's (when there was one) and `at`. */
function holdInstants(from: string, at: string): string[] {
  return [from, at].filter((instant) => instant !== '');
}

/**
 * The moments due on `state` after its `momentsThrough` and at or before `through` (UTC ISO), oldest first, and
 * the watermark that records the run.
 *
 * @example decideDueMoments(compiled, state, '2027-02-22T00:00:00.000Z') // [{ type: 'moment', moment: 'points.expiring', ... }, { type: 'moments-through', ... }]
 */
export function decideDueMoments(compiled: CompiledProgram, state: AccountState, through: string): AccountAction[] {
  const from = state.momentsThrough ?? '';
  const due = timedMoments(compiled, state, from, through, holdInstants(from, through)).filter((moment) => moment.at <= through && (moment.until === undefined || through < moment.until));
  due.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return [...due.map((moment) => moment.make()), { type: 'moments-through', at: through }];
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
  const from = state.momentsThrough ?? '';
  let next: string | undefined;
  const consider = (instant: string | undefined): void => {
    if (instant !== undefined && (next === undefined || instant < next)) next = instant;
  };
  for (const moment of timedMoments(compiled, state, from, at, holdInstants(from, at))) if (moment.until === undefined || moment.at < moment.until) consider(moment.at);
  for (const lot of settle(state.points, at).lots) if (lot.remaining > 0 && lot.expiresAt !== NEVER) consider(lot.expiresAt);
  const hold = heldTier(compiled, state, at);
  if (hold) {
    if (hold.until) consider(formatUtc(compiled.clock.millis(hold.until, '/until')));
    if (hold.tierId !== recordedTier(compiled, state)) consider(at);
  }
  if (customer) {
    const tier = hold?.tierId ?? null;
    consider(nextYearlyDue('birthday', compiled, state, customer, at, tier));
    consider(nextYearlyDue('anniversary', compiled, state, customer, at, tier));
  }
  return next;
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
