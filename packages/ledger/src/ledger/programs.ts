/**
 * Program versions: publishing appends a new immutable version; the ledger compiles each version once and keeps
 * it in memory. The newest version is the highest key, so "publish" is a single insert (a unique key) and needs
 * no pointer to update.
 */
import type { Program } from '@purna/rules';
import { NotFound } from '../errors.js';
import type { Store } from '../store/store.js';
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

const versionKey = (version: number): string => `v${String(version).padStart(9, '0')}`;

/** Reads, publishes and caches program versions of every tenant. */
export class Programs {
  private readonly cache = new Map<string, LoadedProgram>();

  constructor(private readonly store: Store) {}

  /** Validates and publishes `json` as the next version. */
  async publish(tenantId: string, json: unknown, publishedAt: string): Promise<{ id: string; version: number }> {
    const program = parseProgram(json);
    for (;;) {
      const [latest] = await this.store.list<ProgramVersionDoc>('programs', tenantId, { prefix: 'v', reverse: true, limit: 1 });
      const version = (latest?.doc.version ?? 0) + 1;
      const doc: ProgramVersionDoc = { programId: program.id, version, publishedAt, program };
      const { inserted } = await this.store.insert<ProgramVersionDoc>('programs', tenantId, versionKey(version), doc);
      if (inserted) return { id: program.id, version };
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
    const [latest] = await this.store.list<ProgramVersionDoc>('programs', tenantId, { prefix: 'v', reverse: true, limit: 1 });
    if (!latest) throw new NotFound('program', `of tenant ${tenantId} (publish one first)`);
    return this.cache.get(`${tenantId}\u0000${latest.doc.version}`) ?? this.remember(tenantId, latest.doc);
  }

  private remember(tenantId: string, doc: ProgramVersionDoc): LoadedProgram {
    const loaded: LoadedProgram = { id: doc.programId, version: doc.version, program: doc.program, compiled: compileProgram(doc.program, { version: doc.version }) };
    this.cache.set(`${tenantId}\u0000${doc.version}`, loaded);
    return loaded;
  }
}
