/** Whether a plan can still be bought: calendar dates in the program's time zone (SEMANTICS rule 11). */
import type { DateTime } from 'luxon';

/** The window settings of a plan: a number of days after purchase, or until the manufacturer's warranty ends. */
export interface PurchaseWindowSettings {
  readonly purchaseWindowDays?: number;
  readonly purchaseWindow?: { readonly until: 'manufacturer-end' };
}

/** Where a check date falls relative to the purchase window. */
export interface PurchaseWindow {
  /** The last calendar day on which the plan can be bought. */
  readonly lastDay: DateTime;
  /** The calendar day of the check, in the program's zone. */
  readonly checkDay: DateTime;
  /** `before-purchase` when the check date precedes the purchase date. */
  readonly position: 'before-purchase' | 'open' | 'ended';
  /** How the last day was reached, for messages: 60 days after purchase, or the last day of a 12-month manufacturer warranty. */
  readonly rule: PurchaseWindowRule;
}

/** Where a purchase window ends: the manufacturer warranty's `months` after purchase, or `days` after it. */
export type PurchaseWindowRule = { readonly months: number } | { readonly days: number };

/**
 * The last day a plan can be bought: purchase date + `purchaseWindowDays`, or with `purchaseWindow: { until:
 * "manufacturer-end" }` the last day of the unit's manufacturer warranty (purchase date + its months, the date the
 * coverage tables show as the manufacturer's end). The program check makes every plan give exactly one of them.
 *
 * @example lastPurchaseDay(parseDate('2026-12-10', zone), 12, { purchaseWindow: { until: 'manufacturer-end' } }).toISODate() // '2027-12-10'
 */
export function lastPurchaseDay(purchasedOn: DateTime, manufacturerMonths: number, settings: PurchaseWindowSettings): { readonly lastDay: DateTime; readonly rule: PurchaseWindowRule } {
  if (settings.purchaseWindow?.until === 'manufacturer-end' || settings.purchaseWindowDays === undefined) {
    return { lastDay: purchasedOn.plus({ months: manufacturerMonths }), rule: { months: manufacturerMonths } };
  }
  return { lastDay: purchasedOn.plus({ days: settings.purchaseWindowDays }), rule: { days: settings.purchaseWindowDays } };
}

/**
 * Places a check instant in the purchase window. Both ends are inclusive days: bought 2026-12-10 with a 60-day
 * window, the plan can be bought until 2027-02-08 and not on 2027-02-09; with a 12-month manufacturer warranty and
 * `until: "manufacturer-end"`, until 2027-12-10 and not on 2027-12-11.
 *
 * @example purchaseWindow(parseDate('2026-12-10', zone), 12, { purchaseWindowDays: 60 }, parseInstant('2027-02-09T10:00:00+07:00', zone)).position // 'ended'
 */
export function purchaseWindow(purchasedOn: DateTime, manufacturerMonths: number, settings: PurchaseWindowSettings, at: DateTime): PurchaseWindow {
  const checkDay = at.setZone(purchasedOn.zone).startOf('day');
  const { lastDay, rule } = lastPurchaseDay(purchasedOn, manufacturerMonths, settings);
  let position: PurchaseWindow['position'] = 'open';
  if (checkDay < purchasedOn) position = 'before-purchase';
  else if (checkDay > lastDay) position = 'ended';
  return { lastDay, checkDay, position, rule };
}
