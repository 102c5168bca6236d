/** The history summary every evaluation reads (docs/architecture.md), checked once at the boundary. */
import { InputError } from '../errors.js';
import type { CustomerHistory } from '../input/customer-history.js';

/** Throws an InputError unless `history` has the shape `{ orders: [...], usage: {...} }`. */
export function checkHistory(history: CustomerHistory): void {
  if (typeof history !== 'object' || history === null || !Array.isArray(history.orders) || typeof history.usage !== 'object' || history.usage === null) {
    throw new InputError([{ pointer: '/history', code: 'invalid-history', message: 'history must be { orders: [...], usage: {...} } (see docs/architecture.md)' }]);
  }
}
