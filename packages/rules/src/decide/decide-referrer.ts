/**
 * The referrer's side of a referral, decided on the referee's account and applied on the referrer's: the reward
 * (a lot pending like order points, and the per-referrer limit counter) and its reversal.
 */
import type { AccountAction, AwardAction, ReferrerReversalAction, ReferrerRewardAction } from '../account/account-action.js';
import { awardedMoments, momentAction } from './moment-actions.js';

/**
 * The referrer's reward.
 *
 * @example applyActions(referrerState, referrerReward(effect), { at, id: operationId.referrer('order:o-1') })
 */
export function referrerReward(reward: ReferrerRewardAction): AccountAction[] {
  const program = { programId: reward.programId, ...(reward.programVersion !== undefined ? { programVersion: reward.programVersion } : {}) };
  const award: AwardAction = {
    type: 'award',
    entry: { type: 'referral', ...program, ruleIds: ['referral'], orderId: reward.orderId, reason: 'referrer' },
    source: 'referral',
    points: reward.points,
    availableAt: reward.availableAt,
    expiresAt: reward.expiresAt,
    orderId: reward.orderId,
  };
  return [
    award,
    ...(reward.usage.length > 0 ? [{ type: 'counters' as const, deltas: reward.usage }] : []),
    ...awardedMoments(award, { refereeId: reward.refereeId }),
    momentAction('referral.qualified', { role: 'referrer', refereeId: reward.refereeId, orderId: reward.orderId, points: reward.points }),
  ];
}

/**
 * The reversal of a referrer's reward: taken back from its lot first, then like any clawback.
 *
 * @example applyActions(referrerState, referrerReversal(effect), { at, id: operationId.referrer('return:r-1') })
 */
export function referrerReversal(reversal: ReferrerReversalAction): AccountAction[] {
  return [
    { type: 'clawback', entry: { type: 'referral', ruleIds: [], orderId: reversal.orderId, reason: 'referral-reversed' }, points: reversal.points, firstLotIds: [reversal.lotId] },
    momentAction('referral.reversed', { role: 'referrer', orderId: reversal.orderId, points: reversal.points }),
  ];
}
