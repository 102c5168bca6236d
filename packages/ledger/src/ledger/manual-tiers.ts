/**
 * Tiers assigned by hand (docs/concepts.md, "Tiers"): the rules decide (decideManualTier) and the write protocol
 * records the hold on the account, so every reader of the tier held sees it.
 */
import { checkManualTier, decideManualTier, operationId, utcInstant } from '@purna/rules';
import type { TierAssignedAnswer } from '../contract/answers.js';
import { TierAssignmentRequestSchema, type TierAssignmentRequest } from '../contract/requests.js';
import { checkInput } from './input-check.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';
import { tierAt } from './account-view.js';

/**
 * Assigns a tier by hand to an existing customer, held until `until` whatever the spend. Refuses (InputError) a
 * program without tiers, an unknown tier and an `until` not after the request's instant; nothing is written then.
 */
export async function assignTier(ctx: LedgerContext, tenantId: string, request: TierAssignmentRequest | Record<string, unknown>, options: WriteOptions = {}): Promise<TierAssignedAnswer> {
  const { customerId, tierId, until, reason, actor } = checkInput(TierAssignmentRequestSchema, request, '', 'tier assignment');
  const at = ctx.at(options);
  // Checked before anything is claimed: a refused assignment leaves no operation behind.
  checkManualTier((await ctx.programs.load(tenantId)).compiled, { tierId, until, reason }, at);
  const result = await ctx.write<Omit<TierAssignedAnswer, 'replayed'>>(tenantId, options, {
    // One assignment per customer and instant: the same one again (an Idempotency-Key) answers what it did.
    opId: operationId.tierHold(customerId, at),
    kind: 'tier-hold',
    customerId,
    request: { customerId, tierId, until: utcInstant(until, '/until'), reason, actor },
    createAccount: false,
    decide: (account, loaded, when) => {
      const decision = decideManualTier(loaded.compiled, account, { tierId, until, reason }, { at: when });
      return {
        commit: {
          actions: decision.actions,
          answer: (applied) => ({ customerId, from: decision.from, to: decision.to, tier: tierAt(loaded.compiled, applied.state, when) ?? null }),
        },
      };
    },
  });
  return { ...result.answer, replayed: result.replayed };
}
