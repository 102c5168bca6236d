/** Birthday rewards (SEMANTICS rule 9), decided in the customer's time zone. */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { CustomerInput } from '../input/customer-input.js';
import { parseDate } from '../time.js';
import { evaluateYearlyReward, type YearlyRewardDecision, type YearlyRewardOptions, type YearlyRewardRequest } from './yearly-reward.js';

/**
 * Whether a birthday reward is due at `at`: inside the day, ISO week or calendar month of the birthday in the
 * customer's zone, after `minMembershipDays`, once per year (pass the years already granted), with the tier's
 * award. The answer's `year` is the idempotency key. A 29 February birthday falls on `leapDay` in common years.
 *
 * @example
 * evaluateBirthday(compiled, { id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: '1990-03-14' },
 *   { at: '2026-03-01T00:05:00+07:00', tier: 'gold', alreadyGranted: [] })
 * // { due: true, points: 1000, year: 2026, key: 'birthday:2026', ... }
 */
export function evaluateBirthday(compiled: CompiledProgram, customer: CustomerInput, options: YearlyRewardOptions): YearlyRewardDecision {
  return evaluateYearlyReward(compiled, birthdayRequest(compiled, customer, options));
}

/**
 * What a birthday asks of the shared yearly evaluation (evaluateBirthday, and the due index's next grant).
 *
 * @example evaluateYearlyReward(compiled, birthdayRequest(compiled, ayu, { at }))
 */
export function birthdayRequest(compiled: CompiledProgram, customer: CustomerInput, options: YearlyRewardOptions): YearlyRewardRequest {
  return {
    kind: 'birthday',
    settings: compiled.program.birthday,
    customer,
    options,
    dateIn: () => {
      if (customer.birthDate === undefined) return undefined;
      // Only the month and day matter; a birth date has no time zone of its own.
      const birth = parseDate(customer.birthDate, 'UTC', '/customer/birthDate');
      return { month: birth.month, day: birth.day };
    },
    dateOn: () => {
      // A profile's birth date was validated when it was stored: its month and day are read without luxon.
      const match = customer.birthDate === undefined ? null : /^\d{4}-(\d{2})-(\d{2})$/.exec(customer.birthDate);
      return match ? { month: Number(match[1]), day: Number(match[2]) } : undefined;
    },
  };
}
