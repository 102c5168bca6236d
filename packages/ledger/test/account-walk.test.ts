/**
 * A walk over every account of a tenant (a sweep, the moments run rebuilding its due index) lets the event loop
 * turn between pages. LMDB reads are synchronous, so on the embedded store such a walk never waits for I/O; without
 * a turn it held the event loop of the process it runs in (the API server, whose scheduler runs the moments job)
 * from its first account to its last: minutes at a million accounts, during which no request was answered.
 */
import { expect } from 'chai';
import { Ledger } from '../src/ledger/ledger.js';
import { PAGE } from '../src/ledger/paging.js';
import { ForwardingStore } from '../src/store/forwarding-store.js';
import type { CollectionName, ListQuery, Versioned } from '../src/store/store.js';
import { forEachStore } from './support/store-targets.js';

const program = {
  id: 'walk',
  name: 'Walk',
  currency: 'IDR',
  timezone: 'Asia/Jakarta',
  points: { rounding: 'floor', expiry: { months: 12 } },
  earning: [{ id: 'base', name: '1 point per Rp10.000', scope: 'line', award: { pointsPer: { amount: '10000', points: 1 } } }],
  birthday: { award: { points: 100 }, window: 'month' },
};

/** Records, in order, each page of accounts listed and each turn the event loop took while a walk ran. */
class PageLog extends ForwardingStore {
  readonly events: string[] = [];

  override list<T extends object>(collection: CollectionName, tenantId: string, query: ListQuery): Promise<Array<Versioned<T>>> {
    if (collection === 'accounts') this.events.push('page');
    return super.list(collection, tenantId, query);
  }
}

forEachStore('a walk over every account', (open) => {
  it('lets the event loop turn between pages (the moments run reading every account under a new program)', async () => {
    const store = new PageLog(await open());
    const ledger = new Ledger(store);
    try {
      await ledger.publishProgram('t', program);
      const customers = PAGE + 1;
      await Promise.all(Array.from({ length: customers }, (_, i) => ledger.upsertCustomer('t', { id: `c-${String(i).padStart(3, '0')}`, birthDate: '1990-09-15' }, { at: '2026-01-05T03:00:00Z' })));
      store.events.length = 0;
      // The first run under this program version reads every account (two pages); nothing is due on 15 January.
      let running = true;
      const turn = (): void => {
        if (!running) return;
        store.events.push('turn');
        setImmediate(turn);
      };
      const run = ledger.runMomentsJob('t', { at: '2026-01-15T00:00:00Z' });
      setImmediate(turn);
      const answer = await run;
      running = false;
      expect(answer).to.deep.equal({ emitted: 0, customers: 0 });
      const { events } = store;
      expect(events.filter((event) => event === 'page')).to.have.length(2);
      expect(events.slice(events.indexOf('page'), events.lastIndexOf('page')), events.slice(0, events.lastIndexOf('page') + 1).join(' ')).to.include('turn');
    } finally {
      await ledger.close();
    }
  });
});
