/**
 * Instants and calendar dates. Every parse names its zone; an invalid value throws an InputError that says what and
 * where. No global luxon Settings, no clock.
 */
import { DateTime, IANAZone } from 'luxon';
import { inputError } from './errors.js';
import { describePointer, preview } from './money/money.js';

/** An ISO 8601 instant string with an offset, or a luxon DateTime. */
export type InstantLike = string | DateTime;

const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** True when `zone` is an IANA time zone name luxon knows ("Asia/Jakarta"). */
export function isValidZone(zone: unknown): zone is string {
  return typeof zone === 'string' && zone.length <= 64 && IANAZone.isValidZone(zone);
}

/** A luxon zone for a name, or an InputError. Cached by luxon. */
export function zoneOf(name: string, pointer = '/timezone'): IANAZone {
  if (!isValidZone(name)) return inputError(pointer, 'invalid-zone', `${describePointer(pointer)} must be an IANA time zone like "Asia/Jakarta", got ${preview(name)}`);
  return IANAZone.create(name);
}

/** True when `value` is an ISO 8601 instant with an explicit offset that luxon accepts. */
export function isInstantString(value: unknown): value is string {
  return typeof value === 'string' && (instantTextMillis(value) !== undefined || (INSTANT_RE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid));
}

/** True when `value` is a valid calendar date `YYYY-MM-DD`. */
export function isDateString(value: unknown): value is string {
  return typeof value === 'string' && DATE_RE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

/**
 * Parses an ISO 8601 instant with an explicit offset ("2026-02-01T10:00:00+07:00" or "...Z") into a DateTime in
 * `zone`. A local time without offset is ambiguous and refused.
 *
 * @example parseInstant('2026-02-01T10:00:00+07:00', 'Asia/Jakarta', '/order/placedAt').month // 2
 */
export function parseInstant(value: InstantLike, zone: string, pointer = ''): DateTime {
  if (DateTime.isDateTime(value)) {
    if (!value.isValid) return inputError(pointer, 'invalid-instant', `${describePointer(pointer)} is an invalid DateTime (${value.invalidExplanation ?? value.invalidReason ?? 'unknown reason'})`);
    return value.setZone(zone);
  }
  if (typeof value !== 'string' || !INSTANT_RE.test(value)) {
    return inputError(pointer, 'invalid-instant', `${describePointer(pointer)} must be an ISO 8601 instant with an offset like "2026-02-01T10:00:00+07:00", got ${preview(value)}`);
  }
  const parsed = DateTime.fromISO(value, { zone, setZone: false });
  if (!parsed.isValid) {
    return inputError(pointer, 'invalid-instant', `${describePointer(pointer)} is not a real instant (${parsed.invalidExplanation ?? parsed.invalidReason ?? 'invalid'}), got ${preview(value)}`);
  }
  return parsed;
}

/**
 * Parses a calendar date `YYYY-MM-DD` as the start of that day in `zone`.
 *
 * @example parseDate('2026-12-10', 'Asia/Jakarta').toISO() // '2026-12-10T00:00:00.000+07:00'
 */
export function parseDate(value: unknown, zone: string, pointer = ''): DateTime {
  if (typeof value !== 'string' || !DATE_RE.test(value)) {
    return inputError(pointer, 'invalid-date', `${describePointer(pointer)} must be a date like "2026-12-10", got ${preview(value)}`);
  }
  const parsed = DateTime.fromISO(value, { zone });
  if (!parsed.isValid) return inputError(pointer, 'invalid-date', `${describePointer(pointer)} is not a real date, got ${preview(value)}`);
  return parsed;
}

/** Epoch milliseconds of an instant (string or DateTime), validated. */
export function instantMillis(value: InstantLike, zone: string, pointer = ''): number {
  // An explicit offset fixes the instant whatever the zone: read without luxon when the text is plain.
  const ms = typeof value === 'string' ? instantTextMillis(value) : undefined;
  return ms ?? parseInstant(value, zone, pointer).toMillis();
}

/**
 * An instant as the ledger and the simulation store it: UTC, with milliseconds (`2026-02-01T03:00:00.000Z`), so
 * that instants compare as strings. Years 0 to 9999 only (every instant a program can produce).
 *
 * @example formatUtc(Date.UTC(2026, 1, 1, 3)) // '2026-02-01T03:00:00.000Z'
 */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString();
}

const UTC_TEXT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Epoch milliseconds of an instant written as {@link formatUtc} writes it, read without luxon; undefined for any
 * other text (which the caller parses in full). The text must read back as itself, so no out-of-range field passes.
 *
 * @example utcTextMillis('2026-02-01T03:00:00.000Z') // 1769914800000
 */
export function utcTextMillis(value: string): number | undefined {
  if (!UTC_TEXT_RE.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) || formatUtc(ms) !== value ? undefined : ms;
}

const ISO_INSTANT_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Epoch milliseconds of an ISO 8601 instant with an explicit offset, read without luxon and exactly as luxon reads it
 * (`2026-02-01T10:00:00+07:00`, `...T03:00Z`, `...T10:00:00.000+0700`, a fraction of up to 9 digits cut to
 * milliseconds as luxon cuts it); undefined for a text it cannot be sure of (a field out of range, a year before
 * 1000, an offset of 24 hours or more), which the caller parses in full and refuses or reads as luxon does. Every
 * instant of an order, a lot or an import passes here: a luxon parse was ~10 µs, and an import's line has ten.
 *
 * @example instantTextMillis('2026-02-01T10:00:00.000+07:00') // 1769914800000
 */
export function instantTextMillis(value: string): number | undefined {
  const match = ISO_INSTANT_RE.exec(value);
  if (match === null) return undefined;
  const [year, month, day, hour, minute] = [Number(match[1]), Number(match[2]), Number(match[3]), Number(match[4]), Number(match[5])];
  const second = match[6] === undefined ? 0 : Number(match[6]);
  const offset = match[8] === undefined ? 0 : (match[8] === '-' ? -1 : 1) * ((Number(match[9]) * 60) + Number(match[10]));
  if (year < 1000 || hour > 23 || minute > 59 || second > 59 || Math.abs(offset) >= 24 * 60 || Number(match[10] ?? 0) > 59) return undefined;
  // The fraction as luxon's parseMillis reads it (floor of the decimal fraction × 1000).
  const millis = match[7] === undefined ? 0 : Math.floor(Number.parseFloat(`0.${match[7]}`) * 1000);
  const local = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // A month or day out of range rolls over in Date.UTC (30 February is 2 March): left to the full parse, which refuses it.
  const check = new Date(local);
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  return local - (offset * 60_000);
}

/**
 * An ISO 8601 instant with an offset, normalised to UTC ({@link formatUtc}), or an InputError at `pointer`.
 *
 * @example utcInstant('2026-02-01T10:00:00+07:00', '/placedAt') // '2026-02-01T03:00:00.000Z'
 */
export function utcInstant(value: unknown, pointer: string): string {
  // Already in the stored form (what the ledger and the API's clock write): it is its own normal form, no luxon.
  if (typeof value === 'string' && utcTextMillis(value) !== undefined) return value;
  return formatUtc(instantMillis(value as InstantLike, 'UTC', pointer));
}

/**
 * The calendar date (`YYYY-MM-DD`) of an instant in `zone`.
 *
 * @example calendarDate('2026-02-01T20:00:00Z', 'Asia/Jakarta') // '2026-02-02'
 */
export function calendarDate(value: InstantLike, zone: string, pointer = ''): string {
  return parseInstant(value, zone, pointer).setZone(zone).toISODate() ?? '';
}
