/**
 * Numbers for people, without floats: decimal strings and integers grouped by thousands ("1,234,567.5"), signed
 * differences ("+2,350"), and percentages of decimal shares.
 */
import { Decimal } from '@purna/rules';

/** "1234567.50" -> "1,234,567.50"; a number or Decimal is printed exactly first. */
export function grouped(value: string | number | Decimal): string {
  const text = typeof value === 'string' ? value : value.toString();
  const negative = text.startsWith('-');
  const [whole = '0', fraction] = (negative ? text.slice(1) : text).split('.');
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${withCommas}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A difference with its sign: "+2,350", "-10", "0"; with `places`, rounded to that many decimals ("+6,987.50"). */
export function signed(value: string | number | Decimal, places?: number): string {
  const d = new Decimal(typeof value === 'number' ? value : value.toString());
  const text = places === undefined ? d.toString() : d.toDecimalPlaces(places).toFixed(places);
  return d.gt(0) ? `+${grouped(text)}` : grouped(text);
}

/** A share as a percentage with two decimals: "0.0119834" -> "1.20%". */
export function percentOf(share: string): string {
  return `${new Decimal(share).times(100).toDecimalPlaces(2).toFixed(2)}%`;
}

/** An exact decimal rounded to two places for display ("2349.999" -> "2,350.00"), grouped. */
export function rounded2(value: string): string {
  return grouped(new Decimal(value).toDecimalPlaces(2).toFixed(2));
}

/** Rows as plain text columns: the first `leftColumns` left-aligned (labels, text), the others right-aligned (numbers). */
export function table(rows: readonly (readonly string[])[], leftColumns = 1): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ').trimEnd()).join('\n');
}
