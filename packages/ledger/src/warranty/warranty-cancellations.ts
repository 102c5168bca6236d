/**
 * A return cancels the warranty contracts of the units it takes back. Contracts sold with an order (`orderId` at
 * registration) are found through the `warrantyContractOrders` index; a return of that order's sku cancels as many
 * of them as the order no longer has units of: after the return, the order keeps `ordered − returned` units of the
 * sku, the contracts still active beyond that count are cancelled, the most recently registered first (a return
 * names skus and quantities, not serial numbers, so the contracts sold first stay with the units kept).
 *
 * Each cancellation is decided by the rules (`decideContractRefund`, with the program version the contract was sold
 * under, so the refund is the one its plan promised) and written with the return's commit as an insert into
 * `warrantyCancellations`: a crash between the return's commit and its flush is finished by the retry, as every
 * other document of an operation is (write-protocol.ts).
 */
import { decideContractRefund } from '@purna/rules';
import type { CommittedDocument, OrderDoc, ReturnDecision } from '../account/account-doc.js';
import type { CancelledContract } from '../contract/answers.js';
import type { Store } from '../store/store.js';
import type { ProgramSource } from './warranty-contracts.js';
import type { ContractCancellationDoc, ContractOrderRow, WarrantyContractDoc } from './warranty-contract-doc.js';

/** Separates the parts of an index key; ids never contain control characters (checkId). */
const SEP = '\u0001';

/** The key of a contract's row in the `warrantyContractOrders` index. */
export const contractOrderKey = (orderId: string, contractId: string): string => `${orderId}${SEP}${contractId}`;

/** Rows read per round trip. */
const PAGE = 100;

async function contractsOfOrder(store: Store, tenantId: string, orderId: string): Promise<ContractOrderRow[]> {
  const rows: ContractOrderRow[] = [];
  const prefix = `${orderId}${SEP}`;
  let after: string | undefined;
  for (;;) {
    const page = await store.list<ContractOrderRow>('warrantyContractOrders', tenantId, { prefix, limit: PAGE, ...(after !== undefined ? { after } : {}) });
    rows.push(...page.map((row) => row.doc));
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return rows;
    after = last.key;
  }
}

function quantityOf(lines: ReadonlyArray<{ sku: string; quantity: number }>, sku: string): number {
  return lines.reduce((sum, line) => (line.sku === sku ? sum + line.quantity : sum), 0);
}

/**
 * The contracts the return `decision` of `order` cancels (its decision already in `order.returns`), with the
 * documents that record them.
 *
 * @example
 * const { documents, cancelled } = await cancellationsOnReturn(store, programs, 'shop', order, decision);
 * cancelled // [{ contractId: 'wc-1', sku: 'TV-55', refundPolicy: 'pro-rata', refund: '640000', currency: 'IDR' }]
 */
export async function cancellationsOnReturn(
  store: Store,
  programs: ProgramSource,
  tenantId: string,
  order: OrderDoc,
  decision: ReturnDecision,
): Promise<{ documents: CommittedDocument[]; cancelled: CancelledContract[] }> {
  const skus = [...new Set(decision.lines.map((line) => line.sku))];
  const rows = skus.length === 0 ? [] : (await contractsOfOrder(store, tenantId, order.orderId)).filter((row) => skus.includes(row.sku));
  const documents: CommittedDocument[] = [];
  const cancelled: CancelledContract[] = [];
  for (const sku of skus) {
    const active: WarrantyContractDoc[] = [];
    for (const row of rows.filter((r) => r.sku === sku)) {
      const contract = await store.get<WarrantyContractDoc>('warrantyContracts', tenantId, row.contractId);
      if (!contract || contract.doc.orderId !== order.orderId || contract.doc.registeredAt > decision.at) continue;
      if (await store.get<ContractCancellationDoc>('warrantyCancellations', tenantId, row.contractId)) continue;
      active.push(contract.doc);
    }
    const kept = quantityOf(order.order.lines, sku) - order.returns.reduce((sum, r) => sum + quantityOf(r.lines, sku), 0);
    active.sort((a, b) => (a.registeredAt === b.registeredAt ? (a.contractId < b.contractId ? -1 : 1) : a.registeredAt < b.registeredAt ? -1 : 1));
    for (const contract of active.slice(Math.max(kept, 0))) {
      const loaded = await programs.load(tenantId, contract.programVersion);
      const { serialNumber: _serial, ...product } = contract.product;
      const refund = decideContractRefund(loaded.compiled, { planId: contract.planId, product, ...(contract.tier !== null ? { tier: contract.tier } : {}), price: contract.price }, { at: decision.at });
      const doc: ContractCancellationDoc = {
        contractId: contract.contractId,
        returnId: decision.returnId,
        orderId: order.orderId,
        at: decision.at,
        cancelledOn: refund.cancelledOn,
        refundPolicy: refund.policy,
        refund: refund.refund,
        currency: contract.currency,
        planDays: refund.planDays,
        unusedDays: refund.unusedDays,
        trace: [...refund.trace],
        traceSentences: [...refund.traceSentences],
      };
      documents.push({ write: 'insert', collection: 'warrantyCancellations', key: contract.contractId, doc });
      cancelled.push({ contractId: contract.contractId, sku, refundPolicy: refund.policy, refund: refund.refund, currency: contract.currency });
    }
  }
  return { documents, cancelled };
}
