/**
 * The small program the moments and webhook suites share (UTC, so instants read as they are written): 1 point per
 * Rp10.000 pending 14 days and expiring 12 months after, silver from Rp2.000.000 of spend over 12 months, a
 * 50-point review, redemptions at Rp100 a point.
 */
export const momentsProgram = {
  id: 'shop',
  name: 'Shop',
  currency: 'IDR',
  timezone: 'UTC',
  points: { rounding: 'floor', pendingDays: 14, expiry: { months: 12 }, redemption: { pointValue: '100', minPoints: 10, maxShareOfOrder: '0.5' } },
  tiers: {
    basis: 'spend',
    window: { type: 'rolling', months: 12 },
    levels: [
      { id: 'bronze', name: 'Bronze', threshold: '0', multiplier: '1' },
      { id: 'silver', name: 'Silver', threshold: '2000000', multiplier: '1' },
    ],
  },
  earning: [{ id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }],
  events: [{ id: 'review', name: 'Review', event: 'review.published', award: { points: 50 } }],
};
