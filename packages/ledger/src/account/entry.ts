/**
 * Ledger entries (transactions): append-only, never updated or deleted. Each carries its own effects on lots and
 * debt explicitly, so replaying entries in order rebuilds the account exactly (see `points-state.ts`).
 */
import type { LotSource } from './lot.js';

/** Every kind of transaction. */
export const ENTRY_TYPES = ['earn', 'redeem', 'return', 'expire', 'adjustment', 'referral', 'birthday', 'event'] as const;
/** The kind of one transaction. */
export type EntryType = (typeof ENTRY_TYPES)[number];

/** Points taken from one lot. */
export interface Debit {
  lotId: string;
  points: number;
}

/** One order line an entry came from. */
export interface EntryLine {
  sku: string;
  quantity: number;
  amount?: string;
}

/** One ledger transaction. */
export interface Entry {
  /** Deterministic: `<operation id>#<n>`. */
  id: string;
  customerId: string;
  /** Position in the customer's ledger: the account version that committed it, then its index. */
  seq: string;
  type: EntryType;
  /** Signed change of the balance. */
  points: number;
  /** When it happened (UTC ISO). */
  at: string;
  /** The operation that wrote it (the order, return, event, redemption... id). */
  opId: string;
  programId?: string;
  programVersion?: number;
  ruleIds: string[];
  orderId?: string;
  returnId?: string;
  eventId?: string;
  redemptionId?: string;
  lines?: EntryLine[];
  /** A reason code (adjustments, zero awards, expiry). */
  reason?: string;
  /** Who made an adjustment. */
  actor?: string;
  /** The lot this credit created. */
  lot?: { id: string; source: LotSource; amount: number; availableAt: string; expiresAt: string; orderId?: string };
  /** Points taken from lots by this debit. */
  debits: Debit[];
  /** Change of the debt (positive: a clawback that no lot could cover). */
  debt: number;
  /** The lot an expire entry closes. */
  expiredLotId?: string;
}
