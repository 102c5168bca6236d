/**
 * The records a simulated history is made of, one per NDJSON line. `type` names the record; a line without `type`
 * is an order, so files of plain orders (the format before returns and the rest were simulated) read as before.
 * Each record is the body of the API call that would have recorded it, plus the instant it happened at.
 */
import { inputError } from '../errors.js';
import type { CustomerInput } from '../input/customer-input.js';
import type { OrderInput } from '../input/order-input.js';
import { preview } from '../money/money.js';
import type { ReturnLineInput } from '../returns/return-lines.js';

/** An order (`POST /v1/orders`), with or without `"type": "order"`. */
export type OrderRecord = OrderInput & { readonly type?: 'order' };

/** A return of some of an order's lines (`POST /v1/orders/{orderId}/returns`). */
export interface ReturnRecord {
  readonly type: 'return';
  readonly id: string;
  readonly orderId: string;
  readonly at: string;
  readonly lines: readonly ReturnLineInput[];
}

/** Points redeemed for a discount on an order (`POST /v1/redemptions`). */
export interface RedemptionRecord {
  readonly type: 'redemption';
  readonly id: string;
  readonly customerId: string;
  readonly orderId?: string;
  readonly orderTotal: string;
  readonly points: number;
  readonly at: string;
}

/**
 * A custom event (`POST /v1/events`). The event's own type (`review.published`) is in `event`, because `type` names
 * the record.
 */
export interface EventRecord {
  readonly type: 'event';
  readonly id: string;
  readonly customerId: string;
  readonly event: string;
  readonly at: string;
  readonly occurredAt?: string;
  readonly attributes?: Readonly<Record<string, string | number | boolean>>;
}

/** The birthday sweep (`POST /v1/jobs/birthday-rewards`) reaching one customer at `at`. */
export interface BirthdayRecord {
  readonly type: 'birthday';
  readonly customerId: string;
  readonly at: string;
}

/**
 * The purchase-anniversary sweep (`POST /v1/jobs/anniversary-rewards`) reaching one customer at `at`: the
 * anniversary of the customer's first order in the history.
 */
export interface AnniversaryRecord {
  readonly type: 'anniversary';
  readonly customerId: string;
  readonly at: string;
}

/** A goodwill or correction adjustment (positive or negative points). */
export interface AdjustmentRecord {
  readonly type: 'adjustment';
  readonly id: string;
  readonly customerId: string;
  readonly points: number;
  readonly reason?: string;
  readonly at: string;
}

/**
 * A reward of the catalog redeemed for points (`POST /v1/rewards/{rewardId}/redemptions`): decided as the ledger decides it, with
 * the reward's stock counted over the whole history, and a voucher whose code the simulation derives from `id`.
 */
export interface RewardRecord {
  readonly type: 'reward';
  /** The redemption's id (the ledger's idempotency key). */
  readonly id: string;
  readonly customerId: string;
  readonly rewardId: string;
  readonly at: string;
}

/**
 * The voucher of reward redemption `redemptionId` used on an order (`POST /v1/vouchers/{code}/use` with
 * `{ orderId, customerId }`): the record names the redemption, whose voucher code only the simulation knows.
 */
export interface VoucherUseRecord {
  readonly type: 'voucher-use';
  readonly redemptionId: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly at: string;
}

/** Any record of a simulated history. */
export type SimulationRecord = OrderRecord | ReturnRecord | RedemptionRecord | EventRecord | BirthdayRecord | AnniversaryRecord | AdjustmentRecord | RewardRecord | VoucherUseRecord;

/** The record kinds, as `type` names them. */
export const RECORD_TYPES = ['order', 'return', 'redemption', 'event', 'birthday', 'anniversary', 'adjustment', 'reward', 'voucher-use'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** Looks up the customers a history names: their profiles, and the owner of a referral code. */
export interface CustomerDirectory {
  /** The profile (`PUT /v1/customers/{id}` shape), or undefined when the customer is unknown. */
  customer(id: string): CustomerInput | undefined;
  /** The customer whose `referralCode` is `code` (compared as the ledger does), or undefined. */
  referrer(code: string): CustomerInput | undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The kind of a record, or an InputError at `/type`. */
export function recordType(record: unknown): RecordType {
  if (!isObject(record)) return inputError('', 'invalid-record', `expected a record object (an order, or {"type": "return", ...}), got ${preview(record)}`);
  const type = record.type;
  if (type === undefined) return 'order';
  if (typeof type === 'string' && (RECORD_TYPES as readonly string[]).includes(type)) return type as RecordType;
  return inputError('/type', 'unknown-record-type', `type must be one of ${RECORD_TYPES.join(', ')} (or absent for an order), got ${preview(type)}`);
}

/** A required text field of a record. */
export function textField(record: Record<string, unknown>, name: string): string {
  const value = record[name];
  const kind = typeof record.type === 'string' ? record.type : 'order';
  if (typeof value !== 'string' || value === '') return inputError(`/${name}`, 'missing-field', `a ${kind} record needs a text "${name}", got ${preview(value)}`);
  return value;
}

/** A required whole-number field of a record. */
export function integerField(record: Record<string, unknown>, name: string): number {
  const value = record[name];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) return inputError(`/${name}`, 'invalid-integer', `${name} must be a whole number, got ${preview(value)}`);
  return value;
}
