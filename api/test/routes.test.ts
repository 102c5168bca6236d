/**
 * Every /v1 route on the real ledger (memory store), walking the toko example program with the exact numbers of
 * ../shared/examples/toko-basic.scenario.json (each derived there from SEMANTICS.md; the derivation is quoted
 * next to each expectation). Every response is checked against the OpenAPI document.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreConfig } from '@purna/ledger';
import { Value } from '@sinclair/typebox/value';
import { describeMongo } from '../../test/support/mongo.js';
import { scenarioOrder } from '../../packages/rules/test/support/example-program.js';
import { SimulationReportSchema } from '../src/schemas/program-schemas.js';
import { openRouteWorld, type RouteWorld } from './support/route-world.js';

const program: unknown = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8'));

const ayu = {
  id: 'ayu',
  enrolledAt: '2026-01-05T09:00:00+07:00',
  birthDate: '1990-03-14',
  timezone: 'Asia/Jakarta',
  emailHash: 'sha256:ayu',
  referralCode: 'AYU-2026',
};
const o1001 = scenarioOrder('o-1001');
const o1002 = scenarioOrder('o-1002');

/** The suite, on the store `storeConfig()` names (read when the suite starts). */
function routeSuite(storeConfig: () => StoreConfig): void {
  let w: RouteWorld;

  before(async () => {
    w = await openRouteWorld(storeConfig());
  });
  after(async () => {
    await w.ledger.close();
  });

  it('publishes the program (admin) and reads it back (checkout, crm)', async () => {
    const published = await w.call('put', '/v1/program', w.admin, program);
    expect(published.status, JSON.stringify(published.body)).to.equal(201);
    expect(published.body).to.deep.equal({ id: 'toko-rewards', version: 1 });
    const read = await w.call('get', '/v1/program', w.checkout);
    expect(read.status).to.equal(200);
    expect(read.body).to.include({ id: 'toko-rewards', version: 1 });
    expect((await w.call('get', '/v1/program?version=1', w.crm)).status).to.equal(200);
    expect((await w.call('get', '/v1/program?version=9', w.crm)).status).to.equal(404);
    expect((await w.call('put', '/v1/program', w.crm, program)).status).to.equal(403);
    expect((await w.call('put', '/v1/program', undefined, program)).status).to.equal(401);
    const invalid = await w.call('put', '/v1/program', w.admin, { ...(program as object), earning: 'none' });
    expect(invalid.status).to.equal(400);
    expect(invalid.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/earning');
  });

  it('validates a draft: 200 with every problem and its pointer', async () => {
    const ok = await w.call('post', '/v1/program/validate', w.admin, program);
    expect(ok.body).to.deep.equal({ valid: true, errors: [] });
    const bad = await w.call('post', '/v1/program/validate', w.admin, { id: 'Bad Id', name: 'x' });
    expect(bad.status).to.equal(200);
    expect(bad.body.valid).to.equal(false);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/id');
    expect((await w.call('post', '/v1/program/validate', w.checkout, program)).status).to.equal(403);
  });

  it('simulates orders through a draft or the published program (admin), writing nothing', async () => {
    const orders = [o1001, o1002];
    // o-1001 earns 1425 at bronze; o-1002 earns 900 x 1.25 (silver, big-basket capped) = 1125: 2550 in all.
    const draft = await w.call('post', '/v1/program/simulate', w.admin, { program, orders });
    expect(draft.status, JSON.stringify(draft.body)).to.equal(200);
    expect(draft.body).to.include({ orders: 2, customers: 1, points: 2550 });
    const published = await w.call('post', '/v1/program/simulate', w.admin, { orders });
    expect(published.body.points).to.equal(2550);
    const unordered = await w.call('post', '/v1/program/simulate', w.admin, { orders: [o1001, { ...o1002, placedAt: undefined }] });
    expect(unordered.status).to.equal(400);
    expect(unordered.body.errors[0].pointer).to.equal('/orders/1/placedAt');
    expect((await w.call('post', '/v1/program/simulate', w.crm, { orders })).status).to.equal(403);
  });

  it('answers a simulation with its rewards part, as its schema describes it', async () => {
    // The after-sales example has a catalog of three rewards; the request holds orders only, so none is redeemed.
    const aftercare: unknown = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-aftercare.program.json', import.meta.url), 'utf8'));
    const res = await w.call('post', '/v1/program/simulate', w.admin, { program: aftercare, orders: [o1001, o1002] });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.rewards).to.deep.equal({
      redeemed: 0,
      points: 0,
      refused: 0,
      refusedBy: {},
      byReward: { 'voucher-50k': { redeemed: 0, points: 0 }, 'free-shipping': { redeemed: 0, points: 0 }, powerbank: { redeemed: 0, points: 0 } },
      used: 0,
      useRefusedBy: {},
      expired: 0,
      refunded: 0,
      liability: { value: '0', open: 0, byKind: { value: 0, percent: 0, 'free-shipping': 0, gift: 0 } },
    });
    expect([...Value.Errors(SimulationReportSchema, res.body)].map((e) => `${e.path}: ${e.message}`)).to.deep.equal([]);
  });

  it('replays rewards redeemed with the orders, in time order', async () => {
    const aftercare: unknown = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-aftercare.program.json', import.meta.url), 'utf8'));
    // Rp6.000.000 of accessories on 1 December: 600 base points and the 200 big-basket bonus, pending 14 days.
    const order = { id: 'sim-o1', customerId: 'sim-ayu', placedAt: '2026-12-01T10:00:00+07:00', currency: 'IDR', lines: [{ sku: 'CASE-9', category: 'accessory', quantity: 1, unitPrice: '6000000' }] };
    const rewards = [
      // Before the points are available: refused.
      { id: 'sim-rr1', customerId: 'sim-ayu', rewardId: 'voucher-50k', at: '2026-12-02T10:00:00+07:00' },
      // After 15 December 10:00: 500 of them buy the Rp50.000 voucher.
      { id: 'sim-rr2', customerId: 'sim-ayu', rewardId: 'voucher-50k', at: '2026-12-20T10:00:00+07:00' },
    ];
    const res = await w.call('post', '/v1/program/simulate', w.admin, { program: aftercare, orders: [order], rewards });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.rewards).to.deep.include({ redeemed: 1, points: 500, refused: 1, refusedBy: { 'insufficient-points': 1 } });
    expect(res.body.rewards.liability).to.deep.include({ value: '50000', open: 1 });
    const late = await w.call('post', '/v1/program/simulate', w.admin, { program: aftercare, orders: [order], rewards: [{ ...rewards[0], at: 'yesterday' }] });
    expect(late.status).to.equal(400);
    expect(late.body.errors[0].pointer).to.match(/^\/rewards\/0/);
  });

  it('upserts customers (crm); the id may come from the path alone', async () => {
    const res = await w.call('put', '/v1/customers/ayu', w.crm, ayu);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.id).to.equal('ayu');
    const noId = await w.call('put', '/v1/customers/cici', w.crm, { enrolledAt: '2026-01-10T09:00:00+07:00' });
    expect(noId.status, JSON.stringify(noId.body)).to.equal(200);
    expect(noId.body.id).to.equal('cici');
    expect((await w.call('put', '/v1/customers/ayu', w.checkout, ayu)).status).to.equal(403);
    const unknownField = await w.call('put', '/v1/customers/ayu', w.crm, { ...ayu, vip: true });
    expect(unknownField.body.errors[0]).to.include({ pointer: '/vip' });
  });

  it("reads a customer's referral code, and assigns one idempotently (crm)", async () => {
    const ayuCode = await w.call('get', '/v1/customers/ayu/referral-code', w.crm);
    expect(ayuCode.body).to.deep.equal({ customerId: 'ayu', code: 'AYU-2026' });
    expect((await w.call('get', '/v1/customers/cici/referral-code', w.crm)).status).to.equal(404);
    const assigned = await w.call('post', '/v1/customers/cici/referral-code', w.crm);
    expect(assigned.status, JSON.stringify(assigned.body)).to.equal(201);
    const again = await w.call('post', '/v1/customers/cici/referral-code', w.crm);
    expect(again.status).to.equal(200);
    expect(again.body.code).to.equal(assigned.body.code);
    expect((await w.call('get', '/v1/customers/cici/referral-code', w.checkout)).body.code).to.equal(assigned.body.code);
    expect((await w.call('post', '/v1/customers/cici/referral-code', w.checkout)).status).to.equal(403);
    expect((await w.call('get', '/v1/customers/cici/referral-code', w.otherAdmin)).status).to.equal(404);
  });

  it('quotes an order without writing it (checkout)', async () => {
    // base: 12,000,000/10,000 = 1200 + 250,000/10,000 = 25 (shipping excluded); big-basket +200 (total >= 5,000,000);
    // bronze x1 → 1425, as the scenario's first order.
    const quote = await w.call('post', '/v1/orders/quote', w.checkout, o1001);
    expect(quote.status, JSON.stringify(quote.body)).to.equal(200);
    expect(quote.body.points).to.equal(1425);
    expect(quote.body).to.have.property('trace');
    const after = await w.call('get', '/v1/customers/ayu?at=2026-02-10T00:00:00%2B07:00', w.crm);
    expect(after.body.points.pending).to.equal(0);
  });

  it('records orders (checkout), replays them, and refuses the same id with other content', async () => {
    const first = await w.call('post', '/v1/orders', w.checkout, o1001);
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    // 1425 as quoted; spend 12,250,000 (shipping excluded) >= 5,000,000 lifts bronze to silver.
    expect(first.body).to.include({ orderId: 'o-1001', awarded: 1425, tierBefore: 'bronze', tierAfter: 'silver' });
    const second = await w.call('post', '/v1/orders', w.checkout, o1002);
    // base 900; big-basket capped (once a month, used by o-1001); silver x1.25 → 1125; spend 21,250,000 → gold.
    expect(second.body).to.include({ awarded: 1125, tierBefore: 'silver', tierAfter: 'gold' });
    const replay = await w.call('post', '/v1/orders', w.checkout, o1002);
    expect(replay.status).to.equal(201);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(second.body);
    expect(first.headers['idempotency-replayed']).to.equal(undefined);
    const conflict = await w.call('post', '/v1/orders', w.checkout, { ...o1002, lines: [{ ...o1002.lines[0], quantity: 2 }] });
    expect(conflict.status).to.equal(409);
    expect(conflict.body.code).to.equal('idempotency-mismatch');
    expect((await w.call('post', '/v1/orders', w.crm, o1002)).status).to.equal(403);
  });

  it('reads balances and tier as of an instant (crm)', async () => {
    // 2026-02-20 12:00: o-1001's 14 pending days are over (available 1425); o-1002 is pending (1125).
    const res = await w.call('get', '/v1/customers/ayu?at=2026-02-20T12:00:00%2B07:00', w.crm);
    expect(res.status).to.equal(200);
    expect(res.body.points).to.include({ available: 1425, pending: 1125 });
    expect(res.body.tier.id).to.equal('gold');
    expect((await w.call('get', '/v1/customers/nobody', w.crm)).status).to.equal(404);
    expect((await w.call('get', '/v1/customers/ayu?at=yesterday', w.crm)).body.errors[0]).to.include({ in: 'query', pointer: '/at' });
  });

  it('runs the birthday job (crm) idempotently', async () => {
    // March is Ayu's birthday month, member for 54 days (>= 30), gold pays 1000: granted once, then not again.
    const first = await w.call('post', '/v1/jobs/birthday-rewards', w.crm, { at: '2026-03-01T00:05:00+07:00' });
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body.granted).to.equal(1);
    const second = await w.call('post', '/v1/jobs/birthday-rewards', w.crm, { at: '2026-03-02T00:05:00+07:00' });
    expect(second.body.granted).to.equal(0);
    expect((await w.call('post', '/v1/jobs/birthday-rewards', w.checkout, {})).status).to.equal(403);
  });

  it('records returns (checkout) with exact clawbacks, and replays them', async () => {
    const body = { id: 'r-1', at: '2026-03-05T10:00:00+07:00', lines: [{ sku: 'PH-9', quantity: 1 }] };
    const res = await w.call('post', '/v1/orders/o-1002/returns', w.checkout, body);
    // Returning the whole of o-1002 claws back all it earned: 1125.
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ returnId: 'r-1', clawedBack: 1125 });
    const replay = await w.call('post', '/v1/orders/o-1002/returns', w.checkout, body);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(res.body);
    expect((await w.call('post', '/v1/orders/o-9999/returns', w.checkout, { ...body, id: 'r-9' })).status).to.equal(404);
  });

  it('redeems points (checkout), and refuses with 422 and every reason', async () => {
    const body = { id: 'rd-1', customerId: 'ayu', orderId: 'o-1003', orderTotal: '2000000', points: 1500, at: '2026-03-10T10:00:00+07:00' };
    const res = await w.call('post', '/v1/redemptions', w.checkout, body);
    // 1500 points x pointValue 100 = 150,000; at most half of 2,000,000; available 2425 (1425 + birthday 1000).
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ redemptionId: 'rd-1', redeemed: 1500 });
    expect(Number(res.body.discount)).to.equal(150000);
    const replay = await w.call('post', '/v1/redemptions', w.checkout, body);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    // 50 points is below minPoints 100.
    const refused = await w.call('post', '/v1/redemptions', w.checkout, { ...body, id: 'rd-2', points: 50 });
    expect(refused.status).to.equal(422);
    expect(refused.type).to.equal('application/problem+json');
    expect(refused.body.reasons).to.be.an('array').that.is.not.empty;
    // The same refused redemption again is refused again, as a replay.
    const refusedAgain = await w.call('post', '/v1/redemptions', w.checkout, { ...body, id: 'rd-2', points: 50 });
    expect(refusedAgain.status).to.equal(422);
    expect(refusedAgain.headers['idempotency-replayed']).to.equal('true');
  });

  it('records events (checkout, crm) within their limits, and replays them', async () => {
    const body = { id: 'ev-1', customerId: 'ayu', type: 'review.published', at: '2026-03-12T09:00:00+07:00' };
    const res = await w.call('post', '/v1/events', w.crm, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    // A review pays 50 (limit 5 a month, first of March).
    expect(res.body).to.include({ eventId: 'ev-1', awarded: 50 });
    const replay = await w.call('post', '/v1/events', w.checkout, body);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(res.body);
  });

  it('adjusts points with a reason (crm), and replays the adjustment', async () => {
    const body = { id: 'adj-1', points: 100, reason: 'goodwill: late delivery', at: '2026-03-13T09:00:00+07:00' };
    const res = await w.call('post', '/v1/customers/ayu/adjustments', w.crm, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ adjustmentId: 'adj-1', points: 100 });
    const replay = await w.call('post', '/v1/customers/ayu/adjustments', w.crm, body);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    const zero = await w.call('post', '/v1/customers/ayu/adjustments', w.crm, { ...body, id: 'adj-2', points: 0 });
    expect(zero.status).to.equal(400);
    expect((await w.call('post', '/v1/customers/ayu/adjustments', w.checkout, body)).status).to.equal(403);
  });

  it('pages through transactions newest first with a cursor (crm)', async () => {
    const first = await w.call('get', '/v1/customers/ayu/transactions?limit=2&at=2026-12-31T00:00:00%2B07:00', w.crm);
    expect(first.status, JSON.stringify(first.body)).to.equal(200);
    expect(first.body.items, JSON.stringify(first.body)).to.have.length(2);
    expect(first.body.nextCursor).to.be.a('string');
    const next = await w.call('get', `/v1/customers/ayu/transactions?limit=2&at=2026-12-31T00:00:00%2B07:00&cursor=${encodeURIComponent(first.body.nextCursor)}`, w.crm);
    expect(next.status, JSON.stringify(next.body)).to.equal(200);
    const all = [...first.body.items, ...next.body.items] as Array<{ at: string; type: string }>;
    const times = all.map((e) => Date.parse(e.at));
    expect(times).to.deep.equal([...times].sort((a, b) => b - a));
    // Newest: the adjustment (13 March), then the event (12 March).
    expect(all.slice(0, 2).map((e) => e.type)).to.deep.equal(['adjustment', 'event']);
  });

  it('checks warranty eligibility (checkout, crm) with tier perks', async () => {
    const res = await w.call('post', '/v1/warranty/eligibility', w.checkout, {
      customerTier: 'gold',
      at: '2027-01-15T10:00:00+07:00',
      product: { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } } },
    });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    // 8% of 8,000,000 = 640,000, gold 20% off = 512,000; 12 months manufacturer then 24 + 6 (gold) months.
    const plan = res.body.plans.find((p: { planId: string }) => p.planId === 'care-2y');
    expect(plan.eligible).to.equal(true);
    expect(Number(plan.price)).to.equal(512000);
    expect(plan.coverage).to.deep.equal({ unit: '2030-06-10', remote: '2027-06-10' });
  });

  it('runs the expiry job and reconciliation (admin only)', async () => {
    // Lots expire 12 months after they become available; none has by 14 March 2026.
    const expiry = await w.call('post', '/v1/jobs/expiry', w.admin, { at: '2026-03-14T00:00:00+07:00' });
    expect(expiry.status, JSON.stringify(expiry.body)).to.equal(200);
    expect(expiry.body).to.deep.equal({ customers: 0, expired: 0 });
    expect((await w.call('post', '/v1/jobs/expiry', w.crm, {})).status).to.equal(403);
    const reconciled = await w.call('post', '/v1/jobs/reconcile', w.admin, {});
    expect(reconciled.status, JSON.stringify(reconciled.body)).to.equal(200);
    expect(reconciled.body.checked).to.be.greaterThan(0);
    expect(reconciled.body.differences).to.deep.equal([]);
    expect((await w.call('post', '/v1/jobs/reconcile', w.crm, {})).status).to.equal(403);
  });

  it("never shows or changes another tenant's data: its ids answer 404", async () => {
    const other = w.otherAdmin;
    await w.call('put', '/v1/program', other, program);
    expect((await w.call('get', '/v1/customers/ayu', other)).status).to.equal(404);
    expect((await w.call('get', '/v1/customers/ayu/transactions', other)).status).to.equal(404);
    expect((await w.call('post', '/v1/orders/o-1001/returns', other, { id: 'r-x', lines: [{ sku: 'LP-14', quantity: 1 }] })).status).to.equal(404);
    expect((await w.call('post', '/v1/customers/ayu/adjustments', other, { id: 'adj-x', points: 5, reason: 'x' })).status).to.equal(404);
    expect((await w.call('post', '/v1/warranty/eligibility', other, { customerId: 'ayu', product: { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } } })).status).to.equal(404);
    // And tenant A is untouched: ayu's order o-1001 was not returned by tenant B.
    const mine = await w.call('get', '/v1/customers/ayu/transactions?limit=100&at=2026-12-31T00:00:00%2B07:00', w.crm);
    expect(mine.body.items.filter((e: { type: string }) => e.type === 'return')).to.have.length(1);
  });

  it('replays any POST by Idempotency-Key with the first answer, and refuses the key with another body', async () => {
    const quote = { ...o1001, id: 'cart-1' };
    const first = await w.call('post', '/v1/orders/quote', w.checkout, quote, { 'Idempotency-Key': 'q-1' });
    const again = await w.call('post', '/v1/orders/quote', w.checkout, quote, { 'Idempotency-Key': 'q-1' });
    expect(again.headers['idempotency-replayed']).to.equal('true');
    expect(again.body).to.deep.equal(first.body);
    const other = await w.call('post', '/v1/orders/quote', w.checkout, { ...quote, id: 'cart-2' }, { 'Idempotency-Key': 'q-1' });
    expect(other.status).to.equal(409);
  });
}

describe('v1 routes on the ledger (memory store)', () => routeSuite(() => 'memory'));

describe('the anniversary job on the ledger (memory store)', () => {
  // The example program with a purchase anniversary: 200 points (gold 500) on the day, in the customer's zone.
  const withAnniversary = { ...(program as object), anniversary: { award: { points: 200, byTier: { gold: 500 } }, window: 'day' } };
  let w: RouteWorld;
  before(async () => {
    w = await openRouteWorld('memory');
  });
  after(async () => {
    await w.ledger.close();
  });

  it('grants the anniversary of the first order (crm) once, on its day in the customer zone, from the first anniversary on', async () => {
    expect((await w.call('put', '/v1/program', w.admin, withAnniversary)).status).to.equal(201);
    expect((await w.call('put', '/v1/customers/ayu', w.crm, ayu)).status).to.equal(200);
    expect((await w.call('post', '/v1/orders', w.checkout, o1001)).status).to.equal(201);
    const job = (at: string) => w.call('post', '/v1/jobs/anniversary-rewards', w.crm, { at });
    // The purchase day itself, then the evening before its first anniversary (Jakarta): nothing due.
    expect((await job('2026-02-01T12:00:00+07:00')).body).to.deep.equal({ granted: 0, skipped: 1 });
    expect((await job('2027-01-31T23:30:00+07:00')).body).to.deep.equal({ granted: 0, skipped: 1 });
    // 1 February 2027, 00:05 in Jakarta: the first anniversary. o-1001's 12,250,000 of tier spend (shipping
    // excluded) is inside the 12-month window, so Ayu holds silver, which has no byTier award: 200 points.
    const granted = await job('2027-02-01T00:05:00+07:00');
    expect(granted.status, JSON.stringify(granted.body)).to.equal(200);
    expect(granted.body).to.deep.equal({ granted: 1, skipped: 0 });
    expect((await job('2027-02-01T20:00:00+07:00')).body).to.deep.equal({ granted: 0, skipped: 1 });
    expect((await w.call('post', '/v1/jobs/anniversary-rewards', w.checkout, {})).status).to.equal(403);
    expect((await w.call('post', '/v1/jobs/anniversary-rewards', w.crm, { at: 'tomorrow' })).status).to.equal(400);

    const entries = await w.call('get', '/v1/customers/ayu/transactions?at=2027-02-02T00:00:00%2B07:00', w.crm);
    expect(entries.body.items[0]).to.include({ type: 'anniversary', points: 200, reason: 'anniversary:2027', at: '2027-01-31T17:05:00.000Z' });
    // o-1001's 1425 (available from 15 February 2026, expiring 12 months later) + 200, available at once.
    const customer = await w.call('get', '/v1/customers/ayu?at=2027-02-01T12:00:00%2B07:00', w.crm);
    expect(customer.body.points).to.include({ available: 1625, pending: 0, balance: 1625 });
  });
});

describe('v1 routes on the ledger (embedded LMDB store, the npm start default)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'purna-api-routes-'));
  routeSuite(() => ({ kind: 'lmdb', path: dir }));
  // Registered after the suite's own `after` (which closes the ledger), so it runs last.
  after(() => rmSync(dir, { recursive: true, force: true }));
});

describeMongo('v1 routes on the ledger (MongoDB store)', (ctx) => routeSuite(() => ({ kind: 'mongo', uri: ctx().uri, dbName: ctx().dbName })));
