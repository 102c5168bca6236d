/**
 * Claims on warranty contracts: a component broke on a day; is it covered, by the manufacturer or the plan? The
 * rules decide (`decideWarrantyClaim`, with the program version the contract was sold under, its product and the tier
 * that priced it, so a claim reads the very cover the contract shows); the contract's state on the claim day says
 * whether it was cancelled (its product returned) and who held it.
 *
 * A claim is an operation of the write protocol (`warranty-claim:<id>`) on the account of the contract's owner on the
 * claim day: the claim id is the natural idempotency key tenant-wide (the same claim again answers the first answer,
 * `replayed`; other content under the same id is an `IdempotencyMismatch`), and its record is written at flush into
 * `warrantyClaims`, key `contractId SEP at SEP claimId`, so a contract's service history is one ordered prefix scan.
 * A crash between the commit and the flush is finished by the retry, or by the next read of the history, which first
 * finishes what the owners' accounts left unflushed.
 */
import { decideWarrantyClaim, InputError, type Sentence, type WarrantyClaimant, type WarrantyClaimComponentCover, type WarrantyClaimCover } from '@purna/rules';
import type { OperationDoc } from '../account/account-doc.js';
import { getAccount } from '../account/account-store.js';
import { IdempotencyMismatch, refusalReasons, type RefusalReason } from '../errors.js';
import { checkInteger } from '../ledger/input-check.js';
import { KEY_END, type Store } from '../store/store.js';
import { flush, hashRequest, runOperation, type ProtocolContext } from '../write-protocol.js';
import type { ProgramSource } from './warranty-contracts.js';
import { ownersAt, type ContractCancellationDoc, type ContractOwner, type WarrantyContractDoc } from './warranty-contract-doc.js';
import { checkClaimRequest } from './warranty-contract-input.js';

/** A claim and its decision: the answer of `claim`, and an item of the service history. */
export interface WarrantyClaimAnswer {
  claimId: string;
  contractId: string;
  /** When the claim was made (UTC ISO), and its calendar day in the program's zone. */
  at: string;
  claimedOn: string;
  component: string;
  problem: string;
  /** The claimant, when the request named one. */
  customerId?: string;
  covered: boolean;
  coveredBy: WarrantyClaimCover | null;
  /** The last day of the cover that answers; null when not covered. */
  coveredUntil: string | null;
  /** Every reason it is not covered (empty when covered). */
  reasons: RefusalReason[];
  /** The component's cover on the contract. */
  cover: WarrantyClaimComponentCover;
  trace: string[];
  /** `trace` as data, to write it in another language (absent on documents stored before it was kept). */
  traceSentences?: Sentence[];
}

/** A claim as stored in `warrantyClaims`. */
interface WarrantyClaimDoc extends WarrantyClaimAnswer {
  requestHash: string;
}

/** One page of a contract's claims, oldest first. */
export interface WarrantyClaimPage {
  items: WarrantyClaimAnswer[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

/** What claims need from the contracts. */
export interface ClaimContext {
  store: Store;
  programs: ProgramSource;
  protocol: ProtocolContext;
  /** Binds the request's `Idempotency-Key` (if any) to the claim operation, as every write does. */
  bindKey: (opId: string, requestHash: string) => Promise<void>;
}

const CLAIMS = 'warrantyClaims';
const SEP = '\u0001';
const PAGE = 100;
const claimPrefix = (contractId: string): string => `${contractId}${SEP}`;

function claimantOf(doc: WarrantyContractDoc, owners: number, customerId: string | undefined): WarrantyClaimant | undefined {
  if (customerId === undefined) return undefined;
  const held = doc.owners.slice(0, owners);
  if ((held[held.length - 1] as ContractOwner).customerId === customerId) return 'owner';
  return held.some((o) => o.customerId === customerId) ? 'former-owner' : 'not-owner';
}

/**
 * Decides and records a claim on `contract` (as it stood at `at`, a contract registered by then).
 *
 * @example await recordClaim(ctx, 'shop', contract, { id: 'cl-1', component: 'screen', problem: 'dead pixels' }, at)
 */
export async function recordClaim(
  ctx: ClaimContext,
  tenantId: string,
  contract: WarrantyContractDoc,
  request: unknown,
  at: string,
): Promise<WarrantyClaimAnswer & { replayed: boolean }> {
  const input = checkClaimRequest(request);
  const opId = `warranty-claim:${input.id}`;
  const requestHash = hashRequest({ contractId: contract.contractId, component: input.component, problem: input.problem, customerId: input.customerId });
  await ctx.bindKey(opId, requestHash);
  // A claim answered before answers the same, whatever happened to the contract since.
  const prior = await ctx.store.get<OperationDoc>('operations', tenantId, opId);
  if (prior?.doc.status === 'done') {
    if (prior.doc.requestHash !== requestHash || prior.doc.kind !== 'warranty-claim') throw new IdempotencyMismatch(opId);
    return { ...(prior.doc.answer as WarrantyClaimAnswer), replayed: true };
  }
  const cancellation = await ctx.store.get<ContractCancellationDoc>('warrantyCancellations', tenantId, contract.contractId);
  const owners = ownersAt(contract, at);
  const claimant = claimantOf(contract, owners, input.customerId);
  const loaded = await ctx.programs.load(tenantId, contract.programVersion);
  const { serialNumber: _serial, ...product } = contract.product;
  const decision = decideWarrantyClaim(
    loaded.compiled,
    {
      planId: contract.planId,
      product,
      ...(contract.tier !== null ? { tier: contract.tier } : {}),
      component: input.component,
      ...(cancellation ? { cancelledAt: cancellation.doc.at } : {}),
      ...(claimant ? { claimant } : {}),
    },
    { at },
  );
  const answer: WarrantyClaimAnswer = {
    claimId: input.id,
    contractId: contract.contractId,
    at,
    claimedOn: decision.claimedOn,
    component: input.component,
    problem: input.problem,
    ...(input.customerId !== undefined ? { customerId: input.customerId } : {}),
    covered: decision.covered,
    coveredBy: decision.coveredBy,
    coveredUntil: decision.coveredUntil,
    reasons: refusalReasons(decision.reasons),
    cover: decision.cover,
    trace: [...decision.trace],
    traceSentences: [...decision.traceSentences],
  };
  const doc: WarrantyClaimDoc = { ...answer, requestHash };
  const result = await runOperation<WarrantyClaimAnswer>(ctx.protocol, tenantId, {
    opId,
    kind: 'warranty-claim',
    customerId: (contract.owners[owners - 1] as ContractOwner).customerId,
    requestHash,
    at,
    createAccount: false,
    decide: () => ({
      commit: {
        actions: [],
        answer: () => answer,
        documents: [{ write: 'insert', collection: CLAIMS, key: `${claimPrefix(contract.contractId)}${at}${SEP}${input.id}`, doc }],
      },
    }),
  });
  return { ...result.answer, replayed: result.replayed };
}

/**
 * The service history of a contract: every claim made at or before `at`, oldest first, `limit` (1 to 500, default 50)
 * at a time, each with its decision.
 *
 * @example (await listClaims(ctx, 'shop', contract, { at })).items.map((c) => [c.component, c.covered])
 */
export async function listClaims(
  ctx: ClaimContext,
  tenantId: string,
  contract: WarrantyContractDoc,
  options: { at: string; cursor?: string; limit?: number },
): Promise<WarrantyClaimPage> {
  const limit = Math.min(Math.max(options.limit === undefined ? 50 : checkInteger(options.limit, '/limit', 'limit'), 1), 500);
  const prefix = claimPrefix(contract.contractId);
  if (options.cursor !== undefined && !(options.cursor.startsWith(prefix) && options.cursor < prefix + KEY_END)) {
    throw new InputError([{ pointer: '/cursor', code: 'invalid-cursor', message: "cursor is not a cursor of this contract's claims; pass the nextCursor of the previous page" }]);
  }
  // Claims committed but not yet written (a crash between the two) are finished first, so the history misses none.
  for (const customerId of new Set(contract.owners.map((o) => o.customerId))) {
    const account = await getAccount(ctx.store, tenantId, customerId);
    for (const item of account?.doc.unflushed ?? []) await flush(ctx.protocol, tenantId, customerId, item);
  }
  const items: WarrantyClaimAnswer[] = [];
  let after = options.cursor;
  for (;;) {
    const rows = await ctx.store.list<WarrantyClaimDoc>(CLAIMS, tenantId, { prefix, limit: PAGE, ...(after !== undefined ? { after } : {}) });
    for (const row of rows) {
      if (row.doc.at > options.at) return { items };
      const { requestHash: _hash, ...claim } = row.doc;
      items.push(claim);
      if (items.length >= limit) return { items, nextCursor: row.key };
    }
    const last = rows[rows.length - 1];
    if (rows.length < PAGE || !last) return { items };
    after = last.key;
  }
}
