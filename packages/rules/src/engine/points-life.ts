/** pointsLife (SEMANTICS rule 5): when a lot becomes available and when it expires. */
import type { InstantLike } from '../time.js';
import type { LotSource } from '../account/lot.js';
import type { CompiledProgram } from './compiled-program.js';

/** The life of a lot. */
export interface PointsLife {
  /** ISO instant from which the points can be redeemed. */
  readonly availableAt: string;
  /** ISO instant at which they expire (`expiry.months` after availableAt), or null without expiry. */
  readonly expiresAt: string | null;
}

const PENDING: ReadonlySet<LotSource> = new Set<LotSource>(['order', 'referral']);

/** Millisecond form of {@link pointsLife}. */
export function pointsLifeMillis(compiled: CompiledProgram, source: LotSource, atMs: number): { availableAt: number; expiresAt: number | null } {
  const availableAt = PENDING.has(source) ? compiled.clock.plusDays(atMs, compiled.pendingDays) : atMs;
  const expiresAt = compiled.expiryMonths !== undefined ? compiled.clock.plusMonths(availableAt, compiled.expiryMonths) : null;
  return { availableAt, expiresAt };
}

/**
 * Points from orders and referrals are pending for `pendingDays` after `at` (the order's placedAt), then available;
 * points from events, birthdays and adjustments are available at once. Every lot expires `expiry.months` after it
 * becomes available (calendar arithmetic in the program's time zone).
 *
 * @example
 * pointsLife(compiled, 'order', '2026-02-01T10:00:00+07:00')
 * // { availableAt: '2026-02-15T10:00:00.000+07:00', expiresAt: '2027-02-15T10:00:00.000+07:00' }
 */
export function pointsLife(compiled: CompiledProgram, source: LotSource, at: InstantLike): PointsLife {
  if (!['order', 'referral', 'event', 'birthday', 'anniversary', 'adjustment'].includes(source)) {
    throw new TypeError(`pointsLife: unknown source "${String(source)}" (order, referral, event, birthday, anniversary, adjustment)`);
  }
  const life = pointsLifeMillis(compiled, source, compiled.clock.millis(at, '/at'));
  return { availableAt: compiled.clock.format(life.availableAt), expiresAt: life.expiresAt === null ? null : compiled.clock.format(life.expiresAt) };
}
