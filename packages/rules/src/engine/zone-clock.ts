/**
 * Local calendar fields of instants in the program's time zone, without building a luxon DateTime per call: the
 * zone's UTC offset is looked up once per UTC hour and cached, and the civil date comes from integer arithmetic.
 * Luxon stays the source of truth (the offset is its IANAZone's); this only avoids allocations on the hot path.
 */
import { DateTime, IANAZone } from 'luxon';
import { parseInstant, type InstantLike } from '../time.js';

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

/** Local calendar of one IANA zone, with cached offsets and month arithmetic. */
export class ZoneClock {
  /** The zone's name. */
  readonly name: string;
  private readonly zone: IANAZone;
  private readonly offsets = new Map<number, number>();
  private readonly monthShifts = new Map<string, number>();
  private readonly instants = new Map<string, number>();

  constructor(name: string) {
    this.name = name;
    this.zone = IANAZone.create(name);
  }

  /** UTC offset in minutes at an instant. */
  offsetMinutes(ms: number): number {
    const hour = Math.floor(ms / HOUR_MS);
    let offset = this.offsets.get(hour);
    if (offset === undefined) {
      // Offsets change on whole or half hours; a transition inside the cached hour is handled by asking again.
      offset = this.zone.offset(ms);
      const hourStart = hour * HOUR_MS;
      if (this.zone.offset(hourStart) !== offset || this.zone.offset(hourStart + HOUR_MS - 1) !== offset) return offset;
      if (this.offsets.size >= MAX_CACHE) this.offsets.clear();
      this.offsets.set(hour, offset);
    }
    return offset;
  }

  /** Calendar fields of an instant in this zone. */
  local(ms: number): LocalFields {
    const localMs = ms + (this.offsetMinutes(ms) * 60_000);
    const epochDay = Math.floor(localMs / DAY_MS);
    const { year, month, day } = civilFromDays(epochDay);
    const hour = Math.floor((localMs - (epochDay * DAY_MS)) / HOUR_MS);
    const dayOfWeek = ((((epochDay + 3) % 7) + 7) % 7) + 1;
    return { year, month, day, hour, dayOfWeek, epochDay };
  }

  /** The instant `months` calendar months after (or before, when negative) `ms` in this zone, like luxon's `plus`. */
  plusMonths(ms: number, months: number): number {
    if (months === 0) return ms;
    const key = `${ms}:${months}`;
    let shifted = this.monthShifts.get(key);
    if (shifted === undefined) {
      shifted = DateTime.fromMillis(ms, { zone: this.zone }).plus({ months }).toMillis();
      if (this.monthShifts.size >= MAX_CACHE) this.monthShifts.clear();
      this.monthShifts.set(key, shifted);
    }
    return shifted;
  }

  /** The instant `days` calendar days after `ms` in this zone (same local time of day). */
  plusDays(ms: number, days: number): number {
    if (days === 0) return ms;
    return DateTime.fromMillis(ms, { zone: this.zone }).plus({ days }).toMillis();
  }

  /** Start of the local calendar year containing `ms`, and of the next one. */
  yearBounds(ms: number): { start: number; end: number } {
    const { year } = this.local(ms);
    const start = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: this.zone }).toMillis();
    const end = DateTime.fromObject({ year: year + 1, month: 1, day: 1 }, { zone: this.zone }).toMillis();
    return { start, end };
  }

  /**
   * Epoch milliseconds of an ISO 8601 instant (validated; an invalid one throws an InputError at `pointer`).
   * Parsed texts are cached: history summaries repeat the same instants on every evaluation.
   */
  millis(value: InstantLike, pointer: string): number {
    if (typeof value !== 'string') return parseInstant(value, this.name, pointer).toMillis();
    let ms = this.instants.get(value);
    if (ms === undefined) {
      ms = parseInstant(value, this.name, pointer).toMillis();
      if (this.instants.size >= MAX_CACHE) this.instants.clear();
      this.instants.set(value, ms);
    }
    return ms;
  }

  /** ISO 8601 text of an instant in this zone. */
  format(ms: number): string {
    return DateTime.fromMillis(ms, { zone: this.zone }).toISO() ?? new Date(ms).toISOString();
  }
}
