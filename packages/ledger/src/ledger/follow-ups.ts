/**
 * Follow-ups: changes an operation makes to another customer's account (the referrer's reward, its reversal).
 * Each is an operation of its own, with an id derived from its parent, so running it any number of times (by the
 * parent, a retry, or any writer that finds the parent's work unflushed) applies it once.
 */
import type { FollowUp } from '../account/account-doc.js';
import { planDebits } from '../account/points-state.js';
import { addUsage } from './account-view.js';
import { hashRequest, runOperation, type ProtocolContext } from '../write-protocol.js';

/** Runs one follow-up through the write protocol. */
export async function runFollowUp(ctx: ProtocolContext, tenantId: string, followUp: FollowUp): Promise<void> {
  const { action } = followUp;
  await runOperation(ctx, tenantId, {
    opId: followUp.opId,
    kind: `follow-up:${action.type}`,
    customerId: followUp.customerId,
    requestHash: hashRequest(followUp),
    at: followUp.at,
    createAccount: true,
    decide: (account) => {
      const at = account.points.clock;
      if (action.type === 'grant') {
        const lotId = `${followUp.opId}#0`;
        return {
          commit: {
            entries: [
              {
                type: action.entryType,
                points: action.points,
                at,
                programId: action.programId,
                programVersion: action.programVersion,
                ruleIds: action.ruleIds,
                orderId: action.orderId,
                reason: action.reason,
                lot: { id: lotId, source: 'referral', amount: action.points, availableAt: action.availableAt, expiresAt: action.expiresAt, orderId: action.orderId },
                debits: [],
                debt: 0,
              },
            ],
            update: (doc) => ({ ...doc, usage: addUsage(doc.usage, action.usage, at), referrals: [...doc.referrals, { refereeId: action.refereeId, at }].slice(-100) }),
            answer: { granted: action.points, lotId },
          },
        };
      }
      // The reversal takes back what the lot granted: from the lot first, then like any clawback.
      const lotAmount = action.amount;
      const plan = planDebits(account.points, lotAmount, at, { firstLotIds: [action.lotId], allowDebt: true });
      return {
        commit: {
          entries: [{ type: action.entryType, points: -lotAmount, at, ruleIds: [], orderId: action.orderId, reason: action.reason, debits: plan.debits, debt: plan.debt }],
          answer: { reversed: lotAmount },
        },
      };
    },
  });
}
