/**
 * Purchase-anniversary rewards: the `anniversary` section, the same shape and rules as the birthday, on the
 * anniversary of the customer's first purchase. The first purchase (not enrolment) is what a shopper remembers and
 * what the program wants to celebrate; enrolment without a purchase earns nothing here.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { CustomerInput } from '../input/customer-input.js';
import { parseInstant, type InstantLike } from '../time.js';
import { evaluateYearlyReward, type YearlyRewardDecision, type YearlyRewardOptions, type YearlyRewardRequest } from './yearly-reward.js';

/** Options of {@link evaluateAnniversary}: those of the birthday plus the first purchase. */
export interface AnniversaryOptions extends YearlyRewardOptions {
  /** When the customer's first order (not returned in full) was placed; none: nothing is due. */
  readonly firstPurchaseAt?: InstantLike;
}


/**
 * Whether a purchase-anniversary reward is due at `at`: the first purchase's calendar day in the customer's zone
 * comes back each year (29 February following `leapDay`); the first anniversary is one year after the purchase,
 * never in the purchase year itself. Window, membership age, once-per-year and tier awards as for birthdays.
 *
 * @example
 * evaluateAnniversary(compiled, ayu, { at: '2027-02-01T00:05:00+07:00', firstPurchaseAt: '2026-02-01T10:00:00+07:00' })
 * // { due: true, year: 2027, key: 'anniversary:2027', ... } when the program has an `anniversary` section
 */
export function evaluateAnniversary(compiled: CompiledProgram, customer: CustomerInput, options: AnniversaryOptions): YearlyRewardDecision {
  return evaluateYearlyReward(compiled, anniversaryRequest(compiled, customer, options));
}

/**
 * What an anniversary asks of the shared yearly evaluation (evaluateAnniversary, and the due index's next grant).
 *
 * @example evaluateYearlyReward(compiled, anniversaryRequest(compiled, ayu, { at, firstPurchaseAt }))
 */
export function anniversaryRequest(compiled: CompiledProgram, customer: CustomerInput, options: AnniversaryOptions): YearlyRewardRequest {
  return {
    kind: 'anniversary',
    settings: compiled.program.anniversary,
    customer,
    options,
    dateIn: (zone) => {
      if (options.firstPurchaseAt === undefined) return undefined;
      const first = parseInstant(options.firstPurchaseAt, zone, '/firstPurchaseAt');
      return { month: first.month, day: first.day, firstYear: first.year };
    },
    dateOn: (clock) => {
      if (options.firstPurchaseAt === undefined) return undefined;
      const first = clock.local(clock.millis(options.firstPurchaseAt, '/firstPurchaseAt'));
      return { month: first.month, day: first.day, firstYear: first.year };
    },
  };
}
