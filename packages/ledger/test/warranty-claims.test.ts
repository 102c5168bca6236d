/**
 * Claims on warranty contracts and contracts cancelled by a return, on every store. The worked example of
 * docs/after-sales.md: Ayu's laptop (Rp12.000.000, 12 months from the manufacturer, bought 10 December 2026) with
 * toko's care-2y: 8 % = Rp960.000 for a silver customer; the manufacturer covers it to 10 December 2027, the plan
 * from then for 24 months to 10 December 2029; the remote is excluded, so it has the manufacturer's year only.
 */
import { expect } from 'chai';
import type { InputError} from '../src/errors.js';
import { IdempotencyMismatch, NotFound } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { FaultyStore } from '../src/store/faulty-store.js';
import type { Store } from '../src/store/store.js';
import { WarrantyTransferRefused } from '../src/warranty/warranty-errors.js';
import { crashBeforeEachWrite } from './support/crash-steps.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';
import { errorOf } from './support/error-of.js';

const T = 'shop';
const BOUGHT = '2026-12-10T10:00:00+07:00';
const SOLD = '2026-12-15T10:00:00+07:00';
const laptop = { sku: 'LP-14', category: 'laptop', price: '12000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } };
const tv = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } } };

const codes = (reasons: ReadonlyArray<{ code: string }> | undefined): string[] => (reasons ?? []).map((r) => r.code);

forEachStore('Warranty claims and cancellations', (open) => {
  let store: Store;
  let ledger: Ledger;

  async function setUp(target: Ledger): Promise<void> {
    await target.publishProgram(T, tokoProgram);
    for (const id of ['ayu', 'budi']) await target.upsertCustomer(T, { id, enrolledAt: '2026-01-05T09:00:00+07:00' }, { at: '2026-01-05T09:00:00+07:00' });
  }

  async function buyLaptop(target: Ledger, orderId = 'o-lp', contractId = 'wc-lp', customerId = 'ayu'): Promise<void> {
    await target.recordOrder(T, { id: orderId, customerId, placedAt: BOUGHT, currency: 'IDR', lines: [{ sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' }] }, { at: BOUGHT });
    await target.warrantyContracts.register(T, { id: contractId, customerId, planId: 'care-2y', product: laptop, orderId }, { at: SOLD });
  }

  beforeEach(async () => {
    store = await open();
    ledger = new Ledger(store);
    await setUp(ledger);
  });
  afterEach(async () => {
    await store.close();
  });

  describe('claims', () => {
    beforeEach(() => buyLaptop(ledger));

    it('a screen after the manufacturer\'s year is the plan\'s; the excluded remote is nobody\'s; the last manufacturer day is the manufacturer\'s', async () => {
      const contract = await ledger.warrantyContracts.get(T, 'wc-lp', { at: SOLD });
      // 12.000.000 earned Ayu silver (from 5.000.000), which has no plan discount: 8 % of 12.000.000.
      expect([contract.tier, contract.price, contract.status]).to.deep.equal(['silver', '960000', 'active']);
      const screen = await ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-screen', component: 'screen', problem: 'dead pixels in the top left corner' }, { at: '2028-03-01T10:00:00+07:00' });
      expect(screen).to.include({ claimId: 'cl-screen', contractId: 'wc-lp', component: 'screen', covered: true, coveredBy: 'plan', coveredUntil: '2029-12-10', claimedOn: '2028-03-01', replayed: false });
      expect(screen.reasons).to.deep.equal([]);
      const remote = await ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-remote', component: 'remote', problem: 'buttons do not respond' }, { at: '2028-03-01T11:00:00+07:00' });
      expect([remote.covered, remote.coveredBy, remote.coveredUntil, codes(remote.reasons)]).to.deep.equal([false, null, null, ['component-excluded', 'cover-ended']]);
      const lastDay = await ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-unit', component: 'unit', problem: 'does not boot' }, { at: '2027-12-10T20:00:00+07:00' });
      expect([lastDay.coveredBy, lastDay.coveredUntil]).to.deep.equal(['manufacturer', '2027-12-10']);
    });

    it('replays a claim id with its first answer; other content under it is a mismatch', async () => {
      const request = { id: 'cl-1', component: 'screen', problem: 'flickers' };
      const first = await ledger.warrantyContracts.claim(T, 'wc-lp', request, { at: '2028-03-01T10:00:00+07:00' });
      // Sent again two years later, when the cover has ended: still the first answer.
      const again = await ledger.warrantyContracts.claim(T, 'wc-lp', request, { at: '2030-03-01T10:00:00+07:00' });
      expect(again).to.deep.equal({ ...first, replayed: true });
      expect(await errorOf(ledger.warrantyContracts.claim(T, 'wc-lp', { ...request, problem: 'cracked' }, { at: '2028-03-01T10:00:00+07:00' }))).to.be.instanceOf(IdempotencyMismatch);
      const history = await ledger.warrantyContracts.claims(T, 'wc-lp', { at: '2030-03-01T10:00:00+07:00' });
      expect(history.items.map((c) => c.claimId)).to.deep.equal(['cl-1']);
    });

    it('keeps a service history per contract in claim-date order, paged, as of an instant', async () => {
      const claims: Array<[string, string, string]> = [
        ['cl-c', 'battery', '2028-05-01T10:00:00+07:00'],
        ['cl-a', 'unit', '2027-03-01T10:00:00+07:00'],
        ['cl-b', 'remote', '2027-08-01T10:00:00+07:00'],
      ];
      for (const [id, component, at] of claims) await ledger.warrantyContracts.claim(T, 'wc-lp', { id, component, problem: 'broken' }, { at });
      const seen: Array<[string, boolean, string | null]> = [];
      let cursor: string | undefined;
      do {
        const page = await ledger.warrantyContracts.claims(T, 'wc-lp', { at: '2029-01-01T00:00:00Z', limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((c): [string, boolean, string | null] => [c.claimId, c.covered, c.coveredBy]));
        cursor = page.nextCursor;
      } while (cursor);
      // The remote in August 2027 is still inside the laptop's manufacturer year (the manufacturer lists no remote term).
      expect(seen).to.deep.equal([
        ['cl-a', true, 'manufacturer'],
        ['cl-b', true, 'manufacturer'],
        ['cl-c', true, 'plan'],
      ]);
      expect((await ledger.warrantyContracts.claims(T, 'wc-lp', { at: '2027-09-01T00:00:00Z' })).items.map((c) => c.claimId)).to.deep.equal(['cl-a', 'cl-b']);
    });

    it('a claimant who gave the contract away, or never held it, is not covered', async () => {
      await ledger.warrantyContracts.transfer(T, 'wc-lp', { id: 'tr-1', toCustomerId: 'budi', reason: 'sold the laptop' }, { at: '2028-01-05T10:00:00+07:00' });
      const at = { at: '2028-03-01T10:00:00+07:00' };
      expect(codes((await ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-ayu', component: 'screen', problem: 'dim', customerId: 'ayu' }, at)).reasons)).to.deep.equal(['transferred-away']);
      expect((await ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-budi', component: 'screen', problem: 'dim', customerId: 'budi' }, at)).covered).to.equal(true);
      expect(codes((await ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-x', component: 'screen', problem: 'dim', customerId: 'citra' }, at)).reasons)).to.deep.equal(['not-owner']);
    });

    it('refuses a contract that does not exist (yet) and malformed claims with pointers', async () => {
      expect(await errorOf(ledger.warrantyContracts.claim(T, 'wc-none', { id: 'cl-1', component: 'unit', problem: 'x' }, { at: SOLD }))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-1', component: 'unit', problem: 'x' }, { at: '2026-12-14T10:00:00+07:00' }))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.warrantyContracts.claim('other-shop', 'wc-lp', { id: 'cl-1', component: 'unit', problem: 'x' }, { at: SOLD }))).to.be.instanceOf(NotFound);
      const bad = await errorOf(ledger.warrantyContracts.claim(T, 'wc-lp', { id: 'cl-1', component: '', problem: 7, extra: true }, { at: SOLD }));
      expect((bad as InputError).errors.map((p) => p.pointer)).to.have.members(['/extra', '/component', '/problem']);
    });
  });

  describe('a return cancels the contracts of the units it takes back', () => {
    beforeEach(async () => {
      // Two TVs on one order (16.000.000: silver), a contract for each; then one order line without a contract.
      await ledger.recordOrder(T, { id: 'o-tv', customerId: 'ayu', placedAt: BOUGHT, currency: 'IDR', lines: [{ sku: 'TV-55', category: 'tv', quantity: 2, unitPrice: '8000000' }, { sku: 'CBL-1', category: 'accessory', quantity: 1, unitPrice: '100000' }] }, { at: BOUGHT });
      await ledger.warrantyContracts.register(T, { id: 'wc-a', customerId: 'ayu', planId: 'care-2y', product: tv, orderId: 'o-tv' }, { at: SOLD });
      await ledger.warrantyContracts.register(T, { id: 'wc-b', customerId: 'ayu', planId: 'care-2y', product: tv, orderId: 'o-tv' }, { at: '2026-12-15T11:00:00+07:00' });
    });

    it('one TV back: the contract sold last is cancelled with a full refund (the plan had not started), reported in the return and the contract', async () => {
      const answer = await ledger.returnOrder(T, 'o-tv', { id: 'r-1', lines: [{ sku: 'TV-55', quantity: 1 }] }, { at: '2026-12-20T10:00:00+07:00' });
      // care-2y refunds pro rata; on 20 December 2026 none of its cover (from 10 December 2027) was used: 640.000 back.
      expect(answer.warrantyContractsCancelled).to.deep.equal([{ contractId: 'wc-b', sku: 'TV-55', refundPolicy: 'pro-rata', refund: '640000', currency: 'IDR' }]);
      const b = await ledger.warrantyContracts.get(T, 'wc-b', { at: '2026-12-21T00:00:00Z' });
      expect(b.status).to.equal('cancelled');
      expect(b.cancellation).to.include({ returnId: 'r-1', orderId: 'o-tv', cancelledOn: '2026-12-20', refundPolicy: 'pro-rata', refund: '640000', currency: 'IDR', unusedDays: 731, planDays: 731 });
      expect((await ledger.warrantyContracts.get(T, 'wc-b', { at: '2026-12-19T00:00:00Z' })).status).to.equal('active');
      expect((await ledger.warrantyContracts.get(T, 'wc-a', { at: '2026-12-21T00:00:00Z' })).status).to.equal('active');
      // Cancelled: a claim answers not covered, a transfer is refused.
      const claim = await ledger.warrantyContracts.claim(T, 'wc-b', { id: 'cl-b', component: 'unit', problem: 'no picture' }, { at: '2027-01-10T10:00:00+07:00' });
      expect([claim.covered, codes(claim.reasons)]).to.deep.equal([false, ['contract-cancelled']]);
      const transfer = await errorOf(ledger.warrantyContracts.transfer(T, 'wc-b', { id: 'tr-b', toCustomerId: 'budi' }, { at: '2027-01-10T10:00:00+07:00' }));
      expect(transfer).to.be.instanceOf(WarrantyTransferRefused);
      expect(codes((transfer as WarrantyTransferRefused).reasons)).to.deep.equal(['contract-cancelled']);
      // The replay answers the same and cancels nothing more.
      expect(await ledger.returnOrder(T, 'o-tv', { id: 'r-1', lines: [{ sku: 'TV-55', quantity: 1 }] }, { at: '2026-12-20T10:00:00+07:00' })).to.deep.equal({ ...answer, replayed: true });
      expect((await ledger.warrantyContracts.get(T, 'wc-a', { at: '2026-12-21T00:00:00Z' })).status).to.equal('active');
    });

    it('another sku back cancels nothing; the second TV back cancels the other contract, pro rata once its plan runs', async () => {
      const cable = await ledger.returnOrder(T, 'o-tv', { id: 'r-cable', lines: [{ sku: 'CBL-1', quantity: 1 }] }, { at: '2026-12-20T10:00:00+07:00' });
      expect(cable.warrantyContractsCancelled).to.equal(undefined);
      await ledger.returnOrder(T, 'o-tv', { id: 'r-1', lines: [{ sku: 'TV-55', quantity: 1 }] }, { at: '2026-12-21T10:00:00+07:00' });
      // A year into the plan (10 Dec 2027 -> 10 Dec 2028: 366 days of 731): 640.000 x 365 / 731 = 319.562,24 rounded down.
      const second = await ledger.returnOrder(T, 'o-tv', { id: 'r-2', lines: [{ sku: 'TV-55', quantity: 1 }] }, { at: '2028-12-10T10:00:00+07:00' });
      expect(second.warrantyContractsCancelled).to.deep.equal([{ contractId: 'wc-a', sku: 'TV-55', refundPolicy: 'pro-rata', refund: '319562.24', currency: 'IDR' }]);
    });
  });

  describe('crashes', () => {
    it('a claim, and a return that cancels a contract, crashed before each write and retried: recorded once, answered the same', async function () {
      this.timeout(180_000);
      await store.close();
      store = await open();
      const faulty = new FaultyStore(store);
      ledger = new Ledger(faulty);
      await setUp(ledger);
      await buyLaptop(ledger);
      const at = '2028-03-01T10:00:00+07:00';
      await crashBeforeEachWrite(faulty, {
        run: (n) => ledger.warrantyContracts.claim(T, 'wc-lp', { id: `cl-${n}`, component: 'screen', problem: 'dead pixels' }, { at, idempotencyKey: `claim-${n}` }),
        check: async (n, answer) => {
          expect(answer).to.include({ claimId: `cl-${n}`, covered: true, coveredBy: 'plan' });
          const history = await ledger.warrantyContracts.claims(T, 'wc-lp', { at, limit: 500 });
          expect(history.items.filter((c) => c.claimId === `cl-${n}`)).to.have.length(1);
        },
      });
      await crashBeforeEachWrite(faulty, {
        // A customer a round, so every laptop is bought by a silver customer at the same price.
        prepare: (n) => buyLaptop(ledger, `o-r${n}`, `wc-r${n}`, `c-${n}`),
        run: (n) => ledger.returnOrder(T, `o-r${n}`, { id: `r-${n}`, lines: [{ sku: 'LP-14', quantity: 1 }] }, { at: '2026-12-20T10:00:00+07:00' }),
        check: async (n, answer) => {
          expect(answer.warrantyContractsCancelled).to.deep.equal([{ contractId: `wc-r${n}`, sku: 'LP-14', refundPolicy: 'pro-rata', refund: '960000', currency: 'IDR' }]);
          const contract = await ledger.warrantyContracts.get(T, `wc-r${n}`, { at: '2026-12-21T00:00:00Z' });
          expect([contract.status, contract.cancellation?.returnId]).to.deep.equal(['cancelled', `r-${n}`]);
        },
      });
    });
  });
});
