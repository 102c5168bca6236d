/**
 * decideImport: a customer brought over from another program (docs/data.md, "Migrating from another program"). Each
 * opening lot keeps its own availability and expiry, so a migrated balance keeps its dates; a debt is owed as it
 * was; a tier comes as a tier held by hand until its date (decideManualTier), then by the tier rules with their
 * grace. A migration is not news for the customer: it emits no moments.
 */
import type { AccountAction, AwardAction } from '../account/account-action.js';
import type { AccountState } from '../account/account-state.js';
import { NEVER, type LotSource } from '../account/lot.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { InputError, type Problem } from '../errors.js';
import { formatUtc } from '../time.js';
import { lotLife, programFields } from './decision-parts.js';
import { decideManualTier } from './decide-manual-tier.js';

/** One opening lot: its points, and optionally its dates (UTC or with an offset) and where it came from. */
export interface ImportedLot {
  readonly points: number;
  readonly availableAt?: string;
  readonly expiresAt?: string;
  readonly reason?: string;
}

/** What an import brings to one customer's empty account. */
export interface DecideImportInput {
  readonly lots?: readonly ImportedLot[];
  readonly debt?: number;
  readonly tier?: { readonly id: string; readonly until: string };
  /** Who imported (`import:<importId>`): the entries' actor, and the tier hold's reason. */
  readonly actor: string;
}

const SOURCES: ReadonlySet<string> = new Set<LotSource>(['order', 'referral', 'event', 'birthday', 'anniversary', 'adjustment']);

/**
 * The actions of an import at `at` (UTC ISO) on an empty account. Throws one InputError listing every problem (a
 * lot that expires before it is available or has expired already, a date that does not parse, a tier the program
 * does not have) with its pointer into the line.
 *
 * @example decideImport(compiled, emptyAccountState(), { lots: [{ points: 1200, expiresAt: '2027-03-31T23:59:59+07:00' }], actor: 'import:imp_1' }, { at })
 */
export function decideImport(compiled: CompiledProgram, state: AccountState, input: DecideImportInput, options: { readonly at: string }): readonly AccountAction[] {
  const { at } = options;
  const atMs = compiled.clock.millis(at, '/at');
  const problems: Problem[] = [];
  const attempt = <T>(run: () => T): T | undefined => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.errors);
      return undefined;
    }
  };
  const actions: AccountAction[] = [];
  // The debt first, on the empty account: owed as it was, repaid by the lots that are available.
  if (input.debt !== undefined && input.debt > 0) actions.push({ type: 'clawback', entry: { type: 'adjustment', ...programFields(compiled), ruleIds: [], reason: 'imported debt', actor: input.actor }, points: input.debt, firstLotIds: [] });
  (input.lots ?? []).forEach((lot, i) => {
    const pointer = `/lots/${i}`;
    const availableMs = lot.availableAt === undefined ? atMs : attempt(() => compiled.clock.millis(lot.availableAt!, `${pointer}/availableAt`));
    if (availableMs === undefined) return;
    const availableAt = formatUtc(availableMs);
    const expiresAt = lot.expiresAt === undefined ? lotLife(compiled, 'adjustment', availableAt).expiresAt : attempt(() => formatUtc(compiled.clock.millis(lot.expiresAt!, `${pointer}/expiresAt`)));
    if (expiresAt === undefined) return;
    if (expiresAt !== NEVER && Date.parse(expiresAt) <= atMs) {
      problems.push({ pointer: `${pointer}/expiresAt`, code: 'expired', message: `lot ${i} expired already (${lot.expiresAt}); leave it out: it holds no points` });
      return;
    }
    if (expiresAt !== NEVER && expiresAt <= availableAt) {
      problems.push({ pointer: `${pointer}/expiresAt`, code: 'expires-before-available', message: `lot ${i} expires (${lot.expiresAt}) before it becomes available (${availableAt})` });
      return;
    }
    const source = lot.reason !== undefined && SOURCES.has(lot.reason) ? (lot.reason as LotSource) : 'adjustment';
    const award: AwardAction = {
      type: 'award',
      entry: { type: 'adjustment', ...programFields(compiled), ruleIds: [], reason: lot.reason ?? 'imported', actor: input.actor },
      source,
      points: lot.points,
      availableAt,
      expiresAt,
    };
    actions.push(award);
  });
  if (input.tier) {
    const tier = input.tier;
    const decision = attempt(() => {
      try {
        return decideManualTier(compiled, state, { tierId: tier.id, until: tier.until, reason: input.actor }, { at, migrated: true });
      } catch (error) {
        // The rules name the fields of a tier assignment; in a line they sit under /tier.
        if (error instanceof InputError) throw new InputError(error.errors.map((p) => ({ ...p, pointer: p.pointer === '/tierId' ? '/tier/id' : `/tier${p.pointer}` })));
        throw error;
      }
    });
    if (decision) actions.push(...decision.actions.filter((action) => action.type !== 'moment'));
  }
  if (problems.length > 0) throw new InputError(problems);
  return actions;
}
