/**
 * Cursor pagination as clients see it: the ledger's cursor is a storage key, handed out opaque and URL-safe
 * (base64url), and a cursor the ledger does not recognise is a 400 on the `cursor` query parameter.
 */
import { InputError } from '@purna/ledger';
import { ApiError } from '../http/problem.js';

/** A page as the ledger answers it. */
export interface LedgerPage {
  items: object[];
  nextCursor?: string;
}

function isCursorError(error: unknown, pointer: string): boolean {
  return error instanceof InputError && error.errors.some((problem) => problem.pointer === pointer);
}

/**
 * Reads one page with the client's `cursor` (as this API handed it out) and answers it with the next cursor encoded;
 * `pointer` names the query parameter that carries it (`/cursor`, or the feed's `/after`).
 *
 * @example
 * const body = await readPage(query.cursor, (cursor) => ledger.listProgramVersions(tenantId, { limit, ...(cursor ? { cursor } : {}) }));
 */
export async function readPage<P extends LedgerPage>(cursor: string | undefined, read: (cursor: string | undefined) => Promise<P>, pointer = '/cursor'): Promise<P> {
  let page: P;
  try {
    page = await read(cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    if (!isCursorError(error, pointer)) throw error;
    throw new ApiError('validation-failed', 'The cursor was not handed out by this list.', {
      errors: [{ in: 'query', pointer, message: 'is not a cursor of this list: pass the nextCursor of the previous page, or none for the first page', code: 'invalid-cursor' }],
    });
  }
  const { nextCursor, ...rest } = page;
  return { ...rest, ...(nextCursor !== undefined ? { nextCursor: Buffer.from(nextCursor, 'utf8').toString('base64url') } : {}) } as P;
}
