/**
 * The part of an import that needs no store (imports.ts): each line of the file read, checked, decided by the rules
 * and turned into the documents of its new customer (the claim of its operation, the account as stored with its
 * entries in `unflushed`, the instant to file it under in the due index), a batch at a time before any of it is
 * written.
 */
import { applyActions, decideImport, InputError, operationId, utcInstant, type Problem } from '@purna/rules';
import { emptyAccount, type AccountDoc, type OperationDoc, type Unflushed } from '../account/account-doc.js';
import { summarize } from '../account/account-store.js';
import { encodeAccount } from '../account/stored-account.js';
import { CustomerImportLineSchema, type CustomerImportLine } from '../contract/answers.js';
import { dueFiling } from '../moments/moments-due.js';
import { committedEntries, hashRequest } from '../write-protocol.js';
import { tierSummarizer } from './account-view.js';
import { codeKey } from './customers.js';
import { checkId, checkInput } from './input-check.js';
import type { LoadedProgram } from './programs.js';

/** A longer line is refused without being parsed (a profile with a thousand lots is far below it). */
export const MAX_LINE_BYTES = 1_048_576;

/** One line of the stream: its number (the first is 1) and its text, or why it could not be read. */
export interface RawLine {
  readonly line: number;
  readonly text?: string;
  readonly tooLong?: boolean;
}

/** Where in a refused line and why. */
export type LineProblem = Pick<Problem, 'pointer' | 'message'>;

/** A line refused: where in it and why (more than one problem for one line is possible). */
export class LineRefused extends Error {
  constructor(readonly problems: readonly LineProblem[]) {
    super(problems.map((p) => p.message).join('; '));
  }
}

/** A line's new customer, ready to be written: what every step of the write needs, as plain data. */
export interface PreparedCustomer {
  readonly line: number;
  readonly customerId: string;
  /** `import:<customerId>`. */
  readonly opId: string;
  /** The operation's claim, as it is first stored (pending). */
  readonly claim: OperationDoc;
  readonly referralCode?: string;
  /** The account as stored (encodeAccount): its one commit, the operation's entries in `unflushed`. */
  readonly stored: object;
  /** The instant to file the account under in the due index before it is written, if any. */
  readonly file?: string;
  /** The operation's unflushed item: its entries and its answer. */
  readonly item: Unflushed;
}

/** A line prepared: its customer, or the problems that refuse it. */
export type PreparedLine = PreparedCustomer | { readonly line: number; readonly refused: readonly LineProblem[] };

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

/**
 * Reads, checks and decides one line and builds its new customer's documents; refuses it (LineRefused, or the
 * rules' InputError) before anything is written.
 */
function prepareCustomer(raw: RawLine, importId: string, program: LoadedProgram, at: string): PreparedCustomer {
  const line = readLine(raw);
  const { id: customerId, lots, debt, tier, ...profile } = line;
  const actor = `import:${importId}`;
  const empty = emptyAccount(customerId);
  const actions = decideImport(program.compiled, empty, { ...(lots ? { lots } : {}), ...(debt !== undefined ? { debt } : {}), ...(tier ? { tier } : {}), actor }, { at });
  const opId = operationId.import(customerId);
  const claim: OperationDoc = { opId, kind: 'import', customerId, requestHash: hashRequest({ importId, line }), status: 'pending' };
  const applied = applyActions<AccountDoc>(empty, actions, { at, id: opId, compiled: program.compiled });
  const entries = committedEntries(applied, customerId, 1, opId);
  const item: Unflushed = { opId, entries, followUps: [], answer: { customerId, importId } };
  const built: AccountDoc = { ...applied.state, profile: { ...profile, id: customerId, enrolledAt: profile.enrolledAt ?? at }, commits: entries.length > 0 ? 1 : 0, unflushed: [item] };
  const { account, file } = dueFiling(empty, built, program, at);
  const stored = encodeAccount(account, summarize(account, undefined, tierSummarizer(program)));
  return { line: raw.line, customerId, opId, claim, ...(profile.referralCode !== undefined ? { referralCode: profile.referralCode } : {}), stored, ...(file !== undefined ? { file } : {}), item };
}

/** Every line of a batch prepared, in order; a refused line carries its problems. */
export function prepareLines(lines: readonly RawLine[], importId: string, program: LoadedProgram, at: string): PreparedLine[] {
  return lines.map((raw): PreparedLine => {
    try {
      return prepareCustomer(raw, importId, program, at);
    } catch (error) {
      if (error instanceof LineRefused) return { line: raw.line, refused: error.problems };
      if (error instanceof InputError) return { line: raw.line, refused: error.errors.map(({ pointer, message }) => ({ pointer, message })) };
      throw error;
    }
  });
}
