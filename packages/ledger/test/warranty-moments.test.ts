/**
 * The extended-warranty moments on every store: an order offers the plan (`warranty.offer`), the moments run reminds
 * the customer 14 and 3 days before the last day to buy (`warranty.window-closing`) while units are uncovered, a
 * registration (`warranty.contract.registered`) covers a unit, and a transfer (`warranty.contract.transferred`) names
 * both owners. Worked by hand from toko's "Toko Care +2 years" (bought within 60 days of the purchase) in Jakarta.
 */
import { expect } from 'chai';
import { Ledger } from '../src/ledger/ledger.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';

const T = 'shop';
const program = { ...(tokoProgram as object), moments: { warrantyWindowClosing: { daysBefore: [14, 3] } } };
/** A TV bought on 10 December 2026 in Jakarta: the plan can be bought until 8 February 2027 (60 days later). */
const BOUGHT = '2026-12-10T10:00:00+07:00';
const tvLine = (quantity: number) => ({ sku: 'TV-55', category: 'tv', quantity, unitPrice: '8000000', manufacturerWarranty: { months: 12 } });
const tvProduct = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } };
/** Local midnight of 25 January (14 days before 8 February) and of 5 February (3 days before), in UTC. */
const CLOSING_14 = '2027-01-24T17:00:00.000Z';
const CLOSING_3 = '2027-02-04T17:00:00.000Z';

forEachStore('warranty moments', (open) => {
  let ledger: Ledger;
  beforeEach(async () => {
    ledger = new Ledger(await open());
    await ledger.publishProgram(T, program);
  });
  afterEach(async () => {
    await ledger.close();
  });

  const ofType = async (customerId: string, type: string): Promise<Array<{ occurredAt: string; data: Record<string, unknown> }>> =>
    (await ledger.listMoments(T, { customerId, type, limit: 500 })).items;

  it('reminds of the last day to buy while a unit is uncovered, and stops once contracts cover every unit', async () => {
    await ledger.recordOrder(T, { id: 'o-ayu', customerId: 'ayu', currency: 'IDR', lines: [tvLine(2)] }, { at: BOUGHT });
    await ledger.recordOrder(T, { id: 'o-budi', customerId: 'budi', currency: 'IDR', lines: [tvLine(1)] }, { at: BOUGHT });
    const [offer] = await ofType('ayu', 'warranty.offer');
    expect(offer?.data).to.deep.include({ orderId: 'o-ayu', sku: 'TV-55', quantity: 2 });
    expect((offer?.data.plans as Array<Record<string, unknown>>).map((p) => [p.planId, p.lastPurchaseDay])).to.deep.equal([['care-2y', '2027-02-08']]);

    // One of ayu's two units is covered (by its order); budi's only unit is covered (found by its sku alone).
    const registered = await ledger.warrantyContracts.register(T, { id: 'wc-ayu-1', customerId: 'ayu', planId: 'care-2y', orderId: 'o-ayu', product: { ...tvProduct, serialNumber: 'SN-1' } }, { at: '2027-01-15T10:00:00+07:00' });
    expect(registered.replayed).to.equal(false);
    await ledger.warrantyContracts.register(T, { id: 'wc-budi', customerId: 'budi', planId: 'care-2y', product: { ...tvProduct, serialNumber: 'SN-9' } }, { at: '2027-01-15T10:00:00+07:00' });
    const [moment] = await ofType('ayu', 'warranty.contract.registered');
    // 8% of Rp8.000.000: Rp640.000; cover from the manufacturer's end (10 December 2027) for 24 months.
    expect(moment?.data).to.deep.include({ contractId: 'wc-ayu-1', planId: 'care-2y', planName: 'Toko Care +2 years', price: '640000', currency: 'IDR', sku: 'TV-55', serialNumber: 'SN-1', orderId: 'o-ayu', endsOn: '2029-12-10' });

    // 25 January: ayu is reminded 14 days ahead (one of two units uncovered); budi is not.
    await ledger.runMomentsJob(T, { at: '2027-01-26T00:00:00Z' });
    const closing = await ofType('ayu', 'warranty.window-closing');
    expect(closing.map((m) => [m.occurredAt, m.data.daysBefore])).to.deep.equal([[CLOSING_14, 14]]);
    expect(closing[0]?.data).to.deep.include({ orderId: 'o-ayu', sku: 'TV-55', quantity: 2, covered: 1, lastPurchaseDay: '2027-02-08' });
    expect((closing[0]?.data.plans as Array<Record<string, unknown>>).map((p) => p.planId)).to.deep.equal(['care-2y']);
    expect(await ofType('budi', 'warranty.window-closing')).to.deep.equal([]);

    // The second unit is covered on 1 February: no 3-day reminder on 5 February.
    await ledger.warrantyContracts.register(T, { id: 'wc-ayu-2', customerId: 'ayu', planId: 'care-2y', orderId: 'o-ayu', product: { ...tvProduct, serialNumber: 'SN-2' } }, { at: '2027-02-01T10:00:00+07:00' });
    await ledger.runMomentsJob(T, { at: '2027-02-06T00:00:00Z' });
    await ledger.runMomentsJob(T, { at: '2027-02-10T00:00:00Z' });
    expect((await ofType('ayu', 'warranty.window-closing')).length).to.equal(1);
    expect((await ofType('ayu', 'warranty.contract.registered')).map((m) => m.data.contractId)).to.deep.equal(['wc-ayu-1', 'wc-ayu-2']);

    // A transfer: the moment is on the giver's account and names both owners.
    await ledger.warrantyContracts.transfer(T, 'wc-ayu-1', { id: 'tr-1', toCustomerId: 'budi', reason: 'sold the TV' }, { at: '2027-03-01T10:00:00+07:00' });
    const [transferred] = await ofType('ayu', 'warranty.contract.transferred');
    expect(transferred?.data).to.deep.include({ contractId: 'wc-ayu-1', transferId: 'tr-1', planId: 'care-2y', sku: 'TV-55', serialNumber: 'SN-1', fromCustomerId: 'ayu', toCustomerId: 'budi', reason: 'sold the TV', endsOn: '2029-12-10' });
    // Sent again, the transfer answers its first answer and emits nothing more.
    expect((await ledger.warrantyContracts.transfer(T, 'wc-ayu-1', { id: 'tr-1', toCustomerId: 'budi', reason: 'sold the TV' }, { at: '2027-03-01T10:00:00+07:00' })).replayed).to.equal(true);
    expect((await ofType('ayu', 'warranty.contract.transferred')).length).to.equal(1);
  });

  it('a late run still reminds while the window is open, and a run after the last day reminds of nothing', async () => {
    await ledger.recordOrder(T, { id: 'o-citra', customerId: 'citra', currency: 'IDR', lines: [tvLine(1)] }, { at: BOUGHT });
    await ledger.recordOrder(T, { id: 'o-dewi', customerId: 'dewi', currency: 'IDR', lines: [tvLine(1)] }, { at: BOUGHT });
    await ledger.runMomentsJob(T, { at: '2026-12-11T00:00:00Z' });
    // Citra is first looked at on 6 February, two days before the last day: both reminders, in the order they fell due.
    await ledger.runMomentsJob(T, { at: '2027-02-06T00:00:00Z' });
    expect((await ofType('citra', 'warranty.window-closing')).map((m) => [m.occurredAt, m.data.daysBefore])).to.deep.equal([
      [CLOSING_14, 14],
      [CLOSING_3, 3],
    ]);
    expect((await ofType('dewi', 'warranty.window-closing')).length).to.equal(2);
    // Nothing again, and nothing for an order whose window closed (8 February ends at 17:00 UTC) before any run
    // looked at it: its points become available, its reminders are not sent late.
    expect(await ledger.runMomentsJob(T, { at: '2027-02-06T00:00:00Z' })).to.deep.equal({ emitted: 0, customers: 0 });
    await ledger.recordOrder(T, { id: 'o-eka', customerId: 'eka', currency: 'IDR', lines: [tvLine(1)] }, { at: BOUGHT });
    expect(await ledger.runMomentsJob(T, { at: '2027-02-08T17:00:00Z' })).to.deep.equal({ emitted: 1, customers: 1 });
    expect((await ofType('eka', 'points.available')).length).to.equal(1);
    expect(await ofType('eka', 'warranty.window-closing')).to.deep.equal([]);
  });
});
