/**
 * Ledger entries (transactions): append-only, never updated or deleted. An entry is what the rules' `applyActions`
 * wrote (its effects on lots and debt explicit, so replaying entries in order rebuilds the account exactly), with
 * the ledger's position fields added.
 */
import type { PointsEntry } from '@purna/rules';

export { ENTRY_TYPES, type EntryType, type Debit, type EntryLine } from '@purna/rules';

/** One ledger transaction. */
export interface Entry extends PointsEntry {
  customerId: string;
  /** Position in the customer's ledger: the account version that committed it, then its index. */
  seq: string;
  /** The operation that wrote it (the order, return, event, redemption... id). */
  opId: string;
}
