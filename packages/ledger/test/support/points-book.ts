/**
 * A minimal client of the write protocol for tests that must not depend on any program: credit a lot, debit
 * available points (refused when short), read the balance. The Ledger's own operations use the same protocol.
 */
import { planDebits, viewPoints } from '@purna/rules';
import type { FollowUp } from '../../src/account/account-doc.js';
import type { Store } from '../../src/store/store.js';
import { hashRequest, readAccount, runOperation, type OperationResult, type ProtocolContext } from '../../src/write-protocol.js';

export const T0 = '2026-01-01T00:00:00.000Z';
export const FAR = '2099-01-01T00:00:00.000Z';

export function protocolOf(store: Store): ProtocolContext {
  return { store, runFollowUp: (_tenant: string, followUp: FollowUp) => Promise.reject(new Error(`no follow-ups in tests: ${followUp.opId}`)) };
}

export function credit(ctx: ProtocolContext, tenantId: string, customerId: string, opId: string, points: number, at = T0): Promise<OperationResult<{ credited: number }, never>> {
  return runOperation(ctx, tenantId, {
    opId,
    kind: 'credit',
    customerId,
    requestHash: hashRequest({ customerId, points }),
    at,
    createAccount: true,
    decide: () => ({
      commit: {
        actions: [{ type: 'award', entry: { type: 'adjustment', ruleIds: [] }, source: 'adjustment', points, availableAt: at, expiresAt: FAR }],
        answer: () => ({ credited: points }),
      },
    }),
  });
}

export function debit(ctx: ProtocolContext, tenantId: string, customerId: string, opId: string, points: number, at = T0): Promise<OperationResult<{ debited: number }, { refused: true; available: number }>> {
  return runOperation<{ debited: number }, { refused: true; available: number }>(ctx, tenantId, {
    opId,
    kind: 'debit',
    customerId,
    requestHash: hashRequest({ customerId, points }),
    at,
    createAccount: true,
    decide: (account) => {
      const { available } = viewPoints(account.points, at);
      if (available < points) return { refusal: { refused: true, available } };
      const plan = planDebits(account.points, points, at, { allowDebt: false });
      return { commit: { actions: [{ type: 'debit', entry: { type: 'redeem', ruleIds: [] }, debits: plan.debits }], answer: () => ({ debited: points }) } };
    },
  });
}

export async function balanceOf(store: Store, tenantId: string, customerId: string, at = T0): Promise<number> {
  const account = await readAccount(store, tenantId, customerId, false);
  return account ? viewPoints(account.doc.points, at).balance : 0;
}
