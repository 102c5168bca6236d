/**
 * decideAdjustment: a goodwill gesture or a correction. Points added are one lot available at once; points removed
 * are taken back like a clawback (available lots soonest-expiring first, the rest as debt).
 */
import type { AccountAction, AwardAction } from '../account/account-action.js';
import type { EntryFields } from '../account/points-entry.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { inputError } from '../errors.js';
import { lotLife, programFields } from './decision-parts.js';
import { awardedMoments } from './moment-actions.js';

/** An adjustment: signed points, a reason code and who made it. */
export interface DecideAdjustmentInput {
  readonly points: number;
  readonly reason: string;
  readonly actor: string;
}

/**
 * The actions of an adjustment made at `at` (UTC ISO).
 *
 * @example decideAdjustment(compiled, { points: -200, reason: 'correction', actor: 'agent-7' }, { at })
 */
export function decideAdjustment(compiled: CompiledProgram, input: DecideAdjustmentInput, options: { readonly at: string }): readonly AccountAction[] {
  const { points, reason, actor } = input;
  if (!Number.isSafeInteger(points) || points === 0) inputError('/points', 'zero-adjustment', 'an adjustment must add or remove a whole number of at least 1 point');
  if (points > 0) {
    const award = adjustmentAward(compiled, { points, reason, actor }, options);
    return [award, ...awardedMoments(award)];
  }
  return [{ type: 'clawback', entry: adjustmentEntry(compiled, reason, actor), points: -points, firstLotIds: [] }];
}

function adjustmentEntry(compiled: CompiledProgram, reason: string, actor: string): EntryFields {
  return { type: 'adjustment', ...programFields(compiled), ruleIds: [], reason, actor };
}

/**
 * The lot an adjustment of `points` (1 or more) grants at `at`: available at once (SEMANTICS rule 5). A goodwill
 * gesture grants its points with it too (decide-goodwill.ts), with a moment of its own.
 *
 * @example adjustmentAward(compiled, { points: 300, reason: 'goodwill:late-delivery', actor: 'agent-7' }, { at })
 */
export function adjustmentAward(compiled: CompiledProgram, input: DecideAdjustmentInput, options: { readonly at: string }): AwardAction {
  return { type: 'award', entry: adjustmentEntry(compiled, input.reason, input.actor), source: 'adjustment', points: input.points, ...lotLife(compiled, 'adjustment', options.at) };
}
