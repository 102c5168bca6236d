/**
 * Turns an API-shaped answer (../shared/API.md) into the values a scenario's `expect` names, so every target —
 * the ledger in-process or the REST API — is judged by the same mapping.
 */
import type { Op } from './scenario.js';

type Body = Record<string, unknown>;

function field(body: Body, path: string): unknown {
  let value: unknown = body;
  for (const key of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Body)[key];
  }
  return value;
}

export interface Answer {
  /** HTTP-like status: 2xx accepted, 422 refused. */
  status: number;
  body: Body;
  replayed: boolean;
}

/** The observed values for one step's answer, keyed like the scenario's `expect`. */
export function observe(op: Op, answer: Answer): Record<string, unknown> {
  const { body } = answer;
  switch (op) {
    case 'customer.upsert':
      return { referral: field(body, 'referral.status'), reason: field(body, 'referral.reason') };
    case 'customer.get':
      return {
        available: field(body, 'points.available'),
        pending: field(body, 'points.pending'),
        expired: field(body, 'points.expired'),
        redeemed: field(body, 'points.redeemed'),
        balance: field(body, 'points.balance'),
        tier: field(body, 'tier.id'),
      };
    case 'order.record':
      return {
        awarded: body.awarded,
        tierBefore: body.tierBefore,
        tierAfter: body.tierAfter,
        replayed: answer.replayed,
        referral: body.referral,
      };
    case 'order.quote':
      return { points: body.points };
    case 'order.return':
      return { clawedBack: body.clawedBack, balance: body.balance };
    case 'event.record':
      return { awarded: body.awarded, reason: body.reason, replayed: answer.replayed };
    case 'redemption.create':
      return { redeemed: body.redeemed, discount: body.discount, refused: answer.status === 422 };
    case 'jobs.birthdays':
    case 'jobs.anniversaries':
      return { granted: body.granted, skipped: body.skipped };
    case 'warranty.check':
      return { plans: body.plans };
  }
}
