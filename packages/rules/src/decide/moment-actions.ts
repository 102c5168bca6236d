/**
 * The moments decisions write beside their other actions (docs/moments.md lists every type and its payload). Each
 * decision says which moments its change causes; the reducer keys them and adds the balance after.
 */
import type { AwardAction, MomentAction } from '../account/account-action.js';
import { NEVER } from '../account/lot.js';
import type { MomentData, MomentType } from '../moments/moment-types.js';

/**
 * A moment action.
 *
 * @example momentAction('tier.changed', { from: 'silver', to: 'gold', cause: 'order', orderId: 'o-1' })
 */
export function momentAction(moment: MomentType, data: MomentData, options: { readonly occurredAt?: string; readonly key?: string } = {}): MomentAction {
  return { type: 'moment', moment, data, ...(options.occurredAt !== undefined ? { occurredAt: options.occurredAt } : {}), ...(options.key !== undefined ? { key: options.key } : {}) };
}

/** A lot's expiry as a payload carries it: the UTC instant, or null when the points never expire. */
export function expiryField(expiresAt: string): string | null {
  return expiresAt === NEVER ? null : expiresAt;
}

/**
 * `points.awarded` for an award of more than zero points (nothing for a zero award): the points, where they came
 * from, when they become available and when they expire, and `data`'s fields (the order or event).
 *
 * @example awardedMoments(award, { orderId: 'o-1001' }) // [{ type: 'moment', moment: 'points.awarded', ... }]
 */
export function awardedMoments(award: AwardAction, data: MomentData = {}): MomentAction[] {
  if (award.points <= 0) return [];
  return [
    momentAction('points.awarded', {
      points: award.points,
      source: award.source,
      ...(award.entry.reason !== undefined ? { reason: award.entry.reason } : {}),
      ...(award.orderId !== undefined ? { orderId: award.orderId } : {}),
      ...data,
      // Null while the points wait for their order's first delivery (they have no date yet).
      availableAt: award.availableAt === NEVER ? null : award.availableAt,
      expiresAt: expiryField(award.expiresAt),
    }),
  ];
}
