/**
 * Operands: parsed once at compile time into the fact's own type (Decimal, epoch milliseconds, epoch days...), and
 * the comparison of a fact value with a parsed operand. Decimals compare as decimals, instants as instants, dates
 * as days: never as strings.
 */
import { DateTime } from 'luxon';
import { Decimal, isDecimalString } from '../money/money.js';
import { isInstantString } from '../time.js';
import type { FactType } from './facts.js';

/** An operand in the fact's type. Scalars keep their JSON value plus a Decimal when numeric. */
export type Operand =
  | { readonly kind: 'decimal'; readonly value: Decimal; readonly whole: number | undefined }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'scalar'; readonly value: string | number | boolean; readonly numeric: Decimal | undefined };

/** A parse result: the operand, or what a marketer should write instead. */
export type OperandResult = { readonly ok: true; readonly operand: Operand } | { readonly ok: false; readonly expected: string };

const DAY_MS = 86_400_000;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` date, or undefined when it is not a real date. */
export function epochDayOf(date: string): number | undefined {
  if (!DATE_RE.test(date)) return undefined;
  const parsed = DateTime.fromISO(date, { zone: 'UTC' });
  return parsed.isValid ? Math.round(parsed.toMillis() / DAY_MS) : undefined;
}

function decimalOperand(value: Decimal): Operand {
  const whole = value.isInteger() && value.abs().lte(Number.MAX_SAFE_INTEGER) ? value.toNumber() : undefined;
  return { kind: 'decimal', value, whole };
}

/** A decimal fact value as a Decimal: facts may carry whole safe integers as plain numbers (see facts.ts). */
function decimalOf(actual: unknown): Decimal | undefined {
  if (Decimal.isDecimal(actual)) return actual;
  return typeof actual === 'number' && Number.isSafeInteger(actual) ? new Decimal(actual) : undefined;
}

/** Parses one operand for a fact of `type`. */
export function parseOperand(type: FactType, raw: unknown, zone: string): OperandResult {
  switch (type) {
    case 'decimal':
      if (isDecimalString(raw)) return { ok: true, operand: decimalOperand(new Decimal(raw)) };
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return { ok: true, operand: decimalOperand(new Decimal(raw)) };
      return { ok: false, expected: 'a decimal string like "5000000"' };
    case 'integer':
      if (typeof raw === 'number' && Number.isSafeInteger(raw)) return { ok: true, operand: { kind: 'number', value: raw } };
      return { ok: false, expected: 'a whole number like 3' };
    case 'string':
    case 'tags':
      if (typeof raw === 'string') return { ok: true, operand: { kind: 'string', value: raw } };
      return { ok: false, expected: 'a text like "tv"' };
    case 'instant':
      if (isInstantString(raw)) return { ok: true, operand: { kind: 'number', value: DateTime.fromISO(raw, { zone }).toMillis() } };
      return { ok: false, expected: 'an ISO 8601 instant with an offset like "2026-01-01T00:00:00+07:00"' };
    case 'date': {
      const day = typeof raw === 'string' ? epochDayOf(raw) : undefined;
      if (day !== undefined) return { ok: true, operand: { kind: 'number', value: day } };
      return { ok: false, expected: 'a date like "2026-12-25"' };
    }
    case 'scalar':
      if (typeof raw === 'boolean') return { ok: true, operand: { kind: 'scalar', value: raw, numeric: undefined } };
      if (typeof raw === 'number' && Number.isFinite(raw)) {
        const numeric = Number.isSafeInteger(raw) ? new Decimal(raw) : new Decimal(String(raw));
        return { ok: true, operand: { kind: 'scalar', value: raw, numeric } };
      }
      if (typeof raw === 'string') return { ok: true, operand: { kind: 'scalar', value: raw, numeric: isDecimalString(raw) ? new Decimal(raw) : undefined } };
      return { ok: false, expected: 'a text, a number or true/false' };
  }
}

/** True when a fact value counts as present (not missing, not an empty text or an empty tag list). */
export function isPresent(actual: unknown): boolean {
  if (actual === undefined || actual === null || actual === '') return false;
  if (Array.isArray(actual)) return actual.length > 0;
  return true;
}

function numericOf(actual: unknown): Decimal | undefined {
  if (Decimal.isDecimal(actual)) return actual;
  if (typeof actual === 'number' && Number.isFinite(actual)) return new Decimal(Number.isSafeInteger(actual) ? actual : String(actual));
  if (isDecimalString(actual)) return new Decimal(actual);
  return undefined;
}

/** Equality of a fact value and an operand, in the operand's type. A missing value equals nothing. */
export function equalsOperand(actual: unknown, operand: Operand): boolean {
  switch (operand.kind) {
    case 'decimal': {
      if (typeof actual === 'number' && operand.whole !== undefined) return actual === operand.whole;
      const value = decimalOf(actual);
      return value !== undefined && value.eq(operand.value);
    }
    case 'number':
    case 'string':
      return actual === operand.value;
    case 'scalar': {
      if (operand.numeric !== undefined) {
        const numeric = numericOf(actual);
        if (numeric !== undefined) return numeric.eq(operand.numeric);
      }
      return actual === operand.value;
    }
  }
}

/** Order of a fact value against an operand: negative, zero, positive; undefined when they do not compare. */
export function compareOperand(actual: unknown, operand: Operand): number | undefined {
  switch (operand.kind) {
    case 'decimal': {
      // Two whole safe integers compare exactly as numbers.
      if (typeof actual === 'number' && operand.whole !== undefined) return Math.sign(actual - operand.whole);
      const value = decimalOf(actual);
      return value === undefined ? undefined : value.cmp(operand.value);
    }
    case 'number':
      return typeof actual === 'number' ? Math.sign(actual - operand.value) : undefined;
    case 'string':
      return undefined;
    case 'scalar': {
      if (operand.numeric === undefined) return undefined;
      const numeric = numericOf(actual);
      return numeric === undefined ? undefined : numeric.cmp(operand.numeric);
    }
  }
}

/** A fact value for a trace or a reason ("1850000", "[\"vip\"]", "missing"). */
export function showActual(actual: unknown): string {
  if (actual === undefined || actual === null) return 'missing';
  if (Decimal.isDecimal(actual)) return actual.toString();
  return JSON.stringify(actual);
}
