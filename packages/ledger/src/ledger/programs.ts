/**
 * Program versions: publishing appends a new immutable version; the ledger compiles each version once and keeps
 * it in memory. The newest version is the highest key, so "publish" is a single insert (a unique key) and needs
 * no pointer to update.
 *
 * Which version is the newest (the head) is cached per tenant for `staleMs` of wall time: a version published on
 * this instance is its head at once, one published on another instance within `staleMs` (docs/ledger.md "What an
 * instance caches"). A tenant with no program is never cached, so its first publish anywhere is seen by the next
 * read.
 */
import { InputError, type Program } from '@purna/rules';
import { NotFound } from '../errors.js';
import type { Store } from '../store/store.js';
import { pages } from './paging.js';
import { compileProgram, parseProgram, type Compiled } from './rules-port.js';

/** One published version as stored. */
export interface ProgramVersionDoc {
  programId: string;
  version: number;
  publishedAt: string;
  program: Program;
}

/** A version ready to evaluate with. */
export interface LoadedProgram {
  id: string;
  version: number;
  program: Program;
  compiled: Compiled;
}

/** A published version as listed: what it is and when it was published, without the program itself. */
export interface ProgramVersionSummary {
  id: string;
  version: number;
  publishedAt: string;
  name: string;
  currency: string;
  timezone: string;
}

/** One page of published versions, newest first. */
export interface ProgramVersionPage {
  items: ProgramVersionSummary[];
  /** Pass as `cursor` for the next (older) page; absent on the last one. */
  nextCursor?: string;
}

const versionKey = (version: number): string => `v${String(version).padStart(9, '0')}`;
const VERSION_KEY = /^v[0-9]{9}$/;

/**
 * Where the ledger lists its tenants (those with a program): a tenant id of its own, which no API key can name
 * (tenant ids have no control characters), in the `programs` collection.
 */
const REGISTRY_TENANT = '\u0001tenants';

/** How long (wall ms) an instance keeps what it read of a program head or an API key, unless told otherwise. */
export const DEFAULT_STALE_MS = 500;

/** The wall clock and the staleness bound of an in-process cache. */
export interface CacheBound {
  /** Wall-clock milliseconds (default `Date.now`). */
  wallClock?: () => number;
  /** How long a read is reused before the store is read again (default `DEFAULT_STALE_MS`; 0 reads every time). */
  staleMs?: number;
}

/** The bound with its defaults, `staleMs` checked: a finite number of milliseconds, 0 or more. */
export function cacheBound(bound: CacheBound = {}): Required<CacheBound> {
  const { staleMs = DEFAULT_STALE_MS, wallClock = Date.now } = bound;
  if (typeof staleMs !== 'number' || !Number.isFinite(staleMs) || staleMs < 0) throw new TypeError(`ledger: staleMs must be a finite number of milliseconds, 0 or more (got ${String(bound.staleMs)})`);
  return { staleMs, wallClock };
}

/** Reads, publishes and caches program versions of every tenant. */
export class Programs {
  private readonly cache = new Map<string, LoadedProgram>();
  private readonly registered = new Set<string>();
  /** The newest version each tenant had when this instance last looked (wall ms), or published itself. */
  private readonly heads = new Map<string, { loaded: LoadedProgram; checkedAt: number }>();
  /** The reads of a tenant's head under way. */
  private readonly readingHead = new Map<string, Promise<LoadedProgram>>();
  private readonly bound: Required<CacheBound>;

  constructor(
    private readonly store: Store,
    bound: CacheBound = {},
  ) {
    this.bound = cacheBound(bound);
  }

  /** Validates and publishes `json` as the next version. */
  async publish(tenantId: string, json: unknown, publishedAt: string): Promise<{ id: string; version: number }> {
    const program = parseProgram(json);
    for (;;) {
      const [latest] = await this.store.list<ProgramVersionDoc>('programs', tenantId, { prefix: 'v', reverse: true, limit: 1 });
      const version = (latest?.doc.version ?? 0) + 1;
      const doc: ProgramVersionDoc = { programId: program.id, version, publishedAt, program };
      const { inserted } = await this.store.insert<ProgramVersionDoc>('programs', tenantId, versionKey(version), doc);
      if (inserted) {
        await this.register(tenantId);
        this.newHead(tenantId, this.remember(tenantId, doc), this.bound.wallClock());
        return { id: program.id, version };
      }
    }
  }

  /** A version (the newest when `version` is undefined), compiled; NotFound when there is none. */
  async load(tenantId: string, version?: number): Promise<LoadedProgram> {
    if (version !== undefined) {
      const cached = this.cache.get(`${tenantId}\u0000${version}`);
      if (cached) return cached;
      const found = await this.store.get<ProgramVersionDoc>('programs', tenantId, versionKey(version));
      if (!found) throw new NotFound('program version', String(version));
      return this.remember(tenantId, found.doc);
    }
    const head = this.heads.get(tenantId);
    const checkedAt = this.bound.wallClock();
    if (head && checkedAt - head.checkedAt < this.bound.staleMs) return head.loaded;
    // One read of a tenant's head at a time: requests that arrive while it is under way wait for it (under load every
    // request that found the head stale read it again, dozens at once). A version this instance publishes meanwhile
    // is its head at once, above, and the read under way does not bring an older one back (newHead). With `staleMs`
    // 0 every request reads for itself.
    const pending = this.bound.staleMs > 0 ? this.readingHead.get(tenantId) : undefined;
    if (pending) return pending;
    const reading = (async () => {
      const [latest] = await this.store.list<ProgramVersionDoc>('programs', tenantId, { prefix: 'v', reverse: true, limit: 1 });
      if (!latest) throw new NotFound('program', `of tenant ${tenantId} (publish one first)`);
      // Tenants that published before the registry existed join it the first time their program is read.
      await this.register(tenantId);
      return this.newHead(tenantId, this.cache.get(`${tenantId}\u0000${latest.doc.version}`) ?? this.remember(tenantId, latest.doc), checkedAt);
    })();
    this.readingHead.set(tenantId, reading);
    try {
      return await reading;
    } finally {
      if (this.readingHead.get(tenantId) === reading) this.readingHead.delete(tenantId);
    }
  }

  /** Published versions, newest first, `limit` (1 to 500, default 50) at a time. */
  async list(tenantId: string, options: { cursor?: string; limit?: number } = {}): Promise<ProgramVersionPage> {
    const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
    if (options.cursor !== undefined && !VERSION_KEY.test(options.cursor)) {
      throw new InputError([{ pointer: '/cursor', code: 'invalid-cursor', message: 'cursor is not a cursor of program versions; pass the nextCursor of the previous page' }]);
    }
    // One more than asked tells whether an older page exists, so the last page carries no cursor.
    const page = await this.store.list<ProgramVersionDoc>('programs', tenantId, { prefix: 'v', reverse: true, limit: limit + 1, ...(options.cursor ? { after: options.cursor } : {}) });
    const items = page.slice(0, limit).map(({ doc }) => ({
      id: doc.programId,
      version: doc.version,
      publishedAt: doc.publishedAt,
      name: doc.program.name,
      currency: doc.program.currency,
      timezone: doc.program.timezone,
    }));
    const last = page[limit - 1];
    return { items, ...(page.length > limit && last ? { nextCursor: last.key } : {}) };
  }

  /** Every tenant with a published program (that published, or was read, since the registry exists), in id order. */
  async *tenants(): AsyncGenerator<string> {
    for await (const record of pages((query) => this.store.list<{ tenantId: string }>('programs', REGISTRY_TENANT, query))) yield record.doc.tenantId;
  }

  private async register(tenantId: string): Promise<void> {
    if (this.registered.has(tenantId)) return;
    await this.store.insert('programs', REGISTRY_TENANT, tenantId, { tenantId });
    this.registered.add(tenantId);
  }

  /**
   * Records `loaded` as the tenant's head as of `checkedAt`, unless a newer version is already known (a read that
   * started before this instance published must not bring the older head back); answers the head.
   */
  private newHead(tenantId: string, loaded: LoadedProgram, checkedAt: number): LoadedProgram {
    const known = this.heads.get(tenantId);
    if (known && known.loaded.version > loaded.version) return known.loaded;
    this.heads.set(tenantId, { loaded, checkedAt: Math.max(checkedAt, known?.checkedAt ?? checkedAt) });
    return loaded;
  }

  private remember(tenantId: string, doc: ProgramVersionDoc): LoadedProgram {
    const loaded: LoadedProgram = { id: doc.programId, version: doc.version, program: doc.program, compiled: compileProgram(doc.program, { version: doc.version }) };
    this.cache.set(`${tenantId}\u0000${doc.version}`, loaded);
    return loaded;
  }
}
