/**
 * What every room of the ledger shares: the store, the program versions, the write protocol and the clock, and the
 * reads they all need (an account, every account of a tenant, an order whose operation a crash left unflushed).
 */
import { utcInstant } from '@purna/rules';
import type { AccountDoc, OperationDoc, OrderDoc } from '../account/account-doc.js';
import { getAccount, listAccounts } from '../account/account-store.js';
import type { Entry } from '../account/entry.js';
import { IdempotencyMismatch, NotFound } from '../errors.js';
import type { ListQuery, Store } from '../store/store.js';
import { entryPrefix, flush, hashRequest, RecentlyDone, runOperation, type Decision, type OperationResult, type ProtocolContext } from '../write-protocol.js';
import { checkId } from './input-check.js';
import { pages } from './paging.js';
import { followUpRunner } from './follow-ups.js';
import { cacheBound, Programs, type CacheBound, type LoadedProgram } from './programs.js';

/** `at` (default: now) and, for writes, an `Idempotency-Key`. */
export interface WriteOptions {
  at?: string;
  idempotencyKey?: string;
}

/** `at` (default: now). */
export interface ReadOptions {
  at?: string;
}

/** One write on a customer's account, as `LedgerContext.write` runs it. */
export interface WriteSpec<A extends object, R extends object> {
  /** The operation's natural id (`operationId.order(...)`...). */
  opId: string;
  kind: string;
  customerId: string;
  /** What the request's hash is made of: the same id with other content is an IdempotencyMismatch. */
  request: unknown;
  /** Create the account when there is none (orders and events may come first); otherwise it must exist. */
  createAccount: boolean;
  /** The decision on the account as it is at `at`, with the program in force. */
  decide: (account: AccountDoc, program: LoadedProgram, at: string) => Decision<A, R> | Promise<Decision<A, R>>;
}

/** Operations remembered as done per process (write-protocol.ts, RecentlyDone): about 1 MB of keys. */
const RECENTLY_DONE = 10_000;

/** The ledger's shared parts. */
export class LedgerContext {
  readonly programs: Programs;
  readonly protocol: ProtocolContext;
  /** Wall-clock milliseconds (the moments feed's stamps and horizon), never the business `now`. */
  readonly wallClock: () => number;

  constructor(
    readonly store: Store,
    readonly now: () => string,
    maxAttempts: number | undefined,
    /** The wall clock (the moments feed's stamps and horizon, never the business `now`) and how long a program head read is reused (programs.ts). */
    bound: Required<CacheBound> = cacheBound(),
  ) {
    const { wallClock } = bound;
    this.wallClock = wallClock;
    this.programs = new Programs(store, bound);
    const protocol: ProtocolContext = {
      store,
      runFollowUp: followUpRunner(() => protocol),
      wallClock,
      flushed: new RecentlyDone(RECENTLY_DONE),
      programFor: (tenantId) => this.programInForce(tenantId),
      ...(maxAttempts ? { maxAttempts } : {}),
    };
    this.protocol = protocol;
  }

  /** The newest published program of the tenant, or undefined when none is published yet. */
  async programInForce(tenantId: string): Promise<LoadedProgram | undefined> {
    try {
      return await this.programs.load(tenantId);
    } catch (error) {
      if (error instanceof NotFound) return undefined;
      throw error;
    }
  }

  /** The instant of a request: its `at`, or now, in UTC. */
  at(options: ReadOptions): string {
    return utcInstant(options.at ?? this.now(), '/at');
  }

  /**
   * A write the way every write of a customer's points goes: the instant, the `Idempotency-Key` bound to this
   * operation and request, the program in force, the account (when it must exist), then the write protocol.
   */
  async write<A extends object, R extends object = never>(tenantId: string, options: WriteOptions, spec: WriteSpec<A, R>): Promise<OperationResult<A, R> & { at: string; program: LoadedProgram }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const at = this.at(options);
    const requestHash = hashRequest(spec.request);
    await this.claimIdempotencyKey(tenantId, options.idempotencyKey, spec.opId, requestHash);
    const program = await this.programs.load(tenantId);
    if (!spec.createAccount) await this.account(tenantId, spec.customerId);
    const result = await runOperation<A, R>(this.protocol, tenantId, {
      opId: spec.opId,
      kind: spec.kind,
      customerId: spec.customerId,
      requestHash,
      at,
      createAccount: spec.createAccount,
      program,
      decide: (account) => spec.decide(account, program, at),
    });
    return { ...result, at, program };
  }

  /** A customer's whole account; NotFound when there is none. */
  async account(tenantId: string, customerId: string): Promise<AccountDoc> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(customerId, '/customerId', 'customer id');
    const found = await getAccount(this.store, tenantId, customerId);
    if (!found) throw new NotFound('customer', customerId);
    return found.doc;
  }

  /**
   * Every account of a tenant, in key order, letting the event loop turn before each page: LMDB reads are
   * synchronous, so a walk over a large tenant (a sweep, the moments run under a new program) would otherwise hold
   * the process it runs in (the API server, whose scheduler runs the moments job) from the first account to the last.
   * Erased accounts (erasure.ts) are passed by unless `erased` is true (reconcile counts them: their points stay).
   */
  async *accounts(tenantId: string, options: { erased?: boolean } = {}): AsyncGenerator<AccountDoc> {
    const page = async (query: Pick<ListQuery, 'after' | 'limit'>) => {
      await new Promise<void>((resolve) => setImmediate(resolve));
      return listAccounts(this.store, tenantId, query);
    };
    for await (const record of pages(page)) if (options.erased === true || record.doc.erasedAt === undefined) yield record.doc;
  }

  /** A customer's stored entries in ledger order (entries committed but not yet flushed are in its `unflushed`). */
  async *storedEntries(tenantId: string, customerId: string): AsyncGenerator<Entry> {
    for await (const record of pages((query) => this.store.list<Entry>('entries', tenantId, { prefix: entryPrefix(customerId), ...query }), 500)) yield record.doc;
  }

  /** The order document; completes the order's operation first when a crash left it committed but unflushed. */
  async findOrder(tenantId: string, orderId: string): Promise<{ version: number; doc: OrderDoc }> {
    const found = await this.store.get<OrderDoc>('orders', tenantId, orderId);
    if (found) return found;
    const op = await this.store.get<OperationDoc>('operations', tenantId, `order:${orderId}`);
    if (op) {
      const account = await getAccount(this.store, tenantId, op.doc.customerId);
      for (const item of account?.doc.unflushed ?? []) await flush(this.protocol, tenantId, op.doc.customerId, item);
      const again = await this.store.get<OrderDoc>('orders', tenantId, orderId);
      if (again) return again;
    }
    throw new NotFound('order', orderId);
  }

  /** Binds an `Idempotency-Key` to one operation and request; a key reused for anything else is a mismatch. */
  async claimIdempotencyKey(tenantId: string, key: string | undefined, opId: string, requestHash: string): Promise<void> {
    if (key === undefined) return;
    checkId(key, '/idempotencyKey', 'Idempotency-Key');
    const claim = await this.store.insert<{ opId: string; requestHash: string }>('operations', tenantId, `key:${key}`, { opId, requestHash });
    if (claim.record.doc.opId !== opId || claim.record.doc.requestHash !== requestHash) throw new IdempotencyMismatch(`Idempotency-Key ${key}`);
  }
}
