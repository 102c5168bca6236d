/**
 * Warranty contracts on every store: registration re-checks the plan with the rules (toko's "Toko Care +2 years",
 * the worked example of docs/after-sales.md), replays by id, transfers keep every owner, and of concurrent transfers
 * exactly one is stored.
 */
import { expect } from 'chai';
import { Conflict, IdempotencyMismatch, InputError, NotFound } from '../src/errors.js';
import { Ledger } from '../src/ledger/ledger.js';
import { FaultyStore } from '../src/store/faulty-store.js';
import { ForwardingStore } from '../src/store/forwarding-store.js';
import type { CollectionName, GetOptions, Store, Versioned } from '../src/store/store.js';
import { WarrantyPlanRefused, WarrantyTransferRefused } from '../src/warranty/warranty-errors.js';
import { crashBeforeEachWrite } from './support/crash-steps.js';
import { tokoProgram } from './support/programs.js';
import { forEachStore } from './support/store-targets.js';
import { errorOf } from './support/error-of.js';

const T = 'shop';
/** 15 January 2027, 10:00 in Jakarta: inside the 60-day window of a TV bought on 10 December 2026. */
const SOLD = '2027-01-15T10:00:00+07:00';
const SOLD_UTC = '2027-01-15T03:00:00.000Z';
const tv = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } }, serialNumber: 'SN-0001' };

type Plan = Record<string, unknown>;
const careOf = (): Plan => (tokoProgram as { warranty: { plans: Plan[] } }).warranty.plans[0] as Plan;

/** Toko Rewards with its care plan's transfer policy replaced, and a second plan that cannot be transferred. */
function programWith(transfer: Record<string, unknown>): Record<string, unknown> {
  const care = careOf();
  return { ...(tokoProgram as object), warranty: { plans: [{ ...care, transfer }, { ...care, id: 'care-basic', name: 'Toko Care basic', transfer: { allowed: false } }] } };
}

const codes = (error: unknown): string[] => ((error as { reasons?: Array<{ code: string }> }).reasons ?? []).map((r) => r.code);
const pointers = (error: unknown): string[] => {
  expect(error).to.be.instanceOf(InputError);
  return (error as InputError).errors.map((p) => p.pointer);
};

/** Lets `replace` of a contract through only once `readers` reads of contracts were made: every racer reads first. */
class GatedStore extends ForwardingStore {
  private reads = 0;
  private open: () => void = () => undefined;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));

  constructor(
    inner: Store,
    private readonly readers: number,
  ) {
    super(inner);
  }

  override async get<T extends object>(collection: CollectionName, tenantId: string, key: string, options?: GetOptions): Promise<Versioned<T> | undefined> {
    const found = await super.get<T>(collection, tenantId, key, options);
    if (collection === 'warrantyContracts' && ++this.reads >= this.readers) this.open();
    return found;
  }

  override async replace<T extends object>(collection: CollectionName, tenantId: string, key: string, expectedVersion: number, doc: T): Promise<Versioned<T> | undefined> {
    if (collection === 'warrantyContracts') await this.gate;
    return super.replace(collection, tenantId, key, expectedVersion, doc);
  }
}

forEachStore('Warranty contracts', (open) => {
  let store: Store;
  let ledger: Ledger;

  async function customers(...ids: string[]): Promise<void> {
    for (const id of ids) await ledger.upsertCustomer(T, { id, enrolledAt: '2026-01-05T09:00:00+07:00' }, { at: '2026-01-05T09:00:00+07:00' });
  }

  beforeEach(async () => {
    store = await open();
    ledger = new Ledger(store);
  });
  afterEach(async () => {
    await store.close();
  });

  describe('registration', () => {
    beforeEach(async () => {
      await ledger.publishProgram(T, tokoProgram);
      await customers('ayu', 'budi');
    });

    it("records the price and cover the rules give for the customer's tier at the sale, with the program version", async () => {
      // Ayu spent Rp25.000.000 in December: gold at the sale (threshold Rp20.000.000, 12-month window).
      await ledger.recordOrder(T, { id: 'o-1', customerId: 'ayu', placedAt: '2026-12-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'LP-1', category: 'laptop', quantity: 1, unitPrice: '25000000' }] }, { at: '2026-12-01T10:00:00+07:00' });
      const contract = await ledger.warrantyContracts.register(T, { id: 'wc-1', customerId: 'ayu', planId: 'care-2y', product: tv, orderId: 'o-9' }, { at: SOLD });
      expect(contract).to.include({ id: 'wc-1', customerId: 'ayu', planId: 'care-2y', planName: 'Toko Care +2 years', programId: 'toko-rewards', programVersion: 1, tier: 'gold', orderId: 'o-9', currency: 'IDR', registeredAt: SOLD_UTC, ended: false, replayed: false });
      // after-sales.md: 8 % of 8.000.000 = 640.000, gold 20 % off = 512.000.
      expect([contract.listPrice, contract.price]).to.deep.equal(['640000', '512000']);
      // The unit: manufacturer to 10 Dec 2027, then 24 + 6 (gold) months; the remote is excluded: 6 months only.
      expect(contract.coverage).to.deep.equal({
        starts: 'after-manufacturer',
        startsOn: '2027-12-10',
        endsOn: '2030-06-10',
        components: [
          { component: 'unit', manufacturerEnd: '2027-12-10', planStart: '2027-12-10', end: '2030-06-10', excluded: false },
          { component: 'remote', manufacturerEnd: '2027-06-10', end: '2027-06-10', excluded: true },
        ],
        excludedComponents: ['remote'],
      });
      expect(contract.transfer).to.deep.equal({ allowed: true, maxTransfers: 1, used: 0, remaining: 1 });
      expect(contract.owners).to.deep.equal([{ customerId: 'ayu', since: SOLD_UTC }]);
      expect(contract.product.serialNumber).to.equal('SN-0001');
      const { replayed: _replayed, ...stored } = contract;
      expect(await ledger.warrantyContracts.get(T, 'wc-1', { at: SOLD })).to.deep.equal(stored);
    });

    it('refuses a plan the rules do not offer with every reason, and stores nothing', async () => {
      // 9 February 2027 is the day after the window (10 December + 60 days = 8 February).
      const late = await errorOf(ledger.warrantyContracts.register(T, { id: 'wc-late', customerId: 'budi', planId: 'care-2y', product: tv }, { at: '2027-02-09T10:00:00+07:00' }));
      expect(late).to.be.instanceOf(WarrantyPlanRefused);
      expect(codes(late)).to.deep.equal(['purchase-window-ended']);
      const cable = { sku: 'CBL-1', category: 'accessory', price: '60000000', purchasedOn: '2027-01-10', manufacturerWarranty: { months: 12 } };
      const both = await errorOf(ledger.warrantyContracts.register(T, { id: 'wc-cable', customerId: 'budi', planId: 'care-2y', product: cable }, { at: SOLD }));
      expect(codes(both)).to.have.members(['category-not-covered', 'price-above-maximum']);
      for (const id of ['wc-late', 'wc-cable']) expect(await errorOf(ledger.warrantyContracts.get(T, id, { at: SOLD }))).to.be.instanceOf(NotFound);
      expect((await ledger.warrantyContracts.listForCustomer(T, 'budi', { at: SOLD })).items).to.deep.equal([]);
    });

    it('replays the same id with the first answer, even once the plan is no longer offered; other content is a mismatch', async () => {
      const request = { id: 'wc-1', customerId: 'ayu', planId: 'care-2y', product: tv };
      const first = await ledger.warrantyContracts.register(T, request, { at: SOLD });
      await ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-1', toCustomerId: 'budi' }, { at: '2027-03-01T10:00:00+07:00' });
      // Months later the window is closed and the contract has another owner: the replay is still the first answer.
      const again = await ledger.warrantyContracts.register(T, request, { at: '2027-06-01T10:00:00+07:00' });
      expect(again).to.deep.equal({ ...first, replayed: true });
      const other = await errorOf(ledger.warrantyContracts.register(T, { ...request, product: { ...tv, price: '9000000' } }, { at: SOLD }));
      expect(other).to.be.instanceOf(IdempotencyMismatch);
    });

    it('registers under the newest published version, and earlier contracts keep what they were sold with', async () => {
      await ledger.warrantyContracts.register(T, { id: 'wc-v1', customerId: 'ayu', planId: 'care-2y', product: tv }, { at: SOLD });
      const care = careOf();
      await ledger.publishProgram(T, { ...(tokoProgram as object), warranty: { plans: [{ ...care, price: { percentOfProductPrice: '10', min: '250000' } }] } });
      const v2 = await ledger.warrantyContracts.register(T, { id: 'wc-v2', customerId: 'ayu', planId: 'care-2y', product: tv }, { at: SOLD });
      // 10 % of 8.000.000, bronze (no discount).
      expect([v2.programVersion, v2.price]).to.deep.equal([2, '800000']);
      const v1 = await ledger.warrantyContracts.get(T, 'wc-v1', { at: SOLD });
      expect([v1.programVersion, v1.price]).to.deep.equal([1, '640000']);
    });

    it('answers bad input with the field, an unknown plan or customer by name', async () => {
      const register = (request: unknown): Promise<unknown> => errorOf(ledger.warrantyContracts.register(T, request, { at: SOLD }));
      expect(pointers(await register({ id: 'wc-x', customerId: 'ayu', planId: 'care-9y', product: tv }))).to.deep.equal(['/planId']);
      expect(await register({ id: 'wc-x', customerId: 'nobody', planId: 'care-2y', product: tv })).to.be.instanceOf(NotFound);
      expect(pointers(await register({ id: 'wc-x', customerId: 'ayu', planId: 'care-2y', product: { ...tv, price: 'cheap' } }))).to.deep.equal(['/product/price']);
      expect(pointers(await register({ id: 'wc-x', customerId: 'ayu', planId: 'care-2y', product: { ...tv, colour: 'black' }, paid: true }))).to.have.members(['/paid', '/product/colour']);
      expect(pointers(await register({ id: '', customerId: 'ayu', planId: 'care-2y', product: tv }))).to.deep.equal(['/id']);
      expect(pointers(await register({ id: 'wc-x', customerId: 'ayu', planId: 'care-2y', product: { ...tv, serialNumber: '' } }))).to.deep.equal(['/product/serialNumber']);
    });

    it('binds an Idempotency-Key to one registration', async () => {
      const request = { id: 'wc-k', customerId: 'ayu', planId: 'care-2y', product: tv };
      await ledger.warrantyContracts.register(T, request, { at: SOLD, idempotencyKey: 'key-1' });
      expect((await ledger.warrantyContracts.register(T, request, { at: SOLD, idempotencyKey: 'key-1' })).replayed).to.equal(true);
      const reused = await errorOf(ledger.warrantyContracts.register(T, { ...request, id: 'wc-k2' }, { at: SOLD, idempotencyKey: 'key-1' }));
      expect(reused).to.be.instanceOf(IdempotencyMismatch);
    });
  });

  describe('transfers', () => {
    const transferAt = '2027-03-01T10:00:00+07:00';

    async function sell(id: string, planId = 'care-2y', customerId = 'ayu'): Promise<void> {
      await ledger.warrantyContracts.register(T, { id, customerId, planId, product: tv }, { at: SOLD });
    }

    it('appends the new owner and keeps the previous one; reads as of an earlier instant see the owner then', async () => {
      await ledger.publishProgram(T, tokoProgram);
      await customers('ayu', 'budi');
      await sell('wc-1');
      const answer = await ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-1', toCustomerId: 'budi', fromCustomerId: 'ayu', reason: 'sold the TV' }, { at: transferAt });
      expect(answer).to.deep.equal({ contractId: 'wc-1', transferId: 'tr-1', fromCustomerId: 'ayu', toCustomerId: 'budi', at: '2027-03-01T03:00:00.000Z', reason: 'sold the TV', transfersUsed: 1, transfersRemaining: 0, replayed: false });
      const now = await ledger.warrantyContracts.get(T, 'wc-1', { at: '2027-04-01T00:00:00Z' });
      expect(now.customerId).to.equal('budi');
      expect(now.owners).to.deep.equal([
        { customerId: 'ayu', since: SOLD_UTC },
        { customerId: 'budi', since: '2027-03-01T03:00:00.000Z', transferId: 'tr-1', reason: 'sold the TV' },
      ]);
      expect(now.transfer).to.deep.equal({ allowed: true, maxTransfers: 1, used: 1, remaining: 0 });
      const before = await ledger.warrantyContracts.get(T, 'wc-1', { at: '2027-02-01T00:00:00Z' });
      expect(before.customerId).to.equal('ayu');
      expect(before.owners).to.have.length(1);
      const ids = async (customerId: string, at: string): Promise<string[]> => (await ledger.warrantyContracts.listForCustomer(T, customerId, { at })).items.map((c) => c.id);
      expect(await ids('budi', '2027-04-01T00:00:00Z')).to.deep.equal(['wc-1']);
      expect(await ids('ayu', '2027-04-01T00:00:00Z')).to.deep.equal([]);
      expect(await ids('ayu', '2027-02-01T00:00:00Z')).to.deep.equal(['wc-1']);
      expect(await ids('budi', '2027-02-01T00:00:00Z')).to.deep.equal([]);
    });

    it('replays a transfer id with its first answer; other content or another contract under that id is a mismatch', async () => {
      await ledger.publishProgram(T, programWith({ allowed: true }));
      await customers('ayu', 'budi', 'cici');
      await sell('wc-1');
      await sell('wc-2');
      const first = await ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-1', toCustomerId: 'budi' }, { at: transferAt });
      await ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-2', toCustomerId: 'cici' }, { at: '2027-03-02T10:00:00+07:00' });
      // After a later transfer, the first one's answer is still its own.
      expect(await ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-1', toCustomerId: 'budi' }, { at: '2027-05-01T10:00:00+07:00' })).to.deep.equal({ ...first, replayed: true });
      expect(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-1', toCustomerId: 'cici' }, { at: transferAt }))).to.be.instanceOf(IdempotencyMismatch);
      expect(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-2', { id: 'tr-1', toCustomerId: 'budi' }, { at: transferAt }))).to.be.instanceOf(IdempotencyMismatch);
      expect((await ledger.warrantyContracts.get(T, 'wc-2', { at: transferAt })).owners).to.have.length(1);
    });

    it('refuses with every reason: no transfers in the plan, the limit reached, the cover ended, the same owner', async () => {
      await ledger.publishProgram(T, tokoProgram);
      await customers('ayu', 'budi', 'cici');
      await sell('wc-1');
      await ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-1', toCustomerId: 'budi' }, { at: transferAt });
      // toko allows one transfer, and budi owns it already.
      const twice = await errorOf(ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-2', toCustomerId: 'budi' }, { at: transferAt }));
      expect(twice).to.be.instanceOf(WarrantyTransferRefused);
      expect(codes(twice)).to.deep.equal(['transfer-limit-reached', 'same-owner']);
      await ledger.publishProgram(T, programWith({ allowed: true }));
      await sell('wc-basic', 'care-basic');
      expect(codes(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-basic', { id: 'tr-3', toCustomerId: 'budi' }, { at: transferAt })))).to.deep.equal(['transfer-not-allowed']);
      // Bronze: the unit is covered to 10 December 2029 (12 + 24 months), the last day a transfer is accepted.
      await sell('wc-open');
      const lastDay = await ledger.warrantyContracts.transfer(T, 'wc-open', { id: 'tr-4', toCustomerId: 'budi' }, { at: '2029-12-10T23:00:00+07:00' });
      expect(lastDay.toCustomerId).to.equal('budi');
      const ended = await errorOf(ledger.warrantyContracts.transfer(T, 'wc-open', { id: 'tr-5', toCustomerId: 'budi' }, { at: '2029-12-11T00:30:00+07:00' }));
      expect(codes(ended)).to.deep.equal(['contract-ended', 'same-owner']);
      expect((await ledger.warrantyContracts.get(T, 'wc-open', { at: '2030-01-01T00:00:00Z' })).ended).to.equal(true);
    });

    it('answers a missing contract or new owner as not found, a stale owner as a conflict, a backdated transfer as bad input', async () => {
      await ledger.publishProgram(T, programWith({ allowed: true }));
      await customers('ayu', 'budi');
      await sell('wc-1');
      expect(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-none', { id: 'tr-1', toCustomerId: 'budi' }, { at: transferAt }))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-2', toCustomerId: 'nobody' }, { at: transferAt }))).to.be.instanceOf(NotFound);
      expect(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-3', toCustomerId: 'budi', fromCustomerId: 'budi' }, { at: transferAt }))).to.be.instanceOf(Conflict);
      expect(pointers(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-4', toCustomerId: 'budi' }, { at: '2027-01-01T00:00:00Z' })))).to.deep.equal(['/at']);
      expect(pointers(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-5', toCustomerId: 'budi', note: 'x' }, { at: transferAt })))).to.deep.equal(['/note']);
      expect(pointers(await errorOf(ledger.warrantyContracts.transfer(T, 'wc-1', { id: 'tr-6', toCustomerId: 'budi', reason: '' }, { at: transferAt })))).to.deep.equal(['/reason']);
      expect((await ledger.warrantyContracts.get(T, 'wc-1', { at: transferAt })).owners.map((o) => o.customerId)).to.deep.equal(['ayu']);
    });

    it('of 10 concurrent transfers under a one-transfer plan, exactly one is stored', async function () {
      this.timeout(120_000);
      await ledger.publishProgram(T, tokoProgram);
      const buyers = Array.from({ length: 10 }, (_, i) => `buyer-${i}`);
      await customers('ayu', ...buyers);
      await sell('wc-1');
      const outcomes = await Promise.allSettled(buyers.map((buyer, i) => ledger.warrantyContracts.transfer(T, 'wc-1', { id: `tr-${i}`, toCustomerId: buyer }, { at: transferAt })));
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won).to.have.length(1);
      for (const lost of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
        const loser = lost.reason as Error;
        // Decided on the first owner and beaten to the write, or decided after and over the limit.
        if (loser instanceof WarrantyTransferRefused) expect(codes(loser)).to.deep.equal(['transfer-limit-reached']);
        else expect(loser, loser.message).to.be.instanceOf(Conflict);
      }
      const contract = await ledger.warrantyContracts.get(T, 'wc-1', { at: '2027-04-01T00:00:00Z' });
      const winner = (won[0] as PromiseFulfilledResult<{ toCustomerId: string }>).value.toCustomerId;
      expect(contract.owners.map((o) => o.customerId)).to.deep.equal(['ayu', winner]);
      for (const buyer of buyers) {
        const owned = (await ledger.warrantyContracts.listForCustomer(T, buyer, { at: '2027-04-01T00:00:00Z' })).items.map((c) => c.id);
        expect(owned, buyer).to.deep.equal(buyer === winner ? ['wc-1'] : []);
      }
    });

    it('of 8 transfers all decided on the same owner under an unlimited plan, exactly one wins and the others conflict', async function () {
      this.timeout(120_000);
      await ledger.publishProgram(T, programWith({ allowed: true }));
      const buyers = Array.from({ length: 8 }, (_, i) => `buyer-${i}`);
      await customers('ayu', ...buyers);
      await sell('wc-1');
      const racing = new Ledger(new GatedStore(store, buyers.length));
      const outcomes = await Promise.allSettled(buyers.map((buyer, i) => racing.warrantyContracts.transfer(T, 'wc-1', { id: `tr-${i}`, toCustomerId: buyer }, { at: transferAt })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).to.have.length(1);
      for (const lost of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) expect(lost.reason, String(lost.reason)).to.be.instanceOf(Conflict);
      expect((await ledger.warrantyContracts.get(T, 'wc-1', { at: '2027-04-01T00:00:00Z' })).owners).to.have.length(2);
    });
  });

  describe("a customer's contracts", () => {
    it('pages newest acquired first with a cursor, and refuses a cursor of another listing', async () => {
      await ledger.publishProgram(T, tokoProgram);
      await customers('ayu', 'budi');
      const days = ['2027-01-11', '2027-01-12', '2027-01-13', '2027-01-14', '2027-01-15'];
      for (const [i, day] of days.entries()) {
        await ledger.warrantyContracts.register(T, { id: `wc-${i}`, customerId: 'ayu', planId: 'care-2y', product: { ...tv, serialNumber: `SN-${i}` } }, { at: `${day}T10:00:00+07:00` });
      }
      const at = '2027-02-01T00:00:00Z';
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await ledger.warrantyContracts.listForCustomer(T, 'ayu', { at, limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).to.be.at.most(2);
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(seen).to.deep.equal(['wc-4', 'wc-3', 'wc-2', 'wc-1', 'wc-0']);
      expect(pages).to.be.at.least(3);
      // As of 13 January noon only the first three existed.
      expect((await ledger.warrantyContracts.listForCustomer(T, 'ayu', { at: '2027-01-13T12:00:00+07:00' })).items.map((c) => c.id)).to.deep.equal(['wc-2', 'wc-1', 'wc-0']);
      const first = await ledger.warrantyContracts.listForCustomer(T, 'ayu', { at, limit: 1 });
      expect(pointers(await errorOf(ledger.warrantyContracts.listForCustomer(T, 'budi', { at, cursor: first.nextCursor as string })))).to.deep.equal(['/cursor']);
      expect(await errorOf(ledger.warrantyContracts.listForCustomer(T, 'nobody', { at }))).to.be.instanceOf(NotFound);
    });
  });

  describe('crashes', () => {
    it('a registration or a transfer crashed before each write and retried is stored once, listed once, and its moment emitted once', async function () {
      this.timeout(180_000);
      const faulty = new FaultyStore(store);
      ledger = new Ledger(faulty);
      await ledger.publishProgram(T, tokoProgram);
      await customers('ayu', 'budi');
      const at = '2027-04-01T00:00:00Z';
      const listed = async (customerId: string): Promise<string[]> => (await ledger.warrantyContracts.listForCustomer(T, customerId, { at })).items.map((c) => c.id);
      const moments = async (type: string, contractId: string): Promise<number> =>
        (await ledger.listMoments(T, { customerId: 'ayu', type, limit: 500 })).items.filter((m) => m.data.contractId === contractId).length;
      await crashBeforeEachWrite(faulty, {
        run: (n) => ledger.warrantyContracts.register(T, { id: `wc-r${n}`, customerId: 'ayu', planId: 'care-2y', product: tv }, { at: SOLD, idempotencyKey: `reg-${n}` }),
        check: async (n, answer) => {
          expect(answer.id).to.equal(`wc-r${n}`);
          expect((await listed('ayu')).filter((id) => id === `wc-r${n}`)).to.have.length(1);
          expect(await moments('warranty.contract.registered', `wc-r${n}`), `registered moments of wc-r${n}`).to.equal(1);
        },
      });
      await crashBeforeEachWrite(faulty, {
        prepare: async (n) => {
          await ledger.warrantyContracts.register(T, { id: `wc-t${n}`, customerId: 'ayu', planId: 'care-2y', product: tv }, { at: SOLD });
        },
        run: (n) => ledger.warrantyContracts.transfer(T, `wc-t${n}`, { id: `tr-${n}`, toCustomerId: 'budi' }, { at: '2027-03-01T10:00:00+07:00' }),
        check: async (n, answer) => {
          expect(answer).to.include({ toCustomerId: 'budi', transfersUsed: 1 });
          expect((await ledger.warrantyContracts.get(T, `wc-t${n}`, { at })).owners.map((o) => o.customerId)).to.deep.equal(['ayu', 'budi']);
          expect((await listed('budi')).filter((id) => id === `wc-t${n}`)).to.have.length(1);
          expect(await listed('ayu')).not.to.include(`wc-t${n}`);
          expect(await moments('warranty.contract.transferred', `wc-t${n}`), `transferred moments of wc-t${n}`).to.equal(1);
        },
      });
    });
  });
});

forEachStore('Program versions', (open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  it('lists published versions newest first, a page at a time, without their programs', async () => {
    let clock = 0;
    const ledger = new Ledger(store, { now: () => `2027-01-0${++clock}T00:00:00.000Z` });
    for (let i = 0; i < 3; i++) await ledger.publishProgram(T, tokoProgram);
    const first = await ledger.listProgramVersions(T, { limit: 2 });
    expect(first.items).to.deep.equal([
      { id: 'toko-rewards', version: 3, publishedAt: '2027-01-03T00:00:00.000Z', name: 'Toko Rewards', currency: 'IDR', timezone: 'Asia/Jakarta' },
      { id: 'toko-rewards', version: 2, publishedAt: '2027-01-02T00:00:00.000Z', name: 'Toko Rewards', currency: 'IDR', timezone: 'Asia/Jakarta' },
    ]);
    const second = await ledger.listProgramVersions(T, { limit: 2, cursor: first.nextCursor as string });
    expect(second.items.map((v) => v.version)).to.deep.equal([1]);
    expect(second.nextCursor).to.equal(undefined);
    expect((await ledger.listProgramVersions('other-shop')).items).to.deep.equal([]);
    expect(pointers(await errorOf(ledger.listProgramVersions(T, { cursor: 'v1' })))).to.deep.equal(['/cursor']);
  });
});
