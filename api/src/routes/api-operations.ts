/** Every `/v1` operation, in the order the document lists them. */
import type { Operation } from '../openapi/operation.js';
import { checkoutOperations } from './checkout-operations.js';
import { customerOperations } from './customer-operations.js';
import { goodwillOperations } from './goodwill-operations.js';
import { keyOperations } from './key-operations.js';
import { momentOperations } from './moment-operations.js';
import { programOperations } from './program-operations.js';
import { referralCodeOperations } from './referral-code-operations.js';
import { rewardOperations } from './reward-operations.js';
import { serviceOperations } from './service-operations.js';
import { warrantyContractOperations } from './warranty-contract-operations.js';
import { caseOperations } from './case-operations.js';
import { auditOperations } from './audit-operations.js';
import { customerErasureOperations } from './customer-erasure-operations.js';
import { importOperations } from './import-operations.js';
import { webhookOperations } from './webhook-operations.js';

/** The `/v1` operations. */
export function apiOperations(): Operation[] {
  return [...programOperations(), ...customerOperations(), ...importOperations(), ...referralCodeOperations(), ...checkoutOperations(), ...serviceOperations(), ...goodwillOperations(), ...rewardOperations(), ...momentOperations(), ...warrantyContractOperations(), ...caseOperations(), ...webhookOperations(), ...keyOperations(), ...auditOperations(), ...customerErasureOperations()];
}
