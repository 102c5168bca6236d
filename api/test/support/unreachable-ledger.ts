/**
 * For tests that stop before any ledger call (auth, scopes, limits, validation, key management, health): every
 * ledger method rejects, so a test that reached the ledger would answer 500 and fail rather than pass on a
 * stand-in. Route behaviour is tested on the real @purna/ledger.
 */
import type { ApiKeyStore } from '../../src/auth/api-key-store.js';
import type { LedgerPort } from '../../src/ledger-port.js';

export function unreachableLedger(apiKeys: ApiKeyStore): LedgerPort {
  const refuse = (): Promise<never> => Promise.reject(new Error('this test must not reach the ledger'));
  return {
    apiKeys,
    warrantyContracts: { register: refuse, get: refuse, listForCustomer: refuse, transfer: refuse, claim: refuse, claims: refuse },
    cases: { open: refuse, get: refuse, list: refuse, update: refuse, resolve: refuse },
    webhookEndpoints: { create: refuse, get: refuse, list: refuse, update: refuse, delete: refuse, rotateSecret: refuse },
    publishProgram: refuse,
    getProgram: refuse,
    listProgramVersions: refuse,
    upsertCustomer: refuse,
    getCustomer: refuse,
    listTransactions: refuse,
    exportCustomer: refuse,
    eraseCustomer: refuse,
    quoteOrder: refuse,
    recordOrder: refuse,
    returnOrder: refuse,
    deliverOrder: refuse,
    cancelOrder: refuse,
    cancelRedemption: refuse,
    recordEvent: refuse,
    redeem: refuse,
    adjust: refuse,
    assignTier: refuse,
    importCustomers: refuse,
    getImport: refuse,
    grantGoodwill: refuse,
    rewardCatalog: refuse,
    redeemReward: refuse,
    useVoucher: refuse,
    customerVouchers: refuse,
    runBirthdaySweep: refuse,
    listMoments: refuse,
    runMomentsJob: refuse,
    listWebhookDeliveries: refuse,
    retryWebhookDelivery: refuse,
    runAnniversarySweep: refuse,
    runExpirySweep: refuse,
    reconcile: refuse,
    checkWarranty: refuse,
  };
}
