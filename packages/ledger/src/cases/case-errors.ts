/**
 * A change the status flow of a case does not allow (docs/after-sales.md "Complaint cases"): closing a case that
 * is not resolved, resolving one twice, changing a closed one. The API answers 409 with the reason; the same change
 * may be right later (once the case is resolved, say), so it claims no id.
 */
import type { CaseStatus, CaseTransitionRefusal } from '@purna/rules';
import { refusalReasons, type RefusalReason } from '../errors.js';

/**
 * The case cannot move from `from` to `to`.
 *
 * @example
 * try { await ledger.cases.update('shop', 'c-1', { by: 'dewi', status: 'closed' }) } catch (e) { if (e instanceof CaseTransitionRefused) e.reasons }
 */
export class CaseTransitionRefused extends Error {
  readonly code = 'case-transition-refused';
  readonly reasons: RefusalReason[];
  constructor(
    readonly caseId: string,
    readonly from: CaseStatus,
    readonly to: CaseStatus,
    refusal: CaseTransitionRefusal,
  ) {
    super(refusal.message);
    this.name = 'CaseTransitionRefused';
    this.reasons = refusalReasons([refusal]);
  }
}
