/**
 * Rewards and vouchers: the catalog with every reason a reward is out of reach, a reward redeemed for points (its
 * single-use voucher issued), a voucher used on an order, and a customer's vouchers with their status.
 *
 * A voucher code is 80 random bits, so guessing one is hopeless unless a key may try without end: every code that
 * matches nothing (unknown, another customer's, malformed) costs a token of the key's voucher-miss bucket, and a key
 * with none left is answered 429 on every voucher use before the ledger is asked (docs/api.md, "Rewards and vouchers").
 */
import { CustomerVouchersAnswerSchema, RewardCatalogAnswerSchema, VoucherRefused, type StoreRateLimiter } from '@purna/ledger';
import { InputError, normalizeVoucherCode } from '@purna/rules';
import { Type } from '@sinclair/typebox';
import type { Principal } from '../auth/authenticate.js';
import { ApiError } from '../http/problem.js';
import { defineOperation, type Operation } from '../openapi/operation.js';
import { AtQuerySchema } from '../schemas/common-schemas.js';
import { IdParamsSchema, idSchema } from '../schemas/id-schema.js';
import {
  RewardCatalogQuerySchema,
  RewardRedemptionBodySchema,
  RewardRedemptionRecordedSchema,
  VoucherUseBodySchema,
  VoucherUsedSchema,
} from '../schemas/ledger-schemas.js';
import { ledgerReply } from './ledger-reply.js';

const REPLAY_HEADER = { 'Idempotency-Replayed': '"true" when this answers a replay of the same id' };
const RewardIdParams = Type.Object({ rewardId: idSchema("the id of one of the program's rewards, like \"voucher-50k\"") }, { additionalProperties: false });
// Loose on purpose: a malformed code reaches the handler, which answers it with its pointer and counts it as a miss.
const VoucherCodeParams = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 100, description: 'the voucher code as typed, like "K7QM-2XPA-9RHD-TWCE" (case, spaces and dashes do not matter)' }) },
  { additionalProperties: false },
);

/** Refusals that say a code matched nothing this customer holds: what a guesser gets, so each one costs a token. */
const MISS_REASONS = new Set(['voucher-unknown', 'voucher-other-customer']);

/**
 * Takes one of `keyId`'s voucher misses before a use is tried, or refuses the use with the seconds until one is back.
 * Taken first and given back when the code matched (`isMiss` false), so concurrent guesses cannot outrun the limit.
 */
async function takeMiss(misses: StoreRateLimiter, principal: Principal): Promise<void> {
  const taken = await misses.take(principal.tenantId, principal.keyId);
  if (taken.allowed) return;
  throw new ApiError('rate-limited', `Too many voucher codes from this API key matched nothing: retry after ${taken.resetSeconds} s.`, {
    headers: { 'Retry-After': String(taken.resetSeconds) },
  });
}

/** Whether a failed use says the code matched nothing this customer holds: malformed, unknown, another's. */
function isMiss(error: unknown): boolean {
  if (error instanceof ApiError) return error.code === 'validation-failed';
  return error instanceof VoucherRefused && error.reasons.some((reason) => MISS_REASONS.has(reason.code));
}

/** The code as stored, or a 400 at the path's `/code` saying what is wrong with it. */
function voucherCodeOf(text: string): string {
  try {
    return normalizeVoucherCode(text, '/code');
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    throw new ApiError('validation-failed', 'The voucher code is not valid; see errors.', {
      errors: error.errors.map((problem) => ({ in: 'path' as const, pointer: problem.pointer, message: problem.message, code: problem.code })),
    });
  }
}

/** The reward and voucher operations. */
export function rewardOperations(): Operation[] {
  return [
    defineOperation({
      operationId: 'listRewards',
      method: 'get',
      path: '/v1/rewards',
      tag: 'rewards',
      summary: "The program's rewards catalog, each with whether it can be redeemed now and every reason when not",
      description:
        'With `customerId`, availability is that customer\'s: points (`insufficient-points`), tier (`tier-not-allowed`), the ' +
        'per-customer limit of the period (`limit-reached`), besides what holds for anyone: the window (`not-yet-valid`, ' +
        '`no-longer-valid`) and the stock (`out-of-stock`, with `stockLeft`). Without it, availability is for anyone.',
      scopes: ['crm'],
      query: RewardCatalogQuerySchema,
      responses: { 200: { description: 'The catalog.', schema: RewardCatalogAnswerSchema } },
      problems: [404],
      handler: async ({ query, ledger, principal, now }) => {
        const { at, customerId } = query;
        return ledgerReply(200, await ledger.rewardCatalog(principal.tenantId, customerId === undefined ? {} : { customerId }, { at: at ?? now() }));
      },
    }),
    defineOperation({
      operationId: 'redeemReward',
      method: 'post',
      path: '/v1/rewards/{rewardId}/redemptions',
      tag: 'rewards',
      summary: 'Redeem a reward for points and issue its single-use voucher',
      description:
        'Debits the reward\'s cost like a redemption (available points, soonest-expiring lots first) and issues a voucher ' +
        'bound to the customer (every kind: money off, free shipping, a gift), which expires `voucherDays` after. Refused ' +
        'with 422 and every reason (`insufficient-points`, `limit-reached`, `tier-not-allowed`, `out-of-stock`, ' +
        '`not-yet-valid`, `no-longer-valid`, `negative-balance`, `unknown-reward`). A stock is never oversold, however many redeem at once. ' +
        'The redemption id is the idempotency key: the same request again answers the first answer (a refusal too).',
      scopes: ['checkout', 'crm'],
      params: RewardIdParams,
      body: RewardRedemptionBodySchema,
      responses: { 201: { description: 'Redeemed (or replayed).', schema: RewardRedemptionRecordedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409, 422],
      handler: async ({ params, body, ledger, principal, now, idempotency }) => {
        const { at, ...request } = body;
        return ledgerReply(201, await ledger.redeemReward(principal.tenantId, { ...request, rewardId: params.rewardId }, { at: at ?? now(), ...idempotency }));
      },
    }),
    defineOperation({
      operationId: 'useVoucher',
      method: 'post',
      path: '/v1/vouchers/{code}/use',
      tag: 'rewards',
      summary: 'Use a voucher on an order, once, by the customer it was issued to',
      description:
        'Refused with 422 and the reason: `voucher-used`, `voucher-expired`, `voucher-unknown`, `voucher-other-customer`. ' +
        'A malformed code is a 400 at `/code`. The same voucher on the same order again answers the first answer. ' +
        'Each code that matches nothing (unknown, another customer\'s, malformed) takes one of the key\'s voucher misses ' +
        '(PURNA_VOUCHER_MISSES_BURST in each window of 60 s × burst ÷ PURNA_VOUCHER_MISSES_PER_MINUTE, over every ' +
        'instance); with none left every use by that key ' +
        'answers 429 with `Retry-After`, before any voucher is looked up.',
      scopes: ['checkout'],
      params: VoucherCodeParams,
      body: VoucherUseBodySchema,
      responses: { 200: { description: 'Used (or replayed).', schema: VoucherUsedSchema, headers: REPLAY_HEADER } },
      problems: [404, 409, 422],
      handler: async ({ params, body, ledger, principal, now, idempotency, voucherMisses }) => {
        await takeMiss(voucherMisses, principal);
        const { at, ...request } = body;
        try {
          const code = voucherCodeOf(params.code);
          const answer = await ledger.useVoucher(principal.tenantId, code, request, { at: at ?? now(), ...idempotency });
          voucherMisses.giveBack(principal.tenantId, principal.keyId);
          return ledgerReply(200, answer);
        } catch (error) {
          if (!isMiss(error)) voucherMisses.giveBack(principal.tenantId, principal.keyId);
          throw error;
        }
      },
    }),
    defineOperation({
      operationId: 'listCustomerVouchers',
      method: 'get',
      path: '/v1/customers/{id}/vouchers',
      tag: 'rewards',
      summary: "A customer's vouchers, newest first, each with its status (available, used, expired) as of an instant",
      scopes: ['crm'],
      params: IdParamsSchema,
      query: AtQuerySchema,
      responses: { 200: { description: 'The vouchers.', schema: CustomerVouchersAnswerSchema } },
      problems: [404],
      handler: async ({ params, query, ledger, principal, now }) =>
        ledgerReply(200, await ledger.customerVouchers(principal.tenantId, params.id, { at: query.at ?? now() })),
    }),
  ];
}
