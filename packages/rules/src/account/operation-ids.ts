/**
 * Ids of the operations that change an account. An operation's n-th entry (and the lot it creates) is
 * `<operation id>#<n>`, so the ledger and the simulation name every lot alike, and a replayed operation finds its
 * own. The ledger also claims these ids to make every write idempotent.
 */

/** The operation ids of each kind of record. */
export const operationId = {
  order: (orderId: string): string => `order:${orderId}`,
  return: (returnId: string): string => `return:${returnId}`,
  event: (eventId: string): string => `event:${eventId}`,
  redemption: (redemptionId: string): string => `redemption:${redemptionId}`,
  adjustment: (adjustmentId: string): string => `adjustment:${adjustmentId}`,
  goodwill: (goodwillId: string): string => `goodwill:${goodwillId}`,
  delivery: (deliveryId: string): string => `delivery:${deliveryId}`,
  cancellation: (cancellationId: string): string => `cancellation:${cancellationId}`,
  /** A redemption's cancellation: one per redemption, so its id is the redemption's. */
  redemptionCancellation: (redemptionId: string): string => `redemption-cancellation:${redemptionId}`,
  /** A reward of the catalog redeemed. */
  rewardRedemption: (redemptionId: string): string => `reward-redemption:${redemptionId}`,
  /** A voucher used on an order (the same voucher on the same order again is a replay). */
  voucherUse: (code: string, orderId: string): string => `voucher-use:${code}:${orderId}`,
  yearly: (kind: 'birthday' | 'anniversary', customerId: string, year: number): string => `${kind}:${customerId}:${year}`,
  expiry: (customerId: string, at: string): string => `expire:${customerId}:${at}`,
  tierReview: (customerId: string, period: string): string => `tier-review:${customerId}:${period}`,
  /** The moments run's pass over one customer at `at`. */
  momentsRun: (customerId: string, at: string): string => `moments:${customerId}:${at}`,
  /** A tier assigned by hand at `at` (one per customer and instant). */
  tierHold: (customerId: string, at: string): string => `tier-hold:${customerId}:${at}`,
  /** A customer brought by an import (one per customer, whichever import). */
  import: (customerId: string): string => `import:${customerId}`,
  /** The referrer's side of a referral decided by operation `parent` (its reward, or its reversal). */
  referrer: (parent: string): string => `${parent}/referrer`,
  /** The campaign budget counted for operation `parent`. */
  campaign: (parent: string): string => `${parent}/campaign`,
} as const;

/**
 * The operations whose id names a customer, as `operationId` makes them: `<kind>:<customerId>:<year, instant or
 * period>` (`dated`) or `<kind>:<customerId>` (`whole`). An erasure renames them (erasure.ts in the ledger); a test
 * makes every id above that names a customer and checks that one of these forms finds the customer in it.
 */
export const CUSTOMER_OPERATION_FORMS = {
  dated: ['birthday', 'anniversary', 'expire', 'tier-review', 'moments', 'tier-hold'],
  whole: ['import'],
} as const;
