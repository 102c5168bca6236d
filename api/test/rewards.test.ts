/**
 * Rewards and vouchers over HTTP on the real ledger (memory store): the catalog for anyone and for a customer, a
 * reward redeemed (201, the voucher, replays, 422 with every reason, 404), a voucher used (200, replay, 422 for used,
 * expired, unknown and another customer's, 400 at the path's /code for a malformed code), a customer's vouchers with
 * their status, the scopes, and the voucher-miss limit: codes that match nothing take from a key's allowance (20
 * per 40 s window by default), and a key with none left is answered 429 with Retry-After before the ledger is asked, even for a good code, while other keys and
 * misses that are not misses (a used voucher) are untouched. Last, 10,000 random well-formed codes from one key: not
 * one is used, and every try after the first `burst` is a 429. Every response is checked against the document.
 */
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { openLedger, type Ledger } from '@purna/ledger';
import { formatVoucherCode, VOUCHER_CODE_BYTES } from '@purna/rules';
import { createApp } from '../src/app.js';
import { generateApiKey } from '../src/auth/api-key.js';
import { expectOk, openRouteWorld, type RouteWorld } from './support/route-world.js';


const toko = JSON.parse(readFileSync(new URL('../../../shared/examples/toko-rewards.program.json', import.meta.url), 'utf8')) as Record<string, unknown>;
/** The toko program with a catalog of each kind: money off (a value, a percent), free shipping, a gift in stock for gold. */
const program = {
  ...toko,
  rewards: [
    { id: 'voucher-50k', name: 'Rp50.000 voucher', cost: 500, kind: 'voucher', value: '50000', voucherDays: 30, limit: { perCustomer: { count: 1, period: { months: 1 } } } },
    { id: 'ten-percent', name: '10% off', cost: 300, kind: 'voucher', percent: '10', voucherDays: 14 },
    { id: 'free-shipping', name: 'Free shipping on one order', cost: 150, kind: 'free-shipping', voucherDays: 7 },
    { id: 'powerbank', name: 'Power bank', cost: 2000, kind: 'gift', sku: 'PB-10K', stock: 5, tiers: ['gold'] },
  ],
};

/** The app's now: 1 April 2027 (reads and writes below all send their own `at`). */
const NOW = Date.parse('2027-04-01T00:00:00.000Z');
/** 10 December 2026, 10:00 in Jakarta (03:00 UTC). */
const AT = '2026-12-10T10:00:00+07:00';
const CODE = /^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/;
const q = encodeURIComponent;

const reasonCodes = (res: request.Response): string[] => (res.body as { reasons: Array<{ code: string }> }).reasons.map((r) => r.code);

describe('rewards and vouchers over HTTP', () => {
  let w: RouteWorld;

  before(async () => {
    w = await openRouteWorld('memory', { clock: () => NOW });
    expectOk(await w.call('put', '/v1/program', w.admin, program));
    for (const id of ['ayu', 'budi']) expectOk(await w.call('put', `/v1/customers/${id}`, w.crm, { enrolledAt: '2026-01-05T09:00:00+07:00' }));
    // Points available at once: 1200 for ayu, 100 for budi (adjustments expire after the program's 12 months).
    expectOk(await w.call('post', '/v1/customers/ayu/adjustments', w.crm, { id: 'seed-ayu', points: 1200, reason: 'seed', at: '2026-12-01T10:00:00+07:00' }));
    expectOk(await w.call('post', '/v1/customers/budi/adjustments', w.crm, { id: 'seed-budi', points: 100, reason: 'seed', at: '2026-12-01T10:00:00+07:00' }));
  });
  after(async () => {
    await w.ledger.close();
  });

  it('answers the catalog for anyone and for a customer, with every reason', async () => {
    const anyone = await w.call('get', `/v1/rewards?at=${q(AT)}`, w.crm);
    expect(anyone.status).to.equal(200);
    expect(anyone.body.customerId).to.equal(undefined);
    expect(anyone.body.items.map((r: { rewardId: string; available: boolean }) => [r.rewardId, r.available])).to.deep.equal([
      ['voucher-50k', true],
      ['ten-percent', true],
      ['free-shipping', true],
      ['powerbank', true],
    ]);
    expect(anyone.body.items[3]).to.include({ stockLeft: 5, cost: 2000, kind: 'gift', sku: 'PB-10K' });
    const budi = await w.call('get', `/v1/rewards?customerId=budi&at=${q(AT)}`, w.crm);
    expect(budi.body.customerId).to.equal('budi');
    // 100 points reach none of them; the power bank is for gold members too (budi holds bronze: no spend yet).
    expect(budi.body.items.map((r: { rewardId: string; reasons: Array<{ code: string }> }) => [r.rewardId, r.reasons.map((x) => x.code)])).to.deep.equal([
      ['voucher-50k', ['insufficient-points']],
      ['ten-percent', ['insufficient-points']],
      ['free-shipping', ['insufficient-points']],
      ['powerbank', ['tier-not-allowed', 'insufficient-points']],
    ]);
    expect((await w.call('get', `/v1/rewards?customerId=nobody&at=${q(AT)}`, w.crm)).status).to.equal(404);
    const bad = await w.call('get', '/v1/rewards?customerId=a%20b', w.crm);
    expect(bad.status).to.equal(400);
    expect(bad.body.errors[0]).to.include({ in: 'query', pointer: '/customerId' });
  });

  it('redeems a reward (201 with its voucher), replays the same id, and refuses with 422 and every reason', async () => {
    const body = { id: 'rr-1', customerId: 'ayu', at: AT };
    const res = await w.call('post', '/v1/rewards/voucher-50k/redemptions', w.checkout, body);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.headers['idempotency-replayed']).to.equal(undefined);
    expect(res.body.voucher.code).to.match(CODE);
    // Issued 10 December 10:00 in Jakarta (03:00Z), it lasts 30 days; 1200 - 500 = 700.
    expect(res.body).to.deep.equal({
      redemptionId: 'rr-1',
      rewardId: 'voucher-50k',
      customerId: 'ayu',
      points: 500,
      voucher: { code: res.body.voucher.code, kind: 'voucher', value: '50000', expiresAt: '2027-01-09T03:00:00.000Z' },
      balance: 700,
    });
    const replay = await w.call('post', '/v1/rewards/voucher-50k/redemptions', w.checkout, body);
    expect(replay.status).to.equal(201);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(res.body);
    const conflict = await w.call('post', '/v1/rewards/ten-percent/redemptions', w.checkout, body);
    expect(conflict.status).to.equal(409);
    expect(conflict.body.code).to.equal('idempotency-mismatch');

    const limit = await w.call('post', '/v1/rewards/voucher-50k/redemptions', w.crm, { id: 'rr-2', customerId: 'ayu', at: AT });
    expect(limit.status).to.equal(422);
    expect(limit.type).to.equal('application/problem+json');
    expect(limit.body.code).to.equal('reward-refused');
    expect(reasonCodes(limit)).to.deep.equal(['limit-reached']);
    const both = await w.call('post', '/v1/rewards/powerbank/redemptions', w.checkout, { id: 'rr-3', customerId: 'budi', at: AT });
    expect(both.status).to.equal(422);
    expect(reasonCodes(both)).to.deep.equal(['tier-not-allowed', 'insufficient-points']);
    expect(both.body.reasons[1].message).to.match(/costs 2000 points; 100 are available/);
    // A refusal is the first answer of its id: sent again, it is refused again, marked as a replay.
    const refusedAgain = await w.call('post', '/v1/rewards/powerbank/redemptions', w.checkout, { id: 'rr-3', customerId: 'budi', at: AT });
    expect(refusedAgain.status).to.equal(422);
    expect(refusedAgain.headers['idempotency-replayed']).to.equal('true');
    const unknown = await w.call('post', '/v1/rewards/yacht/redemptions', w.checkout, { id: 'rr-4', customerId: 'ayu', at: AT });
    expect(unknown.status).to.equal(422);
    expect(reasonCodes(unknown)).to.deep.equal(['unknown-reward']);
    expect((await w.call('get', `/v1/customers/budi?at=${q(AT)}`, w.crm)).body.points.balance, 'a refusal debits nothing').to.equal(100);
  });

  it('answers 400 with the pointer for a malformed redemption, 404 for an unknown customer, 403 for a key without the scope', async () => {
    const extra = await w.call('post', '/v1/rewards/voucher-50k/redemptions', w.checkout, { id: 'rr-x', customerId: 'ayu', rewardId: 'ten-percent' });
    expect(extra.status).to.equal(400);
    expect(extra.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/rewardId');
    const missing = await w.call('post', '/v1/rewards/voucher-50k/redemptions', w.checkout, { id: 'rr-x' });
    expect(missing.body.errors.map((e: { pointer: string }) => e.pointer)).to.include('/customerId');
    const nobody = await w.call('post', '/v1/rewards/voucher-50k/redemptions', w.checkout, { id: 'rr-x', customerId: 'nobody', at: AT });
    expect(nobody.status).to.equal(404);
    const other = await w.call('post', '/v1/rewards/voucher-50k/redemptions', w.otherAdmin, { id: 'rr-b', customerId: 'ayu', at: AT });
    expect(other.status, "another tenant's key does not see this tenant's customer").to.equal(404);
    expect((await w.call('post', '/v1/vouchers/K7QM-2XPA-9RHD-TWCE/use', w.crm, { orderId: 'o-1', customerId: 'ayu' })).status).to.equal(403);
    expect((await w.call('get', '/v1/rewards', w.checkout)).status).to.equal(403);
  });

  it("uses a voucher once (200), replays it on the same order, refuses a used, another customer's and an unknown one (422)", async () => {
    const issued = await w.call('post', '/v1/rewards/ten-percent/redemptions', w.checkout, { id: 'rr-10', customerId: 'ayu', at: AT });
    const code = issued.body.voucher.code as string;
    // Typed in lower case with spaces, it is the same code.
    const typed = code.toLowerCase().replace(/-/g, ' ');
    const used = await w.call('post', `/v1/vouchers/${q(typed)}/use`, w.checkout, { orderId: 'o-1009', customerId: 'ayu', at: '2026-12-11T10:00:00+07:00' });
    expect(used.status, JSON.stringify(used.body)).to.equal(200);
    expect(used.body).to.deep.equal({ code, used: true, orderId: 'o-1009', customerId: 'ayu', rewardId: 'ten-percent', kind: 'voucher', percent: '10' });
    const replay = await w.call('post', `/v1/vouchers/${code}/use`, w.checkout, { orderId: 'o-1009', customerId: 'ayu', at: '2026-12-11T10:05:00+07:00' });
    expect(replay.status).to.equal(200);
    expect(replay.headers['idempotency-replayed']).to.equal('true');
    expect(replay.body).to.deep.equal(used.body);
    const again = await w.call('post', `/v1/vouchers/${code}/use`, w.checkout, { orderId: 'o-1010', customerId: 'ayu', at: '2026-12-11T11:00:00+07:00' });
    expect(again.status).to.equal(422);
    expect(again.body.code).to.equal('voucher-refused');
    expect(reasonCodes(again)).to.deep.equal(['voucher-used']);
    const theirs = await w.call('post', `/v1/vouchers/${code}/use`, w.checkout, { orderId: 'o-2001', customerId: 'budi', at: '2026-12-11T11:00:00+07:00' });
    expect(reasonCodes(theirs)).to.deep.equal(['voucher-other-customer']);
    const unknown = await w.call('post', '/v1/vouchers/K7QM-2XPA-9RHD-TWCE/use', w.checkout, { orderId: 'o-2001', customerId: 'budi', at: '2026-12-11T11:00:00+07:00' });
    expect(reasonCodes(unknown)).to.deep.equal(['voucher-unknown']);
  });

  it('refuses an expired voucher, and answers 400 at /code for a malformed one', async () => {
    const issued = await w.call('post', '/v1/rewards/free-shipping/redemptions', w.checkout, { id: 'rr-20', customerId: 'ayu', at: AT });
    // 7 days from 10 December 10:00 in Jakarta: it expired on 17 December at 10:00 (03:00Z).
    expect(issued.body.voucher).to.deep.include({ kind: 'free-shipping', expiresAt: '2026-12-17T03:00:00.000Z' });
    const late = await w.call('post', `/v1/vouchers/${issued.body.voucher.code as string}/use`, w.checkout, { orderId: 'o-1100', customerId: 'ayu', at: '2026-12-17T10:00:00+07:00' });
    expect(late.status).to.equal(422);
    expect(reasonCodes(late)).to.deep.equal(['voucher-expired']);
    for (const bad of ['K7QM-2XPA-9RHD', 'K7QM-2XPA-9RHD-TWC0', 'hello']) {
      const res = await w.call('post', `/v1/vouchers/${bad}/use`, w.checkout, { orderId: 'o-1101', customerId: 'ayu', at: AT });
      expect(res.status, bad).to.equal(400);
      expect(res.body.code).to.equal('validation-failed');
      expect(res.body.errors).to.have.length(1);
      expect(res.body.errors[0]).to.include({ in: 'path', pointer: '/code', code: 'invalid-voucher-code' });
      expect(res.body.errors[0].message).to.include(bad);
    }
  });

  it("lists a customer's vouchers newest first with their status as of an instant", async () => {
    const res = await w.call('get', `/v1/customers/ayu/vouchers?at=${q('2026-12-20T10:00:00+07:00')}`, w.crm);
    expect(res.status).to.equal(200);
    expect(res.body.customerId).to.equal('ayu');
    // rr-20 free shipping (expired on the 17th), rr-10 ten percent (used on o-1009), rr-1 the Rp50.000 voucher.
    expect(res.body.items.map((v: { redemptionId: string; status: string }) => [v.redemptionId, v.status])).to.deep.equal([
      ['rr-20', 'expired'],
      ['rr-10', 'used'],
      ['rr-1', 'available'],
    ]);
    expect(res.body.items[1].usedOn).to.deep.equal({ orderId: 'o-1009', at: '2026-12-11T03:00:00.000Z' });
    expect(res.body.items[2]).to.include({ kind: 'voucher', value: '50000', points: 500, issuedAt: '2026-12-10T03:00:00.000Z' });
    expect((await w.call('get', '/v1/customers/nobody/vouchers', w.crm)).status).to.equal(404);
  });
});

describe('the voucher-miss limit', () => {
  let ledger: Ledger;
  let now = NOW;
  let server: Server;
  let base = '';
  const keys: Record<string, string> = {};
  let code = '';

  before(async () => {
    ledger = await openLedger({ store: 'memory' });
    // The general limit is out of the way; misses keep their defaults: a burst of 20, 30 a minute (one per 2 s).
    // The app is listened on once, so 10,000 requests do not each open a server.
    const app = createApp({ ledger, clock: () => now, rateLimit: { perMinute: 1_000_000, burst: 1_000_000 } });
    for (const name of ['admin', 'till-1', 'till-2', 'guesser']) {
      const generated = generateApiKey();
      await ledger.apiKeys.insert({ tenantId: 'shop-a', keyId: generated.keyId, hash: generated.hash, scopes: [name === 'admin' ? 'admin' : 'checkout'], name, createdAt: '2026-01-01T00:00:00.000Z' });
      keys[name] = generated.key;
    }
    await ledger.publishProgram('shop-a', program);
    await ledger.upsertCustomer('shop-a', { id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00' }, { at: AT });
    await ledger.adjust('shop-a', { id: 'seed', customerId: 'ayu', points: 5000, reason: 'seed', actor: 'test' }, { at: AT });
    for (const id of ['rr-1', 'rr-2', 'rr-3']) {
      const { voucher } = await ledger.redeemReward('shop-a', { id, rewardId: id === 'rr-1' ? 'voucher-50k' : 'free-shipping', customerId: 'ayu' }, { at: AT });
      if (id === 'rr-1') code = voucher.code;
    }
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    await ledger.close();
  });

  const use = (key: string, voucher: string, orderId = 'o-1', customerId = 'ayu'): request.Test =>
    request(base).post(`/v1/vouchers/${encodeURIComponent(voucher)}/use`).set('Authorization', `Bearer ${key}`).send({ orderId, customerId, at: AT });

  it('counts unknown, malformed and other-customer codes per key; out of misses, even a good code is 429 before the ledger', async () => {
    const till = keys['till-1'] ?? '';
    // 20 misses: 10 unknown, 5 malformed, 5 another customer's (bob holds no voucher; the code is ayu's).
    for (let i = 0; i < 10; i++) expect((await use(till, formatVoucherCode(randomBytes(VOUCHER_CODE_BYTES)))).status).to.equal(422);
    for (let i = 0; i < 5; i++) expect((await use(till, `BAD-${i}`)).status).to.equal(400);
    for (let i = 0; i < 5; i++) expect((await use(till, code, `o-bob-${i}`, 'bob')).status).to.equal(422);
    const out = await use(till, code);
    expect(out.status).to.equal(429);
    expect(out.body.code).to.equal('rate-limited');
    // 20 misses per window of 60 s × 20 ÷ 30 = 40 s; the clock stands at the window's start.
    expect(out.headers['retry-after']).to.equal('40');
    expect(out.body.detail).to.match(/voucher codes .* matched nothing/);
    const vouchers = await ledger.customerVouchers('shop-a', 'ayu', { at: AT });
    expect(vouchers.items.find((v) => v.code === code)?.status, 'the ledger was not asked: the voucher is unused').to.equal('available');
    // Another key is untouched; in the next window the first key has its 20 misses again.
    expect((await use(keys['till-2'] ?? '', code, 'o-2')).status).to.equal(200);
    now += 39_000;
    expect((await use(till, 'K7QM-2XPA-9RHD-TWCE')).headers['retry-after']).to.equal('1');
    now += 1000;
    for (let i = 0; i < 20; i++) expect((await use(till, 'K7QM-2XPA-9RHD-TWCE')).status).to.equal(422);
    expect((await use(till, 'K7QM-2XPA-9RHD-TWCE')).status).to.equal(429);
  });

  it('does not count a used voucher as a miss: its token comes back', async () => {
    const till = keys.admin ?? '';
    // The code was used on o-2 above: 25 tries on other orders are all voucher-used, none a miss.
    for (let i = 0; i < 25; i++) {
      const res = await use(till, code, `o-again-${i}`);
      expect(res.status).to.equal(422);
      expect(res.body.reasons[0].code).to.equal('voucher-used');
    }
  });

  it('lets none of 10,000 random well-formed codes through: all but the first 20 are 429', async function () {
    this.timeout(60_000);
    const guesser = keys.guesser ?? '';
    const statuses = new Map<number, number>();
    const firstStatuses: number[] = [];
    // Sequential batches of 50 at once: a try takes its token before the ledger is asked, so the first batch spends
    // the burst of 20 on 20 misses and its 30 others are 429 already, however the 50 interleave.
    for (let batch = 0; batch < 200; batch++) {
      const answers = await Promise.all(Array.from({ length: 50 }, () => use(guesser, formatVoucherCode(randomBytes(VOUCHER_CODE_BYTES)), `o-guess-${batch}`)));
      for (const res of answers) {
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (batch === 0) firstStatuses.push(res.status);
        if (res.status === 429) expect(res.headers['retry-after']).to.equal('40');
      }
    }
    expect(statuses.get(200), 'no code was used').to.equal(undefined);
    expect(Object.fromEntries(statuses)).to.deep.equal({ 422: 20, 429: 9980 });
    expect(firstStatuses.filter((s) => s === 422)).to.have.length(20);
  });
});
