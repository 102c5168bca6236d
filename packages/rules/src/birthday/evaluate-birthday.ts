/** Birthday rewards (SEMANTICS rule 9), decided in the customer's time zone. */
import type { CompiledProgram } from '../engine/compiled-program.js';
import { IANAZone } from 'luxon';
import type { CustomerInput } from '../input/customer-input.js';
import { parseDate, parseInstant, zoneOf, type InstantLike } from '../time.js';
import { tierLevelOf } from '../warranty/tier-benefits.js';
import { checkGrantedYears, evaluateYearlyReward, type YearlyRewardDecision } from './yearly-reward.js';

/** Options of {@link evaluateBirthday} and {@link evaluateAnniversary}. */
export interface YearlyRewardOptions {
  /** When the grant runs (the sweep's instant). */
  readonly at: InstantLike;
  /** Occasion years already granted to this customer (the `year` of earlier due answers). */
  readonly alreadyGranted?: readonly number[];
  /** The tier held at `at`; it picks `award.byTier`, else `award.points`. */
  readonly tier?: string;
}

/** The customer's own zone when set, else the program's (validated when the program was compiled). */
export function customerZone(compiled: CompiledProgram, customer: Pick<CustomerInput, 'timezone'>): string {
  if (customer.timezone === undefined || customer.timezone === compiled.zone) return compiled.zone;
  // luxon caches zones by name; its static isValidZone builds a new Intl formatter per call, which a sweep over
  // every customer cannot afford.
  if (!IANAZone.create(customer.timezone).isValid) zoneOf(customer.timezone, '/customer/timezone');
  return customer.timezone;
}

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
  const { program } = compiled;
  const zone = customerZone(compiled, customer);
  const at = parseInstant(options.at, zone, '/at');
  // Only the month and day matter; a birth date has no time zone of its own.
  const birth = customer.birthDate === undefined ? undefined : parseDate(customer.birthDate, 'UTC', '/customer/birthDate');
  const enrolledAt = customer.enrolledAt === undefined ? undefined : parseInstant(customer.enrolledAt, zone, '/customer/enrolledAt');
  tierLevelOf(compiled, options.tier);
  return evaluateYearlyReward({
    compiled,
    kind: 'birthday',
    settings: program.birthday,
    date: birth && { month: birth.month, day: birth.day },
    enrolledAt,
    at,
    alreadyGranted: checkGrantedYears(options.alreadyGranted),
    tier: options.tier,
  });
}
