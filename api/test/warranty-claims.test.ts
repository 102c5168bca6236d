/**
 * Warranty claims and contracts cancelled by a return, through the API on the real ledger (memory, LMDB and
 * MongoDB), with the worked example of docs/after-sales.md: Ayu's laptop (Rp12.000.000, bought 10 December 2026,
 * 12 months from the manufacturer) under care-2y, Rp960.000 for a silver customer; the manufacturer covers it to
 * 10 December 2027, the plan to 10 December 2029; the remote is excluded. Every response is checked against the
 * document.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import type { StoreConfig } from '@purna/ledger';
import { describeMongo } from '../../test/support/mongo.js';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const program = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;

/** The app's "now": after every write of the suite. */
const NOW = Date.parse('2028-06-01T00:00:00.000Z');
const BOUGHT = '2026-12-10T10:00:00+07:00';
const laptop = { sku: 'LP-14', category: 'laptop', price: '12000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 }, serialNumber: 'SN-LP-1' };
const phone = { sku: 'PH-9', category: 'phone', price: '5000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } };

const reasonCodes = (res: request.Response): string[] => (res.body as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code);
const pointersOf = (res: request.Response): string[] => (res.body as { errors: Array<{ pointer: string }> }).errors.map((e) => e.pointer);

function suite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;

  before(async () => {
    w = await openRouteWorld(storeConfig(), { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', '/v1/program', w.otherAdmin, program));
    for (const id of ['ayu', 'budi']) expectOk(await w.call('put', `/v1/customers/${id}`, w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/orders', w.checkout, { id: 'o-lp', customerId: 'ayu', placedAt: BOUGHT, currency: 'IDR', lines: [{ sku: 'LP-14', category: 'laptop', quantity: 1, unitPrice: '12000000' }] }));
    expectOk(await w.call('post', '/v1/warranty/contracts', w.checkout, { id: 'wc-lp', customerId: 'ayu', planId: 'care-2y', product: laptop, orderId: 'o-lp', at: '2026-12-15T10:00:00+07:00' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  describe('POST /v1/warranty/contracts/{id}/claims', () => {
    it('covers the screen under the plan after the manufacturer\'s year, and replays the claim by id', async () => {
      const claim = { id: 'cl-screen', at: '2028-03-01T10:00:00+07:00', component: 'screen', problem: 'dead pixels', customerId: 'ayu' };
      const res = await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.checkout, claim);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.include({ claimId: 'cl-screen', contractId: 'wc-lp', covered: true, coveredBy: 'plan', coveredUntil: '2029-12-10', claimedOn: '2028-03-01' });
      expect(res.body.reasons).to.deep.equal([]);
      expect(res.body.cover).to.deep.equal({ component: 'screen', manufacturerEnd: '2027-12-10', planStart: '2027-12-10', planEnd: '2029-12-10', end: '2029-12-10', excluded: false });
      const replay = await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.crm, claim);
      expect([replay.status, replay.headers['idempotency-replayed']]).to.deep.equal([201, 'true']);
      expect(replay.body).to.deep.equal(res.body);
      const other = await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.checkout, { ...claim, problem: 'cracked' });
      expect([other.status, other.body.code]).to.deep.equal([409, 'idempotency-mismatch']);
    });

    it('answers the excluded remote as not covered (201) with every reason', async () => {
      const res = await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.checkout, { id: 'cl-remote', at: '2028-03-01T11:00:00+07:00', component: 'remote', problem: 'buttons stuck' });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect([res.body.covered, res.body.coveredBy, res.body.coveredUntil]).to.deep.equal([false, null, null]);
      expect(reasonCodes(res)).to.deep.equal(['component-excluded', 'cover-ended']);
    });

    it('refuses bad input with the pointer (400); an unknown contract or another tenant\'s is a 404; a key is needed', async () => {
      const bad = await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.checkout, { id: 'cl-bad', component: '', problem: 'x', covered: true });
      expect(bad.status).to.equal(400);
      expect(pointersOf(bad)).to.include.members(['/component', '/covered']);
      expect((await w.call('post', '/v1/warranty/contracts/wc-none/claims', w.checkout, { id: 'cl-x', component: 'unit', problem: 'x' })).status).to.equal(404);
      expect((await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.otherAdmin, { id: 'cl-x', component: 'unit', problem: 'x' })).status).to.equal(404);
      expect((await w.call('get', '/v1/warranty/contracts/wc-lp/claims', w.otherAdmin)).status).to.equal(404);
      expect((await w.call('post', '/v1/warranty/contracts/wc-lp/claims', undefined, { id: 'cl-x', component: 'unit', problem: 'x' })).status).to.equal(401);
    });
  });

  describe('GET /v1/warranty/contracts/{id}/claims', () => {
    it('lists the service history oldest first, page by page, as of an instant', async () => {
      expectOk(await w.call('post', '/v1/warranty/contracts/wc-lp/claims', w.checkout, { id: 'cl-early', at: '2027-05-01T10:00:00+07:00', component: 'unit', problem: 'fan noise' }));
      const all = await w.call('get', '/v1/warranty/contracts/wc-lp/claims', w.crm);
      expect(all.status).to.equal(200);
      expect((all.body.items as Array<{ claimId: string; coveredBy: string | null }>).map((c) => [c.claimId, c.coveredBy])).to.deep.equal([
        ['cl-early', 'manufacturer'],
        ['cl-screen', 'plan'],
        ['cl-remote', null],
      ]);
      const first = await w.call('get', '/v1/warranty/contracts/wc-lp/claims?limit=1', w.crm);
      expect(first.body.items.map((c: { claimId: string }) => c.claimId)).to.deep.equal(['cl-early']);
      const second = await w.call('get', `/v1/warranty/contracts/wc-lp/claims?limit=1&cursor=${encodeURIComponent(first.body.nextCursor as string)}`, w.crm);
      expect(second.body.items.map((c: { claimId: string }) => c.claimId)).to.deep.equal(['cl-screen']);
      const then = await w.call('get', `/v1/warranty/contracts/wc-lp/claims?at=${encodeURIComponent('2027-06-01T00:00:00+07:00')}`, w.crm);
      expect(then.body.items.map((c: { claimId: string }) => c.claimId)).to.deep.equal(['cl-early']);
    });
  });

  describe('a return cancels the contract of the unit it takes back', () => {
    it('reports the refund in the return and in the contract; a claim afterwards is not covered', async () => {
      expectOk(await w.call('post', '/v1/orders', w.checkout, { id: 'o-ph', customerId: 'budi', placedAt: BOUGHT, currency: 'IDR', lines: [{ sku: 'PH-9', category: 'phone', quantity: 1, unitPrice: '5000000' }] }));
      expectOk(await w.call('post', '/v1/warranty/contracts', w.checkout, { id: 'wc-ph', customerId: 'budi', planId: 'care-2y', product: phone, orderId: 'o-ph', at: '2026-12-11T10:00:00+07:00' }));
      const returned = await w.call('post', '/v1/orders/o-ph/returns', w.checkout, { id: 'r-ph', lines: [{ sku: 'PH-9', quantity: 1 }] });
      expect(returned.status, JSON.stringify(returned.body)).to.be.oneOf([200, 201]);
      // 8 % of 5.000.000 = 400.000 (budi is silver from this order, no discount); the plan would have started on
      // 10 December 2027, and NOW is 1 June 2028: 174 days of its 731 used (10 Dec 2027 -> 1 Jun 2028: 21 + 31 + 29
      // + 31 + 30 + 31 + 1 = 174), 557 left: 400.000 x 557 / 731 = 304.787,96... rounded down to 304.787,96.
      expect(returned.body.warrantyContractsCancelled).to.deep.equal([{ contractId: 'wc-ph', sku: 'PH-9', refundPolicy: 'pro-rata', refund: '304787.96', currency: 'IDR' }]);
      const contract = await w.call('get', '/v1/warranty/contracts/wc-ph', w.crm);
      expect(contract.body.status).to.equal('cancelled');
      expect(contract.body.cancellation).to.include({ returnId: 'r-ph', orderId: 'o-ph', refund: '304787.96', planDays: 731, unusedDays: 557 });
      const claim = await w.call('post', '/v1/warranty/contracts/wc-ph/claims', w.checkout, { id: 'cl-ph', component: 'unit', problem: 'no signal' });
      expect(reasonCodes(claim)).to.deep.equal(['contract-cancelled']);
    });
  });
}

describe('warranty claims over HTTP (memory store)', () => suite(() => 'memory'));

describe('warranty claims over HTTP (embedded LMDB store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-api-claims-'));
  suite(() => ({ kind: 'lmdb', path: dir }));
  after(() => rmSync(dir, { recursive: true, force: true }));
});

describeMongo('warranty claims over HTTP (MongoDB store)', (ctx) => suite(() => ({ kind: 'mongo', uri: ctx().uri, dbName: ctx().dbName })));
