/**
 * The wallet: custom events that award points, redemptions that spend them, and adjustments by support staff.
 * Each is decided by the rules on the account at its instant and applied through the write protocol.
 */
import { operationId, viewPoints } from '@purna/rules';
import type { AdjustmentAnswer, EventAnswer, RedemptionAnswer } from '../contract/answers.js';
import { AdjustmentRequestSchema, EventRequestSchema, RedemptionRequestSchema, type AdjustmentRequest, type RedemptionRequest } from '../contract/requests.js';
import { RedemptionRefused, refusalReasons, type RefusalReason } from '../errors.js';
import { customerOf } from './account-view.js';
import { checkInput } from './input-check.js';
import type { RedemptionDoc } from '../account/account-doc.js';
import { redemptionKey } from './redemption-records.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';
import { decideAdjustment, decideEvent, decideRedemption } from './rules-port.js';

/** Records a custom event and awards its points within its limits (zero, with the reason, over a limit). */
export async function recordEvent(ctx: LedgerContext, tenantId: string, input: unknown, options: WriteOptions = {}): Promise<EventAnswer> {
  const event = checkInput(EventRequestSchema, input, '', 'event');
  const result = await ctx.write<Omit<EventAnswer, 'replayed'>>(tenantId, options, {
    opId: operationId.event(event.id),
    kind: 'event',
    customerId: event.customerId,
    request: event,
    createAccount: true,
    decide: (account, loaded, at) => {
      const { evaluation, actions } = decideEvent(loaded.compiled, account, { customer: customerOf(account), event }, { at });
      const reason = evaluation.reason;
      return { commit: { actions, answer: () => ({ eventId: event.id, awarded: evaluation.points, ...(reason ? { reason } : {}) }) } };
    },
  });
  return { ...result.answer, replayed: result.replayed };
}

/** A refused redemption's stored answer (a replay refuses again with it). */
interface RedemptionRefusal {
  redemptionId: string;
  orderId: string;
  refused: true;
  reasons: RefusalReason[];
}

/**
 * Redeems points for a discount on an order, from available lots soonest-expiring first. A refusal throws
 * `RedemptionRefused` with every reason (and is the first answer: a replay refuses again).
 */
export async function redeem(ctx: LedgerContext, tenantId: string, request: RedemptionRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<RedemptionAnswer> {
  const { id: redemptionId, customerId, orderId, orderTotal, points } = checkInput(RedemptionRequestSchema, request, '', 'redemption');
  const result = await ctx.write<Omit<RedemptionAnswer, 'replayed'>, RedemptionRefusal>(tenantId, options, {
    opId: operationId.redemption(redemptionId),
    kind: 'redemption',
    customerId,
    request: { customerId, orderId, orderTotal, points },
    createAccount: false,
    decide: (account, loaded, at) => {
      const { decision, actions, record } = decideRedemption(loaded.compiled, account, { redemptionId, orderId, orderTotal, points }, { at });
      if (!decision.accepted || !record) return { refusal: { redemptionId, orderId, refused: true, reasons: refusalReasons(decision.reasons) } };
      // The lots it took from, kept for a cancellation (its own, or its order's).
      const doc: RedemptionDoc = { ...record, customerId, opId: operationId.redemption(redemptionId) };
      return {
        commit: {
          actions,
          answer: () => ({ redemptionId, orderId, redeemed: decision.points, discount: decision.discount }),
          documents: [{ write: 'insert', collection: 'redemptions', key: redemptionKey(orderId, redemptionId), doc }],
        },
      };
    },
  });
  if (result.refused) throw new RedemptionRefused(redemptionId, result.answer.reasons, result.replayed);
  return { ...result.answer, replayed: result.replayed };
}

/** A goodwill or correction adjustment, with a reason code and who made it. Negative adjustments may leave debt. */
export async function adjust(ctx: LedgerContext, tenantId: string, request: AdjustmentRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<AdjustmentAnswer> {
  const { id: adjustmentId, customerId, points, reason, actor } = checkInput(AdjustmentRequestSchema, request, '', 'adjustment');
  const result = await ctx.write<Omit<AdjustmentAnswer, 'replayed'>>(tenantId, options, {
    opId: operationId.adjustment(adjustmentId),
    kind: 'adjustment',
    customerId,
    request: { customerId, points, reason, actor },
    createAccount: false,
    decide: (_account, loaded, at) => ({
      commit: {
        actions: decideAdjustment(loaded.compiled, { points, reason, actor }, { at }),
        answer: (applied) => ({ adjustmentId, points, balance: viewPoints(applied.state.points, at).balance }),
      },
    }),
  });
  return { ...result.answer, replayed: result.replayed };
}
