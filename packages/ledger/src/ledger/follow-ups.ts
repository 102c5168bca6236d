/**
 * Follow-ups: the effects a decision has outside its own account (the referrer's reward and its reversal, campaign
 * budgets). Each is an operation of its own, with an id derived from its parent, so running it any number of times
 * (by the parent, a retry, or any writer that finds the parent's work unflushed) applies it once.
 */
import type { ReferrerReversalAction, ReferrerRewardAction } from '@purna/rules';
import type { CampaignDoc, FollowUp, OperationDoc } from '../account/account-doc.js';
import { CustomerErased } from '../errors.js';
import { hashRequest, runOperation, type ProtocolContext } from '../write-protocol.js';
import { referrerReversal, referrerReward } from './rules-port.js';

/** What a follow-up does, with the shapes earlier versions stored read as the effects they meant. */
export function followUpEffect(followUp: FollowUp): FollowUp['action'] & { type: 'campaign' | 'referrer-reward' | 'referrer-reversal' } {
  const { action } = followUp;
  if (action.type === 'grant') {
    const { points, availableAt, expiresAt, programId, programVersion, orderId, refereeId, usage } = action;
    return { type: 'referrer-reward', referrerId: followUp.customerId, refereeId, orderId, points, availableAt, expiresAt, programId, programVersion, usage } satisfies ReferrerRewardAction;
  }
  if (action.type === 'reverse-lot') {
    return { type: 'referrer-reversal', referrerId: followUp.customerId, orderId: action.orderId, lotId: action.lotId, points: action.amount } satisfies ReferrerReversalAction;
  }
  return action;
}

/** The protocol's `runFollowUp`, for a protocol built after it (the two refer to each other). */
export function followUpRunner(protocol: () => ProtocolContext): ProtocolContext['runFollowUp'] {
  return (tenantId, followUp) => runFollowUp(protocol(), tenantId, followUp);
}

/**
 * Runs one follow-up through the write protocol. One for an erased customer (a referrer erased since) is dropped:
 * an erased account earns nothing more, and the operation that caused it must still finish.
 */
export async function runFollowUp(ctx: ProtocolContext, tenantId: string, followUp: FollowUp): Promise<void> {
  const effect = followUpEffect(followUp);
  if (effect.type === 'campaign') return countCampaign(ctx, tenantId, followUp.opId, effect);
  await runOperation(ctx, tenantId, {
    opId: followUp.opId,
    kind: `follow-up:${followUp.action.type}`,
    customerId: followUp.customerId,
    requestHash: hashRequest(followUp),
    at: followUp.at,
    createAccount: true,
    decide: (account) => ({
      commit: {
        // The referrer's own clock: its entries stay in time order after whatever it did since.
        at: account.points.clock,
        actions: effect.type === 'referrer-reward' ? referrerReward(effect) : referrerReversal(effect),
        answer: (applied) => (effect.type === 'referrer-reward' ? { granted: effect.points, lotId: applied.entries[0]?.lot?.id ?? '' } : { reversed: effect.points }),
      },
    }),
  }).catch((error: unknown) => {
    if (!(error instanceof CustomerErased)) throw error;
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
async function countCampaign(ctx: ProtocolContext, tenantId: string, opId: string, action: { programId: string; deltas: ReadonlyArray<{ ruleId: string; points: number }> }): Promise<void> {
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
