/**
 * Goodwill gestures: points for one of the program's goodwill reasons, decided by the rules (`decideGoodwill`:
 * the reason's maximum, the admin override, the per-customer limit, the budget) and applied through the write
 * protocol like an adjustment, with `goodwill.granted` in the same commit. The tenant's budget is a counter shared
 * by all customers, reserved before the account commit (goodwill-budget.ts explains why that is enough).
 */
import { randomBytes } from 'node:crypto';
import { decideGoodwill, findReward, formatVoucherCode, goodwillBudgetPeriod, operationId, viewPoints, voucherFields, VOUCHER_CODE_BYTES } from '@purna/rules';
import type { GoodwillAnswer } from '../contract/answers.js';
import { GoodwillRequestSchema, type GoodwillRequest } from '../contract/requests.js';
import { GoodwillRefused, refusalReasons, type RefusalReason } from '../errors.js';
import type { OperationDoc } from '../account/account-doc.js';
import { goodwillBudgetKey, type GoodwillReservation } from './goodwill-budget.js';
import { endReservation, giveBack, readLiveCounter, reserve } from './reserved-counter.js';
import { completeAbandonedStock, rewardStockKey, type StockGrant, type VoucherIndexDoc } from './rewards.js';
import { checkInput } from './input-check.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';

/** Options of a grant: who may go past a reason's maximum. */
export interface GoodwillOptions extends WriteOptions {
  /** The caller may override a reason's maximum (an admin key); default false. */
  mayOverride?: boolean;
}

/** A refused grant's stored answer (a replay refuses again with it). */
interface GoodwillRefusal {
  goodwillId: string;
  refused: true;
  reasons: RefusalReason[];
}

/**
 * Grants a goodwill gesture, or throws `GoodwillRefused` with every reason (the refusal is the first answer: a
 * replay refuses again). The id is the idempotency key: the same request again answers the first answer, whoever
 * sends it; other content under the same id is an IdempotencyMismatch.
 *
 * @example
 * await grantGoodwill(ctx, 'shop', { id: 'gw-1', customerId: 'ayu', reason: 'cancelled-by-shop', points: 500, actor: 'agent-7' }, { at })
 */
export async function grantGoodwill(ctx: LedgerContext, tenantId: string, input: GoodwillRequest | Record<string, unknown>, options: GoodwillOptions = {}): Promise<GoodwillAnswer> {
  const request = checkInput(GoodwillRequestSchema, input, '', 'goodwill');
  const { id: goodwillId, customerId, caseId, reason, points, rewardId, override, actor } = request;
  const mayOverride = options.mayOverride === true;
  const opId = operationId.goodwill(goodwillId);
  const at = ctx.at(options);
  let period: string | undefined;
  // A reward granted: its voucher's code, drawn once per call, and its stock (a reserved counter like the budget).
  const code = rewardId !== undefined ? formatVoucherCode(randomBytes(VOUCHER_CODE_BYTES)) : undefined;
  const stockKey = rewardId !== undefined ? rewardStockKey(rewardId) : undefined;
  let stocked = false;
  const result = await ctx.write<Omit<GoodwillAnswer, 'replayed'>, GoodwillRefusal>(tenantId, { ...options, at }, {
    opId,
    kind: 'goodwill',
    customerId,
    // Who sends it is not part of it: the first answer stands for whoever replays the id.
    request: { customerId, caseId, reason, points, rewardId, override },
    createAccount: false,
    decide: async (account, loaded, when) => {
      period = goodwillBudgetPeriod(loaded.compiled, when);
      const limit = loaded.program.goodwill?.budget?.points ?? 0;
      const stock = rewardId !== undefined ? findReward(loaded.compiled, rewardId)?.stock : undefined;
      stocked = stock !== undefined;
      for (;;) {
        const budgetPeriod = period;
        const budget =
          budgetPeriod !== undefined
            ? await readLiveCounter<GoodwillReservation['grant']>(ctx.store, tenantId, goodwillBudgetKey(budgetPeriod), budgetPeriod, opId, ctx.wallClock, (left) => completeAbandoned(ctx, tenantId, budgetPeriod, left))
            : undefined;
        const units =
          stock !== undefined && stockKey !== undefined && rewardId !== undefined
            ? await readLiveCounter<StockGrant>(ctx.store, tenantId, stockKey, rewardId, opId, ctx.wallClock, (left) => completeAbandonedStock(ctx, tenantId, stockKey, left))
            : undefined;
        const held = budget?.doc.reservations.find((r) => r.opId === opId);
        const heldUnit = units?.doc.reservations.find((r) => r.opId === opId);
        // This grant's own reservations are left out of what is used: its points (and unit) are already in them.
        const budgetUsed = budget ? budget.doc.used - (held?.points ?? 0) : 0;
        const stockLeft = stock !== undefined && units ? stock - units.doc.used + (heldUnit ? heldUnit.points : 0) : undefined;
        const decision = decideGoodwill(loaded.compiled, account, { goodwillId, reason, actor, ...(points !== undefined ? { points } : {}), ...(rewardId !== undefined ? { rewardId } : {}), ...(override ? { override } : {}), ...(caseId !== undefined ? { caseId } : {}) }, { mayOverride, budgetUsed, ...(code !== undefined ? { voucherCode: code } : {}), ...(stockLeft !== undefined ? { stockLeft } : {}) }, { at: when });
        if (!decision.granted) {
          if (budget && held && !(await giveBack(ctx.store, tenantId, goodwillBudgetKey(budget.doc.period), budget, held))) continue;
          if (units && heldUnit && stockKey !== undefined && !(await giveBack(ctx.store, tenantId, stockKey, units, heldUnit))) continue;
          return { refusal: { goodwillId, refused: true, reasons: refusalReasons(decision.reasons) } };
        }
        if (budget && !held) {
          const reservation: GoodwillReservation = { opId, points: decision.budgetPoints, reservedAt: ctx.wallClock(), grant: { request, at: when, mayOverride } };
          if (!(await reserve(ctx.store, tenantId, goodwillBudgetKey(budget.doc.period), budget, limit, reservation))) continue;
        }
        if (units && !heldUnit && stock !== undefined && stockKey !== undefined) {
          const unit = { opId, points: 1, reservedAt: ctx.wallClock(), grant: { kind: 'goodwill' as const, request, at: when, mayOverride } };
          if (!(await reserve(ctx.store, tenantId, stockKey, units, stock, unit))) continue;
        }
        const recorded = decision.override;
        const voucher = decision.voucher;
        const index: VoucherIndexDoc | undefined = voucher ? { code: voucher.code, customerId, rewardId: voucher.rewardId, redemptionId: goodwillId, issuedAt: when } : undefined;
        return {
          commit: {
            actions: decision.actions,
            ...(index ? { documents: [{ write: 'insert' as const, collection: 'vouchers' as const, key: index.code, doc: index }] } : {}),
            answer: (applied) => ({
              goodwillId,
              customerId,
              reason: decision.reasonId,
              granted: decision.points,
              ...(caseId !== undefined ? { caseId } : {}),
              ...(recorded ? { override: { reason: recorded.reason, actor: recorded.actor, maxPoints: recorded.maxPoints } } : {}),
              ...(voucher ? { rewardId: voucher.rewardId, voucher: voucherFields(voucher) } : {}),
              availableAt: when,
              balance: viewPoints(applied.state.points, when).balance,
            }),
          },
        };
      }
    },
  });
  if (stockKey !== undefined && (stocked || result.replayed)) await endReservation(ctx.store, tenantId, stockKey, opId, result.refused);
  // Settle what this grant holds on the budget. A replay did not decide: a grant's period is that of the instant it
  // was granted at; a refusal's is taken at this call's instant (a reservation in another period is left to the lease).
  const settled = period ?? goodwillBudgetPeriod(result.program.compiled, result.refused ? result.at : result.answer.availableAt);
  if (settled !== undefined) await endReservation(ctx.store, tenantId, goodwillBudgetKey(settled), opId, result.refused);
  if (result.refused) throw new GoodwillRefused(goodwillId, result.answer.reasons, result.replayed);
  return { ...result.answer, replayed: result.replayed };
}

/**
 * Completes a grant whose reservation outlived its lease (its writer crashed and nobody retried): the same
 * operation runs again from the request the reservation kept, and the reservation is settled by its outcome.
 */
async function completeAbandoned(ctx: LedgerContext, tenantId: string, period: string, left: GoodwillReservation): Promise<void> {
  const op = await ctx.store.get<OperationDoc>('operations', tenantId, left.opId);
  if (op?.doc.status === 'done') {
    await endReservation(ctx.store, tenantId, goodwillBudgetKey(period), left.opId, op.doc.refused === true);
    return;
  }
  let refused = false;
  try {
    await grantGoodwill(ctx, tenantId, left.grant.request, { at: left.grant.at, mayOverride: left.grant.mayOverride });
  } catch (error) {
    if (!(error instanceof GoodwillRefused)) throw error;
    refused = true;
  }
  // Settled here too, in this period, whatever program the grant ran under (a reservation must never outlive its grant).
  await endReservation(ctx.store, tenantId, goodwillBudgetKey(period), left.opId, refused);
}
