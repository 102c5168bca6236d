/**
 * The built-in moments scheduler: it runs every tenant's moments job at once and on every tick, never two runs at
 * once, goes on with the other tenants when one fails, and stops cleanly. On the real ledger (memory store).
 */
import { expect } from 'chai';
import { MemoryStore, openLedger, StoreLeases } from '@purna/ledger';
import { startMomentsScheduler, type SchedulerLedger } from '../src/moments-scheduler.js';

const program = {
  id: 'shop',
  name: 'Shop',
  currency: 'IDR',
  timezone: 'UTC',
  points: { rounding: 'floor', pendingDays: 14 },
  earning: [{ id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }],
};

/** The tenants, as an async iterable like the ledger's. */
async function* listed(tenants: readonly string[]): AsyncGenerator<string> {
  for (const tenant of tenants) yield await Promise.resolve(tenant);
}

const quiet = { info: () => undefined, error: () => undefined };

describe('the moments scheduler', () => {
  it("runs each tenant's moments job as of now, and a repeated run emits nothing", async () => {
    const ledger = await openLedger({ store: 'memory' });
    for (const tenant of ['a', 'b']) {
      await ledger.publishProgram(tenant, program);
      await ledger.recordOrder(tenant, { id: 'o-1', customerId: 'ayu', currency: 'IDR', lines: [{ sku: 'TV', quantity: 1, unitPrice: '1000000' }] }, { at: '2026-03-10T10:00:00Z' });
    }
    const logged: Array<{ tenantId: string; emitted: number }> = [];
    const scheduler = startMomentsScheduler(ledger, { intervalMs: 3_600_000, logger: { info: (o: { tenantId: string; emitted: number }) => logged.push(o), error: () => undefined } as never, now: () => '2026-03-25T00:00:00.000Z' });
    await scheduler.runOnce();
    // Each tenant's order points became available on 24 March: one points.available each, emitted once.
    expect(logged.map((l) => [l.tenantId, l.emitted])).to.deep.equal([
      ['a', 1],
      ['b', 1],
    ]);
    await scheduler.runOnce();
    expect(logged).to.have.length(2);
    await scheduler.stop();
    for (const tenant of ['a', 'b']) expect((await ledger.listMoments(tenant, { customerId: 'ayu', type: 'points.available' })).items).to.have.length(1);
    await ledger.close();
  });

  it('never runs twice at once, goes on after a tenant fails, and stop waits for the run in progress', async () => {
    const calls: string[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const errors: string[] = [];
    const fake: SchedulerLedger = {
      leases: new StoreLeases(new MemoryStore()),
      tenants: () => listed(['broken', 'fine']),
      async runMomentsJob(tenantId) {
        calls.push(tenantId);
        if (tenantId === 'broken') throw new Error('storage hiccup');
        await gate;
        return { emitted: 0, customers: 0 };
      },
    };
    const scheduler = startMomentsScheduler(fake, { intervalMs: 3_600_000, logger: { ...quiet, error: (o: { tenantId?: string }) => errors.push(o.tenantId ?? '') } as never, now: () => '2026-03-25T00:00:00.000Z' });
    const again = scheduler.runOnce();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(calls).to.deep.equal(['broken', 'fine']);
    expect(errors).to.deep.equal(['broken']);
    const stopping = scheduler.stop();
    release();
    await Promise.all([again, stopping]);
    expect(calls).to.deep.equal(['broken', 'fine']);
  });

  it('runs each tenant on one instance per interval: a second scheduler on the same store skips what the first ran', async () => {
    const ledger = await openLedger({ store: 'memory' });
    for (const tenant of ['a', 'b']) await ledger.publishProgram(tenant, program);
    const ran: string[] = [];
    const counted = (name: string): SchedulerLedger => ({
      leases: ledger.leases,
      tenants: () => ledger.tenants(),
      async runMomentsJob(tenantId, options) {
        ran.push(`${name}:${tenantId}`);
        return ledger.runMomentsJob(tenantId, options);
      },
    });
    const options = { intervalMs: 3_600_000, logger: quiet as never, now: () => '2026-03-25T00:00:00.000Z' };
    const first = startMomentsScheduler(counted('first'), { ...options, owner: 'first' });
    await first.runOnce();
    const second = startMomentsScheduler(counted('second'), { ...options, owner: 'second' });
    await second.runOnce();
    await first.runOnce();
    await Promise.all([first.stop(), second.stop()]);
    // The first instance holds both tenants' leases for the interval, and renews its own at its next tick.
    expect(ran).to.deep.equal(['first:a', 'first:b', 'first:a', 'first:b']);
    await ledger.close();
  });
});
