/**
 * Follow-ups: changes an operation makes to another customer's account (the referrer's reward, its reversal).
 * Each is an operation of its own, with an id derived from its parent, so running it any number of times (by the
 * parent, a retry, or any writer that finds the parent's work unflushed) applies it once.
 */
import type { CampaignDoc, FollowUp, OperationDoc } from '../account/account-doc.js';
import { planDebits } from '../account/points-state.js';
import { addUsage } from './account-view.js';
import { hashRequest, runOperation, type ProtocolContext } from '../write-protocol.js';

/** Runs one follow-up through the write protocol. */
export async function runFollowUp(ctx: ProtocolContext, tenantId: string, followUp: FollowUp): Promise<void> {
  const { action } = followUp;
  if (action.type === 'campaign') return countCampaign(ctx, tenantId, followUp.opId, action);
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

/** Operations kept in a campaign document's `applied` list before the oldest done ones are dropped. */
const APPLIED_KEPT = 500;

/** The key of a program's campaign counters. */
export function campaignKey(programId: string): string {
  return `campaign:${programId}`;
}

/**
 * Adds an operation's campaign points to the program's counters, once: the operation id enters the counters'
 * `applied` list in the same compare-and-set, and leaves it only after the operation is marked done.
 */
async function countCampaign(ctx: ProtocolContext, tenantId: string, opId: string, action: { programId: string; deltas: Array<{ ruleId: string; points: number }> }): Promise<void> {
  const { store } = ctx;
  const claim = await store.insert<OperationDoc>('operations', tenantId, opId, { opId, kind: 'campaign', customerId: '', requestHash: hashRequest(action), status: 'pending' });
  if (claim.record.doc.status === 'done') return;
  const key = campaignKey(action.programId);
  for (;;) {
    const current =
      (await store.get<CampaignDoc>('counters', tenantId, key)) ??
      (await store.insert<CampaignDoc>('counters', tenantId, key, { programId: action.programId, counts: [], applied: [] })).record;
    if (current.doc.applied.includes(opId)) break;
    const counts = new Map(current.doc.counts.map((c) => [c.ruleId, c.points]));
    for (const d of action.deltas) counts.set(d.ruleId, (counts.get(d.ruleId) ?? 0) + d.points);
    const applied = [...current.doc.applied];
    while (applied.length >= APPLIED_KEPT) {
      const oldest = applied[0] as string;
      if ((await store.get<OperationDoc>('operations', tenantId, oldest))?.doc.status !== 'done') break;
      applied.shift();
    }
    applied.push(opId);
    const next: CampaignDoc = { programId: action.programId, counts: [...counts].map(([ruleId, points]) => ({ ruleId, points })), applied };
    if (await store.replace<CampaignDoc>('counters', tenantId, key, current.version, next)) break;
  }
  for (;;) {
    const op = await store.get<OperationDoc>('operations', tenantId, opId);
    if (!op || op.doc.status === 'done') return;
    if (await store.replace<OperationDoc>('operations', tenantId, opId, op.version, { ...op.doc, status: 'done', answer: {} })) return;
  }
}
