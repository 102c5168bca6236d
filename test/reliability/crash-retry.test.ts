/**
 * Guarantee: a crash between any two steps of a write loses nothing and doubles nothing. For each write the API
 * offers (order, order with a referral follow-up on another account, return, redemption, adjustment, goodwill, reward
 * redemption, voucher use, event,
 * complaint case opening, change and resolution, warranty claim, return that cancels a warranty contract, delivery, order
 * cancellation with a redemption, redemption cancellation, expiry sweep), we count the store writes it makes, then
 * for every step n: crash just before write n (FaultyStore), see a
 * clean 500 problem+json, retry the same request with the same Idempotency-Key, and check exactly one effect:
 * the same answer as without a crash, one set of entries, the expected balance, each moment once. The ledger's own protocol test
 * (packages/ledger/test/write-protocol.test.ts) does this for a bare debit; this covers every operation end to end.
 */
import { expect } from 'chai';
import { FaultyStore, type Store } from '@purna/ledger';
import { entriesOf, forEachWorldStore, orderOf, pointsOf, type Method, type World } from './support/world.js';

interface Case {
  name: string;
  /** Makes what the operation needs, for the n-th run (its own customer). Runs without faults. */
  setup(world: World, n: number): Promise<void>;
  request(world: World, n: number): { method: Method; path: string; key: string; body: unknown };
  /** The customers whose balance the operation changes, with the balance and entry points expected after it. */
  expect(n: number): Array<{ customerId: string; balance: number; entries: number[] }>;
  /** Moments the operation emits, each exactly once whatever the crash: customer, type, how many in the feed. */
  moments?: (n: number) => Array<{ customerId: string; type: string; count: number }>;
  /** What else must hold exactly once after the retry (a record the operation writes beside the entries). */
  verify?(world: World, n: number, answer: Record<string, unknown>): Promise<void>;
}

/** How many moments of `type` the customer has in the feed. */
async function momentsOf(world: World, customerId: string, type: string): Promise<number> {
  const res = await world.call('get', `/v1/moments?customerId=${encodeURIComponent(customerId)}&type=${type}&limit=500`, world.keys.crm);
  expect(res.status, JSON.stringify(res.body)).to.equal(200);
  return (res.body as { items: unknown[] }).items.length;
}

/** A complaint taken by phone at the clock's instant, for the n-th run's customer. */
function complaintOf(w: World, id: string, customerId: string): Record<string, unknown> {
  return { id, customerId, channel: 'phone', receivedAt: w.clock.iso(), receivedBy: 'agent', department: 'logistics', summary: 'delivery late' };
}

/** A phone bought today with a 12-month manufacturer warranty: care-2y covers it at its minimum price, Rp250.000. */
function phoneOf(world: World): Record<string, unknown> {
  return { sku: 'PH-9', category: 'phone', price: '150000', purchasedOn: world.clock.iso().slice(0, 10), manufacturerWarranty: { months: 12 } };
}

async function ok(world: World, method: Method, path: string, key: string, body: unknown): Promise<void> {
  const res = await world.call(method, path, key, body);
  expect(res.status, `${method.toUpperCase()} ${path}: ${JSON.stringify(res.body)}`).to.be.oneOf([200, 201]);
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

/** The sticker's stock in the reliability program (support/world.ts). */
const STICKER_STOCK = 1_000_000;
/** The voucher code each run of the voucher-use case redeemed in its setup. */
const voucherCodes = new Map<number, string>();

const CASES: Case[] = [
  {
    name: 'expiry sweep',
    async setup(w, n) {
      // Each case has its own world, so the sweep walks this case's accounts only (on FerretDB a sweep over every
      // account the other cases made took two minutes); and what earlier runs left to expire is swept, so the
      // crashed sweep has exactly this customer to do.
      w.clock.advance(40);
      await ok(w, 'post', '/v1/jobs/expiry', w.keys.admin, {});
      await ok(w, 'put', `/v1/customers/cr-expire-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', `/v1/customers/cr-expire-${n}/adjustments`, w.keys.crm, { id: `cr-exp${n}`, points: 90, reason: 'seed' });
      // The adjustment's lot is available at once and expires 1 month later: 40 days on, it is due.
      w.clock.advance(40);
    },
    request: (w) => ({ method: 'post', path: '/v1/jobs/expiry', key: w.keys.admin, body: {} }),
    expect: (n) => [{ customerId: `cr-expire-${n}`, balance: 0, entries: [-90, 90] }],
  },
  {
    name: 'order',
    setup: () => Promise.resolve(),
    request: (w, n) => ({ method: 'post', path: '/v1/orders', key: w.keys.checkout, body: orderOf(`cr-o${n}`, `cr-order-${n}`, w.clock.iso(), [{ sku: 'PH-1', quantity: 2, unitPrice: '150000' }]) }),
    // 2 × Rp150.000 / Rp1.000 = 300 points, pending.
    expect: (n) => [{ customerId: `cr-order-${n}`, balance: 300, entries: [300] }],
  },
  {
    name: 'order with a referral (follow-up on the referrer)',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-referrer-${n}`, w.keys.crm, { enrolledAt: w.clock.iso(), referralCode: `CRREF${n}X`, emailHash: `sha256:referrer-${n}` });
      await ok(w, 'put', `/v1/customers/cr-referee-${n}`, w.keys.crm, { enrolledAt: w.clock.iso(), referredBy: { code: `CRREF${n}X` }, emailHash: `sha256:referee-${n}` });
    },
    request: (w, n) => ({ method: 'post', path: '/v1/orders', key: w.keys.checkout, body: orderOf(`cr-ro${n}`, `cr-referee-${n}`, w.clock.iso(), [{ sku: 'LP-1', quantity: 1, unitPrice: '1000000', category: 'laptop' }]) }),
    // The first order of Rp1.000.000 (= minOrderTotal, within 60 days) earns 1000 and qualifies the referral:
    // 250 to the referee, 500 to the referrer (SEMANTICS 8, the toko program's referral section).
    expect: (n) => [
      { customerId: `cr-referee-${n}`, balance: 1250, entries: [250, 1000] },
      { customerId: `cr-referrer-${n}`, balance: 500, entries: [500] },
    ],
  },
  {
    name: 'return',
    setup: (w, n) => ok(w, 'post', '/v1/orders', w.keys.checkout, orderOf(`cr-rt${n}`, `cr-return-${n}`, w.clock.iso(), [{ sku: 'PH-1', quantity: 2, unitPrice: '150000' }])),
    request: (w, n) => ({ method: 'post', path: `/v1/orders/cr-rt${n}/returns`, key: w.keys.checkout, body: { id: `cr-ret${n}`, lines: [{ sku: 'PH-1', quantity: 1 }] } }),
    // 300 earned; returning 1 of 2 claws back 150 from the order's own lot.
    expect: (n) => [{ customerId: `cr-return-${n}`, balance: 150, entries: [-150, 300] }],
  },
  {
    name: 'redemption',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-redeem-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', `/v1/customers/cr-redeem-${n}/adjustments`, w.keys.crm, { id: `cr-seed${n}`, points: 1000, reason: 'seed' });
    },
    request: (w, n) => ({ method: 'post', path: '/v1/redemptions', key: w.keys.checkout, body: { id: `cr-red${n}`, customerId: `cr-redeem-${n}`, orderId: `cr-basket${n}`, orderTotal: '500000', points: 400 } }),
    // 1000 granted, 400 redeemed.
    expect: (n) => [{ customerId: `cr-redeem-${n}`, balance: 600, entries: [-400, 1000] }],
  },
  {
    name: 'adjustment',
    setup: (w, n) => ok(w, 'put', `/v1/customers/cr-adjust-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() }),
    request: (w, n) => ({ method: 'post', path: `/v1/customers/cr-adjust-${n}/adjustments`, key: w.keys.crm, body: { id: `cr-adj${n}`, points: 70, reason: 'goodwill' } }),
    expect: (n) => [{ customerId: `cr-adjust-${n}`, balance: 70, entries: [70] }],
  },
  {
    name: 'goodwill',
    async setup(w, n) {
      // The first grant of the month creates the budget's counter: made here, so every run makes the same writes.
      if (n === 0) {
        await ok(w, 'put', '/v1/customers/cr-goodwill-warm', w.keys.crm, { enrolledAt: w.clock.iso() });
        await ok(w, 'post', '/v1/goodwill', w.keys.crm, { id: 'cr-gw-warm', customerId: 'cr-goodwill-warm', reason: 'late-delivery', points: 10 });
      }
      await ok(w, 'put', `/v1/customers/cr-goodwill-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      // The complaint the gesture settles (a grant tied to a case needs the case).
      await ok(w, 'post', '/v1/cases', w.keys.crm, complaintOf(w, `cr-gwcase${n}`, `cr-goodwill-${n}`));
    },
    request: (w, n) => ({ method: 'post', path: '/v1/goodwill', key: w.keys.crm, body: { id: `cr-gw${n}`, customerId: `cr-goodwill-${n}`, caseId: `cr-gwcase${n}`, reason: 'cancelled-by-shop', points: 80 } }),
    // 80 points (within cancelled-by-shop's 1000), available at once; the budget is reserved before the account
    // commit and settled after it, so a crash between them neither loses nor doubles the grant.
    expect: (n) => [{ customerId: `cr-goodwill-${n}`, balance: 80, entries: [80] }],
  },
  {
    name: 'reward redemption',
    async setup(w, n) {
      // The first redemption of the reward creates its stock's counter: made here, so every run makes the same writes.
      if (n === 0) {
        await ok(w, 'put', '/v1/customers/cr-reward-warm', w.keys.crm, { enrolledAt: w.clock.iso() });
        await ok(w, 'post', '/v1/customers/cr-reward-warm/adjustments', w.keys.crm, { id: 'cr-rwseed', points: 10, reason: 'seed' });
        await ok(w, 'post', '/v1/rewards/sticker/redemptions', w.keys.checkout, { id: 'cr-rr-warm', customerId: 'cr-reward-warm' });
      }
      await ok(w, 'put', `/v1/customers/cr-reward-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', `/v1/customers/cr-reward-${n}/adjustments`, w.keys.crm, { id: `cr-rseed${n}`, points: 100, reason: 'seed' });
    },
    request: (w, n) => ({ method: 'post', path: '/v1/rewards/sticker/redemptions', key: w.keys.checkout, body: { id: `cr-rr${n}`, customerId: `cr-reward-${n}` } }),
    // The sticker costs 1 point: 100 seeded, 1 redeemed; one voucher, one unit of its stock.
    expect: (n) => [{ customerId: `cr-reward-${n}`, balance: 99, entries: [-1, 100] }],
    moments: (n) => [{ customerId: `cr-reward-${n}`, type: 'reward.redeemed', count: 1 }],
    async verify(w, n, answer) {
      const res = await w.call('get', `/v1/customers/cr-reward-${n}/vouchers`, w.keys.crm);
      const codes = (res.body as { items: Array<{ code: string }> }).items.map((v) => v.code);
      expect(codes, 'one voucher, the one answered').to.deep.equal([(answer.voucher as { code: string }).code]);
      const catalog = await w.call('get', '/v1/rewards', w.keys.crm);
      const sticker = (catalog.body as { items: Array<{ rewardId: string; stockLeft?: number }> }).items.find((r) => r.rewardId === 'sticker');
      // The warm-up's unit, then one per run so far (0 .. n): never two for one redemption, none left reserved.
      expect(sticker?.stockLeft, 'units taken').to.equal(STICKER_STOCK - (n + 2));
    },
  },
  {
    name: 'voucher use',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-voucher-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', `/v1/customers/cr-voucher-${n}/adjustments`, w.keys.crm, { id: `cr-vseed${n}`, points: 10, reason: 'seed' });
      const res = await w.call('post', '/v1/rewards/sticker/redemptions', w.keys.checkout, { id: `cr-vr${n}`, customerId: `cr-voucher-${n}` });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      voucherCodes.set(n, (res.body as { voucher: { code: string } }).voucher.code);
    },
    request: (w, n) => ({ method: 'post', path: `/v1/vouchers/${voucherCodes.get(n) ?? ''}/use`, key: w.keys.checkout, body: { orderId: `cr-vo${n}`, customerId: `cr-voucher-${n}` } }),
    // 10 seeded, 1 for the sticker; using its voucher moves no points.
    expect: (n) => [{ customerId: `cr-voucher-${n}`, balance: 9, entries: [-1, 10] }],
    moments: (n) => [{ customerId: `cr-voucher-${n}`, type: 'voucher.used', count: 1 }],
    async verify(w, n) {
      const res = await w.call('get', `/v1/customers/cr-voucher-${n}/vouchers`, w.keys.crm);
      expect((res.body as { items: Array<{ status: string; usedOn?: { orderId: string } }> }).items.map((v) => [v.status, v.usedOn?.orderId])).to.deep.equal([['used', `cr-vo${n}`]]);
    },
  },
  {
    name: 'event',
    setup: () => Promise.resolve(),
    request: (w, n) => ({ method: 'post', path: '/v1/events', key: w.keys.checkout, body: { id: `cr-ev${n}`, customerId: `cr-event-${n}`, type: 'review.published' } }),
    // The review event awards 50 points, available at once.
    expect: (n) => [{ customerId: `cr-event-${n}`, balance: 50, entries: [50] }],
  },
  {
    name: 'delivery',
    setup: (w, n) => ok(w, 'post', '/v1/orders', w.keys.checkout, orderOf(`cr-dl${n}`, `cr-deliver-${n}`, w.clock.iso(), [{ sku: 'PH-1', quantity: 2, unitPrice: '150000' }])),
    request: (w, n) => ({ method: 'post', path: `/v1/orders/cr-dl${n}/deliveries`, key: w.keys.checkout, body: { id: `cr-d${n}` } }),
    // The order's 300 points, and nothing more: a delivery moves no points under a program pending from purchase.
    expect: (n) => [{ customerId: `cr-deliver-${n}`, balance: 300, entries: [300] }],
    moments: (n) => [{ customerId: `cr-deliver-${n}`, type: 'order.delivered', count: 1 }],
  },
  {
    name: 'order cancellation with a redemption',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-cancel-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', `/v1/customers/cr-cancel-${n}/adjustments`, w.keys.crm, { id: `cr-cseed${n}`, points: 1000, reason: 'seed' });
      await ok(w, 'post', '/v1/orders', w.keys.checkout, orderOf(`cr-co${n}`, `cr-cancel-${n}`, w.clock.iso(), [{ sku: 'PH-1', quantity: 2, unitPrice: '150000' }]));
      await ok(w, 'post', '/v1/redemptions', w.keys.checkout, { id: `cr-cr${n}`, customerId: `cr-cancel-${n}`, orderId: `cr-co${n}`, orderTotal: '300000', points: 400 });
    },
    request: (w, n) => ({ method: 'post', path: `/v1/orders/cr-co${n}/cancellation`, key: w.keys.checkout, body: { id: `cr-can${n}`, reason: 'out-of-stock' } }),
    // 1000 seeded, 300 earned (pending), 400 redeemed; the cancellation takes the 300 back and restores the 400.
    expect: (n) => [{ customerId: `cr-cancel-${n}`, balance: 1000, entries: [-400, -300, 300, 400, 1000] }],
    moments: (n) => [
      { customerId: `cr-cancel-${n}`, type: 'order.cancelled', count: 1 },
      { customerId: `cr-cancel-${n}`, type: 'redemption.cancelled', count: 1 },
    ],
  },
  {
    name: 'redemption cancellation',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-unredeem-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', `/v1/customers/cr-unredeem-${n}/adjustments`, w.keys.crm, { id: `cr-useed${n}`, points: 1000, reason: 'seed' });
      await ok(w, 'post', '/v1/redemptions', w.keys.checkout, { id: `cr-ur${n}`, customerId: `cr-unredeem-${n}`, orderId: `cr-ubasket${n}`, orderTotal: '500000', points: 400 });
    },
    request: (w, n) => ({ method: 'post', path: `/v1/redemptions/cr-ur${n}/cancellation`, key: w.keys.checkout, body: { reason: 'payment-failed' } }),
    // 1000 seeded, 400 redeemed, 400 back into the seed's lot.
    expect: (n) => [{ customerId: `cr-unredeem-${n}`, balance: 1000, entries: [-400, 400, 1000] }],
    moments: (n) => [{ customerId: `cr-unredeem-${n}`, type: 'redemption.cancelled', count: 1 }],
  },
  {
    name: 'case opening',
    setup: (w, n) => ok(w, 'put', `/v1/customers/cr-case-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() }),
    request: (w, n) => ({ method: 'post', path: '/v1/cases', key: w.keys.crm, body: complaintOf(w, `cr-case${n}`, `cr-case-${n}`) }),
    // A case moves no points; its moment is committed with it.
    expect: (n) => [{ customerId: `cr-case-${n}`, balance: 0, entries: [] }],
    moments: (n) => [{ customerId: `cr-case-${n}`, type: 'case.opened', count: 1 }],
  },
  {
    name: 'case resolution',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-resolve-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', '/v1/cases', w.keys.crm, complaintOf(w, `cr-res${n}`, `cr-resolve-${n}`));
    },
    request: (w, n) => ({ method: 'post', path: `/v1/cases/cr-res${n}/resolution`, key: w.keys.crm, body: { resolvedBy: 'agent', outcome: 'refunded' } }),
    expect: (n) => [{ customerId: `cr-resolve-${n}`, balance: 0, entries: [] }],
    moments: (n) => [
      { customerId: `cr-resolve-${n}`, type: 'case.opened', count: 1 },
      { customerId: `cr-resolve-${n}`, type: 'case.resolved', count: 1 },
    ],
  },
  {
    name: 'case change',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-change-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', '/v1/cases', w.keys.crm, complaintOf(w, `cr-chg${n}`, `cr-change-${n}`));
    },
    // Sent with its `at`, so the retry is the same change: a PATCH is identified by its content and instant.
    request: (w, n) => ({ method: 'patch', path: `/v1/cases/cr-chg${n}`, key: w.keys.crm, body: { by: 'agent', status: 'in-progress', action: 'called the courier', at: w.clock.iso() } }),
    expect: (n) => [{ customerId: `cr-change-${n}`, balance: 0, entries: [] }],
    moments: (n) => [{ customerId: `cr-change-${n}`, type: 'case.opened', count: 1 }],
    async verify(w, n) {
      // One change recorded, whatever the crash: the action once, one history entry beside the opening.
      const res = await w.call('get', `/v1/cases/cr-chg${n}`, w.keys.crm, undefined);
      const view = res.body as { status: string; actions: unknown[]; history: unknown[] };
      expect(view.status).to.equal('in-progress');
      expect(view.actions).to.have.length(1);
      expect(view.history).to.have.length(2);
    },
  },
  {
    name: 'warranty claim',
    async setup(w, n) {
      await ok(w, 'put', `/v1/customers/cr-claim-${n}`, w.keys.crm, { enrolledAt: w.clock.iso() });
      await ok(w, 'post', '/v1/warranty/contracts', w.keys.checkout, { id: `cr-wc${n}`, customerId: `cr-claim-${n}`, planId: 'care-2y', product: phoneOf(w) });
    },
    request: (w, n) => ({ method: 'post', path: `/v1/warranty/contracts/cr-wc${n}/claims`, key: w.keys.checkout, body: { id: `cr-cl${n}`, component: 'screen', problem: 'cracked' } }),
    // A claim moves no points; bought today, the screen is the manufacturer's.
    expect: (n) => [{ customerId: `cr-claim-${n}`, balance: 0, entries: [] }],
    async verify(w, n, answer) {
      expect(answer).to.include({ claimId: `cr-cl${n}`, covered: true, coveredBy: 'manufacturer' });
      const history = await w.call('get', `/v1/warranty/contracts/cr-wc${n}/claims`, w.keys.crm, undefined);
      expect((history.body as { items: Array<{ claimId: string }> }).items.map((c) => c.claimId)).to.deep.equal([`cr-cl${n}`]);
    },
  },
  {
    name: 'return that cancels a warranty contract',
    async setup(w, n) {
      await ok(w, 'post', '/v1/orders', w.keys.checkout, orderOf(`cr-wo${n}`, `cr-wret-${n}`, w.clock.iso(), [{ sku: 'PH-9', quantity: 1, unitPrice: '150000', category: 'phone' }]));
      await ok(w, 'post', '/v1/warranty/contracts', w.keys.checkout, { id: `cr-wr${n}`, customerId: `cr-wret-${n}`, planId: 'care-2y', product: phoneOf(w), orderId: `cr-wo${n}` });
    },
    request: (w, n) => ({ method: 'post', path: `/v1/orders/cr-wo${n}/returns`, key: w.keys.checkout, body: { id: `cr-wret${n}`, lines: [{ sku: 'PH-9', quantity: 1 }] } }),
    // 150 earned and clawed back; the contract's plan had not started: its whole price comes back.
    expect: (n) => [{ customerId: `cr-wret-${n}`, balance: 0, entries: [-150, 150] }],
    async verify(w, n, answer) {
      expect(answer.warrantyContractsCancelled).to.deep.equal([{ contractId: `cr-wr${n}`, sku: 'PH-9', refundPolicy: 'pro-rata', refund: '250000', currency: 'IDR' }]);
      const contract = await w.call('get', `/v1/warranty/contracts/cr-wr${n}`, w.keys.crm, undefined);
      expect(contract.body).to.deep.include({ status: 'cancelled' });
      expect((contract.body as { cancellation: { returnId: string; refund: string } }).cancellation).to.include({ returnId: `cr-wret${n}`, refund: '250000' });
    },
  },
];

forEachWorldStore('a crash before any write step, then a retry', (open) => {
  let world: World;
  let faulty: FaultyStore;
  // A fresh world for each case: the reconcile that ends a case walks every account of the tenant, so on one shared
  // world each case paid for the accounts of all the cases before it (on FerretDB the last cases spent most of
  // their 20 to 30 s there). Each case's setup makes everything it needs, so none depends on another's data.
  beforeEach(async function () {
    this.timeout(60_000);
    world = await open({ wrapStore: (store: Store) => (faulty = new FaultyStore(store)) });
  });
  afterEach(async () => {
    await world.close();
  });

  for (const c of CASES) {
    it(`${c.name}: exactly one effect after a crash at every step`, async function () {
      this.timeout(300_000);
      const slug = c.name.replace(/[^A-Za-z0-9]+/g, '-');
      // Count the writes of the operation when nothing fails (run 0), and check its effect.
      await c.setup(world, 0);
      faulty.reset();
      const probe = c.request(world, 0);
      const clean = await world.call(probe.method, probe.path, probe.key, probe.body, { 'Idempotency-Key': `${slug}-0` });
      expect(clean.status, JSON.stringify(clean.body)).to.be.oneOf([200, 201]);
      const steps = faulty.writes.length;
      expect(steps, 'writes of one operation').to.be.greaterThanOrEqual(2);
      for (const want of c.expect(0)) expect(await pointsOf(world, world.keys.crm, want.customerId)).to.include({ balance: want.balance });
      for (const want of c.moments?.(0) ?? []) expect(await momentsOf(world, want.customerId, want.type), want.type).to.equal(want.count);
      await c.verify?.(world, 0, clean.body as Record<string, unknown>);

      for (let n = 1; n <= steps; n++) {
        await c.setup(world, n);
        const req = c.request(world, n);
        faulty.crashAt(n);
        const crashed = await world.call(req.method, req.path, req.key, req.body, { 'Idempotency-Key': `${slug}-${n}` });
        expect(crashed.status, `crash before write ${n} of ${steps}: ${JSON.stringify(crashed.body)}`).to.equal(500);
        expect(crashed.headers['content-type']).to.match(/^application\/problem\+json/);
        faulty.reset();
        const retried = await world.call(req.method, req.path, req.key, req.body, { 'Idempotency-Key': `${slug}-${n}` });
        expect(retried.status, `retry after a crash before write ${n}: ${JSON.stringify(retried.body)}`).to.be.oneOf([200, 201]);
        await c.verify?.(world, n, retried.body as Record<string, unknown>);
        for (const want of c.expect(n)) {
          const points = await pointsOf(world, world.keys.crm, want.customerId);
          const entries = await entriesOf(world, world.keys.crm, want.customerId);
          const where = `${c.name}, crash before write ${n} of ${steps}, customer ${want.customerId}`;
          expect(sorted(entries.map((e) => e.points)), where).to.deep.equal(sorted(want.entries));
          expect(points.balance, where).to.equal(want.balance);
        }
        for (const want of c.moments?.(n) ?? []) {
          expect(await momentsOf(world, want.customerId, want.type), `${c.name}, crash before write ${n} of ${steps}: ${want.type} moments`).to.equal(want.count);
        }
        // The same request once more is a replay: nothing changes.
        const again = await world.call(req.method, req.path, req.key, req.body, { 'Idempotency-Key': `${slug}-${n}` });
        expect(again.status).to.equal(retried.status);
        expect(again.body).to.deep.equal(retried.body);
      }
      const reconciled = await world.call('post', '/v1/jobs/reconcile', world.keys.admin, {});
      expect(reconciled.status).to.equal(200);
      expect(reconciled.body.differences).to.deep.equal([]);
    });
  }
});
