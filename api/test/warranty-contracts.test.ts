/**
 * Warranty contracts and program versions through the API, on the real ledger (memory, LMDB and MongoDB): the happy
 * path with the worked example of docs/after-sales.md, refusals (422 with every reason), validation (400 with the
 * pointer), auth (401, 403, another tenant's 404) and replays. Every response is checked against the document.
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

/** The app's "now": after every write of the suite, so reads without `?at=` see them all. */
const NOW = Date.parse('2027-04-01T00:00:00.000Z');
/** 15 January 2027 in Jakarta: inside the 60-day window of a TV bought on 10 December 2026. */
const SOLD = '2027-01-15T10:00:00+07:00';
const TRANSFERRED = '2027-03-01T10:00:00+07:00';
const tv = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } }, serialNumber: 'SN-0001' };
const contract = { id: 'wc-1', customerId: 'ayu', planId: 'care-2y', product: tv, orderId: 'o-tv', at: SOLD };

const reasonCodes = (res: request.Response): string[] => (res.body as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code);
const errorsOf = (res: request.Response): Array<{ in: string; pointer: string }> => (res.body as { errors: Array<{ in: string; pointer: string }> }).errors;

function suite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;

  before(async () => {
    w = await openRouteWorld(storeConfig(), { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    for (const id of ['ayu', 'budi', 'cici']) expectOk(await w.call('put', `/v1/customers/${id}`, w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    // Ayu spends Rp25.000.000 in December 2026: gold at the sale (threshold Rp20.000.000 over 12 months).
    expectOk(await w.call('post', '/v1/orders', w.checkout, { id: 'o-1', customerId: 'ayu', placedAt: '2026-12-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'LP-1', category: 'laptop', quantity: 1, unitPrice: '25000000' }] }));
    expectOk(await w.call('put', '/v1/program', w.otherAdmin, { ...program, name: 'Shop B rewards' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  describe('POST /v1/warranty/contracts', () => {
    it('registers the plan with the price and cover of the eligibility check, then replays it by id', async () => {
      const res = await w.call('post', '/v1/warranty/contracts', w.checkout, contract);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.headers['idempotency-replayed']).to.equal(undefined);
      // docs/after-sales.md: 8 % of 8.000.000 = 640.000, gold 20 % off = 512.000; unit to 10 Jun 2030, remote excluded.
      expect(res.body).to.include({ id: 'wc-1', customerId: 'ayu', planId: 'care-2y', programId: 'toko-rewards', programVersion: 1, tier: 'gold', price: '512000', listPrice: '640000', orderId: 'o-tv', registeredAt: '2027-01-15T03:00:00.000Z', ended: false });
      expect(res.body.coverage).to.include({ starts: 'after-manufacturer', startsOn: '2027-12-10', endsOn: '2030-06-10' });
      expect(res.body.coverage.excludedComponents).to.deep.equal(['remote']);
      expect(res.body.transfer).to.deep.equal({ allowed: true, maxTransfers: 1, used: 0, remaining: 1 });
      const checked = await w.call('post', '/v1/warranty/eligibility', w.checkout, { customerId: 'ayu', product: { ...tv, serialNumber: undefined }, at: SOLD });
      const offer = (checked.body as { plans: Array<{ planId: string; price: string; coverage: unknown }> }).plans.find((p) => p.planId === 'care-2y');
      expect([res.body.price, Object.fromEntries((res.body.coverage.components as Array<{ component: string; end: string }>).map((c) => [c.component, c.end]))]).to.deep.equal([offer?.price, offer?.coverage]);

      const replay = await w.call('post', '/v1/warranty/contracts', w.crm, contract);
      expect(replay.status).to.equal(201);
      expect(replay.headers['idempotency-replayed']).to.equal('true');
      expect(replay.body).to.deep.equal(res.body);
      const other = await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, product: { ...tv, serialNumber: 'SN-9999' } });
      expect(other.status).to.equal(409);
      expect(other.body.code).to.equal('idempotency-mismatch');
    });

    it('refuses a plan that is not offered with 422 and every reason, and stores nothing', async () => {
      const cable = { sku: 'CBL-1', category: 'accessory', price: '60000000', purchasedOn: '2027-01-10', manufacturerWarranty: { months: 12 } };
      const refused = await w.call('post', '/v1/warranty/contracts', w.checkout, { id: 'wc-cable', customerId: 'budi', planId: 'care-2y', product: cable, at: SOLD });
      expect(refused.status, JSON.stringify(refused.body)).to.equal(422);
      expect(refused.type).to.equal('application/problem+json');
      expect(refused.body.code).to.equal('warranty-plan-refused');
      expect(reasonCodes(refused)).to.have.members(['category-not-covered', 'price-above-maximum']);
      // 10 December + 60 days = 8 February: on the 9th the window has ended.
      const late = await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, id: 'wc-late', at: '2027-02-09T10:00:00+07:00' });
      expect(late.status).to.equal(422);
      expect(reasonCodes(late)).to.deep.equal(['purchase-window-ended']);
      for (const id of ['wc-cable', 'wc-late']) expect((await w.call('get', `/v1/warranty/contracts/${id}`, w.crm)).status).to.equal(404);
    });

    it('refuses unknown fields, bad ids and an unknown plan with the pointer; an unknown customer is a 404', async () => {
      const unknown = await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, id: 'wc-x', warrantyPaid: true, product: { ...tv, colour: 'black' } });
      expect(unknown.status).to.equal(400);
      expect(errorsOf(unknown).map((e) => e.pointer)).to.have.members(['/warrantyPaid', '/product/colour']);
      const badId = await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, id: 'wc 1/..' });
      expect(badId.status).to.equal(400);
      expect(errorsOf(badId)[0]).to.include({ in: 'body', pointer: '/id' });
      const badDate = await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, id: 'wc-x', product: { ...tv, purchasedOn: '10/12/2026' } });
      expect(errorsOf(badDate)[0]).to.include({ pointer: '/product/purchasedOn' });
      const plan = await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, id: 'wc-x', planId: 'care-9y' });
      expect(plan.status).to.equal(400);
      expect(errorsOf(plan)[0]).to.include({ pointer: '/planId', code: 'unknown-plan' });
      expect((await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, id: 'wc-x', customerId: 'nobody' })).status).to.equal(404);
    });

    it('needs a key (401), and replays by Idempotency-Key', async () => {
      expect((await w.call('post', '/v1/warranty/contracts', undefined, contract)).status).to.equal(401);
      const body = { ...contract, id: 'wc-k', customerId: 'cici' };
      const first = await w.call('post', '/v1/warranty/contracts', w.crm, body, { 'Idempotency-Key': 'wc-key-1' });
      expect(first.status, JSON.stringify(first.body)).to.equal(201);
      const again = await w.call('post', '/v1/warranty/contracts', w.crm, body, { 'Idempotency-Key': 'wc-key-1' });
      expect(again.headers['idempotency-replayed']).to.equal('true');
      expect(again.body).to.deep.equal(first.body);
      expect((await w.call('post', '/v1/warranty/contracts', w.crm, { ...body, id: 'wc-k2' }, { 'Idempotency-Key': 'wc-key-1' })).status).to.equal(409);
    });
  });

  describe('GET /v1/warranty/contracts/{id}', () => {
    it('reads the contract now or as of an instant; before its registration it does not exist', async () => {
      const now = await w.call('get', '/v1/warranty/contracts/wc-1', w.checkout);
      expect(now.status, JSON.stringify(now.body)).to.equal(200);
      expect(now.body).to.include({ id: 'wc-1', price: '512000' });
      expect((await w.call('get', `/v1/warranty/contracts/wc-1?at=${encodeURIComponent('2027-01-01T00:00:00+07:00')}`, w.crm)).status).to.equal(404);
      expect(errorsOf(await w.call('get', '/v1/warranty/contracts/wc-1?at=yesterday', w.crm))[0]).to.include({ in: 'query', pointer: '/at' });
      expect(errorsOf(await w.call('get', '/v1/warranty/contracts/wc-1?owner=ayu', w.crm))[0]).to.include({ in: 'query', pointer: '/owner' });
      expect(errorsOf(await w.call('get', '/v1/warranty/contracts/wc%201', w.crm))[0]).to.include({ in: 'path', pointer: '/id' });
      expect((await w.call('get', '/v1/warranty/contracts/wc-none', w.crm)).status).to.equal(404);
      expect((await w.call('get', '/v1/warranty/contracts/wc-1', undefined)).status).to.equal(401);
    });
  });

  describe('POST /v1/warranty/contracts/{id}/transfers', () => {
    const transfer = { id: 'tr-1', toCustomerId: 'budi', fromCustomerId: 'ayu', reason: 'sold the TV second-hand', at: TRANSFERRED };

    it('needs the crm scope (403 for checkout, 401 without a key)', async () => {
      const refused = await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.checkout, transfer);
      expect(refused.status).to.equal(403);
      expect((await w.call('post', '/v1/warranty/contracts/wc-1/transfers', undefined, transfer)).status).to.equal(401);
    });

    it('refuses unknown fields and a stale owner, and a missing new owner or contract is a 404', async () => {
      expect(errorsOf(await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, { ...transfer, price: '0' }))[0]).to.include({ pointer: '/price' });
      expect(errorsOf(await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, { ...transfer, toCustomerId: '' }))[0]).to.include({ pointer: '/toCustomerId' });
      const stale = await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, { ...transfer, id: 'tr-stale', fromCustomerId: 'cici' });
      expect([stale.status, stale.body.code]).to.deep.equal([409, 'conflict']);
      expect((await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, { ...transfer, id: 'tr-x', toCustomerId: 'nobody' })).status).to.equal(404);
      expect((await w.call('post', '/v1/warranty/contracts/wc-none/transfers', w.crm, { ...transfer, id: 'tr-y' })).status).to.equal(404);
      expect((await w.call('get', '/v1/warranty/contracts/wc-1', w.crm)).body.customerId).to.equal('ayu');
    });

    it('moves the contract to the new owner keeping the previous one, replays by id, then refuses a second transfer', async () => {
      const res = await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, transfer);
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      expect(res.body).to.deep.equal({ contractId: 'wc-1', transferId: 'tr-1', fromCustomerId: 'ayu', toCustomerId: 'budi', at: '2027-03-01T03:00:00.000Z', reason: 'sold the TV second-hand', transfersUsed: 1, transfersRemaining: 0 });
      const replay = await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, transfer);
      expect(replay.headers['idempotency-replayed']).to.equal('true');
      expect(replay.body).to.deep.equal(res.body);
      expect((await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, { ...transfer, toCustomerId: 'cici', fromCustomerId: undefined })).status).to.equal(409);
      const read = await w.call('get', '/v1/warranty/contracts/wc-1', w.crm);
      expect(read.body.customerId).to.equal('budi');
      expect((read.body.owners as Array<{ customerId: string }>).map((o) => o.customerId)).to.deep.equal(['ayu', 'budi']);
      // Toko Care allows one transfer.
      const again = await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.crm, { id: 'tr-2', toCustomerId: 'cici', at: '2027-03-10T10:00:00+07:00' });
      expect([again.status, again.body.code]).to.deep.equal([422, 'warranty-transfer-refused']);
      expect(reasonCodes(again)).to.deep.equal(['transfer-limit-reached']);
    });
  });

  describe('GET /v1/customers/{id}/warranty-contracts', () => {
    it("lists what a customer owns, newest first, page by page; what was transferred away has left the list", async () => {
      for (const [i, day] of ['2027-01-16', '2027-01-17'].entries()) {
        const res = await w.call('post', '/v1/warranty/contracts', w.checkout, { ...contract, id: `wc-ayu-${i}`, product: { ...tv, serialNumber: `SN-A${i}` }, at: `${day}T10:00:00+07:00` });
        expect(res.status, JSON.stringify(res.body)).to.equal(201);
      }
      const first = await w.call('get', '/v1/customers/ayu/warranty-contracts?limit=1', w.crm);
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.items.map((c: { id: string }) => c.id)).to.deep.equal(['wc-ayu-1']);
      const second = await w.call('get', `/v1/customers/ayu/warranty-contracts?limit=1&cursor=${first.body.nextCursor as string}`, w.crm);
      expect(second.body.items.map((c: { id: string }) => c.id)).to.deep.equal(['wc-ayu-0']);
      const all = await w.call('get', '/v1/customers/ayu/warranty-contracts', w.crm);
      expect(all.body.items.map((c: { id: string }) => c.id)).to.deep.equal(['wc-ayu-1', 'wc-ayu-0']);
      expect(all.body.nextCursor).to.equal(undefined);
      expect((await w.call('get', '/v1/customers/budi/warranty-contracts', w.crm)).body.items.map((c: { id: string }) => c.id)).to.deep.equal(['wc-1']);
      // Before the transfer, wc-1 was Ayu's.
      const before = await w.call('get', `/v1/customers/ayu/warranty-contracts?at=${encodeURIComponent('2027-02-01T00:00:00+07:00')}`, w.crm);
      expect(before.body.items.map((c: { id: string }) => c.id)).to.deep.equal(['wc-ayu-1', 'wc-ayu-0', 'wc-1']);
    });

    it('refuses a foreign cursor, an oversized page and the checkout scope; an unknown customer is a 404', async () => {
      const page = await w.call('get', '/v1/customers/ayu/warranty-contracts?limit=1', w.crm);
      const foreign = await w.call('get', `/v1/customers/budi/warranty-contracts?cursor=${page.body.nextCursor as string}`, w.crm);
      expect(foreign.status).to.equal(400);
      expect(errorsOf(foreign)[0]).to.include({ in: 'query', pointer: '/cursor' });
      expect(errorsOf(await w.call('get', '/v1/customers/ayu/warranty-contracts?limit=101', w.crm))[0]).to.include({ in: 'query', pointer: '/limit' });
      expect((await w.call('get', '/v1/customers/ayu/warranty-contracts', w.checkout)).status).to.equal(403);
      expect((await w.call('get', '/v1/customers/nobody/warranty-contracts', w.crm)).status).to.equal(404);
    });
  });

  describe('GET /v1/program/versions', () => {
    it('lists versions newest first without their programs, page by page', async () => {
      const published = await w.call('put', '/v1/program', w.admin, { ...program, name: 'Toko Rewards 2027' });
      expect(published.body.version).to.equal(2);
      const first = await w.call('get', '/v1/program/versions?limit=1', w.checkout);
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.items).to.have.length(1);
      expect(first.body.items[0]).to.include({ id: 'toko-rewards', version: 2, name: 'Toko Rewards 2027', currency: 'IDR', timezone: 'Asia/Jakarta' });
      expect(first.body.items[0]).not.to.have.property('program');
      const second = await w.call('get', `/v1/program/versions?limit=1&cursor=${first.body.nextCursor as string}`, w.crm);
      expect(second.body.items.map((v: { version: number; name: string }) => [v.version, v.name])).to.deep.equal([[1, 'Toko Rewards']]);
      expect(second.body.nextCursor).to.equal(undefined);
      expect(Date.parse(first.body.items[0].publishedAt as string)).to.be.at.least(Date.parse(second.body.items[0].publishedAt as string));
      // The versions listed are the ones GET /v1/program?version= reads.
      expect((await w.call('get', '/v1/program?version=2', w.crm)).body.program.name).to.equal('Toko Rewards 2027');
    });

    it('refuses a bad cursor and unknown parameters, needs a key, and shows a tenant only its own versions', async () => {
      expect(errorsOf(await w.call('get', '/v1/program/versions?cursor=bm90LWEtY3Vyc29y', w.crm))[0]).to.include({ in: 'query', pointer: '/cursor' });
      expect(errorsOf(await w.call('get', '/v1/program/versions?version=1', w.crm))[0]).to.include({ in: 'query', pointer: '/version' });
      expect((await w.call('get', '/v1/program/versions', undefined)).status).to.equal(401);
      const other = await w.call('get', '/v1/program/versions', w.otherAdmin);
      expect(other.body.items.map((v: { version: number; name: string }) => [v.version, v.name])).to.deep.equal([[1, 'Shop B rewards']]);
    });
  });

  describe("another tenant's key", () => {
    it("gets 404 for shop-a's contracts and customers, and changes nothing", async () => {
      const before = await w.call('get', '/v1/warranty/contracts/wc-1', w.crm);
      expect((await w.call('get', '/v1/warranty/contracts/wc-1', w.otherAdmin)).status).to.equal(404);
      expect((await w.call('post', '/v1/warranty/contracts/wc-1/transfers', w.otherAdmin, { id: 'tr-b', toCustomerId: 'ayu' })).status).to.equal(404);
      expect((await w.call('get', '/v1/customers/budi/warranty-contracts', w.otherAdmin)).status).to.equal(404);
      expect((await w.call('post', '/v1/warranty/contracts', w.otherAdmin, { ...contract, id: 'wc-b' })).status).to.equal(404);
      // The same contract id is free in shop-b: ids are per tenant.
      expect((await w.call('put', '/v1/customers/ayu', w.otherAdmin, { enrolledAt: '2026-01-05T09:00:00+07:00' })).status).to.equal(200);
      const own = await w.call('post', '/v1/warranty/contracts', w.otherAdmin, contract);
      expect(own.status, JSON.stringify(own.body)).to.equal(201);
      // Shop B's Ayu has no orders: bronze, full price.
      expect(own.body).to.include({ tier: 'bronze', price: '640000' });
      expect((await w.call('get', '/v1/warranty/contracts/wc-1', w.crm)).body).to.deep.equal(before.body);
    });
  });
}

describe('warranty contracts and program versions over HTTP (memory store)', () => suite(() => 'memory'));

describe('warranty contracts and program versions over HTTP (embedded LMDB store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-api-warranty-'));
  suite(() => ({ kind: 'lmdb', path: dir }));
  after(() => rmSync(dir, { recursive: true, force: true }));
});

describeMongo('warranty contracts and program versions over HTTP (MongoDB store)', (ctx) => suite(() => ({ kind: 'mongo', uri: ctx().uri, dbName: ctx().dbName })));
