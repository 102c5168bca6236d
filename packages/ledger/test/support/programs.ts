/** Programs for ledger tests. */
import { readFileSync } from 'node:fs';

/** The shop program of the acceptance scenario (../shared/examples). */
export const tokoProgram: unknown = JSON.parse(readFileSync(new URL('../../../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8'));

/**
 * A program whose arithmetic a model can follow by hand: 1 point per 1 IDR (floor), points available at once,
 * lots expire after 12 months, 1 point = 1 IDR of discount, no minimum, up to the whole order; no tiers.
 */
export const simpleProgram = {
  id: 'simple',
  name: 'Simple',
  currency: 'IDR',
  timezone: 'UTC',
  points: { rounding: 'floor', pendingDays: 0, expiry: { months: 12 }, redemption: { pointValue: '1', minPoints: 1, maxShareOfOrder: '1' } },
  earning: [{ id: 'base', name: '1 point per Rp1', scope: 'line', award: { pointsPer: { amount: '1', points: 1 } } }],
  events: [{ id: 'review', name: 'Review', event: 'review.published', award: { points: 5 } }],
};
