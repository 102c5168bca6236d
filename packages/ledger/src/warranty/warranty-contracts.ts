/**
 * Extended-warranty contracts: registered for a customer's product under a plan of the program in force, read, listed
 * per owner, and transferred to another customer of the tenant.
 *
 * Each registration and each transfer is an operation of the write protocol on an account, so its moment
 * (`warranty.contract.registered`, `warranty.contract.transferred`) is committed with it and a crash can neither lose
 * the moment nor emit it twice (docs/moments.md):
 * - registration, `warranty-contract:<id>` on the owner's account: commits the moment and the unit counted on the
 *   order line's warranty offer; its flush inserts the owner row, then the contract.
 * - transfer, `warranty-transfer:<id>` on the GIVING owner's account: every transfer of a contract is decided on its
 *   current owner's account, whose compare-and-set serializes them and whose unflushed work (an earlier transfer's
 *   contract write) is finished before the next is decided; so the contract write at flush, a `replace` on the
 *   version the decision read, cannot lose a race. A transfer that finds the contract has moved on since it was read
 *   is a Conflict (its id stays free for a retry, decided on the new owner's account).
 *
 * Storage, without multi-document transactions (docs/ledger.md):
 * - `warrantyContracts`, key = contract id: the contract, created once and changed only by a transfer.
 * - `warrantyContractOwners`, key = `customerId SEP since SEP contractId SEP ownerIndex`: one row per ownership,
 *   written before the contract it points to. A row is believed only when the contract agrees (same owner at that
 *   position, same instant), so a crash between the two writes leaves a row that reads ignore, never a contract its
 *   owner cannot list.
 * - `operations`: the operations above claim the contract and transfer ids tenant-wide, like every other natural
 *   id; `key:<Idempotency-Key>` binds a key to one request, as the Ledger does.
 */
import { contractRegisteredActions, contractTransferredActions, InputError, reasonOf, utcInstant, type WarrantyPlanDecision } from '@purna/rules';
import type { AccountDoc, OperationDoc } from '../account/account-doc.js';
import { getAccount, getAccountHead } from '../account/account-store.js';
import { Conflict, IdempotencyMismatch, NotFound, refusalReasons, type RefusalReason } from '../errors.js';
import { tierAt } from '../ledger/account-view.js';
import { checkId, checkInteger } from '../ledger/input-check.js';
import type { LoadedProgram } from '../ledger/programs.js';
import { checkWarrantyEligibility } from '../ledger/rules-port.js';
import { KEY_END, type Store } from '../store/store.js';
import { flush, hashRequest, runOperation, type ProtocolContext } from '../write-protocol.js';
import {
  contractView,
  dayIn,
  hasEnded,
  ownersAt,
  transferAnswer,
  type ContractCancellationDoc,
  type ContractCoverage,
  type ContractOrderRow,
  type ContractOwner,
  type ContractOwnerRow,
  type WarrantyContractDoc,
  type WarrantyContractView,
  type WarrantyTransferAnswer,
} from './warranty-contract-doc.js';
import { contractOrderKey } from './warranty-cancellations.js';
import { listClaims, recordClaim, type ClaimContext, type WarrantyClaimAnswer, type WarrantyClaimPage } from './warranty-claims.js';
import { checkContractRequest, checkTransferRequest, type ContractRequest, type TransferRequest } from './warranty-contract-input.js';
import { WarrantyPlanRefused, WarrantyTransferRefused } from './warranty-errors.js';

/** Where contracts find the program: the Ledger's published versions (`Programs`), or anything that loads them. */
export interface ProgramSource {
  /** The newest published version (or `version`), compiled; NotFound when none is published. */
  load(tenantId: string, version?: number): Promise<LoadedProgram>;
}

/** `at` (default: now) and an `Idempotency-Key` bound to the write. */
export interface ContractWriteOptions {
  at?: string;
  idempotencyKey?: string;
}

/** `at` (default: now), and for lists a page. */
export interface ContractReadOptions {
  at?: string;
}

/** One page of a customer's contracts, the most recently acquired first. */
export interface WarrantyContractPage {
  items: WarrantyContractView[];
  /** Pass as `cursor` for the next page; absent on the last one. */
  nextCursor?: string;
}

const CONTRACTS = 'warrantyContracts';
const OWNERS = 'warrantyContractOwners';
/** Separates the parts of an owner row's key; ids never contain control characters (checkId). */
const SEP = '\u0001';
/** Rows read per round trip while listing. */
const PAGE = 100;

const ownerPrefix = (customerId: string): string => `${customerId}${SEP}`;
const ownerKey = (customerId: string, since: string, contractId: string, ownerIndex: number): string =>
  `${ownerPrefix(customerId)}${since}${SEP}${contractId}${SEP}${ownerIndex}`;

/**
 * Warranty contracts of every tenant on one store.
 *
 * @example
 * const contracts = ledger.warrantyContracts;
 * await contracts.register('shop', { id: 'wc-1', customerId: 'ayu', planId: 'care-2y', product }, { at });
 * await contracts.transfer('shop', 'wc-1', { id: 'tr-1', toCustomerId: 'budi', reason: 'sold the TV' }, { at });
 * (await contracts.get('shop', 'wc-1')).owners // [{ customerId: 'ayu', ... }, { customerId: 'budi', ... }]
 */
export class WarrantyContracts {
  constructor(
    private readonly store: Store,
    private readonly programs: ProgramSource,
    private readonly now: () => string,
    /** The write protocol the Ledger writes with (contracts commit their moments on the owners' accounts). */
    private readonly protocol: ProtocolContext,
  ) {}

  /**
   * Registers a contract after checking the plan again, with the customer's tier at `at`, against the newest
   * published program (the version the eligibility check uses). A plan not offered throws `WarrantyPlanRefused` with
   * every reason. The id is the natural idempotency key: the same request again answers the first answer
   * (`replayed`), other content under the same id is an `IdempotencyMismatch`.
   */
  async register(tenantId: string, request: unknown, options: ContractWriteOptions = {}): Promise<WarrantyContractView & { replayed: boolean }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const input = checkContractRequest(request);
    const at = this.at(options);
    const opId = `warranty-contract:${input.id}`;
    const requestHash = hashRequest({ customerId: input.customerId, planId: input.planId, product: input.product, orderId: input.orderId });
    await claimIdempotencyKey(this.store, tenantId, options.idempotencyKey, opId, requestHash);
    const existing = await this.store.get<WarrantyContractDoc>(CONTRACTS, tenantId, input.id);
    // A replay answers what was decided then, even if the plan is no longer offered now.
    if (existing) return registrationReplay(existing.doc, requestHash, opId);
    const loaded = await this.programs.load(tenantId);
    const account = await getAccount(this.store, tenantId, input.customerId);
    if (!account) throw new NotFound('customer', input.customerId);
    // Decided first outside the operation, so a refusal claims no id (the same id may be sent again with a fix).
    this.decide(loaded, account.doc, input, requestHash, at);
    const doneBefore = await this.done(tenantId, opId);
    const result = await runOperation<WarrantyContractView>(this.protocol, tenantId, {
      opId,
      kind: 'warranty-contract',
      customerId: input.customerId,
      requestHash,
      at,
      createAccount: false,
      program: loaded,
      decide: (current) => {
        const doc = this.decide(loaded, current, input, requestHash, at);
        return {
          commit: {
            actions: contractRegisteredActions({
              contractId: doc.contractId,
              planId: doc.planId,
              planName: doc.planName,
              price: doc.price,
              currency: doc.currency,
              sku: doc.product.sku,
              ...(doc.product.serialNumber !== undefined ? { serialNumber: doc.product.serialNumber } : {}),
              ...(doc.orderId !== undefined ? { orderId: doc.orderId } : {}),
              startsOn: doc.coverage.startsOn,
              endsOn: doc.coverage.endsOn,
            }),
            answer: () => contractView(doc, 1, at),
            // The owner row first: a contract is never stored without the row that lists it.
            documents: [
              { write: 'insert', collection: OWNERS, key: ownerKey(input.customerId, at, input.id, 0), doc: { contractId: input.id, ownerIndex: 0, since: at } satisfies ContractOwnerRow },
              // The order's returns find the contracts sold with it through this row (warranty-cancellations.ts).
              ...(input.orderId !== undefined
                ? [{ write: 'insert' as const, collection: 'warrantyContractOrders' as const, key: contractOrderKey(input.orderId, input.id), doc: { contractId: input.id, sku: input.product.sku } satisfies ContractOrderRow }]
                : []),
              { write: 'insert', collection: CONTRACTS, key: input.id, doc },
            ],
          },
        };
      },
    });
    return { ...result.answer, replayed: doneBefore };
  }

  /** The contract as of `at` (default now); NotFound when it does not exist in this tenant or not yet at `at`. */
  async get(tenantId: string, contractId: string, options: ContractReadOptions = {}): Promise<WarrantyContractView> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(contractId, '/contractId', 'contract id');
    const at = this.at(options);
    const found = (await this.store.get<WarrantyContractDoc>(CONTRACTS, tenantId, contractId)) ?? (await this.finishRegistration(tenantId, contractId));
    if (!found || found.doc.registeredAt > at) throw new NotFound('warranty contract', contractId);
    return contractView(found.doc, ownersAt(found.doc, at), at, await this.cancellation(tenantId, contractId));
  }

  /**
   * Decides a claim on the contract at `at` (default now) and records it in the contract's service history:
   * covered or not, by the manufacturer or the plan, with every reason when not (warranty-claims.ts). NotFound when
   * the contract does not exist in this tenant or not yet at `at`. The claim id is the natural idempotency key.
   */
  async claim(tenantId: string, contractId: string, request: unknown, options: ContractWriteOptions = {}): Promise<WarrantyClaimAnswer & { replayed: boolean }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(contractId, '/contractId', 'contract id');
    const at = this.at(options);
    const found = await this.readContract(tenantId, contractId);
    if (!found || found.doc.registeredAt > at) throw new NotFound('warranty contract', contractId);
    const bindKey = (opId: string, requestHash: string): Promise<void> => claimIdempotencyKey(this.store, tenantId, options.idempotencyKey, opId, requestHash);
    return recordClaim({ ...this.claimContext(), bindKey }, tenantId, found.doc, request, at);
  }

  /** The contract's service history as of `at` (default now): every claim with its decision, oldest first. */
  async claims(tenantId: string, contractId: string, options: ContractReadOptions & { cursor?: string; limit?: number } = {}): Promise<WarrantyClaimPage> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(contractId, '/contractId', 'contract id');
    const at = this.at(options);
    const found = await this.readContract(tenantId, contractId);
    if (!found || found.doc.registeredAt > at) throw new NotFound('warranty contract', contractId);
    return listClaims(this.claimContext(), tenantId, found.doc, { at, ...(options.cursor !== undefined ? { cursor: options.cursor } : {}), ...(options.limit !== undefined ? { limit: options.limit } : {}) });
  }

  private claimContext(): ClaimContext {
    return { store: this.store, programs: this.programs, protocol: this.protocol, bindKey: async () => {} };
  }

  /** The contract, its registration finished first if a crash left it committed but unwritten. */
  private async readContract(tenantId: string, contractId: string): Promise<{ version: number; doc: WarrantyContractDoc } | undefined> {
    return (await this.store.get<WarrantyContractDoc>(CONTRACTS, tenantId, contractId)) ?? (await this.finishRegistration(tenantId, contractId));
  }

  /** The contract's cancellation (its product returned), if any. */
  private async cancellation(tenantId: string, contractId: string): Promise<ContractCancellationDoc | undefined> {
    return (await this.store.get<ContractCancellationDoc>('warrantyCancellations', tenantId, contractId))?.doc;
  }

  /**
   * The contracts a customer owns at `at`, the most recently acquired first, `limit` (1 to 500, default 50) at a
   * time. Contracts transferred away are not listed (their `owners` still name the customer).
   */
  async listForCustomer(tenantId: string, customerId: string, options: ContractReadOptions & { cursor?: string; limit?: number } = {}): Promise<WarrantyContractPage> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(customerId, '/customerId', 'customer id');
    const at = this.at(options);
    const limit = Math.min(Math.max(options.limit === undefined ? 50 : checkInteger(options.limit, '/limit', 'limit'), 1), 500);
    if (!(await getAccountHead(this.store, tenantId, customerId))) throw new NotFound('customer', customerId);
    const prefix = ownerPrefix(customerId);
    if (options.cursor !== undefined && !(options.cursor.startsWith(prefix) && options.cursor < prefix + KEY_END)) {
      throw new InputError([{ pointer: '/cursor', code: 'invalid-cursor', message: 'cursor is not a cursor of this customer\'s contracts; pass the nextCursor of the previous page' }]);
    }
    // Newest first, from the rows acquired at or before `at`: every row key of a later instant sorts above this one.
    let after = options.cursor ?? `${prefix}${at}${SEP}${KEY_END}`;
    const items: WarrantyContractView[] = [];
    for (;;) {
      const rows = await this.store.list<ContractOwnerRow>(OWNERS, tenantId, { prefix, reverse: true, limit: PAGE, after });
      for (const row of rows) {
        const contract = await this.store.get<WarrantyContractDoc>(CONTRACTS, tenantId, row.doc.contractId);
        if (!contract || !ownsAt(contract.doc, row.doc, customerId, at)) continue;
        items.push(contractView(contract.doc, row.doc.ownerIndex + 1, at, await this.cancellation(tenantId, row.doc.contractId)));
        if (items.length >= limit) return { items, nextCursor: row.key };
      }
      const last = rows[rows.length - 1];
      if (rows.length < PAGE || !last) return { items };
      after = last.key;
    }
  }

  /**
   * Transfers the contract to another customer of the tenant, who must exist. Refused with every reason
   * (`WarrantyTransferRefused`) when the plan allows no (more) transfers, the cover has ended, or the customer
   * already owns it. The transfer id is the natural idempotency key. Of transfers decided on the same state of the
   * contract exactly one is stored; the others are a `Conflict` (read the contract again), never a second owner change.
   */
  async transfer(tenantId: string, contractId: string, request: unknown, options: ContractWriteOptions = {}): Promise<WarrantyTransferAnswer & { replayed: boolean }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(contractId, '/contractId', 'contract id');
    const input = checkTransferRequest(request);
    const at = this.at(options);
    const opId = `warranty-transfer:${input.id}`;
    const requestHash = hashRequest({ contractId, toCustomerId: input.toCustomerId, fromCustomerId: input.fromCustomerId, reason: input.reason });
    await claimIdempotencyKey(this.store, tenantId, options.idempotencyKey, opId, requestHash);
    const doneBefore = await this.done(tenantId, opId);
    const current = (await this.store.get<WarrantyContractDoc>(CONTRACTS, tenantId, contractId)) ?? (await this.finishRegistration(tenantId, contractId));
    if (!current) throw new NotFound('warranty contract', contractId);
    const replay = transferReplay(current.doc, input.id, requestHash, opId);
    if (replay) return replay;
    if (!(await getAccountHead(this.store, tenantId, input.toCustomerId))) throw new NotFound('customer', input.toCustomerId);
    const giver = (current.doc.owners[current.doc.owners.length - 1] as ContractOwner).customerId;
    // Checked first outside the operation, so a refusal claims no id.
    const cancellation = await this.cancellation(tenantId, contractId);
    this.decideTransfer(current, input, contractId, requestHash, at, cancellation);
    const result = await runOperation<WarrantyTransferAnswer>(this.protocol, tenantId, {
      opId,
      kind: 'warranty-transfer',
      customerId: giver,
      requestHash,
      at,
      createAccount: false,
      decide: async () => {
        // On the giver's account, after its unflushed work: the contract as no other transfer can move it now.
        const now = await this.store.get<WarrantyContractDoc>(CONTRACTS, tenantId, contractId);
        if (!now) throw new NotFound('warranty contract', contractId);
        // Another transfer was stored since it was read: this one was decided on an owner who is no longer the
        // owner, and must not move the contract a second time.
        if (now.version !== current.version) {
          const raced = transferReplay(now.doc, input.id, requestHash, opId);
          if (raced) return { commit: { actions: [], answer: () => raced } };
          throw new Conflict(`warranty contract "${contractId}" was transferred by another request while transfer "${input.id}" was decided; read it again and retry if the transfer still applies`);
        }
        const { next, ownerIndex } = this.decideTransfer(now, input, contractId, requestHash, at, (await this.cancellation(tenantId, contractId)) ?? cancellation);
        return {
          commit: {
            actions: contractTransferredActions({
              contractId,
              transferId: input.id,
              planId: now.doc.planId,
              sku: now.doc.product.sku,
              ...(now.doc.product.serialNumber !== undefined ? { serialNumber: now.doc.product.serialNumber } : {}),
              fromCustomerId: giver,
              toCustomerId: input.toCustomerId,
              ...(input.reason !== undefined ? { reason: input.reason } : {}),
              endsOn: now.doc.coverage.endsOn,
            }),
            answer: () => transferAnswer(next, ownerIndex),
            documents: [
              { write: 'insert', collection: OWNERS, key: ownerKey(input.toCustomerId, at, contractId, ownerIndex), doc: { contractId, ownerIndex, since: at } satisfies ContractOwnerRow },
              { write: 'replace', collection: CONTRACTS, key: contractId, expectedVersion: now.version, doc: next },
            ],
          },
        };
      },
    });
    return { ...result.answer, replayed: doneBefore };
  }

  /** The contract with its new owner, or the refusal with every reason (or a conflict with the caller's view). */
  private decideTransfer(
    current: { version: number; doc: WarrantyContractDoc },
    input: TransferRequest,
    contractId: string,
    requestHash: string,
    at: string,
    cancellation: ContractCancellationDoc | undefined,
  ): { next: WarrantyContractDoc; ownerIndex: number } {
    const doc = current.doc;
    const owner = doc.owners[doc.owners.length - 1] as ContractOwner;
    if (input.fromCustomerId !== undefined && input.fromCustomerId !== owner.customerId) {
      throw new Conflict(`warranty contract "${contractId}" is owned by customer "${owner.customerId}", not "${input.fromCustomerId}"`);
    }
    if (at < owner.since) {
      throw new InputError([{ pointer: '/at', code: 'transfer-before-ownership', message: `a transfer at ${at} would come before the current ownership, which began at ${owner.since}` }]);
    }
    const reasons = transferRefusals(doc, input.toCustomerId, at, cancellation);
    if (reasons.length > 0) throw new WarrantyTransferRefused(contractId, input.id, reasons);
    const next: ContractOwner = {
      customerId: input.toCustomerId,
      since: at,
      transferId: input.id,
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
      requestHash,
    };
    return { next: { ...doc, owners: [...doc.owners, next] }, ownerIndex: doc.owners.length };
  }

  /** Whether the operation is done already (its answer is then a replay). */
  private async done(tenantId: string, opId: string): Promise<boolean> {
    return (await this.store.get<OperationDoc>('operations', tenantId, opId))?.doc.status === 'done';
  }

  /**
   * The contract a registration committed but a crash kept from being stored: the owner's account finishes the
   * registration's writes (as any later write on it would), and the contract is read again.
   */
  private async finishRegistration(tenantId: string, contractId: string): Promise<{ version: number; doc: WarrantyContractDoc } | undefined> {
    const op = await this.store.get<OperationDoc>('operations', tenantId, `warranty-contract:${contractId}`);
    if (!op) return undefined;
    const account = await getAccount(this.store, tenantId, op.doc.customerId);
    for (const item of account?.doc.unflushed ?? []) await flush(this.protocol, tenantId, op.doc.customerId, item);
    return this.store.get<WarrantyContractDoc>(CONTRACTS, tenantId, contractId);
  }

  private at(options: ContractReadOptions): string {
    return utcInstant(options.at ?? this.now(), '/at');
  }

  /** Checks the plan with the rules and builds the contract, or throws the refusal with every reason. */
  private decide(loaded: LoadedProgram, account: AccountDoc, input: ContractRequest, requestHash: string, at: string): WarrantyContractDoc {
    const tier = tierAt(loaded.compiled, account, at)?.id;
    const { serialNumber: _serial, ...product } = input.product;
    const eligibility = checkWarrantyEligibility(loaded.compiled, { product, ...(tier ? { tier } : {}) }, { at });
    const decision = eligibility.plans.find((plan) => plan.planId === input.planId);
    const plan = loaded.program.warranty?.plans.find((p) => p.id === input.planId);
    if (!decision || !plan) {
      const known = eligibility.plans.map((p) => `"${p.planId}"`).join(', ') || 'none';
      throw new InputError([{ pointer: '/planId', code: 'unknown-plan', message: `plan "${input.planId}" is not a warranty plan of program "${loaded.id}" version ${loaded.version} (plans: ${known})` }]);
    }
    if (!decision.eligible) {
      throw new WarrantyPlanRefused(input.id, input.planId, refusalReasons(decision.reasons));
    }
    return {
      contractId: input.id,
      requestHash,
      planId: plan.id,
      planName: plan.name,
      programId: loaded.id,
      programVersion: loaded.version,
      timezone: loaded.program.timezone,
      currency: loaded.program.currency,
      tier: tier ?? null,
      product: input.product,
      ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
      price: decision.price ?? '0',
      listPrice: decision.listPrice ?? decision.price ?? '0',
      coverage: coverageOf(decision, plan.starts),
      transferPolicy: decision.transfer.maxTransfers !== undefined ? { allowed: decision.transfer.allowed, maxTransfers: decision.transfer.maxTransfers } : { allowed: decision.transfer.allowed },
      registeredAt: at,
      trace: [...decision.trace],
      traceSentences: [...decision.traceSentences],
      owners: [{ customerId: input.customerId, since: at }],
    };
  }
}


/** The cover of an eligible plan, as the rules computed it. */
function coverageOf(decision: WarrantyPlanDecision, starts: ContractCoverage['starts']): ContractCoverage {
  const components = [...(decision.coverageDetail ?? [])];
  const unit = components.find((c) => c.component === 'unit');
  const endsOn = components.reduce((latest, c) => (c.end > latest ? c.end : latest), '');
  return {
    starts,
    startsOn: unit?.planStart ?? unit?.manufacturerEnd ?? '',
    endsOn,
    components,
    excludedComponents: components.filter((c) => c.excluded).map((c) => c.component),
  };
}

/** Every reason the contract cannot go to `toCustomerId` at `at`. */
function transferRefusals(doc: WarrantyContractDoc, toCustomerId: string, at: string, cancellation: ContractCancellationDoc | undefined): RefusalReason[] {
  const reasons: RefusalReason[] = [];
  if (cancellation !== undefined && cancellation.at <= at) {
    reasons.push(reasonOf('warranty-transfer.contract-cancelled', { cancelledOn: cancellation.cancelledOn, returnId: cancellation.returnId }));
  }
  const used = doc.owners.length - 1;
  const owner = doc.owners[used] as ContractOwner;
  const { allowed, maxTransfers } = doc.transferPolicy;
  if (!allowed) reasons.push(reasonOf('warranty-transfer.transfer-not-allowed', { planId: doc.planId }));
  else if (maxTransfers !== undefined && used >= maxTransfers) {
    reasons.push(reasonOf('warranty-transfer.transfer-limit-reached', { planId: doc.planId, maxTransfers, used }));
  }
  if (hasEnded(doc, at)) {
    reasons.push(reasonOf('warranty-transfer.contract-ended', { endsOn: doc.coverage.endsOn, transferDay: dayIn(at, doc.timezone) }));
  }
  if (owner.customerId === toCustomerId) reasons.push(reasonOf('warranty-transfer.same-owner', { customerId: toCustomerId }));
  return reasons;
}

/** Whether the owner row is the customer's ownership of the contract at `at`. */
function ownsAt(doc: WarrantyContractDoc, row: ContractOwnerRow, customerId: string, at: string): boolean {
  const held = doc.owners[row.ownerIndex];
  return held !== undefined && held.customerId === customerId && held.since === row.since && ownersAt(doc, at) === row.ownerIndex + 1;
}

function registrationReplay(doc: WarrantyContractDoc, requestHash: string, opId: string): WarrantyContractView & { replayed: boolean } {
  if (doc.requestHash !== requestHash) throw new IdempotencyMismatch(opId);
  return { ...contractView(doc, 1, doc.registeredAt), replayed: true };
}

function transferReplay(doc: WarrantyContractDoc, transferId: string, requestHash: string, opId: string): (WarrantyTransferAnswer & { replayed: boolean }) | undefined {
  const index = doc.owners.findIndex((o) => o.transferId === transferId);
  if (index < 0) return undefined;
  if (doc.owners[index]?.requestHash !== requestHash) throw new IdempotencyMismatch(opId);
  return { ...transferAnswer(doc, index), replayed: true };
}

/** Binds an `Idempotency-Key` to one operation and request, in the same records as the Ledger's writes. */
async function claimIdempotencyKey(store: Store, tenantId: string, key: string | undefined, opId: string, requestHash: string): Promise<void> {
  if (key === undefined) return;
  checkId(key, '/idempotencyKey', 'Idempotency-Key');
  const claim = await store.insert<{ opId: string; requestHash: string }>('operations', tenantId, `key:${key}`, { opId, requestHash });
  if (claim.record.doc.opId !== opId || claim.record.doc.requestHash !== requestHash) throw new IdempotencyMismatch(`Idempotency-Key ${key}`);
}
