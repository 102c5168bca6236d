/**
 * A tenant's stored orders as a simulated history: what `ProgramSimulation` (the one `POST /v1/program/simulate` and
 * `purna simulate` use) replays, read through the Store port. No src/ code reads orders back as simulation records:
 * an order document keeps the request it was recorded from (`order`), which is an order record as it stands.
 */
import type { OrderRecord } from '@purna/rules';
import type { OrderDoc } from '../../src/account/account-doc.js';
import { pages } from '../../src/ledger/paging.js';
import type { Store } from '../../src/store/store.js';

/**
 * Every order of `tenantId`, as recorded, in time order (the simulation's order; ties by order id). Throws for an
 * order with returns or a cancellation: those change the points held, and this history replays orders only.
 *
 * @example
 * for (const record of await storedOrderRecords(store, 'shop')) simulation.add(record);
 */
export async function storedOrderRecords(store: Store, tenantId: string): Promise<OrderRecord[]> {
  const orders: Array<{ ms: number; record: OrderRecord }> = [];
  for await (const { key, doc } of pages((q) => store.list<OrderDoc>('orders', tenantId, q))) {
    if (doc.returns.length > 0 || doc.cancellation !== undefined) {
      throw new Error(`order "${key}" of tenant "${tenantId}" has ${doc.cancellation ? 'a cancellation' : 'returns'}: storedOrderRecords replays orders only`);
    }
    const ms = Date.parse(doc.placedAt);
    if (Number.isNaN(ms)) throw new Error(`order "${key}" of tenant "${tenantId}": placedAt ${JSON.stringify(doc.placedAt)} is not an instant`);
    orders.push({ ms, record: doc.order });
  }
  return orders.sort((a, b) => a.ms - b.ms || (a.record.id < b.record.id ? -1 : 1)).map((o) => o.record);
}
