/**
 * A warranty contract as stored, and the answers built from it. The contract keeps what was decided at the sale (the
 * program version, the price, the cover of every component) and an append-only list of owners: a transfer adds an
 * owner, it never rewrites the one before. Every answer is derived from the stored document alone, so the first
 * answer of a registration or a transfer can be given again, identical, however many transfers followed.
 */
import { calendarDate, type Sentence, type WarrantyComponentCover, type WarrantyProduct } from '@purna/rules';

/** The product a contract covers: what the eligibility check read, and the unit's serial number. */
export interface ContractProduct extends WarrantyProduct {
  /** The serial number of the unit covered, as printed on it. */
  readonly serialNumber?: string;
}

/** One owner of a contract, in the order they held it. */
export interface ContractOwner {
  customerId: string;
  /** The instant ownership began: the registration for the first owner, the transfer for the others. */
  since: string;
  /** The transfer that made this customer the owner (absent for the first owner). */
  transferId?: string;
  /** Why it was transferred, in the caller's words. */
  reason?: string;
  /** Hash of the transfer request, to tell a replay from a reuse of the transfer id. */
  requestHash?: string;
}

/** The cover a contract gives, as computed at the sale. Dates are calendar days in the program's time zone. */
export interface ContractCoverage {
  /** Whether the plan starts when the manufacturer's term ends or at the purchase. */
  starts: 'after-manufacturer' | 'at-purchase';
  /** The first day of the plan's own cover (the unit's plan start). */
  startsOn: string;
  /** The last day anything is covered: the latest end over the unit and its components. */
  endsOn: string;
  /** Every component (`unit` first) with its manufacturer end, plan start and end. */
  components: WarrantyComponentCover[];
  /** Components the plan excludes: they keep the manufacturer's term only. */
  excludedComponents: string[];
}

/** The transfer policy of the plan, as it was when the contract was sold. */
export interface TransferPolicy {
  allowed: boolean;
  /** At most this many transfers; absent for no limit. */
  maxTransfers?: number;
}

/** A contract in the `warrantyContracts` collection, keyed by its id. */
export interface WarrantyContractDoc {
  contractId: string;
  /** Hash of the registration request: the same id with other content is a conflict. */
  requestHash: string;
  planId: string;
  planName: string;
  programId: string;
  programVersion: number;
  /** The program's zone, in which coverage dates are days. */
  timezone: string;
  currency: string;
  /** The tier whose perks priced the plan (the first owner's at registration), or null. */
  tier: string | null;
  product: ContractProduct;
  /** The order the plan was sold with, when given (a reference: it is not checked against the orders). */
  orderId?: string;
  /** What the customer pays, exact (after the tier discount). */
  price: string;
  /** The price before the tier discount. */
  listPrice: string;
  coverage: ContractCoverage;
  transferPolicy: TransferPolicy;
  registeredAt: string;
  /** How the eligibility check reached the price and cover, one sentence per step. */
  trace: string[];
  /** `trace` as data, to write it in another language (absent on documents stored before it was kept). */
  traceSentences?: Sentence[];
  /** Every owner, oldest first; the last is the current one. Only ever appended to. */
  owners: ContractOwner[];
}

/**
 * A contract cancelled because its product came back (a return of its order line's unit), in the
 * `warrantyCancellations` collection keyed by the contract id. Kept apart from the contract, and only ever inserted:
 * the return that writes it runs on the buyer's account while transfers run on the owner's, so neither can lose the
 * other's write, and the first cancellation stands.
 */
export interface ContractCancellationDoc {
  contractId: string;
  /** The return that took the product back, and its order. */
  returnId: string;
  orderId: string;
  /** The instant of the return (UTC ISO), and its calendar day in the program's zone. */
  at: string;
  cancelledOn: string;
  /** As the plan says: the unused share of the plan's cover, or the whole price. */
  refundPolicy: 'pro-rata' | 'full';
  /** The amount refunded, a decimal string in `currency`. */
  refund: string;
  currency: string;
  /** Days of the plan's own cover of the unit, and those left on the day of the cancellation. */
  planDays: number;
  unusedDays: number;
  trace: string[];
  /** `trace` as data, to write it in another language (absent on documents stored before it was kept). */
  traceSentences?: Sentence[];
}

/** A row of the `warrantyContractOrders` index: a contract sold with an order, found by the order's returns. */
export interface ContractOrderRow {
  contractId: string;
  sku: string;
}

/** A row of the `warrantyContractOwners` index: one customer's ownership of a contract, from `since`. */
export interface ContractOwnerRow {
  contractId: string;
  /** The position of this ownership in the contract's `owners`. */
  ownerIndex: number;
  since: string;
}

/** A contract as the API and the library answer it, as of an instant. */
export interface WarrantyContractView {
  id: string;
  /** The owner as of the instant asked. */
  customerId: string;
  planId: string;
  planName: string;
  programId: string;
  programVersion: number;
  tier: string | null;
  product: ContractProduct;
  orderId?: string;
  price: string;
  listPrice: string;
  currency: string;
  coverage: ContractCoverage;
  transfer: { allowed: boolean; maxTransfers?: number; used: number; remaining?: number };
  owners: Array<{ customerId: string; since: string; transferId?: string; reason?: string }>;
  registeredAt: string;
  /** True once the instant asked is past the last covered day (in the program's zone). */
  ended: boolean;
  /** `cancelled` once its product was returned (at or before the instant asked), else `ended` or `active`. */
  status: 'active' | 'cancelled' | 'ended';
  /** The cancellation and its refund, once cancelled. */
  cancellation?: Omit<ContractCancellationDoc, 'contractId'>;
  trace: string[];
  /** `trace` as data, to write it in another language (absent on documents stored before it was kept). */
  traceSentences?: Sentence[];
}

/** The answer to a transfer. */
export interface WarrantyTransferAnswer {
  contractId: string;
  transferId: string;
  fromCustomerId: string;
  toCustomerId: string;
  at: string;
  reason?: string;
  /** Transfers made so far, this one included. */
  transfersUsed: number;
  /** Transfers still allowed after this one; absent when the plan sets no limit. */
  transfersRemaining?: number;
}

/** The calendar day of instant `at` in `zone`. */
export function dayIn(at: string, zone: string): string {
  return calendarDate(at, zone, '/at');
}

/** Whether the contract's cover is over at instant `at`: the last covered day is behind. */
export function hasEnded(doc: WarrantyContractDoc, at: string): boolean {
  return dayIn(at, doc.timezone) > doc.coverage.endsOn;
}

/**
 * The contract as it stood with its first `ownerCount` owners, read at `at`.
 *
 * @example contractView(doc, 1, doc.registeredAt) // the registration's answer, whatever happened since
 */
export function contractView(doc: WarrantyContractDoc, ownerCount: number, at: string, cancellation?: ContractCancellationDoc): WarrantyContractView {
  const owners = doc.owners.slice(0, Math.max(ownerCount, 1));
  const cancelled = cancellation !== undefined && cancellation.at <= at ? cancellation : undefined;
  const ended = hasEnded(doc, at);
  const used = owners.length - 1;
  const { maxTransfers } = doc.transferPolicy;
  return {
    id: doc.contractId,
    customerId: (owners[owners.length - 1] as ContractOwner).customerId,
    planId: doc.planId,
    planName: doc.planName,
    programId: doc.programId,
    programVersion: doc.programVersion,
    tier: doc.tier,
    product: doc.product,
    ...(doc.orderId !== undefined ? { orderId: doc.orderId } : {}),
    price: doc.price,
    listPrice: doc.listPrice,
    currency: doc.currency,
    coverage: doc.coverage,
    transfer: {
      allowed: doc.transferPolicy.allowed,
      ...(maxTransfers !== undefined ? { maxTransfers, remaining: Math.max(maxTransfers - used, 0) } : {}),
      used,
    },
    owners: owners.map((o) => ({
      customerId: o.customerId,
      since: o.since,
      ...(o.transferId !== undefined ? { transferId: o.transferId } : {}),
      ...(o.reason !== undefined ? { reason: o.reason } : {}),
    })),
    registeredAt: doc.registeredAt,
    ended,
    status: cancelled ? 'cancelled' : ended ? 'ended' : 'active',
    ...(cancelled ? { cancellation: withoutContractId(cancelled) } : {}),
    trace: doc.trace,
    ...(doc.traceSentences ? { traceSentences: doc.traceSentences } : {}),
  };
}

/** How many owners the contract had at `at` (ownership is appended in time order). */
export function ownersAt(doc: WarrantyContractDoc, at: string): number {
  return doc.owners.filter((o) => o.since <= at).length;
}

/** The answer of the transfer that made `owners[index]` the owner. */
export function transferAnswer(doc: WarrantyContractDoc, index: number): WarrantyTransferAnswer {
  const to = doc.owners[index] as ContractOwner;
  const from = doc.owners[index - 1] as ContractOwner;
  const { maxTransfers } = doc.transferPolicy;
  return {
    contractId: doc.contractId,
    transferId: to.transferId ?? '',
    fromCustomerId: from.customerId,
    toCustomerId: to.customerId,
    at: to.since,
    ...(to.reason !== undefined ? { reason: to.reason } : {}),
    transfersUsed: index,
    ...(maxTransfers !== undefined ? { transfersRemaining: Math.max(maxTransfers - index, 0) } : {}),
  };
}

function withoutContractId(cancellation: ContractCancellationDoc): Omit<ContractCancellationDoc, 'contractId'> {
  const { contractId: _id, ...rest } = cancellation;
  return rest;
}
