/**
 * Balance reads answered from the account's read summary (docs/ledger.md "Balance reads"): after random writes of
 * every kind (orders, returns, redemptions, adjustments into debt, expiry sweeps, tier reviews, a new program
 * version), a read at any instant from the latest write on answers exactly what the lots and the tier-window
 * orders say, and the instants the summary covers are answered without reading the account's cold part.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { viewPoints } from '@purna/rules';
import { getAccount } from '../src/account/account-store.js';
import type { AccountDoc } from '../src/account/account-doc.js';
import { RedemptionRefused } from '../src/errors.js';
import { tierAt } from '../src/ledger/account-view.js';
import { Ledger } from '../src/ledger/ledger.js';
import { compileProgram, parseProgram } from '../src/ledger/rules-port.js';
import { FaultyStore } from '../src/store/faulty-store.js';
import type { CollectionName, GetOptions, Versioned } from '../src/store/store.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 't';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A store that counts reads of whole accounts (the cold part included). */
class ReadCountingStore extends FaultyStore {
  fullAccountReads = 0;
  override get<U extends object>(collection: CollectionName, tenantId: string, key: string, options?: GetOptions): Promise<Versioned<U> | undefined> {
    if (collection === 'accounts' && options?.cold !== false) this.fullAccountReads += 1;
    return super.get<U>(collection, tenantId, key, options);
  }
}

type Command =
  | { kind: 'order'; spend: number; gapHours: number }
  | { kind: 'return'; pick: number }
  | { kind: 'redeem'; points: number }
  | { kind: 'adjust'; points: number }
  | { kind: 'expire'; gapDays: number }
  | { kind: 'review' }
  | { kind: 'republish'; silver: number };

const commandArbitrary: fc.Arbitrary<Command> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('order' as const), spend: fc.integer({ min: 1, max: 60 }), gapHours: fc.integer({ min: 0, max: 24 * 40 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('return' as const), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('redeem' as const), points: fc.integer({ min: 100, max: 900 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('adjust' as const), points: fc.integer({ min: -3_000, max: 800 }).filter((n) => n !== 0) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('expire' as const), gapDays: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('review' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('republish' as const), silver: fc.integer({ min: 1, max: 19 }) }) },
);

/** Instants after a write at `ms` where the answer may change: pending ends, a month of grace, expiry, a year on. */
const READ_OFFSETS = [0, 1, HOUR, 13 * DAY, 15 * DAY, 32 * DAY, 200 * DAY, 366 * DAY, 800 * DAY];

forEachStore('balance reads from the read summary', (open, kind) => {
  const runs = kind === 'memory' ? 12 : kind === 'lmdb' ? 4 : 1;
  const length = kind === 'mongo' ? 12 : 24;

  it('answer what the lots and orders say at every later instant, and read no cold part where the summary covers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArbitrary, { minLength: 4, maxLength: length }), async (commands) => {
        const store = new ReadCountingStore(await open());
        const ledger = new Ledger(store);
        try {
          let program: Record<string, unknown> = JSON.parse(JSON.stringify(tokoProgram)) as Record<string, unknown>;
          let published = await ledger.publishProgram(T, program);
          let compiled = compileProgram(parseProgram(program), { version: published.version });
          let now = Date.parse('2026-01-05T03:00:00Z');
          await ledger.upsertCustomer(T, { id: 'ayu', enrolledAt: new Date(now).toISOString() }, { at: new Date(now).toISOString() });
          const orders: Array<{ id: string; left: number }> = [];
          let n = 0;
          let summaryReads = 0;
          let lastVersion = (await store.get('accounts', T, 'ayu', { cold: false }))?.version ?? 0;
          // An order first, so that some write always stores a summary (a run of refusals alone would store none).
          for (const command of [{ kind: 'order', spend: 10, gapHours: 0 } as const, ...commands]) {
            n += 1;
            const at = (): string => new Date(now).toISOString();
            switch (command.kind) {
              case 'order':
                now += command.gapHours * HOUR;
                await ledger.recordOrder(T, { id: `o-${n}`, customerId: 'ayu', placedAt: at(), currency: 'IDR', lines: [{ sku: 'TV', category: 'tv', quantity: 3, unitPrice: `${command.spend * 100_000}` }] }, { at: at() });
                orders.push({ id: `o-${n}`, left: 3 });
                break;
              case 'return': {
                const open = orders.filter((o) => o.left > 0);
                const target = open[command.pick % Math.max(open.length, 1)];
                if (!target) break;
                target.left -= 1;
                await ledger.returnOrder(T, target.id, { id: `r-${n}`, lines: [{ sku: 'TV', quantity: 1 }] }, { at: at() });
                break;
              }
              case 'redeem':
                try {
                  await ledger.redeem(T, { id: `x-${n}`, customerId: 'ayu', orderId: `p-${n}`, orderTotal: '100000000', points: command.points }, { at: at() });
                } catch (error) {
                  if (!(error instanceof RedemptionRefused)) throw error;
                }
                break;
              case 'adjust':
                await ledger.adjust(T, { id: `a-${n}`, customerId: 'ayu', points: command.points, reason: 'correction', actor: 'test' }, { at: at() });
                break;
              case 'expire':
                now += command.gapDays * DAY;
                await ledger.runExpirySweep(T, { at: at() });
                break;
              case 'review':
                await ledger.runTierReview(T, { at: at() });
                break;
              case 'republish': {
                // A new version with another silver threshold: summaries of the old one no longer answer the tier.
                const tiers = program.tiers as { levels: Array<{ id: string; threshold: string }> };
                program = { ...program, tiers: { ...tiers, levels: tiers.levels.map((l) => (l.id === 'silver' ? { ...l, threshold: `${command.silver * 1_000_000}` } : l)) } };
                published = await ledger.publishProgram(T, program);
                compiled = compileProgram(parseProgram(program), { version: published.version });
                break;
              }
            }
            const account = (await getAccount(store, T, 'ayu'))?.doc as AccountDoc;
            for (const offset of READ_OFFSETS) {
              const readAt = new Date(Math.max(now, Date.parse(account.points.clock || at())) + offset).toISOString();
              const before = store.fullAccountReads;
              const view = await ledger.getCustomer(T, 'ayu', { at: readAt });
              const points = viewPoints(account.points, readAt);
              expect(view.points, `${command.kind} #${n}, read at ${readAt}`).to.deep.equal({ available: points.available, pending: points.pending, expired: points.expired, redeemed: points.redeemed, balance: points.balance });
              expect(view.expiring, `expiring at ${readAt}`).to.deep.equal(points.expiring);
              expect(view.tier, `tier at ${readAt}`).to.deep.equal(tierAt(compiled, account, readAt) ?? null);
              if (store.fullAccountReads === before) summaryReads += 1;
            }
            // A write stores the tier with the program it used, and the latest write's instant is answered from the
            // summary, unless the tier's hold ended since (it is read from the orders then).
            const version = (await store.get('accounts', T, 'ayu', { cold: false }))?.version ?? 0;
            if (version !== lastVersion && command.kind !== 'republish') expect(account.summary?.tier?.programVersion, `${command.kind} #${n}`).to.equal(published.version);
            lastVersion = version;
            const clockAt = account.points.clock || at();
            const tier = account.summary?.tier;
            const before = store.fullAccountReads;
            await ledger.getCustomer(T, 'ayu', { at: clockAt });
            if (tier?.programVersion === published.version && (tier.until === '' || clockAt < tier.until)) expect(store.fullAccountReads, `${command.kind} #${n}`).to.equal(before);
          }
          expect(summaryReads).to.be.greaterThan(0);
        } finally {
          await ledger.close();
        }
      }),
      { numRuns: runs },
    );
  });
});
