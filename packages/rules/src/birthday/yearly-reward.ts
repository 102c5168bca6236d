/**
 * The decision shared by birthday and anniversary rewards (SEMANTICS rule 9): due when the grant runs inside the
 * occasion's window in the customer's zone, the customer has been a member long enough, the year has not been
 * granted yet, and the tier's award is more than zero.
 */
import { IANAZone } from 'luxon';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { inputError } from '../errors.js';
import { preview } from '../money/money.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { BirthdayProgram } from '../program/birthday-section.js';
import { parseInstant, zoneOf, type InstantLike } from '../time.js';
import { tierLevelOf } from '../warranty/tier-benefits.js';
import { occasionAt, occasionInYear } from './yearly-occasion.js';

/** Stable codes for why a yearly reward is not due. */
export type YearlyRewardReasonCode =
  | 'program-has-no-reward'
  | 'no-date'
  | 'outside-window'
  | 'not-yet-member'
  | 'membership-too-short'
  | 'already-granted'
  | 'zero-award';

/** One reason a yearly reward is not due. */
export interface YearlyRewardReason {
  readonly code: YearlyRewardReasonCode;
  readonly message: string;
}

/** The answer of {@link evaluateBirthday} and {@link evaluateAnniversary}. */
export interface YearlyRewardDecision {
  readonly due: boolean;
  /** Points to grant (0 when not due). */
  readonly points: number;
  /** The year of the occasion whose window contains `at` (the idempotency key), when there is one. */
  readonly year?: number;
  /** `birthday:2026` or `anniversary:2026`: what the ledger stores to grant at most once per year. */
  readonly key?: string;
  /** The occasion's date that year (`YYYY-MM-DD`), when `at` is inside its window. */
  readonly occasion?: string;
  /** The window [start, end) as ISO instants in the customer's zone, when `at` is inside it. */
  readonly window?: { readonly start: string; readonly end: string };
  /** The tier whose award applied. */
  readonly tier?: string;
  /** Every reason it is not due (empty when due). */
  readonly reasons: readonly YearlyRewardReason[];
  readonly trace: readonly string[];
}

/** Options of {@link evaluateBirthday} and {@link evaluateAnniversary}. */
export interface YearlyRewardOptions {
  /** When the grant runs (the sweep's instant). */
  readonly at: InstantLike;
  /** Occasion years already granted to this customer (the `year` of earlier due answers). */
  readonly alreadyGranted?: readonly number[];
  /** The tier held at `at`; it picks `award.byTier`, else `award.points`. */
  readonly tier?: string;
}

/** The month and day of an occasion, and for an anniversary the year it started. */
export interface OccasionDate {
  readonly month: number;
  readonly day: number;
  readonly firstYear?: number;
}

/** What each kind of yearly reward tells the shared evaluation. */
export interface YearlyRewardRequest {
  readonly kind: 'birthday' | 'anniversary';
  readonly settings: BirthdayProgram | undefined;
  readonly customer: CustomerInput;
  readonly options: YearlyRewardOptions;
  /** The occasion's date read in the customer's zone, or undefined when the customer has none. */
  readonly dateIn: (zone: string) => OccasionDate | undefined;
}

/** The customer's own zone when set, else the program's (validated when the program was compiled). */
function customerZone(compiled: CompiledProgram, customer: Pick<CustomerInput, 'timezone'>): string {
  if (customer.timezone === undefined || customer.timezone === compiled.zone) return compiled.zone;
  // luxon caches zones by name; its static isValidZone builds a new Intl formatter per call, which a sweep over
  // every customer cannot afford.
  if (!IANAZone.create(customer.timezone).isValid) zoneOf(customer.timezone, '/customer/timezone');
  return customer.timezone;
}

function notDue(reasons: YearlyRewardReason[], trace: string[], extra: Partial<YearlyRewardDecision> = {}): YearlyRewardDecision {
  return { ...extra, due: false, points: 0, reasons, trace: [...trace, ...reasons.map((r) => `not due: ${r.message}`)] };
}

/** Validates the list of years already granted. */
function checkGrantedYears(years: unknown, pointer = '/alreadyGranted'): readonly number[] {
  if (years === undefined) return [];
  if (!Array.isArray(years) || !years.every((y) => Number.isInteger(y))) {
    return inputError(pointer, 'invalid-years', `${pointer.slice(1)} must be a list of years already granted like [2025, 2026], got ${preview(years)}`);
  }
  return years as number[];
}

/**
 * Decides a yearly reward. Membership age counts calendar days in the customer's zone from the enrolment date to
 * the grant date (enrolled 5 January, granted 1 March: 55 days).
 */
export function evaluateYearlyReward(compiled: CompiledProgram, request: YearlyRewardRequest): YearlyRewardDecision {
  const { kind, settings, customer, options } = request;
  const zone = customerZone(compiled, customer);
  const at = parseInstant(options.at, zone, '/at');
  const date = request.dateIn(zone);
  const enrolledAt = customer.enrolledAt === undefined ? undefined : parseInstant(customer.enrolledAt, zone, '/customer/enrolledAt');
  const { tier } = options;
  tierLevelOf(compiled, tier);
  const alreadyGranted = checkGrantedYears(options.alreadyGranted);
  const trace: string[] = [`${kind} checked at ${at.toISO() ?? ''} (${at.zoneName ?? ''})`];
  if (!settings) return notDue([{ code: 'program-has-no-reward', message: `the program has no ${kind} reward` }], trace);
  if (!date) return notDue([{ code: 'no-date', message: kind === 'birthday' ? 'the customer has no birth date' : 'the customer has no first purchase yet' }], trace);

  const leapDay = settings.leapDay ?? 'feb28';
  const { inside: occasion, thisYear } = occasionAt(date.month, date.day, at, settings.window, leapDay);
  if (!occasion || (date.firstYear !== undefined && occasion.year <= date.firstYear)) {
    const message =
      occasion && date.firstYear !== undefined
        ? `the first ${kind} comes a year after ${date.firstYear}`
        : `${at.toISODate() ?? ''} is outside the ${settings.window} of the ${kind} (${thisYear.day.toISODate() ?? ''} this year: ${thisYear.start.toISODate() ?? ''} to ${thisYear.end.minus({ days: 1 }).toISODate() ?? ''})`;
    return notDue([{ code: 'outside-window', message }], trace);
  }
  const located = {
    year: occasion.year,
    key: `${kind}:${occasion.year}`,
    occasion: occasion.day.toISODate() ?? '',
    window: { start: occasion.start.toISO() ?? '', end: occasion.end.toISO() ?? '' },
  };
  trace.push(`inside the ${settings.window} of the ${occasion.year} ${kind} (${located.occasion}): ${located.window.start} to ${located.window.end}`);

  const reasons: YearlyRewardReason[] = [];
  const minDays = settings.minMembershipDays ?? 0;
  if (enrolledAt && at < enrolledAt) {
    reasons.push({ code: 'not-yet-member', message: `the customer enrols on ${enrolledAt.toISO() ?? ''}, after ${at.toISO() ?? ''}` });
  } else if (minDays > 0) {
    if (!enrolledAt) {
      reasons.push({ code: 'membership-too-short', message: `the enrolment date is unknown, so ${minDays} days of membership cannot be shown` });
    } else {
      const days = Math.round(at.startOf('day').diff(enrolledAt.setZone(at.zone).startOf('day'), 'days').days);
      if (days < minDays) reasons.push({ code: 'membership-too-short', message: `a member for ${days} days, fewer than the ${minDays} required` });
      else trace.push(`a member for ${days} days (at least ${minDays})`);
    }
  }
  if (alreadyGranted.includes(occasion.year)) {
    reasons.push({ code: 'already-granted', message: `the ${occasion.year} ${kind} reward was already granted` });
  }
  const byTier = tier === undefined ? undefined : settings.award.byTier?.[tier];
  const points = byTier ?? settings.award.points;
  const tierPart = tier === undefined ? {} : { tier };
  trace.push(byTier === undefined ? `award ${points} points (default${tier === undefined ? '' : `; tier ${tier} has no own award`})` : `award ${points} points for tier ${tier ?? ''}`);
  if (points <= 0) reasons.push({ code: 'zero-award', message: `the award for tier ${tier ?? '(none)'} is 0 points` });
  if (reasons.length > 0) return notDue(reasons, trace, { ...located, ...tierPart });
  return { ...located, ...tierPart, due: true, points, reasons: [], trace: [...trace, `due: ${points} points for ${located.key}`] };
}

/**
 * The earliest instant at or after `after` at which {@link evaluateYearlyReward} would answer due for this request,
 * or undefined when none can come (no reward in the program, no date, no known enrolment while a membership age is
 * required, a zero award for the tier of the request). The moments run's due index files an account under it, so
 * it is never later than the grant: a window's start, the enrolment, or the day the membership age is reached.
 *
 * @example nextYearlyRewardDue(compiled, birthdayRequest, '2026-02-20T00:00:00Z') // '2026-02-28T17:00:00.000Z' (1 March in Jakarta)
 */
export function nextYearlyRewardDue(compiled: CompiledProgram, request: YearlyRewardRequest, after: InstantLike): string | undefined {
  const { settings, customer, options } = request;
  if (!settings) return undefined;
  const zone = customerZone(compiled, customer);
  const date = request.dateIn(zone);
  if (!date) return undefined;
  const points = (options.tier === undefined ? undefined : settings.award.byTier?.[options.tier]) ?? settings.award.points;
  if (points <= 0) return undefined;
  const from = parseInstant(after, zone, '/at');
  const enrolledAt = customer.enrolledAt === undefined ? undefined : parseInstant(customer.enrolledAt, zone, '/customer/enrolledAt');
  const minDays = settings.minMembershipDays ?? 0;
  if (minDays > 0 && !enrolledAt) return undefined;
  // A member from the enrolment instant, and old enough from the local midnight `minDays` days after its day.
  let member = enrolledAt;
  if (enrolledAt && minDays > 0) {
    const oldEnough = enrolledAt.setZone(zone).startOf('day').plus({ days: minDays });
    if (oldEnough > enrolledAt) member = oldEnough;
  }
  const granted = checkGrantedYears(options.alreadyGranted);
  const leapDay = settings.leapDay ?? 'feb28';
  // A week window may reach into the year before; one year ahead is always enough once a window is open.
  for (let year = from.year - 1; year <= from.year + 2; year++) {
    if (granted.includes(year) || (date.firstYear !== undefined && year <= date.firstYear)) continue;
    const occasion = occasionInYear(date.month, date.day, year, settings.window, leapDay, zone);
    let start = occasion.start < from ? from : occasion.start;
    if (member && start < member) start = member;
    if (start < occasion.end) return new Date(start.toMillis()).toISOString();
  }
  return undefined;
}
