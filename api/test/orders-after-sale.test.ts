/**
 * Orders after checkout through the API, on the real ledger (memory, LMDB and MongoDB): deliveries, cancellations
 * before delivery (a redemption released; 409 once delivered), redemption cancellations, and the return window
 * (422 with `return-window-ended`; an override from an admin key only, 403 from another). Every response is checked
 * against the document. Numbers worked by hand: 1 point per Rp1.000, Jakarta, 30-day window from delivery.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type request from 'supertest';
import type { StoreConfig } from '@purna/ledger';
import { describeMongo } from '../../test/support/mongo.js';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';

const program = {
  id: 'care',
  name: 'Care',
  currency: 'IDR',
  timezone: 'Asia/Jakarta',
  points: { rounding: 'floor', pendingDays: 0, expiry: { months: 12 }, redemption: { pointValue: '1', minPoints: 1, maxShareOfOrder: '1' } },
  earning: [{ id: 'base', name: '1 point per Rp1.000', scope: 'line', award: { pointsPer: { amount: '1000', points: 1 } } }],
  moments: { followUp: { daysAfterDelivery: 7 } },
  returns: { windowDays: 30, from: 'delivery' },
};
const NOW = Date.parse('2026-06-01T00:00:00.000Z');
const order = (id: string, unitPrice: string) => ({ id, customerId: 'ayu', placedAt: '2026-02-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'A', category: 'misc', quantity: 1, unitPrice }] });
const codeOf = (res: request.Response): string => (res.body as { code: string }).code;

function suite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;
  before(async () => {
    w = await openRouteWorld(storeConfig(), { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    expectOk(await w.call('put', '/v1/customers/ayu', w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/orders', w.checkout, order('o-1', '1000000')));
    expectOk(await w.call('post', '/v1/orders', w.checkout, order('o-2', '500000')));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('POST /v1/orders/{orderId}/deliveries answers 201 with the follow-up, then replays by id', async () => {
    const body = { id: 'd-1', at: '2026-02-06T10:00:00+07:00' };
    const res = await w.call('post', '/v1/orders/o-1/deliveries', w.checkout, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.deep.equal({ deliveryId: 'd-1', orderId: 'o-1', followUpAt: '2026-02-13T03:00:00.000Z' });
    const replay = await w.call('post', '/v1/orders/o-1/deliveries', w.crm, body);
    expect([replay.status, replay.headers['idempotency-replayed']]).to.deep.equal([201, 'true']);
    expect(replay.body).to.deep.equal(res.body);
    expect((await w.call('post', '/v1/orders/nope/deliveries', w.checkout, body)).status).to.equal(404);
    const bad = await w.call('post', '/v1/orders/o-1/deliveries', w.checkout, { at: body.at });
    expect(bad.status).to.equal(400);
    expect((bad.body as { errors: Array<{ pointer: string }> }).errors.map((e) => e.pointer)).to.include('/id');
  });

  it('POST /v1/orders/{orderId}/cancellation releases the redemption tied to the order; after a delivery it is a 409', async () => {
    // 1000 + 500 points; 200 redeemed off o-2 (from o-1's lot: both expire 1 Feb 2027, o-1's is older).
    const redeemed = await w.call('post', '/v1/redemptions', w.checkout, { id: 'rd-1', customerId: 'ayu', orderId: 'o-2', orderTotal: '500000', points: 200, at: '2026-02-01T11:00:00+07:00' });
    expect(redeemed.status, JSON.stringify(redeemed.body)).to.equal(201);
    const res = await w.call('post', '/v1/orders/o-2/cancellation', w.checkout, { id: 'c-1', reason: 'out-of-stock', at: '2026-02-02T10:00:00+07:00' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    // 1500 - 200 - 500 + 200 = 1000.
    expect(res.body).to.deep.equal({ cancellationId: 'c-1', orderId: 'o-2', clawedBack: 500, redemptionsReleased: [{ redemptionId: 'rd-1', restored: 200, expired: 0 }], balance: 1000 });
    const replay = await w.call('post', '/v1/orders/o-2/cancellation', w.checkout, { id: 'c-1', reason: 'out-of-stock', at: '2026-02-02T10:00:00+07:00' });
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect((await w.call('post', '/v1/orders/o-2/cancellation', w.checkout, { id: 'c-1', reason: 'other' })).status).to.equal(409);
    const delivered = await w.call('post', '/v1/orders/o-1/cancellation', w.checkout, { id: 'c-2', reason: 'changed mind' });
    expect([delivered.status, codeOf(delivered)]).to.deep.equal([409, 'conflict']);
    expect(delivered.headers['content-type']).to.match(/^application\/problem\+json/);
    expect((delivered.body as { detail: string }).detail).to.match(/record a return/);
  });

  it('POST /v1/redemptions/{id}/cancellation puts the points back and says how many came back', async () => {
    const redeemed = await w.call('post', '/v1/redemptions', w.checkout, { id: 'rd-2', customerId: 'ayu', orderId: 'o-9', orderTotal: '300000', points: 300, at: '2026-02-10T10:00:00+07:00' });
    expect(redeemed.status, JSON.stringify(redeemed.body)).to.equal(201);
    const res = await w.call('post', '/v1/redemptions/rd-2/cancellation', w.crm, { reason: 'payment-failed', at: '2026-02-10T11:00:00+07:00' });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body).to.deep.equal({ redemptionId: 'rd-2', orderId: 'o-9', restored: 300, expired: 0, balance: 1000 });
    const again = await w.call('post', '/v1/redemptions/rd-2/cancellation', w.crm, { reason: 'payment-failed', at: '2026-02-11T11:00:00+07:00' });
    expect([again.status, again.headers['idempotency-replayed']]).to.deep.equal([200, 'true']);
    // Released by its order's cancellation: answered as that release.
    const released = await w.call('post', '/v1/redemptions/rd-1/cancellation', w.crm, { reason: 'payment-failed' });
    expect(released.body).to.deep.include({ redemptionId: 'rd-1', restored: 200, expired: 0, cancellationId: 'c-1' });
    expect((await w.call('post', '/v1/redemptions/rd-none/cancellation', w.crm, { reason: 'x' })).status).to.equal(404);
    expect((await w.call('post', '/v1/redemptions/rd-2/cancellation', w.crm, {})).status).to.equal(400);
  });

  it('refuses a late return with 422 and return-window-ended; only an admin key may override it, and it is recorded', async () => {
    // o-1 was delivered 6 Feb 10:00 Jakarta: the window ended 8 Mar 10:00.
    const late = { id: 'r-1', lines: [{ sku: 'A', quantity: 1 }], at: '2026-03-09T10:00:00+07:00' };
    const refused = await w.call('post', '/v1/orders/o-1/returns', w.checkout, late);
    expect([refused.status, codeOf(refused)]).to.deep.equal([422, 'return-refused']);
    expect((refused.body as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code)).to.deep.equal(['return-window-ended']);
    const override = { ...late, override: { reason: 'courier lost the first parcel' } };
    expect((await w.call('post', '/v1/orders/o-1/returns', w.checkout, override)).status).to.equal(403);
    const taken = await w.call('post', '/v1/orders/o-1/returns', w.admin, override);
    expect(taken.status, JSON.stringify(taken.body)).to.equal(201);
    expect(taken.body).to.include({ returnId: 'r-1', clawedBack: 1000, balance: 0 });
    const moments = await w.call('get', '/v1/moments?customerId=ayu&type=return.recorded', w.crm);
    expect((moments.body as { items: Array<{ data: Record<string, unknown> }> }).items[0]?.data).to.deep.include({ returnId: 'r-1', override: { reason: 'courier lost the first parcel' } });
  });
}

describe('orders after the sale over HTTP (memory store)', () => suite(() => 'memory'));

describe('orders after the sale over HTTP (embedded LMDB store)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-api-orders-'));
  suite(() => ({ kind: 'lmdb', path: dir }));
  after(() => rmSync(dir, { recursive: true, force: true }));
});

describeMongo('orders after the sale over HTTP (MongoDB store)', (ctx) => suite(() => ({ kind: 'mongo', uri: ctx().uri, dbName: ctx().dbName })));
