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
 * - `points.expired` comes with the expiry itself (decideExpiry); birthdays, anniversaries and a downgrade at the
 *   end of a grace with their decisions (decideMomentsRun runs them all).
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import { NEVER, type Lot } from '../account/lot.js';
import { settle } from '../account/points-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { pointsLifeMillis } from '../engine/points-life.js';
import type { CustomerInput } from '../input/customer-input.js';
import { momentLeadTimes } from '../program/moments-section.js';
import { formatUtc } from '../time.js';
import { decideExpiry, decideTierReview } from './decide-account-sweeps.js';
import { decideAnniversary, decideBirthday } from './decide-yearly-reward.js';
import { heldTier } from './decision-parts.js';
import { expiryField, momentAction } from './moment-actions.js';

/** `days` calendar days before `instant` (UTC ISO) in the program's zone. */
function daysBefore(compiled: CompiledProgram, instant: string, days: number): string {
  return formatUtc(compiled.clock.plusDays(compiled.clock.millis(instant, '/at'), -days));
}

function lotFields(lot: Lot): Record<string, string | number> {
  return { points: lot.remaining, lotId: lot.id, source: lot.source, ...(lot.orderId !== undefined ? { orderId: lot.orderId } : {}) };
}

/**
 * The moments due on `state` after its `momentsThrough` and at or before `through` (UTC ISO), oldest first, and
 * the watermark that records the run.
 *
 * @example decideDueMoments(compiled, state, '2027-02-22T00:00:00.000Z') // [{ type: 'moment', moment: 'points.expiring', ... }, { type: 'moments-through', ... }]
 */
export function decideDueMoments(compiled: CompiledProgram, state: AccountState, through: string): AccountAction[] {
  const from = state.momentsThrough ?? '';
  const leads = momentLeadTimes(compiled.program.moments);
  const due: Array<{ at: string; action: AccountAction }> = [];
  const inRun = (at: string): boolean => at > from && at <= through;
  for (const lot of settle(state.points, through).lots) {
    // A lot expired by now still had its warnings due before: a late run emits them, then its expiry.
    if (lot.remaining <= 0) continue;
    const waited = pointsLifeMillis(compiled, lot.source, 0).availableAt > 0;
    if (waited && inRun(lot.availableAt)) {
      due.push({
        at: lot.availableAt,
        action: momentAction('points.available', { ...lotFields(lot), availableAt: lot.availableAt, expiresAt: expiryField(lot.expiresAt) }, { occurredAt: lot.availableAt, key: `points.available:${lot.id}` }),
      });
    }
    if (lot.expiresAt === NEVER) continue;
    for (const days of leads.pointsExpiring) {
      const at = daysBefore(compiled, lot.expiresAt, days);
      if (!inRun(at) || at < lot.availableAt) continue;
      due.push({ at, action: momentAction('points.expiring', { ...lotFields(lot), expiresAt: lot.expiresAt, daysBefore: days }, { occurredAt: at, key: `points.expiring:${lot.id}:${days}` }) });
    }
  }
  // The hold as it stood at the last run and as it stands now: a late run still warns of a hold that has ended since.
  const holds = leads.tierAtRisk.length === 0 ? [] : [from, through].filter((at) => at !== '').map((at) => heldTier(compiled, state, at));
  const warned = new Set<string>();
  for (const tier of holds) {
    if (!tier?.tierId || tier.until === null) continue;
    const until = formatUtc(compiled.clock.millis(tier.until, '/until'));
    for (const days of leads.tierAtRisk) {
      const at = daysBefore(compiled, until, days);
      const key = `tier.at-risk:${tier.tierId}:${until}:${days}`;
      if (!inRun(at) || warned.has(key)) continue;
      warned.add(key);
      due.push({ at, action: momentAction('tier.at-risk', { tier: tier.tierId, until, daysBefore: days }, { occurredAt: at, key }) });
    }
  }
  due.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return [...due.map((d) => d.action), { type: 'moments-through', at: through }];
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
