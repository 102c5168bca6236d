/**
 * Journal entries: what `applyActions` writes for every action that moves points. Each carries its own effects on
 * lots and debt explicitly, so replaying entries in order rebuilds the points exactly (`applyEntry`); the ledger
 * stores them append-only, with its own position fields added.
 */
import type { LotSource } from './lot.js';

/** Every kind of transaction. */
export const ENTRY_TYPES = ['earn', 'redeem', 'return', 'expire', 'adjustment', 'referral', 'birthday', 'anniversary', 'event', 'restore', 'schedule'] as const;
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

/** What an entry says besides its points: the kind, the program and rules, and what it refers to. */
export interface EntryFields {
  type: EntryType;
  programId?: string;
  programVersion?: number;
  ruleIds: string[];
  orderId?: string;
  returnId?: string;
  eventId?: string;
  redemptionId?: string;
  /** The reward a redemption of the catalog bought (with its `redemptionId`). */
  rewardId?: string;
  lines?: EntryLine[];
  /** A reason code (adjustments, zero awards, expiry, referral side). */
  reason?: string;
  /** Who made an adjustment. */
  actor?: string;
}

/** The lot a credit creates. */
export interface EntryLot {
  id: string;
  source: LotSource;
  amount: number;
  availableAt: string;
  expiresAt: string;
  orderId?: string;
}

/**
 * Points put back into a lot they were taken from (a cancelled redemption): `lot` is the lot as it was created, so
 * a lot emptied since is created again with its own id, life and expiry.
 */
export interface Credit {
  points: number;
  lot: EntryLot;
}

/** A pending lot's life moved (an order's first delivery starts its pending period). */
export interface LotSchedule {
  lotId: string;
  availableAt: string;
  expiresAt: string;
}

/** One journal entry, as `applyActions` writes it. */
export interface PointsEntry extends EntryFields {
  /** Deterministic: `<operation id>#<n>`; a credit's lot has the same id. */
  id: string;
  /** Signed change of the balance. */
  points: number;
  /** When it happened (UTC ISO). */
  at: string;
  lot?: EntryLot;
  /** Points taken from lots by this debit. */
  debits: Debit[];
  /** Change of the debt (positive: a clawback that no lot could cover). */
  debt: number;
  /** The lot an expire entry closes. */
  expiredLotId?: string;
  /** Points put back into the lots they came from (a `restore` entry). */
  credits?: Credit[];
  /** A lot whose availability and expiry this entry moves (a delivery). */
  schedule?: LotSchedule;
}
