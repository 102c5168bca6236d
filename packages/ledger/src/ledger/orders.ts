/**
 * Orders: a quote (nothing written; with what the tier's perks take off the order) and a recorded order. The rules
 * decide (`decideOrder`); the write protocol applies the actions and stores the order document a return will need.
 */
import { historyOf, operationId, OrderInputSchema, utcInstant, type OrderInput } from '@purna/rules';
import type { AccountDoc, CampaignDoc, OrderDoc } from '../account/account-doc.js';
import { getAccount } from '../account/account-store.js';
import type { OrderAnswer, QuoteAnswer } from '../contract/answers.js';
import { OrderRequestSchema } from '../contract/requests.js';
import type { Decision } from '../write-protocol.js';
import { customerOf } from './account-view.js';
import { campaignKey } from './follow-ups.js';
import { checkInput } from './input-check.js';
import type { LedgerContext, ReadOptions, WriteOptions } from './ledger-context.js';
import type { LoadedProgram } from './programs.js';
import { decideExpiry, decideOrder, orderPerks, quoteOrder } from './rules-port.js';

/** What an order would earn now, and what the perks of the tier held before it take off it; nothing is written. */
export async function quoteOrderFor(ctx: LedgerContext, tenantId: string, input: unknown, options: ReadOptions = {}): Promise<QuoteAnswer> {
  const order = checkInput(OrderInputSchema, input, '', 'order');
  const at = ctx.at(options);
  const loaded = await ctx.programs.load(tenantId);
  const account = order.customerId ? (await getAccount(ctx.store, tenantId, order.customerId))?.doc : undefined;
  const placedAt = order.placedAt ? utcInstant(order.placedAt, '/placedAt') : at;
  const quote = quoteOrder(
    loaded.compiled,
    { customer: account ? customerOf(account) : { id: order.customerId ?? 'anonymous' }, order: { ...order, placedAt }, history: account ? historyOf(account, placedAt) : { orders: [], usage: {} } },
    { at: placedAt, trace: true },
  );
  const perks = orderPerks(loaded.compiled, quote.tierBefore, order);
  return { points: quote.points, tierBefore: quote.tierBefore, tierAfter: quote.tierAfter, perks, trace: quote.trace ?? null };
}

/** Records a paid order and awards its points (and a referral it qualifies). Replays answer the first answer. */
export async function recordOrder(ctx: LedgerContext, tenantId: string, input: unknown, options: WriteOptions = {}): Promise<OrderAnswer> {
  const order = checkInput(OrderRequestSchema, input, '', 'order');
  // Checked before anything is claimed; the instant itself is the write's (`at` when the order has none).
  const placed = order.placedAt ? utcInstant(order.placedAt, '/placedAt') : undefined;
  const opId = operationId.order(order.id);
  const result = await ctx.write<Omit<OrderAnswer, 'replayed'>>(tenantId, options, {
    opId,
    kind: 'order',
    customerId: order.customerId,
    request: order,
    createAccount: true,
    decide: (account, loaded, at) => decide(ctx, tenantId, loaded, account, { ...order, placedAt: placed ?? at }, opId, at),
  });
  return { ...result.answer, replayed: result.replayed };
}

async function decide(ctx: LedgerContext, tenantId: string, loaded: LoadedProgram, account: AccountDoc, order: OrderInput & { placedAt: string }, opId: string, at: string): Promise<Decision<Omit<OrderAnswer, 'replayed'>, never>> {
  const campaign = await ctx.store.get<CampaignDoc>('counters', tenantId, campaignKey(loaded.id));
  const referrerId = account.referral?.status === 'pending' && account.firstOrderId === undefined ? account.referral.referrerId : undefined;
  const referrerAccount = referrerId ? (await getAccount(ctx.store, tenantId, referrerId))?.doc : undefined;
  const decision = decideOrder(
    loaded.compiled,
    account,
    {
      customer: customerOf(account),
      order,
      campaignUsage: Object.fromEntries((campaign?.doc.counts ?? []).map((c) => [c.ruleId, c.points])),
      ...(referrerAccount ? { referrer: { customer: customerOf(referrerAccount), usage: historyOf(referrerAccount, order.placedAt).usage } } : {}),
    },
    // The answer carries the trace.
    { trace: true },
  );
  const { quote, referral } = decision;
  const answer: Omit<OrderAnswer, 'replayed'> = {
    orderId: order.id,
    awarded: decision.awarded,
    availableAt: decision.availableAt,
    tierBefore: decision.tierBefore,
    tierAfter: decision.tierAfter,
    ...(referral ? { referral: { referrer: referral.referrer, referee: referral.referee } } : {}),
    trace: quote.trace ?? null,
  };
  return {
    commit: {
      // Expiry on touch: the lots expired by the write's instant are recorded by the order's own commit, after its
      // actions (so the order's lot keeps entry #0), as the sweep's expire operation would record them: an active
      // customer's account stays as small as a year of lots whatever the sweep's cadence, at no second write.
      actions: [...decision.actions, ...decideExpiry(account, at)],
      answer: () => answer,
      order: (applied): OrderDoc => {
        const referrerOpId = operationId.referrer(opId);
        return {
          orderId: order.id,
          customerId: account.customerId,
          opId,
          placedAt: order.placedAt,
          order,
          programId: loaded.id,
          programVersion: loaded.version,
          snapshot: quote.snapshot,
          awarded: decision.awarded,
          ...(applied.lots.order ? { lotId: applied.lots.order } : {}),
          availableAt: decision.availableAt,
          tierSpend: quote.tierSpend,
          ...(referral
            ? { referral: { referrerId: referral.referrerId, referrerOpId, referrerLotId: `${referrerOpId}#0`, refereeLotId: applied.lots.referee ?? '', referrer: referral.referrer, referee: referral.referee } }
            : {}),
          returns: [],
          deliveries: [],
        };
      },
    },
  };
}
