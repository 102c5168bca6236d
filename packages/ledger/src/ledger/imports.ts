/**
 * Imports of customers from another program (docs/data.md, "Migrating from another program"): an NDJSON stream, one
 * customer a line, read in bounded memory, every line checked on its own (a bad line is reported with its number and
 * pointer, the others go on), each customer written once.
 *
 * Each customer is one operation, `import:<customerId>`, claimed like every write (write-protocol.ts) with the import
 * and the line as its request: the same import sent again finds its customers done and skips them; another import,
 * or this one with other content for the customer, is refused for that line. The account is new, so its commit is
 * one insert of the whole account (profile, lots, tier hold, with the operation's entries in `unflushed`) instead of
 * the read and compare-and-set of a write on an existing account; the flush writes its entries and marks it done, as
 * the protocol's would. A customer that exists already (enrolled, or known from orders) makes the insert fail: that
 * line is refused and nothing is changed. A crash between the claim and the flush is finished by the import sent
 * again, or by the next write on the account. Lines are prepared (import-lines.ts) and written in batches, each step
 * for the whole batch at once (`claimBatch`, `writeBatch`).
 *
 * The import's status is a document of the store (`imports`), written every few thousand lines and at the end, so
 * any instance answers `GET /v1/imports/{id}`.
 */
import { randomBytes } from 'node:crypto';
import type { OperationDoc } from '../account/account-doc.js';
import { getAccount } from '../account/account-store.js';
import { IMPORT_ERRORS_KEPT, type ImportStatus } from '../contract/imports.js';
import { NotFound } from '../errors.js';
import { dueKey, fileDue, type DueRow } from '../moments/moments-due.js';
import type { Store } from '../store/store.js';
import { flush, hashRequest } from '../write-protocol.js';
import { codeKey } from './customers.js';
import { LineRefused, MAX_LINE_BYTES, prepareLines, type LineProblem, type PreparedCustomer, type PreparedLine, type RawLine } from './import-lines.js';
import { checkId } from './input-check.js';
import type { LedgerContext } from './ledger-context.js';

/** Lines written together (Store.writeMany), unless {@link BATCH_BYTES} of them come first. */
const BATCH_LINES = 256;
/** A batch is closed at this many bytes of lines, so a file of large lines keeps memory as flat as one of small. */
const BATCH_BYTES = 4 * 1_048_576;
/** Batches in flight: one being written while the next is prepared. */
const BATCHES_IN_FLIGHT = 2;

/** The status is written after this many lines (and at the end). */
const STATUS_EVERY = 5000;

/** Options of {@link importCustomers}. */
export interface ImportOptions {
  /** The import's instant (default now). */
  at?: string;
  /** Makes the import's id: the same key names the same import, which may be sent again to finish it. */
  idempotencyKey?: string;
  /** Called with the status after every batch of lines written (the CLI's progress bar). */
  onProgress?: (status: ImportStatus) => void;
}

/** The id of the import an Idempotency-Key names (a new one without a key). */
export function importIdOf(idempotencyKey: string | undefined): string {
  return `imp_${idempotencyKey === undefined ? randomBytes(12).toString('base64url') : hashRequest({ importKey: idempotencyKey }).slice(0, 22)}`;
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
  count(line: number, refused?: readonly LineProblem[]): void {
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
  // A slot per batch in flight: the reader waits for a free one, so the stream is read no faster than written.
  let running = 0;
  let failure: Error | undefined;
  let freed: (() => void) | undefined;
  let drained: (() => void) | undefined;
  // Batches claim their customers and referral codes one after the other, so an earlier line always comes first (a
  // customer or a code in two lines: the earlier one has it); a batch's accounts, entries and done marks are written
  // while the next batch is prepared and claims.
  let claiming: Promise<unknown> = Promise.resolve();
  const start = (lines: RawLine[]): void => {
    running += 1;
    const prepared = Promise.resolve().then(() => prepareLines(lines, run.status.importId, program, at));
    const claimed = Promise.all([claiming, prepared]).then(([, ready]) => claimBatch(ctx, tenantId, run, ready));
    claiming = claimed.catch(() => undefined);
    void claimed
      .then((batch) => writeBatch(ctx, tenantId, run, batch))
      .then(
        () => options.onProgress?.(run.status),
        (error: unknown) => {
          failure ??= error instanceof Error ? error : new Error(String(error));
        },
      )
      .finally(() => {
        running -= 1;
        freed?.();
        if (running === 0) drained?.();
      });
  };
  try {
    let batch: RawLine[] = [];
    let bytes = 0;
    for await (const raw of ndjsonLines(chunks)) {
      if (failure !== undefined) throw failure;
      batch.push(raw);
      bytes += raw.text?.length ?? 0;
      if (batch.length < BATCH_LINES && bytes < BATCH_BYTES) continue;
      start(batch);
      batch = [];
      bytes = 0;
      if (running >= BATCHES_IN_FLIGHT) await new Promise<void>((resolve) => (freed = resolve));
      if (run.due) await run.save(ctx.at({}));
    }
    if (batch.length > 0) start(batch);
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

/** Counts a line refused by a LineRefused; anything else is the import's failure. */
function refused(run: ImportRun, line: number, error: unknown): void {
  if (error instanceof LineRefused) run.count(line, error.problems);
  else throw error;
}

/**
 * Writes a batch of prepared lines, in two parts (this one, then {@link writeBatch}). New customers, nearly all of a
 * migration, go through the protocol of the module comment a step for the whole batch at a time (Store.writeMany:
 * one LMDB commit, or a few MongoDB commands, per step instead of per document): the claims; the referral codes and
 * due-index filings; the accounts; the entries; the done marks. Each step is durable before the next begins, so a crash anywhere leaves what one
 * customer's own sequence would. A line whose claim stands already (an import sent again, a line repeated), whose
 * customer or referral code an earlier line of the batch has, or whose account exists goes on alone through
 * {@link importLine}, after the batch and in line order.
 */
async function claimBatch(ctx: LedgerContext, tenantId: string, run: ImportRun, lines: readonly PreparedLine[]): Promise<ClaimedBatch> {
  const { store } = ctx;
  const ready: PreparedCustomer[] = [];
  for (const line of lines) {
    if ('refused' in line) run.count(line.line, line.refused);
    else ready.push(line);
  }
  // A customer or a referral code in two lines of the batch: the later line goes on alone after the batch, so the
  // earlier one has it whatever order a store applies a batch's writes in.
  const first = new Set<string>();
  const later: PreparedCustomer[] = [];
  const once = ready.filter((c) => (first.has(c.opId) ? (later.push(c), false) : (first.add(c.opId), true)));
  const claims = await store.writeMany(tenantId, once.map((c) => ({ op: 'insert', collection: 'operations', key: c.opId, doc: c.claim })));
  const again = [...once.filter((_, i) => !claims[i]!.written), ...later];
  const taken = new Set<string>();
  const fresh: PreparedCustomer[] = [];
  /** The referral code key of each fresh customer (undefined without a code). */
  const codes: Array<string | undefined> = [];
  for (const c of once.filter((_, i) => claims[i]!.written)) {
    const key = c.referralCode === undefined ? undefined : codeKey(c.referralCode);
    if (key !== undefined && taken.has(key)) {
      again.push(c);
      continue;
    }
    fresh.push(c);
    codes.push(key);
    if (key !== undefined) taken.add(key);
  }
  again.sort((a, b) => a.line - b.line);

  const filed = await store.writeMany(tenantId, [
    ...fresh.flatMap((c, i) => (codes[i] === undefined ? [] : [{ op: 'insert' as const, collection: 'referralCodes' as const, key: codes[i], doc: { customerId: c.customerId } }])),
    ...fresh.flatMap((c) => (c.file === undefined ? [] : [{ op: 'insert' as const, collection: 'momentsDue' as const, key: dueKey(c.file, c.customerId), doc: { customerId: c.customerId, dueAt: c.file } satisfies DueRow }])),
  ]);
  const placed: PreparedCustomer[] = [];
  let code = 0;
  for (const [i, c] of fresh.entries()) {
    const key = codes[i];
    if (key !== undefined && !filed[code++]!.written) {
      // The code stood already: this customer's (an earlier sending), or another's.
      const owner = await store.get<{ customerId: string }>('referralCodes', tenantId, key);
      if (owner?.doc.customerId !== c.customerId) {
        run.count(c.line, (await codeTaken(store, tenantId, c)).problems);
        continue;
      }
    }
    placed.push(c);
  }
  return { placed, again };
}

/** A batch whose customers are claimed (with their referral codes and due filings): what is left to write. */
interface ClaimedBatch {
  /** New customers whose accounts are to be written. */
  readonly placed: readonly PreparedCustomer[];
  /** Lines left to go on alone, in line order. */
  readonly again: readonly PreparedCustomer[];
}

/** The rest of {@link claimBatch}'s work: the accounts, entries and done marks, then the lines left to go on alone. */
async function writeBatch(ctx: LedgerContext, tenantId: string, run: ImportRun, { placed, again }: ClaimedBatch): Promise<void> {
  const { store } = ctx;
  const accounts = await store.writeMany(tenantId, placed.map((c) => ({ op: 'insert', collection: 'accounts', key: c.customerId, doc: c.stored })));
  const committed = placed.filter((_, i) => accounts[i]!.written);
  await store.writeMany(tenantId, committed.flatMap((c) => c.item.entries.map((entry) => ({ op: 'insert' as const, collection: 'entries' as const, key: entry.seq, doc: entry }))));
  const done = await store.writeMany(tenantId, committed.map((c) => ({ op: 'replace', collection: 'operations', key: c.opId, expectedVersion: 1, doc: { ...c.claim, status: 'done', answer: c.item.answer } satisfies OperationDoc })));
  for (const [i, c] of committed.entries()) {
    // Moved on already: marked done by a write on the account that flushed it first; the protocol's flush checks.
    if (!done[i]!.written) await flush(ctx.protocol, tenantId, c.customerId, c.item);
    run.count(c.line);
  }

  for (const c of placed.filter((_, i) => !accounts[i]!.written)) {
    try {
      await accountTaken(ctx, tenantId, c);
      run.count(c.line);
    } catch (error) {
      refused(run, c.line, error);
    }
  }
  for (const c of again) {
    try {
      await importLine(ctx, tenantId, c);
      run.count(c.line);
    } catch (error) {
      refused(run, c.line, error);
    }
  }
}

/**
 * The refusal of a line whose referral code is another customer's. Nothing of the customer was written but its
 * claim (and maybe a due filing, which the moments run drops for want of an account), and the claim is removed here:
 * the customer id stays free for the line sent again with another code, by this import or another.
 */
async function codeTaken(store: Store, tenantId: string, customer: PreparedCustomer): Promise<LineRefused> {
  await store.remove('operations', tenantId, customer.opId);
  return new LineRefused([{ pointer: '/referralCode', message: `referral code ${JSON.stringify(customer.referralCode)} belongs to another customer` }]);
}

/**
 * Imports one prepared line's customer on its own, as the module comment says (a customer this import holds already
 * is left as it is): the path of a line whose claim stood when its batch began.
 */
async function importLine(ctx: LedgerContext, tenantId: string, customer: PreparedCustomer): Promise<void> {
  const { store } = ctx;
  const { customerId, opId } = customer;
  const claim = await store.insert<OperationDoc>('operations', tenantId, opId, customer.claim);
  const op = claim.record.doc;
  if (!claim.inserted) {
    if (op.requestHash !== customer.claim.requestHash) throw new LineRefused([{ pointer: '/id', message: `customer ${JSON.stringify(customerId)} was imported already (by another import, or by this one with other content)` }]);
    if (op.status === 'done' && op.refused === true) {
      const message = (op.answer as { message?: unknown } | undefined)?.message;
      throw new LineRefused([{ pointer: '/id', message: typeof message === 'string' ? message : `customer ${JSON.stringify(customerId)} was refused by this import` }]);
    }
    if (op.status === 'done') return;
  }
  if (customer.referralCode !== undefined) {
    const owner = await store.insert<{ customerId: string }>('referralCodes', tenantId, codeKey(customer.referralCode)!, { customerId });
    if (owner.record.doc.customerId !== customerId) throw await codeTaken(store, tenantId, customer);
  }
  if (customer.file !== undefined) await fileDue(store, tenantId, customerId, customer.file);
  const inserted = await store.insert('accounts', tenantId, customerId, customer.stored);
  if (!inserted.inserted) {
    await accountTaken(ctx, tenantId, customer);
    return;
  }
  await flush(ctx.protocol, tenantId, customerId, customer.item, claim.inserted ? claim.record : undefined);
}

/**
 * The account of a line's customer stood when its insert came: this import's own customer, committed by an earlier
 * sending that stopped before the flush (finished now), or a customer that exists already (the line is refused, and
 * its operation marked done refused, so that the same import sent again answers the same).
 */
async function accountTaken(ctx: LedgerContext, tenantId: string, customer: PreparedCustomer): Promise<void> {
  const { store } = ctx;
  const { customerId, opId } = customer;
  const account = await getAccount(store, tenantId, customerId, { erased: true });
  const mine = account?.doc.unflushed.find((unflushed) => unflushed.opId === opId);
  if (mine) {
    await flush(ctx.protocol, tenantId, customerId, mine);
    return;
  }
  const refusal = { message: `customer ${JSON.stringify(customerId)} exists already; an import only brings new customers` };
  const seen = await store.get<OperationDoc>('operations', tenantId, opId);
  if (seen && seen.doc.status !== 'done') await store.replace<OperationDoc>('operations', tenantId, opId, seen.version, { ...seen.doc, status: 'done', answer: refusal, refused: true });
  throw new LineRefused([{ pointer: '/id', message: refusal.message }]);
}
