/**
 * Imports of customers from another program (docs/data.md, "Migrating from another program"): an NDJSON stream, one
 * customer a line, read in bounded memory, every line checked on its own (a bad line is reported with its number and
 * pointer, the others go on), each customer written once.
 *
 * Each customer is one operation, `import:<customerId>`, claimed like every write (write-protocol.ts) with the import
 * and the line as its request: the same import sent again finds its customers done and skips them; another import,
 * or this one with other content for the customer, is refused for that line. The account is new, so its commit is
 * one insert of the whole account (profile, lots, tier hold, with the operation's entries in `unflushed`) instead of
 * the read and compare-and-set of a write on an existing account; the flush is the protocol's. A customer that
 * exists already (enrolled, or known from orders) makes the insert fail: that line is refused and nothing is changed.
 * A crash between the claim and the flush is finished by the import sent again, or by the next write on the account.
 *
 * The import's status is a document of the store (`imports`), written every few thousand lines and at the end, so
 * any instance answers `GET /v1/imports/{id}`.
 */
import { randomBytes } from 'node:crypto';
import { applyActions, decideImport, InputError, utcInstant, type Problem } from '@purna/rules';
import { emptyAccount, type AccountDoc, type OperationDoc, type Unflushed } from '../account/account-doc.js';
import { insertAccountDoc, summarize } from '../account/account-store.js';
import { CustomerImportLineSchema, type CustomerImportLine } from '../contract/answers.js';
import { IMPORT_ERRORS_KEPT, type ImportStatus } from '../contract/imports.js';
import { NotFound } from '../errors.js';
import { withDueAt } from '../moments/moments-due.js';
import type { Store } from '../store/store.js';
import { committedEntries, flush, hashRequest } from '../write-protocol.js';
import { tierSummarizer } from './account-view.js';
import { codeKey } from './customers.js';
import { checkId, checkInput } from './input-check.js';
import type { LedgerContext } from './ledger-context.js';
import type { LoadedProgram } from './programs.js';

/** Customers written at once: enough to keep the store busy, few enough that memory stays flat. */
const IN_FLIGHT = 64;
/** The status is written after this many lines (and at the end). */
const STATUS_EVERY = 5000;
/** A longer line is refused without being parsed (a profile with a thousand lots is far below it). */
const MAX_LINE_BYTES = 1_048_576;

/** Options of {@link importCustomers}. */
export interface ImportOptions {
  /** The import's instant (default now). */
  at?: string;
  /** Makes the import's id: the same key names the same import, which may be sent again to finish it. */
  idempotencyKey?: string;
  /** Called with the status after every line written (the CLI's progress bar). */
  onProgress?: (status: ImportStatus) => void;
}

/** The id of the import an Idempotency-Key names (a new one without a key). */
export function importIdOf(idempotencyKey: string | undefined): string {
  return `imp_${idempotencyKey === undefined ? randomBytes(12).toString('base64url') : hashRequest({ importKey: idempotencyKey }).slice(0, 22)}`;
}

/** One line of the stream: its number (the first is 1) and its text, or why it could not be read. */
interface RawLine {
  readonly line: number;
  readonly text?: string;
  readonly tooLong?: boolean;
}

/** The lines of an NDJSON byte stream, blank ones left out; a line longer than {@link MAX_LINE_BYTES} is not kept. */
async function* ndjsonLines(chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>): AsyncGenerator<RawLine> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  const end = (): RawLine | undefined => {
    line += 1;
    const bytes = Buffer.concat(parts);
    parts = [];
    size = 0;
    if (tooLong) {
      tooLong = false;
      return { line, tooLong: true };
    }
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text.trim() === '' ? undefined : { line, text };
  };
  for await (const chunk of chunks) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = buffer.indexOf(0x0a, start); nl >= 0; nl = buffer.indexOf(0x0a, start)) {
      if (!tooLong) parts.push(buffer.subarray(start, nl));
      const raw = end();
      if (raw) yield raw;
      start = nl + 1;
    }
    const rest = buffer.subarray(start);
    size += rest.length;
    if (size > MAX_LINE_BYTES) tooLong = true;
    if (!tooLong && rest.length > 0) parts.push(Buffer.from(rest));
  }
  if (size > 0 || tooLong) {
    const raw = end();
    if (raw) yield raw;
  }
}

/** A line refused: where in it and why (more than one problem for one line is possible). */
class LineRefused extends Error {
  constructor(readonly problems: ReadonlyArray<Pick<Problem, 'pointer' | 'message'>>) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** The status of an import as it runs; written to the store now and then. */
class ImportRun {
  readonly status: ImportStatus;
  #version: number | undefined;
  #sinceWrite = 0;

  constructor(
    private readonly store: Store,
    private readonly tenantId: string,
    importId: string,
    at: string,
  ) {
    this.status = { importId, status: 'running', processed: 0, imported: 0, failed: 0, errors: [], startedAt: at, updatedAt: at };
  }

  /** One line done: imported (or held already), or refused with its problems. */
  count(line: number, refused?: ReadonlyArray<Pick<Problem, 'pointer' | 'message'>>): void {
    this.status.processed += 1;
    this.#sinceWrite += 1;
    if (!refused) {
      this.status.imported += 1;
      return;
    }
    this.status.failed += 1;
    for (const problem of refused) if (this.status.errors.length < IMPORT_ERRORS_KEPT) this.status.errors.push({ line, pointer: problem.pointer, message: problem.message });
  }

  get due(): boolean {
    return this.#sinceWrite >= STATUS_EVERY;
  }

  /** Writes the status (the latest sending of an import wins: it is the one still reading its file). */
  async save(now: string): Promise<void> {
    this.#sinceWrite = 0;
    this.status.updatedAt = now;
    this.status.errors.sort((a, b) => a.line - b.line);
    const doc: ImportStatus = { ...this.status, errors: [...this.status.errors] };
    for (;;) {
      if (this.#version === undefined) {
        const claim = await this.store.insert<ImportStatus>('imports', this.tenantId, doc.importId, doc);
        if (claim.inserted) {
          this.#version = claim.record.version;
          return;
        }
        this.#version = claim.record.version;
      }
      const saved = await this.store.replace<ImportStatus>('imports', this.tenantId, doc.importId, this.#version, doc);
      if (saved) {
        this.#version = saved.version;
        return;
      }
      this.#version = (await this.store.get<ImportStatus>('imports', this.tenantId, doc.importId))?.version;
    }
  }
}

/**
 * Imports the customers of an NDJSON byte stream into the tenant, and answers the import's final status. A stream
 * that fails before its end leaves the import `failed` (what was written stays written); sending it again with the
 * same Idempotency-Key finishes it.
 *
 * @example
 * const status = await importCustomers(ctx, 'default', createReadStream('members.ndjson'), { idempotencyKey: 'migration-1' });
 */
export async function importCustomers(ctx: LedgerContext, tenantId: string, chunks: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, options: ImportOptions = {}): Promise<ImportStatus> {
  checkId(tenantId, '/tenantId', 'tenantId');
  const at = ctx.at(options);
  const program = await ctx.programs.load(tenantId);
  const run = new ImportRun(ctx.store, tenantId, importIdOf(options.idempotencyKey), at);
  await run.save(at);
  // A slot per customer in flight: the reader waits for a free one, so the stream is read no faster than written.
  let running = 0;
  let failure: Error | undefined;
  let freed: (() => void) | undefined;
  let drained: (() => void) | undefined;
  const one = async (raw: RawLine): Promise<void> => {
    try {
      await importLine(ctx, tenantId, run.status.importId, raw, program, at);
      run.count(raw.line);
    } catch (error) {
      if (error instanceof LineRefused) run.count(raw.line, error.problems);
      else if (error instanceof InputError) run.count(raw.line, error.errors);
      else failure ??= error instanceof Error ? error : new Error(String(error));
    }
    options.onProgress?.(run.status);
  };
  const start = (raw: RawLine): void => {
    running += 1;
    void one(raw).finally(() => {
      running -= 1;
      freed?.();
      if (running === 0) drained?.();
    });
  };
  try {
    for await (const raw of ndjsonLines(chunks)) {
      if (failure !== undefined) throw failure;
      start(raw);
      if (running >= IN_FLIGHT) await new Promise<void>((resolve) => (freed = resolve));
      if (run.due) await run.save(ctx.at({}));
    }
    if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
    if (failure !== undefined) throw failure;
    run.status.status = 'done';
  } catch (error) {
    if (running > 0) await new Promise<void>((resolve) => (drained = resolve));
    run.status.status = 'failed';
    run.status.reason = error instanceof Error ? error.message : String(error);
    await run.save(ctx.at({}));
    throw error;
  }
  await run.save(ctx.at({}));
  return run.status;
}

/** The status of an import (NotFound for an id the tenant has no import under). */
export async function importStatus(ctx: LedgerContext, tenantId: string, importId: string): Promise<ImportStatus> {
  checkId(tenantId, '/tenantId', 'tenantId');
  checkId(importId, '/importId', 'import id');
  const found = await ctx.store.get<ImportStatus>('imports', tenantId, importId);
  if (!found) throw new NotFound('import', importId);
  return found.doc;
}

/** Parses and checks one line; refuses it with every problem found, each with its pointer into the line. */
function readLine(raw: RawLine): CustomerImportLine {
  if (raw.tooLong) throw new LineRefused([{ pointer: '', message: `the line is longer than ${MAX_LINE_BYTES} bytes` }]);
  let value: unknown;
  try {
    value = JSON.parse(raw.text!);
  } catch (error) {
    throw new LineRefused([{ pointer: '', message: `not JSON: ${(error as Error).message}` }]);
  }
  const line = checkInput(CustomerImportLineSchema, value, '', 'the customer');
  checkId(line.id, '/id', 'customer id');
  if (line.enrolledAt !== undefined) utcInstant(line.enrolledAt, '/enrolledAt');
  if (line.referralCode !== undefined && codeKey(line.referralCode) === undefined) {
    throw new LineRefused([{ pointer: '/referralCode', message: `a referral code is 1 to 64 letters and digits (spaces and hyphens are ignored), got ${JSON.stringify(line.referralCode)}` }]);
  }
  return line;
}

/** Imports one line's customer (see the module comment); a customer this import holds already is left as it is. */
async function importLine(ctx: LedgerContext, tenantId: string, importId: string, raw: RawLine, program: LoadedProgram, at: string): Promise<void> {
  const { store } = ctx;
  const line = readLine(raw);
  const { id: customerId, lots, debt, tier, ...profile } = line;
  const actor = `import:${importId}`;
  // Decided before anything is claimed: a line the rules refuse leaves nothing behind.
  const actions = decideImport(program.compiled, emptyAccount(customerId), { ...(lots ? { lots } : {}), ...(debt !== undefined ? { debt } : {}), ...(tier ? { tier } : {}), actor }, { at });
  const opId = `import:${customerId}`;
  const requestHash = hashRequest({ importId, line });
  const claim = await store.insert<OperationDoc>('operations', tenantId, opId, { opId, kind: 'import', customerId, requestHash, status: 'pending' });
  const op = claim.record.doc;
  if (!claim.inserted) {
    if (op.requestHash !== requestHash) throw new LineRefused([{ pointer: '/id', message: `customer ${JSON.stringify(customerId)} was imported already (by another import, or by this one with other content)` }]);
    if (op.status === 'done' && op.refused === true) {
      const message = (op.answer as { message?: unknown } | undefined)?.message;
      throw new LineRefused([{ pointer: '/id', message: typeof message === 'string' ? message : `customer ${JSON.stringify(customerId)} was refused by this import` }]);
    }
    if (op.status === 'done') return;
  }
  if (profile.referralCode !== undefined) {
    const owner = await store.insert<{ customerId: string }>('referralCodes', tenantId, codeKey(profile.referralCode)!, { customerId });
    if (owner.record.doc.customerId !== customerId) throw new LineRefused([{ pointer: '/referralCode', message: `referral code ${JSON.stringify(profile.referralCode)} belongs to another customer` }]);
  }
  const empty = emptyAccount(customerId);
  const applied = applyActions<AccountDoc>(empty, actions, { at, id: opId, compiled: program.compiled });
  const entries = committedEntries(applied, customerId, 1, opId);
  const item: Unflushed = { opId, entries, followUps: [], answer: { customerId, importId } };
  const built: AccountDoc = { ...applied.state, profile: { ...profile, id: customerId, enrolledAt: profile.enrolledAt ?? at }, commits: entries.length > 0 ? 1 : 0, unflushed: [item] };
  const next = await withDueAt(store, tenantId, empty, built, program, at);
  const inserted = await insertAccountDoc(store, tenantId, next, summarize(next, undefined, tierSummarizer(program)));
  if (!inserted.inserted) {
    const mine = inserted.record.doc.unflushed.find((unflushed) => unflushed.opId === opId);
    if (mine) {
      // This import's own customer, committed by an earlier sending that stopped before the flush.
      await flush(ctx.protocol, tenantId, customerId, mine);
      return;
    }
    const refusal = { message: `customer ${JSON.stringify(customerId)} exists already; an import only brings new customers` };
    const seen = await store.get<OperationDoc>('operations', tenantId, opId);
    if (seen && seen.doc.status !== 'done') await store.replace<OperationDoc>('operations', tenantId, opId, seen.version, { ...seen.doc, status: 'done', answer: refusal, refused: true });
    throw new LineRefused([{ pointer: '/id', message: refusal.message }]);
  }
  await flush(ctx.protocol, tenantId, customerId, item, claim.inserted ? claim.record : undefined);
}
