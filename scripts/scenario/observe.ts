/**
 * Turns an API-shaped answer (../shared/API.md) into the values a scenario's `expect` names, so every target —
 * the ledger in-process or the REST API — is judged by the same mapping.
 */
import { Decimal, MOMENT_TYPES } from '@purna/rules';
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
  /** HTTP-like status: 2xx accepted, 422 refused (409 for a case change its status flow refuses). */
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
        perks: perkIds(body.perks),
      };
    case 'order.record':
      return {
        awarded: body.awarded,
        tierBefore: body.tierBefore,
        tierAfter: body.tierAfter,
        replayed: answer.replayed,
        referral: body.referral,
      };
    case 'order.quote': {
      // The perks that take something off this order, and what free shipping and discounts take in total.
      const applying = Array.isArray(body.perks) ? (body.perks as Body[]).filter((p) => p.applies === true) : undefined;
      const total = (kind: string) => applying?.filter((p) => p.kind === kind).reduce((sum, p) => sum.plus(String(p.amount)), new Decimal(0)).toString();
      return { points: body.points, perks: perkIds(applying), freeShipping: total('free-shipping'), discount: total('discount') };
    }
    case 'order.return':
      return { clawedBack: body.clawedBack, balance: body.balance, refused: answer.status === 422, reasons: reasonCodes(body) };
    case 'order.deliver':
      return { followUpAt: body.followUpAt, pointsAvailableAt: body.pointsAvailableAt, replayed: answer.replayed };
    case 'order.cancel': {
      // The ids released: a scenario expects them, or their number (compareExpected).
      const released = Array.isArray(body.redemptionsReleased) ? (body.redemptionsReleased as Body[]).map((r) => r.redemptionId) : undefined;
      return { clawedBack: body.clawedBack, redemptionsReleased: released, vouchersReleased: body.vouchersReleased ?? [], refused: answer.status === 409, replayed: answer.replayed };
    }
    case 'redemption.cancel':
      return { restored: body.restored, expired: body.expired, replayed: answer.replayed };
    case 'event.record':
      return { awarded: body.awarded, reason: body.reason, replayed: answer.replayed };
    case 'redemption.create':
      return { redeemed: body.redeemed, discount: body.discount, refused: answer.status === 422 };
    case 'jobs.birthdays':
    case 'jobs.anniversaries':
      return { granted: body.granted, skipped: body.skipped };
    case 'warranty.check':
      return { plans: body.plans };
    case 'warranty.register':
      return { price: body.price, refused: answer.status === 422, reasons: reasonCodes(body) };
    case 'warranty.transfer':
      return { toCustomerId: body.toCustomerId, transfersUsed: body.transfersUsed, refused: answer.status === 422, reasons: reasonCodes(body) };
    case 'case.open':
      return { status: body.status, replayed: answer.replayed };
    case 'case.resolve':
      // A resolution the status flow refuses (a case already resolved or closed) is a 409 with its reason.
      return { status: body.status, refused: answer.status === 409, reasons: reasonCodes(body), replayed: answer.replayed };
    case 'goodwill.grant':
      return { granted: body.granted, refused: answer.status === 422, reasons: reasonCodes(body) };
    case 'reward.redeem': {
      const voucher = body.voucher as Body | undefined;
      return { points: body.points, voucher: typeof voucher?.code === 'string', refused: answer.status === 422, reasons: reasonCodes(body), replayed: answer.replayed };
    }
    case 'voucher.use':
      return { used: body.used === true, refused: answer.status === 422, reasons: reasonCodes(body), replayed: answer.replayed };
    case 'warranty.claim':
      return { covered: body.covered, coveredBy: body.coveredBy, coveredUntil: body.coveredUntil, reasons: reasonCodes(body), replayed: answer.replayed };
    case 'jobs.moments':
      return { emitted: body.emitted };
    case 'moments.count':
      // Every type, 0 when the customer has none: a scenario may expect a type not to have happened.
      return Object.fromEntries(MOMENT_TYPES.map((type) => [type, (body.counts as Record<string, number> | undefined)?.[type] ?? 0]));
  }
}

/** The ids of a list of perks (undefined when the answer has none: a target that does not answer perks). */
function perkIds(perks: unknown): string[] | undefined {
  return Array.isArray(perks) ? perks.map((p) => String((p as Body).id)) : undefined;
}

/**
 * The voucher code each reward redemption of a run issued: a scenario names a voucher by the redemption that issued
 * it (`voucher.use` with `redemptionId`), since a code is random. `code` in the input names one directly (a code
 * never issued, to see it refused).
 *
 * @example
 * vouchers.remember('rr-1', answer); vouchers.codeFor({ redemptionId: 'rr-1' }) // 'K7QM-2XPA-9RHD-TWCE'
 */
export class VoucherCodes {
  readonly #byRedemption = new Map<string, string>();

  /** Keeps the code of an accepted redemption's answer (a refusal issued none). */
  remember(redemptionId: string, answer: Answer): void {
    const code = (answer.body.voucher as Body | undefined)?.code;
    if (answer.status < 300 && typeof code === 'string') this.#byRedemption.set(redemptionId, code);
  }

  /** The code a `voucher.use` step means, or undefined when its redemption issued none in this run. */
  codeFor(input: Body): string | undefined {
    if (typeof input.code === 'string') return input.code;
    return this.#byRedemption.get(String(input.redemptionId));
  }
}

/** The `not-run` reason of a `voucher.use` whose redemption issued no voucher. */
export function noVoucher(input: Body): string {
  return `reward redemption ${JSON.stringify(input.redemptionId)} issued no voucher in this run (refused, or not run)`;
}

/** The codes of a refusal's reasons (empty when it has none). */
function reasonCodes(body: Body): string[] {
  const reasons = body.reasons;
  return Array.isArray(reasons) ? reasons.map((r) => String((r as Body).code)) : [];
}

/** A page of a customer's moments, as the ledger and `GET /v1/moments?customerId=` answer it. */
export interface MomentsPage {
  items: Array<{ type: string }>;
  nextCursor?: string;
}

/**
 * Counts a customer's moments by type, reading every page (`read(after)` answers the page after a cursor).
 *
 * @example const counts = await countMoments((after) => ledger.listMoments(tenant, { customerId, after }));
 */
export async function countMoments(read: (after: string | undefined) => Promise<MomentsPage>): Promise<Answer> {
  const counts: Record<string, number> = {};
  let after: string | undefined;
  for (;;) {
    const page = await read(after);
    for (const moment of page.items) counts[moment.type] = (counts[moment.type] ?? 0) + 1;
    if (page.items.length === 0 || page.nextCursor === undefined) return { status: 200, body: { counts }, replayed: false };
    after = page.nextCursor;
  }
}
