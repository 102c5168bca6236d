/**
 * The wallet: custom events that award points, redemptions that spend them, and adjustments by support staff.
 * Each is decided by the rules on the account at its instant and applied through the write protocol.
 */
import { EventInputSchema, InputError, isDecimalString, operationId, viewPoints, type EventInput } from '@purna/rules';
import { RedemptionRefused, type RefusalReason } from '../errors.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { customerOf } from './account-view.js';
import { checkId, checkInput, checkInteger } from './input-check.js';
import { asRecord, type LedgerContext, type WriteOptions } from './ledger-context.js';
import { decideAdjustment, decideEvent, decideRedemption } from './rules-port.js';

/** The answer of `recordEvent`. */
export interface EventAnswer {
  eventId: string;
  awarded: number;
  reason?: string;
  replayed: boolean;
}

/** A redemption request. */
export interface RedemptionRequest {
  id: string;
  customerId: string;
  orderId: string;
  orderTotal: string;
  points: number;
}

/** The answer of an accepted `redeem`. */
export interface RedemptionAnswer {
  redemptionId: string;
  orderId: string;
  redeemed: number;
  discount: string;
  replayed: boolean;
}

/** An adjustment request: a goodwill gesture or a correction. */
export interface AdjustmentRequest {
  id: string;
  customerId: string;
  /** Points to add (positive) or remove (negative). */
  points: number;
  /** A reason code, e.g. `goodwill` or `correction`. */
  reason: string;
  /** Who made it (a support agent's id). */
  actor: string;
}

/** The answer of `adjust`. */
export interface AdjustmentAnswer {
  adjustmentId: string;
  points: number;
  balance: number;
  replayed: boolean;
}

/** Records a custom event and awards its points within its limits (zero, with the reason, over a limit). */
export async function recordEvent(ctx: LedgerContext, tenantId: string, input: unknown, options: WriteOptions = {}): Promise<EventAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const event = checkInput<EventInput>(EventInputSchema, input, '', 'event');
  checkId(event.id, '/id', 'event id');
  const customerId = checkId(event.customerId, '/customerId', 'event customerId');
  const at = ctx.at(options);
  const opId = operationId.event(event.id);
  const requestHash = hashRequest(event);
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const loaded = await ctx.programs.load(tenantId);
  const result = await runOperation<Omit<EventAnswer, 'replayed'>>(ctx.protocol, tenantId, {
    opId,
    kind: 'event',
    customerId,
    requestHash,
    at,
    createAccount: true,
    program: loaded,
    decide: (account) => {
      const { evaluation, actions } = decideEvent(loaded.compiled, account, { customer: customerOf(account), event }, { at });
      const reason = evaluation.reason;
      return { commit: { actions, answer: () => ({ eventId: event.id, awarded: evaluation.points, ...(reason ? { reason } : {}) }) } };
    },
  });
  return { ...result.answer, replayed: result.replayed };
}

/**
 * Redeems points for a discount on an order, from available lots soonest-expiring first. A refusal throws
 * `RedemptionRefused` with every reason (and is the first answer: a replay refuses again).
 */
export async function redeem(ctx: LedgerContext, tenantId: string, request: RedemptionRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<RedemptionAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const input = asRecord(request, 'redemption');
  const redemptionId = checkId(input.id, '/id', 'redemption id');
  const customerId = checkId(input.customerId, '/customerId', 'redemption customerId');
  const orderId = checkId(input.orderId, '/orderId', 'redemption orderId');
  const points = checkInteger(input.points, '/points', 'points');
  const at = ctx.at(options);
  const opId = operationId.redemption(redemptionId);
  const orderTotal = checkDecimal(input.orderTotal, '/orderTotal', 'orderTotal');
  const requestHash = hashRequest({ customerId, orderId, orderTotal, points });
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const loaded = await ctx.programs.load(tenantId);
  await ctx.account(tenantId, customerId);
  const result = await runOperation<Omit<RedemptionAnswer, 'replayed'>, { redemptionId: string; orderId: string; refused: true; reasons: RefusalReason[] }>(ctx.protocol, tenantId, {
    opId,
    kind: 'redemption',
    customerId,
    requestHash,
    at,
    createAccount: false,
    program: loaded,
    decide: (account) => {
      const { decision, actions } = decideRedemption(loaded.compiled, account, { redemptionId, orderId, orderTotal, points }, { at });
      if (!decision.accepted) return { refusal: { redemptionId, orderId, refused: true, reasons: decision.reasons.map((r) => ({ code: r.code, message: r.message })) } };
      return { commit: { actions, answer: () => ({ redemptionId, orderId, redeemed: decision.points, discount: decision.discount }) } };
    },
  });
  if (result.refused) throw new RedemptionRefused(redemptionId, result.answer.reasons, result.replayed);
  return { ...result.answer, replayed: result.replayed };
}

/** A goodwill or correction adjustment, with a reason code and who made it. Negative adjustments may leave debt. */
export async function adjust(ctx: LedgerContext, tenantId: string, request: AdjustmentRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<AdjustmentAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const input = asRecord(request, 'adjustment');
  const adjustmentId = checkId(input.id, '/id', 'adjustment id');
  const customerId = checkId(input.customerId, '/customerId', 'adjustment customerId');
  const points = checkInteger(input.points, '/points', 'points');
  if (points === 0) throw new InputError([{ pointer: '/points', code: 'zero-adjustment', message: 'an adjustment must add or remove at least 1 point' }]);
  const reason = checkId(input.reason, '/reason', 'adjustment reason');
  const actor = checkId(input.actor, '/actor', 'adjustment actor');
  const at = ctx.at(options);
  const opId = operationId.adjustment(adjustmentId);
  const requestHash = hashRequest({ customerId, points, reason, actor });
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const loaded = await ctx.programs.load(tenantId);
  await ctx.account(tenantId, customerId);
  const result = await runOperation<Omit<AdjustmentAnswer, 'replayed'>>(ctx.protocol, tenantId, {
    opId,
    kind: 'adjustment',
    customerId,
    requestHash,
    at,
    createAccount: false,
    program: loaded,
    decide: () => ({
      commit: {
        actions: decideAdjustment(loaded.compiled, { points, reason, actor }, { at }),
        answer: (applied) => ({ adjustmentId, points, balance: viewPoints(applied.state.points, at).balance }),
      },
    }),
  });
  return { ...result.answer, replayed: result.replayed };
}

function checkDecimal(value: unknown, pointer: string, what: string): string {
  if (!isDecimalString(value)) throw new InputError([{ pointer, code: 'invalid-decimal', message: `${what} must be a decimal string like "2000000", got ${JSON.stringify(value)}` }]);
  return value;
}
