/**
 * Rewards and vouchers (docs/perks-and-rewards.md): the catalog as a customer sees it, a reward redeemed for points,
 * and its single-use voucher used on an order.
 *
 * - A redemption is decided by the rules (`decideRewardRedemption`: points like a redemption's, the customer's
 *   limit, tiers, window, stock) and applied through the write protocol; its voucher lives on the account, and the
 *   `vouchers` collection maps the code to its customer (written with the commit, insert-if-absent).
 * - A reward's stock is a reserved counter shared by all customers (reserved-counter.ts): one unit is reserved
 *   before the account commit, so concurrent redemptions never take more than the stock.
 * - A use is one operation on the owner's account (`decideVoucherUse`), so of any number of concurrent uses exactly
 *   one commits; the same voucher on the same order again is a replay of that use.
 */
import { randomBytes } from 'node:crypto';
import {
  decideRewardRedemption,
  decideVoucherUse,
  findReward,
  formatVoucherCode,
  normalizeVoucherCode,
  operationId,
  reasonOf,
  rewardCatalog,
  viewPoints,
  voucherFields,
  voucherGift,
  voucherStatus,
  VOUCHER_CODE_BYTES,
  type AccountVoucher,
  type RewardStock,
} from '@purna/rules';
import type { CustomerVouchersAnswer, RewardCatalogAnswer, RewardRedemptionAnswer, VoucherUseAnswer, VoucherView } from '../contract/answers.js';
import { RewardRedemptionRequestSchema, VoucherUseRequestSchema, type GoodwillRequest, type RewardRedemptionRequest } from '../contract/requests.js';
import { GoodwillRefused, RewardRefused, VoucherRefused, refusalReasons, type RefusalReason } from '../errors.js';
import { grantGoodwill } from './goodwill.js';
import type { OperationDoc } from '../account/account-doc.js';
import type { Store } from '../store/store.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, ReadOptions, WriteOptions } from './ledger-context.js';
import { endReservation, giveBack, readLiveCounter, reserve, type Reservation } from './reserved-counter.js';

/** The `vouchers` collection: a code's customer, so a use finds the account it goes through. */
export interface VoucherIndexDoc {
  code: string;
  customerId: string;
  rewardId: string;
  redemptionId: string;
  issuedAt: string;
}

/**
 * What a stock reservation keeps to complete its write: a redemption's request, or a goodwill grant's (goodwill may
 * grant a reward without points).
 */
export type StockGrant = { kind?: 'reward'; request: RewardRedemptionRequest; at: string } | { kind: 'goodwill'; request: GoodwillRequest; at: string; mayOverride: boolean };

/** The key of a reward's stock counter in the `counters` collection. */
export function rewardStockKey(rewardId: string): string {
  return `reward-stock:${rewardId}`;
}

/** A refused redemption's stored answer (a replay refuses again with it). */
interface RewardRefusalAnswer {
  redemptionId: string;
  refused: true;
  reasons: RefusalReason[];
}

/** How many of a reward's stock are left (its stock less every redemption made or reserved); none without a stock. */
async function stockLeft(store: Store, tenantId: string, rewardId: string, stock: number | undefined): Promise<RewardStock> {
  if (stock === undefined) return {};
  const counter = await store.get<{ used: number }>('counters', tenantId, rewardStockKey(rewardId));
  return { stockLeft: stock - (counter?.doc.used ?? 0) };
}

/**
 * The catalog at `at`: every reward with `available` and its reasons, for `customerId` when given (points, tier,
 * limit), else for anyone (window, stock).
 *
 * @example await rewardCatalogOf(ctx, 'shop', { customerId: 'ayu' }, { at }) // { items: [{ rewardId: 'voucher-50k', available: true, reasons: [] }, ...] }
 */
export async function rewardCatalogOf(ctx: LedgerContext, tenantId: string, query: { customerId?: string }, options: ReadOptions = {}): Promise<RewardCatalogAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const at = ctx.at(options);
  const loaded = await ctx.programs.load(tenantId);
  const account = query.customerId !== undefined ? await ctx.account(tenantId, query.customerId) : undefined;
  const stocks = new Map<string, RewardStock>();
  for (const reward of loaded.program.rewards ?? []) stocks.set(reward.id, await stockLeft(ctx.store, tenantId, reward.id, reward.stock));
  const items = rewardCatalog(loaded.compiled, account ? { state: account } : {}, (id) => stocks.get(id) ?? {}, { at });
  const answered = items.map(({ tiers, reasons, ...item }) => ({ ...item, ...(tiers ? { tiers: [...tiers] } : {}), reasons: reasons.map((r) => ({ ...r })) }));
  return { ...(query.customerId !== undefined ? { customerId: query.customerId } : {}), at, items: answered };
}

/**
 * Redeems a reward for its points and issues its voucher, or throws `RewardRefused` with every reason (the refusal
 * is the first answer: a replay refuses again). The id is the idempotency key.
 *
 * @example await redeemReward(ctx, 'shop', { id: 'rr-1', rewardId: 'voucher-50k', customerId: 'ayu' }, { at })
 */
export async function redeemReward(ctx: LedgerContext, tenantId: string, input: RewardRedemptionRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<RewardRedemptionAnswer> {
  const request = checkInput(RewardRedemptionRequestSchema, input, '', 'reward redemption');
  const { id: redemptionId, rewardId, customerId } = request;
  const opId = operationId.rewardRedemption(redemptionId);
  const at = ctx.at(options);
  const key = rewardStockKey(rewardId);
  // Drawn once per call: a decision run again after a lost race issues the same code.
  const code = formatVoucherCode(randomBytes(VOUCHER_CODE_BYTES));
  let stocked = false;
  const result = await ctx.write<Omit<RewardRedemptionAnswer, 'replayed'>, RewardRefusalAnswer>(tenantId, { ...options, at }, {
    opId,
    kind: 'reward-redemption',
    customerId,
    request: { rewardId, customerId },
    createAccount: false,
    decide: async (account, loaded, when) => {
      const stock = findReward(loaded.compiled, rewardId)?.stock;
      stocked = stock !== undefined;
      for (;;) {
        const counter = stock !== undefined ? await readLiveCounter<StockGrant>(ctx.store, tenantId, key, rewardId, opId, ctx.wallClock, (left) => completeAbandonedStock(ctx, tenantId, key, left)) : undefined;
        const held = counter?.doc.reservations.find((r) => r.opId === opId);
        // This redemption's own reservation is left out of what is taken: its unit is already in it.
        const left: RewardStock = stock !== undefined && counter ? { stockLeft: stock - counter.doc.used + (held ? held.points : 0) } : {};
        const decision = decideRewardRedemption(loaded.compiled, account, { redemptionId, rewardId, code }, left, { at: when });
        if (!decision.accepted) {
          if (counter && held && !(await giveBack(ctx.store, tenantId, key, counter, held))) continue;
          return { refusal: { redemptionId, refused: true, reasons: refusalReasons(decision.reasons) } };
        }
        if (stock !== undefined && counter && !held) {
          const reservation: Reservation<StockGrant> = { opId, points: 1, reservedAt: ctx.wallClock(), grant: { kind: 'reward', request, at: when } };
          if (!(await reserve(ctx.store, tenantId, key, counter, stock, reservation))) continue;
        }
        const { voucher } = decision;
        const index: VoucherIndexDoc = { code: voucher.code, customerId, rewardId, redemptionId, issuedAt: when };
        return {
          commit: {
            actions: decision.actions,
            documents: [{ write: 'insert', collection: 'vouchers', key: voucher.code, doc: index }],
            answer: (applied) => ({
              redemptionId,
              rewardId,
              customerId,
              points: decision.points,
              voucher: voucherFields(voucher),
              balance: viewPoints(applied.state.points, when).balance,
            }),
          },
        };
      }
    },
  });
  // Settle what this redemption holds on the stock (a replay did not decide: settle whatever it may still hold).
  if (stocked || result.replayed) await endReservation(ctx.store, tenantId, key, opId, result.refused);
  if (result.refused) throw new RewardRefused(redemptionId, result.answer.reasons, result.replayed);
  return { ...result.answer, replayed: result.replayed };
}

/**
 * Completes a write whose stock reservation outlived its lease (its writer crashed and nobody retried): the same
 * operation (a redemption, or a goodwill grant of the reward) runs again from the request the reservation kept, and
 * the reservation is settled by its outcome.
 */
export async function completeAbandonedStock(ctx: LedgerContext, tenantId: string, key: string, left: Reservation<StockGrant>): Promise<void> {
  const op = await ctx.store.get<OperationDoc>('operations', tenantId, left.opId);
  if (op?.doc.status === 'done') {
    await endReservation(ctx.store, tenantId, key, left.opId, op.doc.refused === true);
    return;
  }
  let refused = false;
  try {
    const grant = left.grant;
    if (grant.kind === 'goodwill') await grantGoodwill(ctx, tenantId, grant.request, { at: grant.at, mayOverride: grant.mayOverride });
    else await redeemReward(ctx, tenantId, grant.request, { at: grant.at });
  } catch (error) {
    if (!(error instanceof RewardRefused) && !(error instanceof GoodwillRefused)) throw error;
    refused = true;
  }
  await endReservation(ctx.store, tenantId, key, left.opId, refused);
}

/** A refused use's stored answer (a replay refuses again with it). */
interface VoucherRefusalAnswer {
  code: string;
  refused: true;
  reasons: RefusalReason[];
}

/**
 * Uses voucher `code` on an order, once, for the customer it was issued to; throws `VoucherRefused` when it is
 * unknown, another customer's, used or expired. The same voucher on the same order again answers the first answer.
 *
 * @example await useVoucher(ctx, 'shop', 'K7QM-2XPA-9RHD-TWCE', { orderId: 'o-1009', customerId: 'ayu' }, { at })
 */
export async function useVoucher(ctx: LedgerContext, tenantId: string, codeText: string, input: { orderId: string; customerId: string } | Record<string, unknown>, options: WriteOptions = {}): Promise<VoucherUseAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const code = normalizeVoucherCode(String(codeText), '/code');
  const { orderId, customerId } = checkInput(VoucherUseRequestSchema, input, '', 'voucher use');
  const index = await ctx.store.get<VoucherIndexDoc>('vouchers', tenantId, code);
  // Neither refusal says whose a code is; the API counts both as misses toward its guessing limit.
  if (!index) throw new VoucherRefused(code, [reasonOf('voucher.voucher-unknown#tenant', { code })]);
  if (index.doc.customerId !== customerId) throw new VoucherRefused(code, [reasonOf('voucher.voucher-other-customer', { code, customerId })]);
  const result = await ctx.write<Omit<VoucherUseAnswer, 'replayed'>, VoucherRefusalAnswer>(tenantId, options, {
    opId: operationId.voucherUse(code, orderId),
    kind: 'voucher-use',
    customerId,
    request: { code, orderId, customerId },
    createAccount: false,
    decide: (account, _loaded, at) => {
      const decision = decideVoucherUse(account, { code, orderId }, { at });
      if (!decision.accepted) return { refusal: { code, refused: true, reasons: refusalReasons([decision.reason]) } };
      const { voucher } = decision;
      return {
        commit: {
          actions: decision.actions,
          answer: () => ({
            code,
            used: true as const,
            orderId,
            customerId,
            rewardId: voucher.rewardId,
            ...voucherGift(voucher),
          }),
        },
      };
    },
  });
  if (result.refused) throw new VoucherRefused(code, result.answer.reasons, result.replayed);
  return { ...result.answer, replayed: result.replayed };
}

/**
 * A customer's vouchers with their status at `at`, newest first.
 *
 * @example await customerVouchers(ctx, 'shop', 'ayu', { at }) // { items: [{ code, status: 'available', ... }] }
 */
export async function customerVouchers(ctx: LedgerContext, tenantId: string, customerId: string, options: ReadOptions = {}): Promise<CustomerVouchersAnswer> {
  const at = ctx.at(options);
  const account = await ctx.account(tenantId, customerId);
  return { customerId, at, items: [...(account.vouchers ?? [])].reverse().map((voucher) => voucherView(voucher, at)) };
}

/** A voucher as a read answers it. */
export function voucherView(voucher: AccountVoucher, at: string): VoucherView {
  return {
    code: voucher.code,
    rewardId: voucher.rewardId,
    redemptionId: voucher.redemptionId,
    ...voucherGift(voucher),
    issuedAt: voucher.issuedAt,
    expiresAt: voucher.expiresAt,
    points: voucher.points,
    status: voucherStatus(voucher, at),
    ...(voucher.used ? { usedOn: { ...voucher.used } } : {}),
    ...(voucher.expired && voucher.expired.refunded > 0 ? { refunded: voucher.expired.refunded } : {}),
  };
}
