/**
 * Local calendar arithmetic in the program's time zone without building a luxon DateTime per call: the zone's UTC
 * offset comes from luxon's IANAZone (the source of truth), cached per UTC hour, and civil dates come from integer
 * arithmetic. A property test checks month and day shifts and formatting against luxon itself.
 */
import { IANAZone } from 'luxon';
import { instantTextMillis, parseInstant, type InstantLike } from '../time.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const MAX_CACHE = 20_000;

/** Calendar fields of an instant in a zone. */
export interface LocalFields {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  /** 1-31. */
  readonly day: number;
  readonly hour: number;
  /** ISO: 1 = Monday ... 7 = Sunday. */
  readonly dayOfWeek: number;
  /** Days since 1970-01-01 of the local date. */
  readonly epochDay: number;
}

/** Civil date of a day count since 1970-01-01 (H. Hinnant's algorithm). */
export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - (era * 146_097);
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - ((365 * yoe) + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor(((5 * doy) + 2) / 153);
  const day = doy - Math.floor(((153 * mp) + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + (era * 400) + (month <= 2 ? 1 : 0), month, day };
}

/** Days since 1970-01-01 of a civil date (inverse of {@link civilFromDays}). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - (era * 400);
  const mp = month > 2 ? month - 3 : month + 9;
  const doy = Math.floor(((153 * mp) + 2) / 5) + day - 1;
  const doe = (yoe * 365) + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return (era * 146_097) + doe - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Local calendar of one IANA zone, with cached offsets. */
export class ZoneClock {
  /** The zone's name. */
  readonly name: string;
  private readonly zone: IANAZone;
  /** Offsets of whole UTC days without a transition (20,000 days: half a century of history and windows). */
  private readonly dayOffsets = new Map<number, number>();
  /** Offsets of the hours of a day with a transition. */
  private readonly hourOffsets = new Map<number, number>();
  private readonly instants = new Map<string, number>();

  constructor(name: string) {
    this.name = name;
    this.zone = IANAZone.create(name);
  }

  /**
   * UTC offset in minutes at an instant. Cached per UTC day when the day has no transition (nearly every day: a
   * zone changes its offset at most a few times a year), else per hour; luxon's Intl lookup is the slow part, and a
   * per-hour cache could not hold the years of hours a simulation or a tier window walks through.
   */
  offsetMinutes(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    const cached = this.dayOffsets.get(day);
    if (cached !== undefined) return cached;
    const dayStart = day * DAY_MS;
    const first = this.zone.offset(dayStart);
    if (this.zone.offset(dayStart + DAY_MS - 1) === first) {
      if (this.dayOffsets.size >= MAX_CACHE) this.dayOffsets.clear();
      this.dayOffsets.set(day, first);
      return first;
    }
    const hour = Math.floor(ms / HOUR_MS);
    let offset = this.hourOffsets.get(hour);
    if (offset === undefined) {
      offset = this.zone.offset(ms);
      // Offsets change on the hour or half hour: an hour with a transition inside is never cached.
      const hourStart = hour * HOUR_MS;
      if (this.zone.offset(hourStart) !== offset || this.zone.offset(hourStart + HOUR_MS - 1) !== offset) return offset;
      if (this.hourOffsets.size >= MAX_CACHE) this.hourOffsets.clear();
      this.hourOffsets.set(hour, offset);
    }
    return offset;
  }

  /** Calendar fields of an instant in this zone. */
  local(ms: number): LocalFields {
    const localMs = ms + (this.offsetMinutes(ms) * MINUTE_MS);
    const epochDay = Math.floor(localMs / DAY_MS);
    const { year, month, day } = civilFromDays(epochDay);
    const hour = Math.floor((localMs - (epochDay * DAY_MS)) / HOUR_MS);
    const dayOfWeek = ((((epochDay + 3) % 7) + 7) % 7) + 1;
    return { year, month, day, hour, dayOfWeek, epochDay };
  }

  /**
   * The instant of a local wall time (milliseconds since 1970 as if the zone were UTC), starting from the guess
   * that the offset is `offset` minutes; resolves gaps and overlaps exactly as luxon's `fixOffset` does.
   */
  fromLocal(localMs: number, offset = this.offsetMinutes(localMs)): number {
    let utcGuess = localMs - (offset * MINUTE_MS);
    const o2 = this.offsetMinutes(utcGuess);
    if (offset === o2) return utcGuess;
    utcGuess -= (o2 - offset) * MINUTE_MS;
    const o3 = this.offsetMinutes(utcGuess);
    if (o2 === o3) return utcGuess;
    return localMs - (Math.min(o2, o3) * MINUTE_MS);
  }

  /** The instant `months` calendar months after (before, when negative) `ms`: same wall time, day clamped. */
  plusMonths(ms: number, months: number): number {
    if (months === 0) return ms;
    const offset = this.offsetMinutes(ms);
    const localMs = ms + (offset * MINUTE_MS);
    const epochDay = Math.floor(localMs / DAY_MS);
    const timeOfDay = localMs - (epochDay * DAY_MS);
    const { year, month, day } = civilFromDays(epochDay);
    const index = (year * 12) + (month - 1) + months;
    const newYear = Math.floor(index / 12);
    const newMonth = index - (newYear * 12) + 1;
    const newDay = Math.min(day, daysInMonth(newYear, newMonth));
    return this.fromLocal((daysFromCivil(newYear, newMonth, newDay) * DAY_MS) + timeOfDay, offset);
  }

  /** The instant `days` calendar days after `ms` in this zone (same wall time). */
  plusDays(ms: number, days: number): number {
    if (days === 0) return ms;
    const offset = this.offsetMinutes(ms);
    return this.fromLocal(ms + (offset * MINUTE_MS) + (days * DAY_MS), offset);
  }

  /** Start of the local calendar year containing `ms`, and of the next one. */
  yearBounds(ms: number): { start: number; end: number } {
    const { year } = this.local(ms);
    return { start: this.fromLocal(daysFromCivil(year, 1, 1) * DAY_MS), end: this.fromLocal(daysFromCivil(year + 1, 1, 1) * DAY_MS) };
  }

  /**
   * Epoch milliseconds of an ISO 8601 instant (validated; an invalid one throws an InputError at `pointer`).
   * Parsed texts are cached: history summaries repeat the same instants on every evaluation.
   */
  /** The epoch milliseconds of an instant text parsed before, or undefined. */
  cachedMillis(value: InstantLike): number | undefined {
    return typeof value === 'string' ? this.instants.get(value) : undefined;
  }

  millis(value: InstantLike, pointer: string): number {
    if (typeof value !== 'string') return parseInstant(value, this.name, pointer).toMillis();
    let ms = this.instants.get(value);
    if (ms === undefined) {
      // The stored form (UTC with milliseconds, what the ledger and the simulation write) and this clock's own
      // `format` need no luxon.
      ms = instantTextMillis(value) ?? parseInstant(value, this.name, pointer).toMillis();
      if (this.instants.size >= MAX_CACHE) this.instants.clear();
      this.instants.set(value, ms);
    }
    return ms;
  }

  /** ISO 8601 text of an instant in this zone, as luxon's `toISO()` writes it ("2026-02-15T10:00:00.000+07:00"). */
  format(ms: number): string {
    const offset = this.offsetMinutes(ms);
    const localMs = ms + (offset * MINUTE_MS);
    const epochDay = Math.floor(localMs / DAY_MS);
    const { year, month, day } = civilFromDays(epochDay);
    let rest = localMs - (epochDay * DAY_MS);
    const hour = Math.floor(rest / HOUR_MS);
    rest -= hour * HOUR_MS;
    const minute = Math.floor(rest / MINUTE_MS);
    rest -= minute * MINUTE_MS;
    const second = Math.floor(rest / 1000);
    const milli = rest - (second * 1000);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    const yearText = year >= 0 && year <= 9999 ? String(year).padStart(4, '0') : (year < 0 ? '-' : '+') + String(Math.abs(year)).padStart(6, '0');
    return `${yearText}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}.${String(milli).padStart(3, '0')}${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
  }
}
