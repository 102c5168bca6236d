/**
 * Shapes a ledger answer into a reply: a replay of a natural id answers the first answer, marked by the
 * `Idempotency-Replayed: true` header rather than a body field, so first answer and replay have the same body.
 */
import type { Reply } from '../http/problem.js';

/**
 * The reply for `answer` with `status`.
 *
 * @example
 * return ledgerReply(201, await ledger.recordOrder(tenantId, order, { at }));
 */
export function ledgerReply(status: number, answer: unknown): Reply {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) return { status, body: answer };
  const { replayed, ...body } = answer as { replayed?: unknown };
  return { status, body, ...(replayed === true ? { headers: { 'Idempotency-Replayed': 'true' } } : {}) };
}
