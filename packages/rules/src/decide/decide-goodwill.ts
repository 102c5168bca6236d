/**
 * decideGoodwill: a goodwill gesture for one of the program's reasons (docs/program-reference.md "goodwill"). The
 * reason's `maxPoints` binds every caller; only a caller allowed to override (an admin key) that sends
 * `override: { reason }` grants more, and the override is recorded. The per-customer limit counts the customer's
 * grants in the calendar period of the program's zone; the budget caps the points granted to all customers in its
 * period. A refusal names every reason and changes nothing (refusals do not count toward the limits). The points are
 * an adjustment's lot, available at once (decide-adjustment.ts), with a `goodwill.granted` moment.
 *
 * The budget is program-wide, so the caller reads what was used in the period (`budgetUsed`, without this grant's
 * own reservation) and keeps the budget itself (the ledger reserves the points before committing the account).
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState, AccountVoucher } from '../account/account-state.js';
import { decideRewardRedemption, voucherFields } from '../rewards/decide-reward-redemption.js';
import { findReward, type RewardRefusalCode } from '../rewards/reward-catalog.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { periodKey } from '../engine/period-key.js';
import { inputError } from '../errors.js';
import { adjustmentAward } from './decide-adjustment.js';
import { expiryField, momentAction } from './moment-actions.js';
import { sentence, type Reason } from '../messages/sentence.js';
import { reasonOf } from '../messages/english.js';

/** Stable codes for why a goodwill gesture is refused. */
export type GoodwillRefusalCode =
  | 'goodwill-not-offered'
  | 'unknown-reason'
  | 'override-not-allowed'
  | 'over-reason-maximum'
  | 'customer-limit-reached'
  | 'budget-exhausted'
  | Exclude<RewardRefusalCode, 'insufficient-points' | 'negative-balance'>;

/** One reason a goodwill gesture is refused. */
export type GoodwillRefusal = Reason<GoodwillRefusalCode>;

/** A goodwill request: exactly one of `points` and `rewardId`. */
export interface DecideGoodwillInput {
  readonly goodwillId: string;
  /** The program's goodwill reason id. */
  readonly reason: string;
  readonly points?: number;
  /** A reward of the catalog, granted without points: its voucher is issued, its cost counts as the grant's points. */
  readonly rewardId?: string;
  /** Goes past the reason's `maxPoints` when the caller may override. */
  readonly override?: { readonly reason: string };
  /** The complaint case the gesture settles. */
  readonly caseId?: string;
  /** Who grants it (an API key, an agent). */
  readonly actor: string;
}

/** What only the caller knows. */
export interface GoodwillContext {
  /** The caller may override a reason's maximum (an admin key). */
  readonly mayOverride: boolean;
  /** Points granted (or reserved) to all customers in the budget's period, this grant's own reservation left out. */
  readonly budgetUsed: number;
  /** For a reward: the code of its voucher (drawn by the caller) and how many of its stock are left (none: no stock). */
  readonly voucherCode?: string;
  readonly stockLeft?: number;
}

/** The recorded override of a grant over its reason's maximum. */
export interface GoodwillOverride {
  readonly reason: string;
  readonly actor: string;
  /** The reason's maximum it went past (or would have, had the points been more). */
  readonly maxPoints: number;
}

/** The answer of {@link decideGoodwill}. */
export type GoodwillDecision =
  | {
      readonly granted: true;
      readonly points: number;
      readonly reasonId: string;
      /** Set when an allowed caller sent an override. */
      readonly override?: GoodwillOverride;
      /** The budget period the points are charged to (its key, like `2026-12`), when the program has a budget. */
      readonly budgetPeriod?: string;
      /** What the budget is charged: the points, or the reward's cost. */
      readonly budgetPoints: number;
      /** A reward granted: its voucher (the points granted are then 0; the reward's cost counts toward the limits). */
      readonly voucher?: AccountVoucher;
      readonly actions: readonly AccountAction[];
    }
  | { readonly granted: false; readonly reasons: readonly GoodwillRefusal[]; readonly actions: readonly [] };

/**
 * The key of the budget period containing `at` (UTC ISO) in the program's zone, like `2026-12`; undefined when the
 * program has no goodwill budget. The ledger keeps the budget's counter under it.
 *
 * @example goodwillBudgetPeriod(compiled, '2026-11-30T17:00:00Z') // '2026-12' in Asia/Jakarta
 */
export function goodwillBudgetPeriod(compiled: CompiledProgram, at: string): string | undefined {
  const budget = compiled.program.goodwill?.budget;
  if (!budget) return undefined;
  return periodKey(budget.period, compiled.clock.local(compiled.clock.millis(at, '/at')));
}

/**
 * Decides a goodwill gesture at `at` (UTC ISO).
 *
 * @example
 * decideGoodwill(compiled, account, { goodwillId: 'gw-1', reason: 'cancelled-by-shop', points: 500, actor: 'agent-7' }, { mayOverride: false, budgetUsed: 0 }, { at })
 * // { granted: true, points: 500, reasonId: 'cancelled-by-shop', budgetPeriod: '2026-12', actions: [...] }
 */
export function decideGoodwill(compiled: CompiledProgram, state: AccountState, input: DecideGoodwillInput, context: GoodwillContext, options: { readonly at: string }): GoodwillDecision {
  const { at } = options;
  if ((input.points === undefined) === (input.rewardId === undefined)) {
    inputError('/points', 'points-or-reward', 'a goodwill gesture gives either "points" or a "rewardId", exactly one of them');
  }
  if (input.points !== undefined && (!Number.isSafeInteger(input.points) || input.points < 1)) {
    inputError('/points', 'invalid-integer', 'points must be a whole number of 1 or more');
  }
  const section = compiled.program.goodwill;
  const reasons: GoodwillRefusal[] = [];
  const refuse = (reason: GoodwillRefusal) => reasons.push(reason);
  const reward = input.rewardId !== undefined ? findReward(compiled, input.rewardId) : undefined;
  if (input.rewardId !== undefined && !reward) {
    refuse(reasonOf('reward.unknown-reward', { rewardId: input.rewardId, known: (compiled.program.rewards ?? []).map((r) => r.id) }));
  }
  if (input.override && !context.mayOverride) {
    refuse(reasonOf('goodwill.override-not-allowed'));
  }
  if (!section) {
    refuse(reasonOf('goodwill.goodwill-not-offered'));
    return { granted: false, reasons, actions: [] };
  }
  const reason = section.reasons.find((r) => r.id === input.reason);
  if (!reason) {
    refuse(reasonOf('goodwill.unknown-reason', { reason: input.reason, known: section.reasons.map((r) => r.id) }));
  }
  const overriding = input.override !== undefined && context.mayOverride;
  // What the grant is worth: its points, or the reward's cost in points (a reward counts toward the same limits).
  const worth = input.points ?? reward?.cost;
  const what = input.points !== undefined ? sentence('goodwill.worth-points', { points: input.points }) : sentence('goodwill.worth-reward', { rewardId: reward?.id ?? '', worth: worth ?? 0 });
  if (reason && worth !== undefined && worth > reason.maxPoints && !overriding) {
    refuse(reasonOf('goodwill.over-reason-maximum', { what, max: reason.maxPoints, reason: reason.id }));
  }
  const local = compiled.clock.local(compiled.clock.millis(at, '/at'));
  const limit = section.limit?.perCustomer;
  const usageKey = limit ? `goodwill:${periodKey(limit.period, local)}` : undefined;
  if (limit && usageKey) {
    const used = state.usage.find((counter) => counter.key === usageKey)?.count ?? 0;
    if (used >= limit.count) refuse(reasonOf('goodwill.customer-limit-reached', { used, period: limit.period ?? null, limit: limit.count }));
  }
  const budget = section.budget;
  const budgetPeriod = budget ? periodKey(budget.period, local) : undefined;
  if (budget && worth !== undefined && context.budgetUsed + worth > budget.points) {
    const left = Math.max(0, budget.points - context.budgetUsed);
    refuse(reasonOf('goodwill.budget-exhausted', { budget: budget.points, period: budget.period ?? null, left, worth }));
  }
  // A reward's own reasons (its window, stock, tiers, the customer's limit of it), but not its price: goodwill pays it.
  const granted = reward
    ? decideRewardRedemption(compiled, state, { redemptionId: input.goodwillId, rewardId: reward.id, code: context.voucherCode ?? '' }, context.stockLeft !== undefined ? { stockLeft: context.stockLeft } : {}, { at, free: true })
    : undefined;
  if (granted && !granted.accepted) for (const r of granted.reasons) refuse({ ...r, code: r.code as GoodwillRefusalCode });
  if (reasons.length > 0 || !reason || worth === undefined) return { granted: false, reasons, actions: [] };
  if (granted?.accepted) {
    if (context.voucherCode === undefined) throw new Error(`goodwill ${input.goodwillId}: a reward needs the voucher code drawn by the caller`);
    const override: GoodwillOverride | undefined = overriding && input.override ? { reason: input.override.reason, actor: input.actor, maxPoints: reason.maxPoints } : undefined;
    const actions: AccountAction[] = [
      ...granted.actions,
      ...(usageKey ? [{ type: 'counters' as const, deltas: [{ key: usageKey, count: 1 }] }] : []),
      momentAction('goodwill.granted', {
        goodwillId: input.goodwillId,
        reason: reason.id,
        reasonName: reason.name,
        points: 0,
        actor: input.actor,
        rewardId: granted.reward.id,
        voucher: voucherFields(granted.voucher),
        ...(input.caseId !== undefined ? { caseId: input.caseId } : {}),
        ...(override ? { override: { reason: override.reason, maxPoints: override.maxPoints } } : {}),
      }),
    ];
    return { granted: true, points: 0, budgetPoints: worth, reasonId: reason.id, voucher: granted.voucher, ...(override ? { override } : {}), ...(budgetPeriod !== undefined ? { budgetPeriod } : {}), actions };
  }
  if (input.points === undefined) return { granted: false, reasons, actions: [] };

  const points = input.points;
  const override: GoodwillOverride | undefined = overriding && input.override ? { reason: input.override.reason, actor: input.actor, maxPoints: reason.maxPoints } : undefined;
  const award = adjustmentAward(compiled, { points, reason: `goodwill:${reason.id}`, actor: input.actor }, { at });
  const actions: AccountAction[] = [
    award,
    ...(usageKey ? [{ type: 'counters' as const, deltas: [{ key: usageKey, count: 1 }] }] : []),
    momentAction('goodwill.granted', {
      goodwillId: input.goodwillId,
      reason: reason.id,
      reasonName: reason.name,
      points,
      actor: input.actor,
      ...(input.caseId !== undefined ? { caseId: input.caseId } : {}),
      ...(override ? { override: { reason: override.reason, maxPoints: override.maxPoints } } : {}),
      availableAt: award.availableAt,
      expiresAt: expiryField(award.expiresAt),
    }),
  ];
  return { granted: true, points, budgetPoints: points, reasonId: reason.id, ...(override ? { override } : {}), ...(budgetPeriod !== undefined ? { budgetPeriod } : {}), actions };
}
