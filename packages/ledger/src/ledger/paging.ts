/**
 * The one way the ledger walks a collection: page by page in key order, each page starting after the last key of
 * the one before, so a walk costs one bounded read per page whatever the collection's size.
 */
import type { ListQuery, Versioned } from '../store/store.js';

/** How many documents a page holds. */
export const PAGE = 100;

/**
 * Every record `list` answers, in order, asking for `limit` at a time.
 *
 * @example for await (const record of pages((q) => store.list('entries', tenantId, { prefix, ...q }))) ...
 */
export async function* pages<T>(list: (query: Pick<ListQuery, 'after' | 'limit'>) => Promise<Array<Versioned<T>>>, limit = PAGE): AsyncGenerator<Versioned<T>> {
  let after: string | undefined;
  for (;;) {
    const page = await list({ limit, ...(after !== undefined ? { after } : {}) });
    yield* page;
    if (page.length < limit) return;
    after = page[page.length - 1]?.key;
  }
}
