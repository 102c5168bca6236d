/**
 * decideBirthday and decideAnniversary (SEMANTICS rules 9 and 13): the yearly reward due at `at`, with the award of
 * the tier held then, granted at most once per year (the year granted is kept on the account).
 */
import type { AccountAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import { anniversaryRequest, evaluateAnniversary } from '../birthday/evaluate-anniversary.js';
import { birthdayRequest, evaluateBirthday } from '../birthday/evaluate-birthday.js';
import { nextYearlyRewardDue, type YearlyRewardDecision } from '../birthday/yearly-reward.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { CustomerInput } from '../input/customer-input.js';
import { heldTier, lotLife, programFields } from './decision-parts.js';
import { expiryField, momentAction } from './moment-actions.js';

/** The answer of {@link decideBirthday} and {@link decideAnniversary}. */
export interface YearlyOutcome {
  readonly decision: YearlyRewardDecision;
  readonly actions: readonly AccountAction[];
}

function outcome(compiled: CompiledProgram, kind: 'birthday' | 'anniversary', decision: YearlyRewardDecision, at: string): YearlyOutcome {
  if (!decision.due || decision.year === undefined) return { decision, actions: [] };
  const life = lotLife(compiled, kind, at);
  return {
    decision,
    actions: [
      {
        type: 'award',
        entry: { type: kind, ...programFields(compiled), ruleIds: [kind], reason: decision.key ?? `${kind}:${decision.year}` },
        source: kind,
        points: decision.points,
        ...life,
      },
      { type: 'yearly', kind, year: decision.year },
      momentAction(kind === 'birthday' ? 'birthday.granted' : 'anniversary.granted', { year: decision.year, points: decision.points, availableAt: life.availableAt, expiresAt: expiryField(life.expiresAt) }),
    ],
  };
}

function granted(state: AccountState, kind: 'birthday' | 'anniversary'): number[] {
  const last = state.yearly?.[kind];
  return last ? [last.year] : [];
}

/**
 * The birthday reward due at `at` (UTC ISO), if any.
 *
 * @example decideBirthday(compiled, state, ayu, { at: '2026-03-01T00:05:00.000Z' }).decision.due
 */
export function decideBirthday(compiled: CompiledProgram, state: AccountState, customer: CustomerInput, options: { readonly at: string }): YearlyOutcome {
  const { at } = options;
  const tier = heldTier(compiled, state, at)?.tierId ?? undefined;
  const decision = evaluateBirthday(compiled, customer, { at, alreadyGranted: granted(state, 'birthday'), ...(tier ? { tier } : {}) });
  return outcome(compiled, 'birthday', decision, at);
}

/**
 * The purchase-anniversary reward due at `at` (UTC ISO), if any: the anniversary of the account's first order.
 *
 * @example decideAnniversary(compiled, state, ayu, { at: '2027-02-01T00:05:00.000Z' }).decision.due
 */
export function decideAnniversary(compiled: CompiledProgram, state: AccountState, customer: CustomerInput, options: { readonly at: string }): YearlyOutcome {
  const { at } = options;
  const tier = heldTier(compiled, state, at)?.tierId ?? undefined;
  const decision = evaluateAnniversary(compiled, customer, {
    at,
    alreadyGranted: granted(state, 'anniversary'),
    ...(tier ? { tier } : {}),
    ...(state.firstOrderAt ? { firstPurchaseAt: state.firstOrderAt } : {}),
  });
  return outcome(compiled, 'anniversary', decision, at);
}

/**
 * The earliest instant at or after `at` (UTC ISO) at which decideBirthday (`birthday`) or decideAnniversary
 * (`anniversary`) would grant, with `tier` the tier held at `at` (the due index; see nextMomentDue).
 *
 * @example nextYearlyDue('birthday', compiled, state, ayu, '2026-02-20T00:00:00.000Z', 'gold') // '2026-02-28T17:00:00.000Z'
 */
export function nextYearlyDue(kind: 'birthday' | 'anniversary', compiled: CompiledProgram, state: AccountState, customer: CustomerInput, at: string, tier: string | null): string | undefined {
  const options = { at, alreadyGranted: granted(state, kind), ...(tier !== null ? { tier } : {}) };
  const request =
    kind === 'birthday'
      ? birthdayRequest(compiled, customer, options)
      : anniversaryRequest(compiled, customer, { ...options, ...(state.firstOrderAt ? { firstPurchaseAt: state.firstOrderAt } : {}) });
  return nextYearlyRewardDue(compiled, request, at);
}
