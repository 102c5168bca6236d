/**
 * Guarantee: the loopholes users of other loyalty engines complain about stay closed (DESIGN.md, SEMANTICS 6-8).
 * A self-referral (same customer, same email hash, same phone hash) earns no referral points; pending points cannot
 * be redeemed; buy → redeem → return leaves a negative balance that blocks every redemption until it is repaid.
 * The numbers follow the reliability program: 1 point per Rp1.000, pending 3 days, referral 500 / 250.
 */
import { expect } from 'chai';
import { entriesOf, forEachWorldStore, orderOf, pointsOf, type World } from './support/world.js';

forEachWorldStore('fraud', (open) => {
  let world: World;
  before(async () => {
    world = await open();
  });
  after(async () => {
    await world.close();
  });

  const put = async (id: string, body: Record<string, unknown>): Promise<{ status: number; body: { referral?: { status: string; reason?: string } } }> => {
    const res = await world.call('put', `/v1/customers/${id}`, world.keys.crm, { enrolledAt: world.clock.iso(), ...body });
    expect(res.status, JSON.stringify(res.body)).to.be.oneOf([200, 201]);
    return res;
  };

  for (const [how, referee] of [
    ['the same email hash', { emailHash: 'sha256:fraudster' }],
    ['the same phone hash', { phoneHash: 'sha256:+62-811-0000' }],
  ] as const) {
    it(`a self-referral with ${how} earns nothing, on enrolment or on the first order`, async () => {
      const tag = how.includes('email') ? 'e' : 'p';
      await put(`fr-referrer-${tag}`, { referralCode: `FRAUD${tag.toUpperCase()}1`, emailHash: 'sha256:fraudster', phoneHash: 'sha256:+62-811-0000' });
      const enrolled = await put(`fr-alias-${tag}`, { ...referee, referredBy: { code: `FRAUD${tag.toUpperCase()}1` } });
      expect(enrolled.body.referral).to.deep.include({ status: 'rejected', reason: 'self-referral' });
      // A first order that would qualify (Rp1.000.000 within 60 days) earns its own 1000 points and nothing more.
      const order = await world.call('post', '/v1/orders', world.keys.checkout, orderOf(`fr-o-${tag}`, `fr-alias-${tag}`, world.clock.iso(), [{ sku: 'LP-1', quantity: 1, unitPrice: '1000000', category: 'laptop' }]));
      expect(order.status, JSON.stringify(order.body)).to.equal(201);
      expect(order.body.awarded).to.equal(1000);
      expect(order.body.referral).to.equal(undefined);
      expect((await entriesOf(world, world.keys.crm, `fr-alias-${tag}`)).map((e) => [e.type, e.points])).to.deep.equal([['earn', 1000]]);
      expect(await entriesOf(world, world.keys.crm, `fr-referrer-${tag}`)).to.deep.equal([]);
      expect((await pointsOf(world, world.keys.crm, `fr-referrer-${tag}`)).balance).to.equal(0);
    });
  }

  it('a customer cannot refer themselves with their own code', async () => {
    await put('fr-self', { referralCode: 'FRSELF1' });
    const again = await put('fr-self', { referredBy: { code: 'FRSELF1' } });
    expect(again.body.referral?.status).to.equal('rejected');
    const order = await world.call('post', '/v1/orders', world.keys.checkout, orderOf('fr-self-o', 'fr-self', world.clock.iso(), [{ sku: 'LP-1', quantity: 1, unitPrice: '2000000', category: 'laptop' }]));
    expect(order.status).to.equal(201);
    expect(order.body.referral).to.equal(undefined);
    // Rp2.000.000 / Rp1.000 = 2000 order points, and no referral entry.
    expect((await entriesOf(world, world.keys.crm, 'fr-self')).map((e) => e.points)).to.deep.equal([2000]);
  });

  it('pending points cannot be redeemed until they become available', async () => {
    const placed = world.clock.iso();
    const order = await world.call('post', '/v1/orders', world.keys.checkout, orderOf('fr-pending-o', 'fr-pending', placed, [{ sku: 'PH-1', quantity: 1, unitPrice: '300000' }]));
    expect(order.status).to.equal(201);
    // 300 points, pending 3 days.
    expect(await pointsOf(world, world.keys.crm, 'fr-pending')).to.include({ pending: 300, available: 0, balance: 300 });
    const early = await world.call('post', '/v1/redemptions', world.keys.checkout, { id: 'fr-pending-r1', customerId: 'fr-pending', orderId: 'fr-basket-1', orderTotal: '1000000', points: 100 });
    expect(early.status, JSON.stringify(early.body)).to.equal(422);
    expect(early.body.reasons.map((r: { code: string }) => r.code)).to.include('insufficient-points');
    expect(await pointsOf(world, world.keys.crm, 'fr-pending')).to.include({ pending: 300, redeemed: 0, balance: 300 });
    // One second before the end of the pending period: still refused (a new redemption id, same content otherwise).
    const almost = new Date(Date.parse(placed) + (3 * 86_400_000) - 1000).toISOString();
    const stillEarly = await world.call('post', '/v1/redemptions', world.keys.checkout, { id: 'fr-pending-r2', customerId: 'fr-pending', orderId: 'fr-basket-1', orderTotal: '1000000', points: 100, at: almost });
    expect(stillEarly.status).to.equal(422);
    world.clock.advance(3);
    const onTime = await world.call('post', '/v1/redemptions', world.keys.checkout, { id: 'fr-pending-r3', customerId: 'fr-pending', orderId: 'fr-basket-1', orderTotal: '1000000', points: 100 });
    expect(onTime.status, JSON.stringify(onTime.body)).to.equal(201);
    expect(await pointsOf(world, world.keys.crm, 'fr-pending')).to.include({ available: 200, redeemed: 100, balance: 200 });
  });

  it('buy, redeem, return: the balance goes negative and blocks redemption until repaid', async () => {
    const c = 'fr-debt';
    const order = await world.call('post', '/v1/orders', world.keys.checkout, orderOf('fr-debt-o', c, world.clock.iso(), [{ sku: 'TV-1', quantity: 1, unitPrice: '1000000', category: 'tv' }]));
    expect(order.body.awarded).to.equal(1000);
    world.clock.advance(4);
    const redeemed = await world.call('post', '/v1/redemptions', world.keys.checkout, { id: 'fr-debt-r1', customerId: c, orderId: 'fr-debt-basket', orderTotal: '5000000', points: 1000 });
    expect(redeemed.status, JSON.stringify(redeemed.body)).to.equal(201);
    const returned = await world.call('post', '/v1/orders/fr-debt-o/returns', world.keys.checkout, { id: 'fr-debt-ret', lines: [{ sku: 'TV-1', quantity: 1 }] });
    expect(returned.status, JSON.stringify(returned.body)).to.equal(201);
    // The return claws back all 1000; the order's lot was spent and nothing else is available: 1000 owed.
    expect(returned.body).to.include({ clawedBack: 1000, balance: -1000 });
    expect(await pointsOf(world, world.keys.crm, c)).to.include({ balance: -1000, available: 0 });

    const refuse = async (id: string, points: number, reason = 'negative-balance'): Promise<void> => {
      const res = await world.call('post', '/v1/redemptions', world.keys.checkout, { id, customerId: c, orderId: 'fr-debt-basket-2', orderTotal: '5000000', points });
      expect(res.status, JSON.stringify(res.body)).to.equal(422);
      expect(res.body.reasons.map((r: { code: string }) => r.code), id).to.include(reason);
    };
    await refuse('fr-debt-r2', 1);
    // New points repay the debt first: 500 goodwill leaves -500, still blocked.
    expect((await world.call('post', `/v1/customers/${c}/adjustments`, world.keys.crm, { id: 'fr-debt-a1', points: 500, reason: 'goodwill' })).status).to.equal(201);
    expect(await pointsOf(world, world.keys.crm, c)).to.include({ balance: -500, available: 0 });
    await refuse('fr-debt-r3', 1);
    // A new order's points, once available, repay the rest: 700 - 500 owed = 200.
    const second = await world.call('post', '/v1/orders', world.keys.checkout, orderOf('fr-debt-o2', c, world.clock.iso(), [{ sku: 'PH-1', quantity: 1, unitPrice: '700000' }]));
    expect(second.body.awarded).to.equal(700);
    // While they are pending the balance reads 700 - 500 = 200, but nothing is available: 500 are still owed.
    expect(await pointsOf(world, world.keys.crm, c)).to.include({ balance: 200, pending: 700, available: 0 });
    await refuse('fr-debt-r4', 1, 'insufficient-points');
    world.clock.advance(3);
    expect(await pointsOf(world, world.keys.crm, c)).to.include({ balance: 200, available: 200 });
    const allowed = await world.call('post', '/v1/redemptions', world.keys.checkout, { id: 'fr-debt-r5', customerId: c, orderId: 'fr-debt-basket-3', orderTotal: '5000000', points: 200 });
    expect(allowed.status, JSON.stringify(allowed.body)).to.equal(201);
    // Every point accounted for: +1000 -1000 -1000 +500 +700 -200 = 0.
    const entries = await entriesOf(world, world.keys.crm, c);
    expect(entries.reduce((sum, e) => sum + e.points, 0)).to.equal(0);
    expect(await pointsOf(world, world.keys.crm, c)).to.include({ balance: 0, redeemed: 1200 });
  });
});
