/**
 * The two refusals of warranty contracts. Like a refused redemption they are answers with every reason (the API
 * answers 422 and lists them), not malformed input: the same request may succeed for another product, plan or day.
 */
import { Refused, type RefusalReason } from '../errors.js';

/**
 * A contract for a plan the program does not offer for this product now, with every reason the eligibility check
 * gave (`purchase-window-ended`, `category-not-covered`, ...).
 *
 * @example
 * try { await contracts.register('shop', request) } catch (e) { if (e instanceof WarrantyPlanRefused) e.reasons }
 */
export class WarrantyPlanRefused extends Refused {
  readonly code = 'warranty-plan-refused';
  constructor(
    readonly contractId: string,
    readonly planId: string,
    reasons: RefusalReason[],
  ) {
    super(`warranty contract "${contractId}" refused: plan "${planId}" is not offered for this product`, reasons);
    this.name = 'WarrantyPlanRefused';
  }
}

/**
 * A transfer the contract does not allow, with every reason (`contract-cancelled`, `transfer-not-allowed`, `transfer-limit-reached`,
 * `contract-ended`, `same-owner`).
 *
 * @example
 * try { await contracts.transfer('shop', 'wc-1', request) } catch (e) { if (e instanceof WarrantyTransferRefused) e.reasons }
 */
export class WarrantyTransferRefused extends Refused {
  readonly code = 'warranty-transfer-refused';
  constructor(
    readonly contractId: string,
    readonly transferId: string,
    reasons: RefusalReason[],
  ) {
    super(`transfer "${transferId}" of warranty contract "${contractId}" refused`, reasons);
    this.name = 'WarrantyTransferRefused';
  }
}
