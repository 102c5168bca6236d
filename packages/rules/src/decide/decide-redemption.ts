/**
 * decideRedemption (SEMANTICS rules 6 and 7): points for a discount, taken from available lots soonest-expiring
 * first, never below zero and never while in debt; a refusal has every reason and changes nothing.
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import type { Debit, EntryLot } from '../account/points-entry.js';
import { planDebits, settle, viewPoints, type PointsState } from '../account/points-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { evaluateRedemption, type RedemptionDecision } from '../redemption/evaluate-redemption.js';
import { programFields } from './decision-parts.js';
import { momentAction } from './moment-actions.js';

/** A redemption request. */
export interface DecideRedemptionInput {
  readonly redemptionId: string;
  readonly orderId: string;
  readonly orderTotal: string;
  readonly points: number;
}

/**
 * A redemption as made: what it took from which lot, each lot as it was created, so that a cancellation puts the
 * points back into the lots they came from with their own life (decideRedemptionCancellation).
 */
export interface RecordedRedemption {
  redemptionId: string;
  orderId: string;
  /** UTC ISO. */
  at: string;
  points: number;
  /** A decimal string. */
  discount: string;
  debits: Array<{ points: number; lot: EntryLot }>;
}

/** The answer of {@link decideRedemption}: the rules' decision and, when accepted, the debit and its record. */
export interface RedemptionOutcome {
  readonly decision: RedemptionDecision;
  readonly actions: readonly AccountAction[];
  readonly record?: RecordedRedemption;
}

/**
 * Decides a redemption at `at` (UTC ISO) against the account's points at that instant.
 *
 * @example decideRedemption(compiled, state, { redemptionId: 'rd-1', orderId: 'o-9', orderTotal: '500000', points: 400 }, { at }).decision.accepted
 */
export function decideRedemption(compiled: CompiledProgram, state: AccountState, input: DecideRedemptionInput, options: { readonly at: string }): RedemptionOutcome {
  const { at } = options;
  // The lots as they are at `at`: a lot that became available since the last write has repaid any debt first, so
  // the debits name what is really left in each lot (the reducer settles the same way before it applies them).
  const points = settle(state.points, at);
  const view = viewPoints(points, at);
  const decision = evaluateRedemption(compiled, { points: input.points, orderTotal: input.orderTotal, available: view.available, balance: view.balance }, { at });
  if (!decision.accepted) return { decision, actions: [] };
  const plan = planDebits(points, decision.points, at, { allowDebt: false });
  const debits = debitedLots(points, plan.debits, `redemption ${input.redemptionId}`);
  return {
    decision,
    record: { redemptionId: input.redemptionId, orderId: input.orderId, at, points: decision.points, discount: decision.discount, debits },
    actions: [
      { type: 'debit', entry: { type: 'redeem', ...programFields(compiled), ruleIds: [], orderId: input.orderId, redemptionId: input.redemptionId }, debits: plan.debits },
      momentAction('redemption.created', { redemptionId: input.redemptionId, orderId: input.orderId, points: decision.points, discount: decision.discount }),
    ],
  };
}

/**
 * What `debits` take from each lot of `points`, each lot as it was created, so that the points can later go back
 * into the lots they came from (a cancelled redemption, an expired voucher that gives them back). `what` names the
 * caller in the error a lot missing from the account would be.
 *
 * @example debitedLots(points, plan.debits, 'redemption rd-1') // [{ points: 300, lot: { id: 'order:o-1#0', ... } }]
 */
export function debitedLots(points: PointsState, debits: readonly Debit[], what: string): Array<{ points: number; lot: EntryLot }> {
  const lots = new Map(points.lots.map((lot) => [lot.id, lot]));
  return debits.map((debit) => {
    const lot = lots.get(debit.lotId);
    if (!lot) throw new Error(`${what}: lot ${debit.lotId} is not on the account`);
    const { id, source, amount, availableAt, expiresAt, orderId } = lot;
    return { points: debit.points, lot: { id, source, amount, availableAt, expiresAt, ...(orderId !== undefined ? { orderId } : {}) } };
  });
}
