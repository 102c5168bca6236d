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
import { formatUtc, parseInstant, zoneOf, type InstantLike } from '../time.js';
import { tierLevelOf } from '../warranty/tier-benefits.js';
import { occasionAt, type LeapDayRule, type OccasionWindow } from './yearly-occasion.js';
import { daysFromCivil, ZoneClock } from '../engine/zone-clock.js';
import { sentence, type Reason, type Sentence } from '../messages/sentence.js';
import { reasonOf, traced } from '../messages/english.js';

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
export type YearlyRewardReason = Reason<YearlyRewardReasonCode>;

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
  /** `trace` as data, to write it in another language. */
  readonly traceSentences: readonly Sentence[];
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
  /** The same, read with the zone's calendar clock (no luxon), when the kind can: what the due index calls. */
  readonly dateOn?: (clock: ZoneClock) => OccasionDate | undefined;
}

/** The customer's own zone when set, else the program's (validated when the program was compiled). */
function customerZone(compiled: CompiledProgram, customer: Pick<CustomerInput, 'timezone'>): string {
  if (customer.timezone === undefined || customer.timezone === compiled.zone) return compiled.zone;
  // luxon caches zones by name; its static isValidZone builds a new Intl formatter per call, which a sweep over
  // every customer cannot afford.
  if (!IANAZone.create(customer.timezone).isValid) zoneOf(customer.timezone, '/customer/timezone');
  return customer.timezone;
}

function notDue(reasons: YearlyRewardReason[], trace: Sentence[], extra: Partial<YearlyRewardDecision> = {}): YearlyRewardDecision {
  return { ...extra, due: false, points: 0, reasons, ...traced([...trace, ...reasons.map((r) => sentence('yearly.not-due', { reason: r.messageSentence }))]) };
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
  const trace: Sentence[] = [sentence('yearly.checked', { kind, at: at.toISO() ?? '', zone: at.zoneName ?? '' })];
  if (!settings) return notDue([reasonOf('yearly.program-has-no-reward', { kind })], trace);
  if (!date) return notDue([reasonOf('yearly.no-date', { kind })], trace);

  const leapDay = settings.leapDay ?? 'feb28';
  const { inside: occasion, thisYear } = occasionAt(date.month, date.day, at, settings.window, leapDay);
  if (!occasion || (date.firstYear !== undefined && occasion.year <= date.firstYear)) {
    const outside =
      occasion && date.firstYear !== undefined
        ? reasonOf('yearly.outside-window#first-year', { kind, firstYear: date.firstYear })
        : reasonOf('yearly.outside-window', {
            date: at.toISODate() ?? '',
            window: settings.window,
            kind,
            occasion: thisYear.day.toISODate() ?? '',
            start: thisYear.start.toISODate() ?? '',
            end: thisYear.end.minus({ days: 1 }).toISODate() ?? '',
          });
    return notDue([outside], trace);
  }
  const located = {
    year: occasion.year,
    key: `${kind}:${occasion.year}`,
    occasion: occasion.day.toISODate() ?? '',
    window: { start: occasion.start.toISO() ?? '', end: occasion.end.toISO() ?? '' },
  };
  trace.push(sentence('yearly.inside-window', { window: settings.window, year: occasion.year, kind, occasion: located.occasion, start: located.window.start, end: located.window.end }));

  const reasons: YearlyRewardReason[] = [];
  const minDays = settings.minMembershipDays ?? 0;
  if (enrolledAt && at < enrolledAt) {
    reasons.push(reasonOf('yearly.not-yet-member', { enrolledAt: enrolledAt.toISO() ?? '', at: at.toISO() ?? '' }));
  } else if (minDays > 0) {
    if (!enrolledAt) {
      reasons.push(reasonOf('yearly.membership-too-short#unknown', { minDays }));
    } else {
      const days = Math.round(at.startOf('day').diff(enrolledAt.setZone(at.zone).startOf('day'), 'days').days);
      if (days < minDays) reasons.push(reasonOf('yearly.membership-too-short', { days, minDays }));
      else trace.push(sentence('yearly.member-days', { days, minDays }));
    }
  }
  if (alreadyGranted.includes(occasion.year)) {
    reasons.push(reasonOf('yearly.already-granted', { year: occasion.year, kind }));
  }
  const byTier = tier === undefined ? undefined : settings.award.byTier?.[tier];
  const points = byTier ?? settings.award.points;
  const tierPart = tier === undefined ? {} : { tier };
  trace.push(byTier === undefined ? sentence('yearly.award-default', { points, tier: tier ?? null }) : sentence('yearly.award-tier', { points, tier: tier ?? '' }));
  if (points <= 0) reasons.push(reasonOf('yearly.zero-award', { tier: tier ?? null }));
  if (reasons.length > 0) return notDue(reasons, trace, { ...located, ...tierPart });
  return { ...located, ...tierPart, due: true, points, reasons: [], ...traced([...trace, sentence('yearly.due', { points, key: located.key })]) };
}

const DAY_MS = 86_400_000;
const clocks = new Map<string, ZoneClock>();

/** A calendar clock of `zone`: the program's own, or one kept per zone (customers' own zones are few). */
function clockOf(compiled: CompiledProgram, zone: string): ZoneClock {
  if (zone === compiled.zone) return compiled.clock;
  let clock = clocks.get(zone);
  if (!clock) {
    if (clocks.size >= 1000) clocks.clear();
    clock = new ZoneClock(zone);
    clocks.set(zone, clock);
  }
  return clock;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The window [start, end) of the occasion in `year` as local epoch days, exactly as occasionInYear places it (a 29
 * February falls on `leapDay` in common years; a week is Monday to Sunday, a month the calendar month).
 */
function windowDays(month: number, day: number, year: number, window: OccasionWindow, leapDay: LeapDayRule): { start: number; end: number } {
  let m = month;
  let d = day;
  if (m === 2 && d === 29 && !isLeap(year)) {
    if (leapDay === 'mar1') {
      m = 3;
      d = 1;
    } else d = 28;
  }
  const occasion = daysFromCivil(year, m, d);
  if (window === 'day') return { start: occasion, end: occasion + 1 };
  if (window === 'week') {
    const weekday = ((((occasion + 3) % 7) + 7) % 7) + 1;
    return { start: occasion - (weekday - 1), end: occasion - (weekday - 1) + 7 };
  }
  return { start: daysFromCivil(year, m, 1), end: m === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, m + 1, 1) };
}

/**
 * The earliest instant at or after `after` at which {@link evaluateYearlyReward} would answer due for this request,
 * or undefined when none can come (no reward in the program, no date, no known enrolment while a membership age is
 * required, a zero award for the tier of the request). The moments run's due index files an account under it on
 * every write, so it is calendar arithmetic on the zone's cached offsets (no luxon), never later than the grant: a
 * window's start, the enrolment, or the local midnight the membership age is reached.
 *
 * @example nextYearlyRewardDue(compiled, birthdayRequest(compiled, ayu, { at, tier: 'silver' }), '2026-02-20T00:00:00.000Z') // '2026-02-28T17:00:00.000Z' (1 March in Jakarta)
 */
export function nextYearlyRewardDue(compiled: CompiledProgram, request: YearlyRewardRequest, after: string): string | undefined {
  const { settings, customer, options } = request;
  if (!settings) return undefined;
  const points = (options.tier === undefined ? undefined : settings.award.byTier?.[options.tier]) ?? settings.award.points;
  if (points <= 0) return undefined;
  const zone = customerZone(compiled, customer);
  const clock = clockOf(compiled, zone);
  const date = request.dateOn?.(clock) ?? request.dateIn(zone);
  if (!date) return undefined;
  const from = clock.millis(after, '/at');
  const enrolled = customer.enrolledAt === undefined ? undefined : clock.millis(customer.enrolledAt, '/customer/enrolledAt');
  const minDays = settings.minMembershipDays ?? 0;
  if (minDays > 0 && enrolled === undefined) return undefined;
  // A member from the enrolment instant, and old enough from the local midnight `minDays` days after its day.
  let member = enrolled;
  if (enrolled !== undefined && minDays > 0) member = Math.max(enrolled, clock.fromLocal((clock.local(enrolled).epochDay + minDays) * DAY_MS));
  const granted = checkGrantedYears(options.alreadyGranted);
  const leapDay = settings.leapDay ?? 'feb28';
  const year = clock.local(from).year;
  // A week window may reach into the year before; one year ahead is always enough once a window is open.
  for (let y = settings.window === 'week' ? year - 1 : year; y <= year + 2; y++) {
    if (granted.includes(y) || (date.firstYear !== undefined && y <= date.firstYear)) continue;
    const days = windowDays(date.month, date.day, y, settings.window, leapDay);
    const end = clock.fromLocal(days.end * DAY_MS);
    const start = Math.max(clock.fromLocal(days.start * DAY_MS), from, member ?? from);
    if (start < end) return formatUtc(start);
  }
  return undefined;
}
