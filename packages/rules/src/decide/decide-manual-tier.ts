/**
 * decideManualTier: a tier assigned by hand (a status match from a competitor, a member migrated with the tier it
 * held). The hold is recorded on the account, so every reader of the tier held (heldTier: the order multiplier, the
 * due moments, the yearly rewards, the account view) sees it; the recorded tier moves to what is held with it, and a
 * `tier.changed` moment with cause `manual` says so when that changes the tier.
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { inputError } from '../errors.js';
import type { TierHold } from '../input/customer-history.js';
import { formatUtc } from '../time.js';
import { heldTier, recordedTier, tierChange } from './decision-parts.js';

/** A tier assigned by hand: which, until when (UTC ISO) and why. */
export interface DecideManualTierInput {
  readonly tierId: string;
  readonly until: string;
  readonly reason: string;
}

/** Options of {@link checkManualTier} and {@link decideManualTier}. */
export interface ManualTierOptions {
  /**
   * A tier brought over from another program (an import): its `until` may have passed already, the customer then
   * holding it for what is left of the grace, as that program would have.
   */
  readonly migrated?: boolean;
}

/** The answer of {@link decideManualTier}. */
export interface ManualTierDecision {
  readonly hold: TierHold;
  /** The tier recorded before, and the tier held once the hold is recorded (a hold below the earned tier changes nothing). */
  readonly from: string | null;
  readonly to: string | null;
  readonly actions: readonly AccountAction[];
}

/**
 * Throws an InputError (with its pointer) for a program without tiers, a tier the program does not have, and an
 * `until` not after `at` (UTC ISO) unless `migrated`; answers the hold otherwise. A caller checks before it claims anything, so a bad
 * request leaves no trace.
 *
 * @example checkManualTier(compiled, { tierId: 'gold', until: '2027-07-01T00:00:00+07:00', reason: 'status match' }, at).until // '2027-06-30T17:00:00.000Z'
 */
export function checkManualTier(compiled: CompiledProgram, input: DecideManualTierInput, at: string, options: ManualTierOptions = {}): TierHold {
  const tiers = compiled.tiers;
  if (!tiers) inputError('/tierId', 'no-tiers', `program ${compiled.id} has no tiers: a tier cannot be assigned`);
  if (!tiers.levels.some((level) => level.id === input.tierId)) {
    inputError('/tierId', 'unknown-tier', `tier ${JSON.stringify(input.tierId)} is not a tier of program ${compiled.id} (tiers: ${tiers.levels.map((level) => level.id).join(', ')})`);
  }
  const untilMs = compiled.clock.millis(input.until, '/until');
  if (options.migrated !== true && untilMs <= compiled.clock.millis(at, '/at')) inputError('/until', 'until-not-future', `until must be after the time of the request (${at}), got ${input.until}`);
  return { tierId: input.tierId, since: at, until: formatUtc(untilMs), reason: input.reason };
}

/**
 * The actions of a tier assigned by hand at `at` (UTC ISO), refused as {@link checkManualTier} says.
 *
 * @example decideManualTier(compiled, state, { tierId: 'gold', until: '2027-07-01T00:00:00+07:00', reason: 'status match' }, { at })
 */
export function decideManualTier(compiled: CompiledProgram, state: AccountState, input: DecideManualTierInput, options: { readonly at: string } & ManualTierOptions): ManualTierDecision {
  const { at } = options;
  const hold = checkManualTier(compiled, input, at, options);
  const from = recordedTier(compiled, state);
  const to = heldTier(compiled, { orders: state.orders, tierHold: hold }, at)?.tierId ?? null;
  return { hold, from, to, actions: [{ type: 'tier-hold', hold }, ...tierChange(from, to, at, { cause: 'manual', reason: input.reason, until: hold.until })] };
}
