/**
 * A complaint case as the ledger stores it, and as it answers it. The stored document is the answer plus what the
 * ledger needs to recognise a request it has seen (the opening's request hash, each change's operation id and
 * hash), which the answer leaves out.
 */
import type { CaseTimer } from '@purna/rules';
import type { CaseView } from './case-schemas.js';

/** One change as stored: the answer's history entry, and the operation that made it. */
export type CaseHistoryDoc = CaseView['history'][number] & { opId: string; requestHash: string };

/** A case as stored (collection `cases`, key = case id). */
export type CaseDoc = Omit<CaseView, 'history'> & { requestHash: string; history: CaseHistoryDoc[] };

/** A customer's case, listed (collection `caseCustomers`, key = `customerId SEP receivedAt SEP caseId`). */
export interface CaseCustomerRow {
  caseId: string;
}

/**
 * The case as the ledger answers it.
 *
 * @example caseView(doc).history[0].change // 'opened'
 */
export function caseView(doc: CaseDoc): CaseView {
  const { requestHash: _hash, history, ...rest } = doc;
  return { ...rest, history: history.map(({ opId: _op, requestHash: _h, ...entry }) => ({ ...entry, fields: [...entry.fields] })) };
}

/**
 * The case's timers as its account should keep them when it has none yet: what the due moments name.
 *
 * @example baseTimer(doc) // { caseId: 'c-1', summary: 'TV delivered late', department: 'logistics', orderId: 'o-1' }
 */
export function baseTimer(doc: Pick<CaseDoc, 'caseId' | 'summary' | 'department' | 'orderId'>): CaseTimer {
  return { caseId: doc.caseId, summary: doc.summary, department: doc.department, ...(doc.orderId !== undefined ? { orderId: doc.orderId } : {}) };
}
