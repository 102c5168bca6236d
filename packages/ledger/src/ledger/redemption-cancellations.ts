/**
 * Redemption cancellations: the points of a redemption go back into the lots they came from, with their original
 * expiry (`decideRedemptionCancellation`); points whose lot has expired since come back expired. A redemption is
 * cancelled once, by its own cancellation or by its order's (order-cancellations.ts), both through `releaseRedemption`.
 */
import { operationId, viewPoints, type CompiledProgram, type RedemptionRestore } from '@purna/rules';
import type { CommittedDocument, RedemptionDoc } from '../account/account-doc.js';
import type { RedemptionCancellationAnswer } from '../contract/answers.js';
import { RedemptionCancellationRequestSchema, type RedemptionCancellationRequest } from '../contract/requests.js';
import { NotFound } from '../errors.js';
import type { Versioned } from '../store/store.js';
import { hashRequest, runOperation } from '../write-protocol.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext, WriteOptions } from './ledger-context.js';
import { locateRedemption } from './redemption-records.js';
import { decideRedemptionCancellation } from './rules-port.js';

/** A redemption released by operation `opId`: the rules' decision, and its record marked cancelled. */
export interface Release {
  restore: RedemptionRestore;
  document: CommittedDocument;
}

/**
 * Releases one redemption at `at`: decided by the rules on its record, which is marked cancelled by the same commit.
 *
 * @example const { restore, document } = releaseRedemption(compiled, record, { at, reason: 'payment-failed', opId });
 */
export function releaseRedemption(compiled: CompiledProgram, record: Versioned<RedemptionDoc>, options: { at: string; reason: string; opId: string; cancellationId?: string }): Release {
  const { at, reason, opId, cancellationId } = options;
  const restore = decideRedemptionCancellation(compiled, record.doc, { at, reason, ...(cancellationId !== undefined ? { cancellationId } : {}) });
  const doc: RedemptionDoc = {
    ...record.doc,
    cancellation: { opId, at, reason, restored: restore.restored, expired: restore.expired, ...(cancellationId !== undefined ? { cancellationId } : {}) },
  };
  return { restore, document: { write: 'replace', collection: 'redemptions', key: record.key, expectedVersion: record.version, doc } };
}

/**
 * Cancels a redemption (the payment failed, the order was cancelled): its points go back into their lots. The
 * second cancellation replays the first; one that finds the redemption released by its order's cancellation
 * answers that release.
 */
export async function cancelRedemption(
  ctx: LedgerContext,
  tenantId: string,
  redemptionId: string,
  request: RedemptionCancellationRequest | Record<string, unknown>,
  options: WriteOptions = {},
): Promise<RedemptionCancellationAnswer> {
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(redemptionId, '/redemptionId', 'redemption id');
  const { reason } = checkInput(RedemptionCancellationRequestSchema, request, '', 'redemption cancellation');
  const at = ctx.at(options);
  const opId = operationId.redemptionCancellation(redemptionId);
  const requestHash = hashRequest({ redemptionId, reason });
  await ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
  const { customerId, key } = await locateRedemption(ctx, tenantId, redemptionId);
  const program = await ctx.programs.load(tenantId);
  let releasedBefore = false;
  const result = await runOperation<Omit<RedemptionCancellationAnswer, 'replayed'>>(ctx.protocol, tenantId, {
    opId,
    kind: 'redemption-cancellation',
    customerId,
    requestHash,
    at,
    createAccount: false,
    program,
    decide: async () => {
      const record = await ctx.store.get<RedemptionDoc>('redemptions', tenantId, key);
      if (!record) throw new NotFound('redemption record', redemptionId);
      const { orderId } = record.doc;
      const done = record.doc.cancellation;
      if (done) {
        // Released before (by its order's cancellation): nothing changes, and the answer is that release.
        releasedBefore = true;
        const { restored, expired, cancellationId } = done;
        return { commit: { actions: [], answer: (applied) => ({ redemptionId, orderId, restored, expired, ...(cancellationId !== undefined ? { cancellationId } : {}), balance: viewPoints(applied.state.points, at).balance }) } };
      }
      const { restore, document } = releaseRedemption(program.compiled, record, { at, reason, opId });
      return {
        commit: {
          actions: restore.actions,
          documents: [document],
          answer: (applied) => ({ redemptionId, orderId, restored: restore.restored, expired: restore.expired, balance: viewPoints(applied.state.points, at).balance }),
        },
      };
    },
  });
  return { ...result.answer, replayed: result.replayed || releasedBefore };
}
