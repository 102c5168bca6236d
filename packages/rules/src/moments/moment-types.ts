/**
 * Moments: what happened to a customer, or is about to, that a CRM acts on (thank them, greet them, warn them
 * before points expire). Every change and every due date the engine knows of is one. The list of types is fixed
 * by the REST contract (docs/moments.md); this is its one source in code.
 */

/** Every moment type, in the contract's order. */
export const MOMENT_TYPES = [
  'points.awarded',
  'points.available',
  'points.expiring',
  'points.expired',
  'tier.changed',
  'tier.at-risk',
  'birthday.granted',
  'anniversary.granted',
  'referral.qualified',
  'referral.reversed',
  'redemption.created',
  'redemption.cancelled',
  'return.recorded',
  'order.delivered',
  'order.cancelled',
  'follow-up.due',
  'warranty.offer',
  'warranty.window-closing',
  'warranty.contract.registered',
  'warranty.contract.transferred',
  'case.opened',
  'case.callback-due',
  'case.resolved',
  'case.follow-up-due',
  'goodwill.granted',
  'reward.redeemed',
  'voucher.used',
  'voucher.expired',
] as const;

/** One moment type. */
export type MomentType = (typeof MOMENT_TYPES)[number];

/** A value of a moment's payload: what JSON carries. */
export type MomentValue = string | number | boolean | null | readonly MomentValue[] | MomentData;

/** A moment's payload: what a CRM needs to act without a second call. */
export interface MomentData {
  readonly [field: string]: MomentValue;
}

/**
 * A moment as a decision produced it: its `key` is deterministic (the operation's id and the moment's place in it,
 * or the due date it stands for), so storing it again is a no-op and it can never be emitted twice.
 */
export interface RecordedMoment {
  readonly key: string;
  readonly type: MomentType;
  /** UTC ISO: when the change happened, or the instant the moment was due. */
  readonly occurredAt: string;
  readonly data: MomentData;
}

/**
 * True when `value` is one of {@link MOMENT_TYPES}.
 *
 * @example isMomentType('points.expiring') // true
 */
export function isMomentType(value: unknown): value is MomentType {
  return typeof value === 'string' && (MOMENT_TYPES as readonly string[]).includes(value);
}
