/**
 * Named leases in the store (collection `leases`, one document per tenant and name): a holder and the wall-clock
 * instant its hold ends. Taking one is an insert-if-absent, or a compare-and-set over a lease that ran out or that
 * the taker already holds, so of several instances asking at once exactly one gets it; a holder that dies lets it
 * go when it runs out. The moments scheduler takes one per tenant and tick, so one instance runs a tenant's
 * moments each interval (api/src/moments-scheduler.ts); webhook queues carry their own lease fields, taken in the
 * same write that changes the queue (../webhooks/webhook-deliveries.ts).
 */
import type { Store } from '../store/store.js';

interface LeaseDoc {
  owner: string;
  /** Wall-clock epoch ms the hold ends. */
  until: number;
}

/**
 * Leases over the store.
 *
 * @example
 * if (await leases.take('t1', 'moments-run', instanceId, 60_000)) await runMoments('t1');
 */
export class StoreLeases {
  readonly #store: Store;
  readonly #now: () => number;

  constructor(store: Store, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** Takes (or extends) the lease `name` for `owner` for `ms` from now; answers whether `owner` holds it. */
  async take(tenantId: string, name: string, owner: string, ms: number): Promise<boolean> {
    const now = this.#now();
    const wanted: LeaseDoc = { owner, until: now + ms };
    const { inserted, record } = await this.#store.insert<LeaseDoc>('leases', tenantId, name, wanted);
    if (inserted) return true;
    if (record.doc.owner !== owner && record.doc.until > now) return false;
    return (await this.#store.replace<LeaseDoc>('leases', tenantId, name, record.version, wanted)) !== undefined;
  }

  /** Lets the lease go early if `owner` still holds it (a compare-and-set: never another holder's). */
  async release(tenantId: string, name: string, owner: string): Promise<void> {
    const record = await this.#store.get<LeaseDoc>('leases', tenantId, name);
    if (record?.doc.owner === owner) await this.#store.replace<LeaseDoc>('leases', tenantId, name, record.version, { owner, until: 0 });
  }
}
