/**
 * The rewards catalog as a customer sees it at an instant (docs/perks-and-rewards.md): each reward with `available`
 * and, when not, every reason: not enough points, points owed, out of stock, the customer's limit of the period
 * reached, a tier that may not redeem it, outside its window. One source for the catalog read (`GET /v1/rewards`) and
 * for the redemption's own decision (decideRewardRedemption), so the catalog never promises what a redemption refuses.
 */
import type { AccountState } from '../account/account-state.js';
import { viewPoints } from '../account/points-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { periodKey } from '../engine/period-key.js';
import { DEFAULT_VOUCHER_DAYS, type Reward, type RewardKind } from '../program/rewards-section.js';
import { heldTier } from '../decide/decision-parts.js';
import { type Reason } from '../messages/sentence.js';
import { reasonOf } from '../messages/english.js';

/** Stable codes for why a reward cannot be redeemed. */
export type RewardRefusalCode =
  | 'unknown-reward'
  | 'insufficient-points'
  | 'negative-balance'
  | 'out-of-stock'
  | 'limit-reached'
  | 'tier-not-allowed'
  | 'not-yet-valid'
  | 'no-longer-valid';

/** One reason a reward cannot be redeemed. */
export type RewardRefusal = Reason<RewardRefusalCode>;

/** A reward of the catalog as one customer (or anyone, without a customer) sees it. */
export interface RewardOffer {
  readonly rewardId: string;
  readonly name: string;
  readonly description?: string;
  readonly kind: RewardKind;
  /** Points it costs. */
  readonly cost: number;
  readonly value?: string;
  readonly percent?: string;
  readonly sku?: string;
  /** How many are left, when the reward has a stock. */
  readonly stockLeft?: number;
  /** Days its voucher lasts. */
  readonly voucherDays: number;
  readonly tiers?: readonly string[];
  readonly valid?: { readonly from?: string; readonly until?: string };
  readonly available: boolean;
  readonly reasons: readonly RewardRefusal[];
}

/** What only the caller knows of a reward: how many of its stock are left (undefined: no stock). */
export interface RewardStock {
  readonly stockLeft?: number;
}

/** Who asks: a customer's account (absent: the catalog for anyone, with only the reasons that hold for all). */
export interface RewardAsker {
  readonly state?: Pick<AccountState, 'points' | 'orders' | 'usage'>;
  /** Granted by goodwill: the points are not paid, so they are not asked for. */
  readonly free?: boolean;
}

/** The usage counter key of a reward's per-customer limit at `at`, or undefined when it has none. */
export function rewardUsageKey(compiled: CompiledProgram, reward: Reward, at: string): string | undefined {
  const limit = reward.limit?.perCustomer;
  if (!limit) return undefined;
  return `reward:${reward.id}:${periodKey(limit.period, compiled.clock.local(compiled.clock.millis(at, '/at')))}`;
}

/**
 * Every reason `reward` cannot be redeemed at `at` (UTC ISO) by the asker; none when it can.
 *
 * @example rewardReasons(compiled, powerbank, { state }, { stockLeft: 0 }, { at }).map((r) => r.code) // ['out-of-stock', 'tier-not-allowed']
 */
export function rewardReasons(compiled: CompiledProgram, reward: Reward, asker: RewardAsker, stock: RewardStock, options: { readonly at: string }): RewardRefusal[] {
  const { at } = options;
  const reasons: RewardRefusal[] = [];
  const refuse = (reason: RewardRefusal) => reasons.push(reason);
  const atMs = compiled.clock.millis(at, '/at');
  if (reward.valid?.from !== undefined && atMs < compiled.clock.millis(reward.valid.from, '/valid/from')) refuse(reasonOf('reward.not-yet-valid', { rewardId: reward.id, from: reward.valid.from }));
  if (reward.valid?.until !== undefined && atMs >= compiled.clock.millis(reward.valid.until, '/valid/until')) refuse(reasonOf('reward.no-longer-valid', { rewardId: reward.id, until: reward.valid.until }));
  if (stock.stockLeft !== undefined && stock.stockLeft <= 0) refuse(reasonOf('reward.out-of-stock', { rewardId: reward.id }));
  const state = asker.state;
  if (!state) return reasons;
  if (reward.tiers) {
    const tier = heldTier(compiled, state, at)?.tierId ?? null;
    if (tier === null || !reward.tiers.includes(tier)) {
      refuse(reasonOf('reward.tier-not-allowed', { rewardId: reward.id, tiers: reward.tiers, tier }));
    }
  }
  const limit = reward.limit?.perCustomer;
  const key = rewardUsageKey(compiled, reward, at);
  if (limit && key) {
    const used = state.usage.find((counter) => counter.key === key)?.count ?? 0;
    if (used >= limit.count) refuse(reasonOf('reward.limit-reached', { rewardId: reward.id, used, period: limit.period ?? null, limit: limit.count }));
  }
  if (!asker.free) {
    const view = viewPoints(state.points, at);
    // As for a redemption of points (SEMANTICS 6): nothing while the balance is negative. Points released back to
    // their lots (a voucher refunded on expiry) can stand beside a debt smaller than them; `available` is net of it.
    if (view.balance < 0) refuse(reasonOf('reward.negative-balance', { debt: view.debt }));
    else if (view.available < reward.cost) refuse(reasonOf('reward.insufficient-points', { rewardId: reward.id, cost: reward.cost, available: view.available }));
  }
  return reasons;
}

/**
 * The catalog at `at` (UTC ISO): every reward of the program, each with `available` and its reasons.
 *
 * @example rewardCatalog(compiled, { state }, (id) => ({ stockLeft: stock.get(id) }), { at })[0].available
 */
export function rewardCatalog(compiled: CompiledProgram, asker: RewardAsker, stockOf: (rewardId: string) => RewardStock, options: { readonly at: string }): RewardOffer[] {
  return (compiled.program.rewards ?? []).map((reward) => {
    const stock = stockOf(reward.id);
    const reasons = rewardReasons(compiled, reward, asker, stock, options);
    return {
      rewardId: reward.id,
      name: reward.name,
      ...(reward.description !== undefined ? { description: reward.description } : {}),
      kind: reward.kind,
      cost: reward.cost,
      ...(reward.value !== undefined ? { value: reward.value } : {}),
      ...(reward.percent !== undefined ? { percent: reward.percent } : {}),
      ...(reward.sku !== undefined ? { sku: reward.sku } : {}),
      ...(stock.stockLeft !== undefined ? { stockLeft: Math.max(0, stock.stockLeft) } : {}),
      voucherDays: reward.voucherDays ?? DEFAULT_VOUCHER_DAYS,
      ...(reward.tiers ? { tiers: [...reward.tiers] } : {}),
      ...(reward.valid ? { valid: { ...reward.valid } } : {}),
      available: reasons.length === 0,
      reasons,
    };
  });
}

/** The program's reward `rewardId`, or undefined. */
export function findReward(compiled: CompiledProgram, rewardId: string): Reward | undefined {
  return compiled.program.rewards?.find((reward) => reward.id === rewardId);
}
