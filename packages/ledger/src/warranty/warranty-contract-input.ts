/**
 * The checks at the boundary of warranty contracts: ids, the product's shape and the transfer's fields. The product's
 * values (price, dates, months) are judged by the rules' own `checkWarrantyEligibility`, with the same pointers, so
 * registration and the eligibility check can never disagree about what a valid product is. Unknown fields are
 * refused rather than stored: a contract keeps only what it was decided on.
 */
import { InputError, type Problem } from '@purna/rules';
import { checkId } from '../ledger/input-check.js';
import type { ContractProduct } from './warranty-contract-doc.js';

/** A registration request. */
export interface ContractRequest {
  id: string;
  customerId: string;
  planId: string;
  product: ContractProduct;
  orderId?: string;
}

/** A transfer request. */
export interface TransferRequest {
  id: string;
  toCustomerId: string;
  /** The owner the caller expects the contract to have: a different one is a conflict, not a transfer. */
  fromCustomerId?: string;
  reason?: string;
}

const REQUEST_FIELDS = ['id', 'customerId', 'planId', 'product', 'orderId'];
const PRODUCT_FIELDS = ['sku', 'category', 'brand', 'tags', 'price', 'purchasedOn', 'manufacturerWarranty', 'serialNumber'];
const MANUFACTURER_FIELDS = ['months', 'components'];
const TRANSFER_FIELDS = ['id', 'toCustomerId', 'fromCustomerId', 'reason'];

function asRecord(value: unknown, pointer: string, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError([{ pointer, code: 'invalid-input', message: `${what} must be a JSON object` }]);
  }
  return value as Record<string, unknown>;
}

function unknownFields(record: Record<string, unknown>, known: readonly string[], pointer: string): Problem[] {
  return Object.keys(record)
    .filter((key) => !known.includes(key))
    .map((key) => ({ pointer: `${pointer}/${key}`, code: 'unknown-field', message: `${JSON.stringify(key)} is not a field here (known: ${known.join(', ')})` }));
}

/** Text of 1 to `max` characters without control characters, or a problem naming the field. */
function textProblem(value: unknown, pointer: string, what: string, max: number): Problem | undefined {
  // eslint-disable-next-line no-control-regex
  if (typeof value === 'string' && value.length > 0 && value.length <= max && !/[\u0000-\u001f]/.test(value)) return undefined;
  return { pointer, code: 'invalid-text', message: `${what} must be a text of 1 to ${max} characters without control characters, got ${JSON.stringify(value)}` };
}

function throwIfAny(problems: Problem[]): void {
  if (problems.length > 0) throw new InputError(problems);
}

/**
 * The registration request with its product reduced to the fields a contract keeps; throws one InputError listing
 * every unknown field and bad id.
 *
 * @example checkContractRequest({ id: 'wc-1', customerId: 'ayu', planId: 'care-2y', product }).product.sku
 */
export function checkContractRequest(request: unknown): ContractRequest {
  const input = asRecord(request, '', 'a warranty contract');
  const product = asRecord(input.product, '/product', 'product');
  const problems = [...unknownFields(input, REQUEST_FIELDS, ''), ...unknownFields(product, PRODUCT_FIELDS, '/product')];
  const manufacturer = product.manufacturerWarranty;
  if (typeof manufacturer === 'object' && manufacturer !== null && !Array.isArray(manufacturer)) {
    problems.push(...unknownFields(manufacturer as Record<string, unknown>, MANUFACTURER_FIELDS, '/product/manufacturerWarranty'));
  }
  if (product.serialNumber !== undefined) {
    const bad = textProblem(product.serialNumber, '/product/serialNumber', 'serialNumber', 100);
    if (bad) problems.push(bad);
  }
  throwIfAny(problems);
  const orderId = input.orderId === undefined ? undefined : checkId(input.orderId, '/orderId', 'orderId');
  return {
    id: checkId(input.id, '/id', 'contract id'),
    customerId: checkId(input.customerId, '/customerId', 'customerId'),
    planId: checkId(input.planId, '/planId', 'planId'),
    // The rules validate the values; the contract keeps exactly the fields they read, plus the serial number.
    product: product as unknown as ContractProduct,
    ...(orderId !== undefined ? { orderId } : {}),
  };
}

/**
 * The transfer request; throws one InputError listing every unknown field and bad value.
 *
 * @example checkTransferRequest({ id: 'tr-1', toCustomerId: 'budi', reason: 'sold the TV' }).toCustomerId // 'budi'
 */
export function checkTransferRequest(request: unknown): TransferRequest {
  const input = asRecord(request, '', 'a warranty transfer');
  const problems = unknownFields(input, TRANSFER_FIELDS, '');
  if (input.reason !== undefined) {
    const bad = textProblem(input.reason, '/reason', 'reason', 500);
    if (bad) problems.push(bad);
  }
  throwIfAny(problems);
  const fromCustomerId = input.fromCustomerId === undefined ? undefined : checkId(input.fromCustomerId, '/fromCustomerId', 'fromCustomerId');
  return {
    id: checkId(input.id, '/id', 'transfer id'),
    toCustomerId: checkId(input.toCustomerId, '/toCustomerId', 'toCustomerId'),
    ...(fromCustomerId !== undefined ? { fromCustomerId } : {}),
    ...(input.reason !== undefined ? { reason: input.reason as string } : {}),
  };
}

/** A claim on a contract: what broke, and who claims. */
export interface ClaimRequest {
  id: string;
  /** `unit` for the product itself, or a part like "screen". */
  component: string;
  /** What is wrong, in the customer's or the technician's words. */
  problem: string;
  /** The customer who claims; when given, a claim by someone who does not hold the contract is not covered. */
  customerId?: string;
}

const CLAIM_FIELDS = ['id', 'component', 'problem', 'customerId'];

/**
 * The claim request; throws one InputError listing every unknown field and bad value.
 *
 * @example checkClaimRequest({ id: 'cl-1', component: 'screen', problem: 'dead pixels' }).component // 'screen'
 */
export function checkClaimRequest(request: unknown): ClaimRequest {
  const input = asRecord(request, '', 'a warranty claim');
  const problems = unknownFields(input, CLAIM_FIELDS, '');
  for (const [field, max] of [['component', 100], ['problem', 2000]] as const) {
    const bad = textProblem(input[field], `/${field}`, field, max);
    if (bad) problems.push(bad);
  }
  throwIfAny(problems);
  const customerId = input.customerId === undefined ? undefined : checkId(input.customerId, '/customerId', 'customerId');
  return {
    id: checkId(input.id, '/id', 'claim id'),
    component: input.component as string,
    problem: input.problem as string,
    ...(customerId !== undefined ? { customerId } : {}),
  };
}
