/**
 * What every decision writes alike: the program an entry was decided with, a lot's life in the stored form, and the
 * tier an account holds.
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import type { TierHold } from '../input/customer-history.js';
import type { MomentData } from '../moments/moment-types.js';
import { NEVER, type LotSource } from '../account/lot.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { evaluateTier, type TierEvaluation } from '../engine/tiers/evaluate-tier.js';
import { pointsLifeMillis } from '../engine/points-life.js';
import { formatUtc } from '../time.js';
import { momentAction } from './moment-actions.js';

/** The program fields of an entry. */
export function programFields(compiled: CompiledProgram): { programId: string; programVersion?: number } {
  return { programId: compiled.id, ...(compiled.version !== undefined ? { programVersion: compiled.version } : {}) };
}

/** A lot's life (SEMANTICS rule 5) from `at` (UTC ISO), as stored: UTC instants, `NEVER` without expiry. */
export function lotLife(compiled: CompiledProgram, source: LotSource, at: string): { availableAt: string; expiresAt: string } {
  const life = pointsLifeMillis(compiled, source, compiled.clock.millis(at, '/at'));
  return { availableAt: formatUtc(life.availableAt), expiresAt: life.expiresAt === null ? NEVER : formatUtc(life.expiresAt) };
}

const baseTiers = new WeakMap<CompiledProgram, string | null>();

/** The tier of a customer with no orders (the lowest level when its threshold is 0, else none). */
export function baseTier(compiled: CompiledProgram): string | null {
  let base = baseTiers.get(compiled);
  if (base === undefined) {
    base = compiled.tiers ? evaluateTier(compiled, { orders: [] }, { at: '2000-01-01T00:00:00Z' }).tierId : null;
    baseTiers.set(compiled, base);
  }
  return base;
}

/**
 * The tiers already evaluated on an orders list, by instant: one write asks for the tier of the same orders several
 * times (the decision, the due index, the read summary). Order lists are never changed in place (a change makes a
 * new list), and the length is checked besides.
 */
const HELD_INSTANTS = 16;
const heldByOrders = new WeakMap<CompiledProgram, WeakMap<readonly object[], { length: number; hold: TierHold | undefined; byInstant: Map<string, TierEvaluation> }>>();

/**
 * The tier the account holds at `at` (UTC ISO) from its orders and the tier assigned by hand (which the reducer
 * replaces, never changes in place); undefined when the program has no tiers.
 */
export function heldTier(compiled: CompiledProgram, state: Pick<AccountState, 'orders' | 'tierHold'>, at: string): TierEvaluation | undefined {
  if (!compiled.tiers) return undefined;
  let lists = heldByOrders.get(compiled);
  if (!lists) heldByOrders.set(compiled, (lists = new WeakMap()));
  let known = lists.get(state.orders);
  if (!known || known.length !== state.orders.length || known.hold !== state.tierHold) lists.set(state.orders, (known = { length: state.orders.length, hold: state.tierHold, byInstant: new Map() }));
  let held = known.byInstant.get(at);
  if (!held) {
    held = evaluateTier(compiled, { orders: state.orders.filter((order) => order.placedAt <= at), ...(state.tierHold ? { tierHold: state.tierHold } : {}) }, { at });
    // A list read at ever new instants (a simulation's customer without new orders) keeps only the latest few.
    if (known.byInstant.size >= HELD_INSTANTS) known.byInstant.clear();
    known.byInstant.set(at, held);
  }
  return held;
}

/** The tier last recorded on the account (the base tier when none was). */
export function recordedTier(compiled: CompiledProgram, state: Pick<AccountState, 'tier'>): string | null {
  return state.tier ? state.tier.id : baseTier(compiled);
}

/**
 * A tier change recorded at `at` (UTC ISO), and its `tier.changed` moment (`data` says why: `order`, `grace-ended`,
 * `review`, and the order).
 *
 * @example tierChange('silver', 'gold', at, { cause: 'order', orderId: 'o-9' })
 */
export function tierChange(from: string | null, to: string | null, at: string, data: MomentData, review?: string): AccountAction[] {
  const tier: AccountAction = { type: 'tier', from, to, at, ...(review !== undefined ? { review } : {}) };
  if (from === to) return [tier];
  return [tier, momentAction('tier.changed', { from, to, ...data })];
}
