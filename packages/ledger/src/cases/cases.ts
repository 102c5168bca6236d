/**
 * Complaint cases: opened for a customer, changed (in progress, what was done, the callback, the department),
 * resolved, closed, read and listed per customer and by status (docs/after-sales.md "Complaint cases").
 *
 * Every write is an operation of the write protocol on the customer's account, so its moments and timers are
 * committed with it and a crash can neither lose nor double them (docs/moments.md):
 * - opening, `case:<id>`: commits `case.opened` and the callback timer; its flush inserts the customer row, then the
 *   case (a case is never stored without the row that lists it).
 * - a change or a resolution, `case-change:<id>:<request hash>` (the hash covers the content and `at`, so the same
 *   request again is a replay): decided on the account after its unflushed work, so the changes of one case are
 *   serialized by the account's compare-and-set, and the case write at flush (a `replace` on the version the
 *   decision read) cannot lose a race. A resolution commits `case.resolved` and the follow-up timer.
 * The time-based `case.callback-due` and `case.follow-up-due` come from the timers on the account
 * (`AccountState.caseTimers`), through the moments run and its due index (decide-due-moments.ts in the rules).
 *
 * Storage, without multi-document transactions (docs/ledger.md):
 * - `cases`, key = case id: the case with its history.
 * - `caseCustomers`, key = `customerId SEP receivedAt SEP caseId`: one row per case, written first; a row whose case
 *   is missing (a crash between the two writes) is skipped by reads until the case is written.
 */
import {
  caseOpenedActions,
  caseResolvedActions,
  caseTimersActions,
  caseTransitionRefusal,
  InputError,
  utcInstant,
  type AccountAction,
  type AccountState,
  type CaseStatus,
  type CaseTimer,
  CASE_STATUSES,
} from '@purna/rules';
import type { OperationDoc } from '../account/account-doc.js';
import { getAccount, getAccountHead } from '../account/account-store.js';
import { IdempotencyMismatch, NotFound } from '../errors.js';
import { checkId, checkInput, checkInteger } from '../ledger/input-check.js';
import type { LedgerContext } from '../ledger/ledger-context.js';
import type { LoadedProgram } from '../ledger/programs.js';
import { KEY_END } from '../store/store.js';
import { flush, hashRequest, runOperation } from '../write-protocol.js';
import { baseTimer, caseView, type CaseCustomerRow, type CaseDoc, type CaseHistoryDoc } from './case-doc.js';
import { CaseTransitionRefused } from './case-errors.js';
import {
  CaseChangeRequestSchema,
  CaseOpenRequestSchema,
  CaseResolutionRequestSchema,
  type CaseChangeRequest,
  type CasePage,
  type CaseResolutionRequest,
  type CaseView,
} from './case-schemas.js';

/** `at` (default: now) and an `Idempotency-Key` bound to the write. */
export interface CaseWriteOptions {
  at?: string;
  idempotencyKey?: string;
}

/** Which cases to list, and the page. */
export interface CaseListOptions {
  /** Only this customer's cases, the most recently received first (otherwise every case, in id order). */
  customerId?: string;
  status?: CaseStatus;
  cursor?: string;
  /** 1 to 500, default 50. */
  limit?: number;
}

const CASES = 'cases';
const CUSTOMERS = 'caseCustomers';
/** Separates the parts of a customer row's key; ids never contain control characters (checkId). */
const SEP = '\u0001';
/** Documents read per round trip while listing. */
const PAGE = 100;

const customerPrefix = (customerId: string): string => `${customerId}${SEP}`;

/** A case after a change, and the account actions the change commits. */
interface Changed {
  next: CaseDoc;
  actions: AccountAction[];
}

/**
 * Complaint cases of every tenant on one store.
 *
 * @example
 * await ledger.cases.open('shop', { id: 'c-1', customerId: 'ayu', channel: 'phone', receivedAt, receivedBy: 'dewi', department: 'logistics', summary: 'TV delivered late', callbackBy });
 * await ledger.cases.update('shop', 'c-1', { by: 'dewi', status: 'in-progress', action: 'asked the courier' }, { at });
 * await ledger.cases.resolve('shop', 'c-1', { resolvedBy: 'rudi', outcome: 'shipping refunded' }, { at });
 */
export class Cases {
  constructor(private readonly ctx: LedgerContext) {}

  /**
   * Opens a case for an existing customer: `case.opened` (at `receivedAt`) and, with `callbackBy`, the callback
   * timer. The id is the natural idempotency key: the same request again answers the first answer (`replayed`),
   * other content under the same id is an `IdempotencyMismatch`.
   */
  async open(tenantId: string, request: unknown, options: Pick<CaseWriteOptions, 'idempotencyKey'> = {}): Promise<CaseView & { replayed: boolean }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const input = checkInput(CaseOpenRequestSchema, request, '', 'case');
    const receivedAt = utcInstant(input.receivedAt, '/receivedAt');
    const callbackBy = input.callbackBy === undefined ? undefined : utcInstant(input.callbackBy, '/callbackBy');
    if (callbackBy !== undefined && callbackBy < receivedAt) {
      throw new InputError([{ pointer: '/callbackBy', code: 'callback-before-received', message: `callbackBy ${callbackBy} is before the complaint came in (${receivedAt})` }]);
    }
    const opId = `case:${input.id}`;
    const requestHash = hashRequest({ ...input, receivedAt, callbackBy });
    await this.ctx.claimIdempotencyKey(tenantId, options.idempotencyKey, opId, requestHash);
    const { store } = this.ctx;
    const existing = await this.read(tenantId, input.id);
    if (existing) {
      if (existing.doc.requestHash !== requestHash) throw new IdempotencyMismatch(opId);
      return { ...caseView(existing.doc), replayed: true };
    }
    if (!(await getAccountHead(store, tenantId, input.customerId))) throw new NotFound('customer', input.customerId);
    const doneBefore = await this.done(tenantId, opId);
    const doc: CaseDoc = {
      caseId: input.id,
      customerId: input.customerId,
      ...(input.orderId !== undefined ? { orderId: input.orderId } : {}),
      ...(input.sku !== undefined ? { sku: input.sku } : {}),
      channel: input.channel,
      receivedAt,
      receivedBy: input.receivedBy,
      department: input.department,
      summary: input.summary,
      ...(input.details !== undefined ? { details: input.details } : {}),
      status: 'open',
      ...(callbackBy !== undefined ? { callback: { by: callbackBy, done: false } } : {}),
      actions: [],
      history: [{ at: receivedAt, by: input.receivedBy, change: 'opened', status: 'open', fields: Object.entries(input).filter(([k, v]) => v !== undefined && k !== 'id' && k !== 'customerId').map(([k]) => k).sort(), opId, requestHash }],
      requestHash,
    };
    const result = await runOperation<CaseView>(this.ctx.protocol, tenantId, {
      opId,
      kind: 'case-open',
      customerId: input.customerId,
      requestHash,
      at: receivedAt,
      createAccount: false,
      decide: () => ({
        commit: {
          actions: caseOpenedActions({
            caseId: doc.caseId,
            channel: doc.channel,
            receivedAt,
            receivedBy: doc.receivedBy,
            department: doc.department,
            summary: doc.summary,
            ...(doc.orderId !== undefined ? { orderId: doc.orderId } : {}),
            ...(doc.sku !== undefined ? { sku: doc.sku } : {}),
            ...(callbackBy !== undefined ? { callbackBy } : {}),
          }),
          answer: () => caseView(doc),
          documents: [
            { write: 'insert', collection: CUSTOMERS, key: `${customerPrefix(doc.customerId)}${receivedAt}${SEP}${doc.caseId}`, doc: { caseId: doc.caseId } satisfies CaseCustomerRow },
            { write: 'insert', collection: CASES, key: doc.caseId, doc },
          ],
        },
      }),
    });
    return { ...result.answer, replayed: doneBefore };
  }

  /**
   * Changes a case: `status` `in-progress` (from open, or reopening a resolved case) or `closed` (a resolved case,
   * with `signedOffBy`), `department`, `assignedTo`, an `action` (what was done), a callback promised
   * (`callbackBy`) or made (`callbackDone`). Each change is kept in the history with who (`by`) and when (`at`).
   * A change the status flow does not allow is a `CaseTransitionRefused`; a change that changes nothing answers the
   * case as it is. The same request with the same `at` again is a replay.
   */
  async update(tenantId: string, caseId: string, request: unknown, options: CaseWriteOptions = {}): Promise<CaseView & { replayed: boolean }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(caseId, '/caseId', 'case id');
    const input = checkInput(CaseChangeRequestSchema, request, '', 'case change');
    const callbackBy = input.callbackBy === undefined ? undefined : utcInstant(input.callbackBy, '/callbackBy');
    if (callbackBy !== undefined && input.callbackDone !== undefined) {
      throw new InputError([{ pointer: '/callbackDone', code: 'invalid-input', message: 'a change either promises a callback (callbackBy) or marks the promised one done (callbackDone), not both' }]);
    }
    if (input.signedOffBy !== undefined && input.status !== 'closed') {
      throw new InputError([{ pointer: '/signedOffBy', code: 'invalid-input', message: 'signedOffBy signs a case off when it is closed: send it with status "closed" (a resolution has its own signedOffBy)' }]);
    }
    const at = this.ctx.at(options);
    const requestHash = hashRequest({ change: 'update', caseId, ...input, callbackBy, at });
    return this.change(tenantId, caseId, 'case-update', requestHash, at, options.idempotencyKey, undefined, (doc, timer, opId) => updated(doc, timer, input, callbackBy, at, opId, requestHash));
  }

  /**
   * Resolves an open or in-progress case: `case.resolved` and the follow-up timer (`case.follow-up-due`
   * `moments.caseFollowUp.daysAfterResolution` days later, 14 by default, same local time in the program's zone).
   * Needs a published program (its zone and follow-up days). The same request with the same `at` again is a replay.
   */
  async resolve(tenantId: string, caseId: string, request: unknown, options: CaseWriteOptions = {}): Promise<CaseView & { replayed: boolean }> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(caseId, '/caseId', 'case id');
    const input = checkInput(CaseResolutionRequestSchema, request, '', 'case resolution');
    const at = this.ctx.at(options);
    const requestHash = hashRequest({ change: 'resolution', caseId, ...input, at });
    const loaded = await this.ctx.programs.load(tenantId);
    return this.change(tenantId, caseId, 'case-resolution', requestHash, at, options.idempotencyKey, loaded, (doc, timer, opId) => {
      const base = changeBase(doc, 'resolved', at, true);
      const { actions, followUpAt } = caseResolvedActions(loaded.compiled, timer, { resolvedAt: at, resolvedBy: input.resolvedBy, outcome: input.outcome, ...(input.signedOffBy !== undefined ? { signedOffBy: input.signedOffBy } : {}) });
      const next: CaseDoc = {
        ...base,
        status: 'resolved',
        resolution: { at, resolvedBy: input.resolvedBy, outcome: input.outcome, ...(input.signedOffBy !== undefined ? { signedOffBy: input.signedOffBy } : {}), followUpAt },
        history: [...doc.history, historyEntry(at, input.resolvedBy, 'resolved', 'resolved', doc.status, resolutionFields(input), opId, requestHash)],
      };
      return { next, actions };
    });
  }

  /** The case; NotFound when it does not exist in this tenant. */
  async get(tenantId: string, caseId: string): Promise<CaseView> {
    checkId(tenantId, '/tenantId', 'tenantId');
    checkId(caseId, '/caseId', 'case id');
    const found = await this.read(tenantId, caseId);
    if (!found) throw new NotFound('case', caseId);
    return caseView(found.doc);
  }

  /**
   * Cases, `limit` (1 to 500, default 50) at a time: a customer's (NotFound when there is no such customer), the
   * most recently received first, or the tenant's in case id order; only those of `status` when given.
   */
  async list(tenantId: string, options: CaseListOptions = {}): Promise<CasePage> {
    checkId(tenantId, '/tenantId', 'tenantId');
    const limit = Math.min(Math.max(options.limit === undefined ? 50 : checkInteger(options.limit, '/limit', 'limit'), 1), 500);
    if (options.status !== undefined && !(CASE_STATUSES as readonly string[]).includes(options.status)) {
      throw new InputError([{ pointer: '/status', code: 'invalid-input', message: `status must be one of ${CASE_STATUSES.join(', ')}, got ${JSON.stringify(options.status)}` }]);
    }
    const wanted = (doc: CaseDoc): boolean => options.status === undefined || doc.status === options.status;
    const { store } = this.ctx;
    if (options.customerId === undefined) {
      if (options.cursor !== undefined) checkId(options.cursor, '/cursor', 'cursor');
      let after = options.cursor;
      const items: CaseView[] = [];
      for (;;) {
        const docs = await store.list<CaseDoc>(CASES, tenantId, { limit: PAGE, ...(after !== undefined ? { after } : {}) });
        for (const record of docs) {
          if (!wanted(record.doc)) continue;
          items.push(caseView(record.doc));
          if (items.length >= limit) return { items, nextCursor: record.key };
        }
        const last = docs[docs.length - 1];
        if (docs.length < PAGE || !last) return { items };
        after = last.key;
      }
    }
    const customerId = checkId(options.customerId, '/customerId', 'customer id');
    if (!(await getAccountHead(store, tenantId, customerId))) throw new NotFound('customer', customerId);
    const prefix = customerPrefix(customerId);
    if (options.cursor !== undefined && !(options.cursor.startsWith(prefix) && options.cursor < prefix + KEY_END)) {
      throw new InputError([{ pointer: '/cursor', code: 'invalid-cursor', message: "cursor is not a cursor of this customer's cases; pass the nextCursor of the previous page" }]);
    }
    let after = options.cursor;
    const items: CaseView[] = [];
    for (;;) {
      const rows = await store.list<CaseCustomerRow>(CUSTOMERS, tenantId, { prefix, reverse: true, limit: PAGE, ...(after !== undefined ? { after } : {}) });
      for (const row of rows) {
        const found = await store.get<CaseDoc>(CASES, tenantId, row.doc.caseId);
        if (!found || found.doc.customerId !== customerId || !wanted(found.doc)) continue;
        items.push(caseView(found.doc));
        if (items.length >= limit) return { items, nextCursor: row.key };
      }
      const last = rows[rows.length - 1];
      if (rows.length < PAGE || !last) return { items };
      after = last.key;
    }
  }

  /**
   * One change of a case, through the protocol on its customer's account. `decide` is checked first on the case as
   * read (so a refused change claims no id), then again on the account, on the case as it is then.
   */
  private async change(
    tenantId: string,
    caseId: string,
    kind: string,
    requestHash: string,
    at: string,
    idempotencyKey: string | undefined,
    /** The program the decision uses (a resolution's follow-up days), for the protocol's retention and due index. */
    program: LoadedProgram | undefined,
    decide: (doc: CaseDoc, timer: CaseTimer, opId: string) => Changed | undefined,
  ): Promise<CaseView & { replayed: boolean }> {
    const { store } = this.ctx;
    const opId = `case-change:${caseId}:${requestHash}`;
    await this.ctx.claimIdempotencyKey(tenantId, idempotencyKey, opId, requestHash);
    const found = await this.read(tenantId, caseId);
    if (!found) throw new NotFound('case', caseId);
    const customerId = found.doc.customerId;
    const seen = await store.get<OperationDoc>('operations', tenantId, opId);
    const doneBefore = seen?.doc.status === 'done';
    if (!seen) {
      // Refused, or nothing to change: answered before anything is claimed.
      if (decide(found.doc, baseTimer(found.doc), opId) === undefined) return { ...caseView(found.doc), replayed: false };
    }
    const result = await runOperation<CaseView>(this.ctx.protocol, tenantId, {
      opId,
      kind,
      customerId,
      requestHash,
      at,
      createAccount: false,
      ...(program ? { program } : {}),
      decide: async (account) => {
        // After the account's unflushed work: the case as no other change can move it now.
        const now = await store.get<CaseDoc>(CASES, tenantId, caseId);
        if (!now) throw new NotFound('case', caseId);
        const changed = decide(now.doc, timerOf(account, now.doc), opId);
        if (!changed) return { commit: { actions: [], answer: () => caseView(now.doc) } };
        return {
          commit: {
            actions: changed.actions,
            answer: () => caseView(changed.next),
            documents: [{ write: 'replace', collection: CASES, key: caseId, expectedVersion: now.version, doc: changed.next }],
          },
        };
      },
    });
    return { ...result.answer, replayed: doneBefore };
  }

  /** The case, finishing its opening first when a crash left it committed but not stored. */
  private async read(tenantId: string, caseId: string): Promise<{ version: number; doc: CaseDoc } | undefined> {
    const { store } = this.ctx;
    const found = await store.get<CaseDoc>(CASES, tenantId, caseId);
    if (found) return found;
    const op = await store.get<OperationDoc>('operations', tenantId, `case:${caseId}`);
    if (!op) return undefined;
    const account = await getAccount(store, tenantId, op.doc.customerId);
    for (const item of account?.doc.unflushed ?? []) await flush(this.ctx.protocol, tenantId, op.doc.customerId, item);
    return store.get<CaseDoc>(CASES, tenantId, caseId);
  }

  private async done(tenantId: string, opId: string): Promise<boolean> {
    return (await this.ctx.store.get<OperationDoc>('operations', tenantId, opId))?.doc.status === 'done';
  }
}

/** The case's timers as its account keeps them (a timer that fired is no longer there). */
function timerOf(account: AccountState, doc: CaseDoc): CaseTimer {
  return account.caseTimers?.find((t) => t.caseId === doc.caseId) ?? baseTimer(doc);
}

/**
 * Checks a change to status `to` at `at`: the flow allows it (a resolution needs a case not resolved yet; another
 * change may keep the status), and it does not come before the case's last change.
 */
function changeBase(doc: CaseDoc, to: CaseStatus, at: string, resolving = false): CaseDoc {
  // Keeping the status is no transition, except for a resolution (resolving twice) and on a closed case.
  const transition = doc.status !== to || resolving || to === 'closed';
  const refusal = transition ? caseTransitionRefusal(doc.caseId, doc.status, to) : undefined;
  if (refusal !== undefined) throw new CaseTransitionRefused(doc.caseId, doc.status, to, refusal);
  const last = doc.history[doc.history.length - 1];
  if (last && at < last.at) {
    throw new InputError([{ pointer: '/at', code: 'change-before-last', message: `a change at ${at} would come before the case's last change, at ${last.at}` }]);
  }
  return doc;
}

function historyEntry(at: string, by: string, change: CaseHistoryDoc['change'], status: CaseStatus, previous: CaseStatus, fields: string[], opId: string, requestHash: string): CaseHistoryDoc {
  return { at, by, change, status, ...(previous !== status ? { previousStatus: previous } : {}), fields, opId, requestHash };
}

function resolutionFields(input: CaseResolutionRequest): string[] {
  return Object.keys(input).sort();
}

/**
 * A case after a change request (undefined when it changes nothing), with the timer actions it needs: a callback
 * promised or made, a department (which the due moments name), a reopening (no follow-up on a case in progress),
 * a closing (nothing more falls due).
 */
function updated(doc: CaseDoc, timer: CaseTimer, input: CaseChangeRequest, callbackBy: string | undefined, at: string, opId: string, requestHash: string): Changed | undefined {
  const to = input.status ?? doc.status;
  changeBase(doc, to, at);
  const fields: string[] = [];
  let next: CaseDoc = { ...doc };
  let nextTimer: CaseTimer = { ...timer };
  if (to !== doc.status) {
    fields.push('status');
    next.status = to;
    if (to === 'in-progress' && doc.status === 'resolved') {
      // Reopened: the follow-up of the resolution no longer applies.
      const { followUp: _followUp, ...rest } = nextTimer;
      nextTimer = rest;
    }
    if (to === 'closed') next.closed = { at, by: input.by, ...(input.signedOffBy !== undefined ? { signedOffBy: input.signedOffBy } : {}) };
  }
  if (input.department !== undefined && input.department !== doc.department) {
    fields.push('department');
    next.department = input.department;
    nextTimer.department = input.department;
  }
  if (input.assignedTo !== undefined && input.assignedTo !== doc.assignedTo) {
    fields.push('assignedTo');
    next.assignedTo = input.assignedTo;
  }
  if (input.action !== undefined) {
    fields.push('action');
    next.actions = [...doc.actions, { at, by: input.by, action: input.action }];
  }
  if (callbackBy !== undefined && (doc.callback?.by !== callbackBy || doc.callback.done)) {
    fields.push('callbackBy');
    next.callback = { by: callbackBy, done: false };
    nextTimer.callbackBy = callbackBy;
  }
  if (input.callbackDone === true) {
    if (!doc.callback) {
      throw new InputError([{ pointer: '/callbackDone', code: 'no-callback-promised', message: `case "${doc.caseId}" has no callback promised to mark done; promise one with callbackBy` }]);
    }
    if (!doc.callback.done) {
      fields.push('callbackDone');
      next.callback = { ...doc.callback, done: true, doneAt: at, doneBy: input.by };
      const { callbackBy: _done, ...rest } = nextTimer;
      nextTimer = rest;
    }
  }
  if (fields.length === 0) return undefined;
  next = { ...next, history: [...doc.history, historyEntry(at, input.by, 'updated', next.status, doc.status, fields, opId, requestHash)] };
  const actions = next.status === 'closed' ? caseTimersActions({ caseId: doc.caseId, closed: true }) : caseTimersActions(nextTimer);
  return { next, actions };
}
