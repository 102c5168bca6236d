/** Whether a plan can still be bought: calendar dates in the program's time zone (SEMANTICS rule 11). */
import type { DateTime } from 'luxon';

/** Where a check date falls relative to the purchase window. */
export interface PurchaseWindow {
  /** The last calendar day on which the plan can be bought: purchase date + `purchaseWindowDays`. */
  readonly lastDay: DateTime;
  /** The calendar day of the check, in the program's zone. */
  readonly checkDay: DateTime;
  /** `before-purchase` when the check date precedes the purchase date. */
  readonly position: 'before-purchase' | 'open' | 'ended';
}

/**
 * Places a check instant in the purchase window. Both ends are inclusive days: bought 2026-12-10 with a 60-day
 * window, the plan can be bought until 2027-02-08 and not on 2027-02-09.
 *
 * @example purchaseWindow(parseDate('2026-12-10', zone), 60, parseInstant('2027-02-09T10:00:00+07:00', zone)).position // 'ended'
 */
export function purchaseWindow(purchasedOn: DateTime, windowDays: number, at: DateTime): PurchaseWindow {
  const checkDay = at.setZone(purchasedOn.zone).startOf('day');
  const lastDay = purchasedOn.plus({ days: windowDays });
  let position: PurchaseWindow['position'] = 'open';
  if (checkDay < purchasedOn) position = 'before-purchase';
  else if (checkDay > lastDay) position = 'ended';
  return { lastDay, checkDay, position };
}
