import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { Decimal } from '../../src/money/money.js';
import { checkWarrantyEligibility, type WarrantyProduct } from '../../src/index.js';
import { inputProblems } from './input-problems.js';
import { tokoCompiled, tokoVariant } from './toko-program.js';

const toko = tokoCompiled();

const tv: WarrantyProduct = {
  sku: 'TV-55',
  category: 'tv',
  price: '8000000',
  purchasedOn: '2026-12-10',
  manufacturerWarranty: { months: 12, components: { remote: 6 } },
};

function codes(plan: { reasons: readonly { code: string }[] } | undefined): string[] {
  return (plan?.reasons ?? []).map((r) => r.code);
}

describe('checkWarrantyEligibility: the toko-basic scenario steps', () => {
  // Expected values derived from SEMANTICS rule 11 and the program's care-2y plan:
  //   price = max(250000, 8% x 8000000 = 640000) = 640000; gold has warrantyPlanDiscount 0.2 -> 640000 x 0.8 = 512000.
  //   unit: manufacturer 12 months from 2026-12-10 -> 2027-12-10, then 24 (+6 gold) months -> 2030-06-10 (bronze 2029-12-10).
  //   remote is excluded: it keeps its 6-month manufacturer term -> 2027-06-10.
  //   window: 2026-12-10 + 60 days = 2027-02-08 (21 days left in Dec, 31 in Jan, 8 in Feb).
  const cases: Array<{ name: string; tier: string; product: WarrantyProduct; at: string; eligible: boolean; price?: string; coverage?: Record<string, string>; reasons?: string[] }> = [
    { name: 'gold TV', tier: 'gold', product: tv, at: '2027-01-15T10:00:00+07:00', eligible: true, price: '512000', coverage: { unit: '2030-06-10', remote: '2027-06-10' } },
    { name: 'bronze TV', tier: 'bronze', product: tv, at: '2027-01-15T10:00:00+07:00', eligible: true, price: '640000', coverage: { unit: '2029-12-10', remote: '2027-06-10' } },
    {
      name: 'an accessory above the maximum price',
      tier: 'bronze',
      product: { sku: 'CBL-1', category: 'accessory', price: '60000000', purchasedOn: '2027-01-10', manufacturerWarranty: { months: 12 } },
      at: '2027-01-15T10:00:00+07:00',
      eligible: false,
      reasons: ['category-not-covered', 'price-above-maximum'],
    },
    {
      name: 'a TV the day after the window',
      tier: 'bronze',
      product: { ...tv, manufacturerWarranty: { months: 12 } },
      at: '2027-02-09T10:00:00+07:00',
      eligible: false,
      reasons: ['purchase-window-ended'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const result = checkWarrantyEligibility(toko, { product: c.product, tier: c.tier }, { at: c.at });
      expect(result.plans).to.have.length(1);
      const plan = result.plans[0];
      expect(plan?.planId).to.equal('care-2y');
      expect(plan?.eligible).to.equal(c.eligible);
      if (c.price !== undefined) expect(plan?.price).to.equal(c.price);
      if (c.coverage !== undefined) expect(plan?.coverage).to.deep.equal(c.coverage);
      if (c.reasons !== undefined) expect(codes(plan)).to.have.members(c.reasons);
    });
  }

  it('names the last day of the window and the transfer policy', () => {
    const plan = checkWarrantyEligibility(toko, { product: tv, tier: 'bronze' }, { at: '2027-02-09T10:00:00+07:00' }).plans[0];
    expect(plan?.lastPurchaseDay).to.equal('2027-02-08');
    expect(plan?.transfer).to.deep.equal({ allowed: true, maxTransfers: 1 });
    expect(plan?.price).to.equal(undefined);
  });
});

describe('checkWarrantyEligibility: calendar days in the program zone', () => {
  const cases = [
    // 2027-02-08 23:59 in Jakarta is still the last day.
    { at: '2027-02-08T23:59:59+07:00', eligible: true },
    // 16:59Z is 23:59 in Jakarta (UTC+7): same day.
    { at: '2027-02-08T16:59:00Z', eligible: true },
    // 17:00Z is 00:00 on 2027-02-09 in Jakarta: the window has ended although it is still the 8th in UTC.
    { at: '2027-02-08T17:00:00Z', eligible: false },
    // The purchase day itself is inside the window.
    { at: '2026-12-10T00:00:00+07:00', eligible: true },
    // The evening before in Jakarta: the purchase is in the future.
    { at: '2026-12-09T23:00:00+07:00', eligible: false, reason: 'purchase-in-future' },
  ];
  for (const c of cases) {
    it(`${c.at} -> ${c.eligible ? 'eligible' : 'not eligible'}`, () => {
      const plan = checkWarrantyEligibility(toko, { product: tv }, { at: c.at }).plans[0];
      expect(plan?.eligible).to.equal(c.eligible);
      if (c.reason) expect(codes(plan)).to.deep.equal([c.reason]);
    });
  }
});

describe('checkWarrantyEligibility: plan variants', () => {
  it('gives every reason at once: category, price and window', () => {
    const plan = checkWarrantyEligibility(
      toko,
      { product: { sku: 'CBL-1', category: 'accessory', price: '60000000', purchasedOn: '2026-01-10', manufacturerWarranty: { months: 12 } } },
      { at: '2027-01-15T10:00:00+07:00' },
    ).plans[0];
    expect(codes(plan)).to.have.members(['category-not-covered', 'price-above-maximum', 'purchase-window-ended']);
  });

  it('covers by sku when the plan lists skus, and names both lists when neither matches', () => {
    const program = tokoVariant((p) => {
      const plan = p.warranty?.plans[0];
      if (plan) plan.appliesTo = { category: ['tv'], sku: ['CBL-1'] };
    });
    const cable = { sku: 'CBL-1', category: 'accessory', price: '500000', purchasedOn: '2027-01-10', manufacturerWarranty: { months: 12 } };
    const bySku = checkWarrantyEligibility(program, { product: cable }, { at: '2027-01-15T10:00:00+07:00' }).plans[0];
    expect(bySku?.eligible).to.equal(true);
    // 8% of 500000 = 40000 < min 250000, so the minimum applies.
    expect(bySku?.price).to.equal('250000');
    const other = checkWarrantyEligibility(program, { product: { ...cable, sku: 'CBL-2' } }, { at: '2027-01-15T10:00:00+07:00' }).plans[0];
    expect(codes(other)).to.have.members(['category-not-covered', 'sku-not-covered']);
  });

  it('starts at purchase, with component lengths, a minimum price and a product age', () => {
    const program = tokoVariant((p) => {
      const plan = p.warranty?.plans[0];
      if (!plan) return;
      plan.starts = 'at-purchase';
      plan.coverageMonths = 36;
      plan.componentCoverageMonths = { battery: 18 };
      plan.minProductPrice = '1000000';
      plan.maxProductAgeDays = 30;
      plan.price = { fixed: '300000' };
    });
    const laptop: WarrantyProduct = { sku: 'LP-14', category: 'laptop', price: '12000000', purchasedOn: '2027-01-31', manufacturerWarranty: { months: 12, components: { battery: 6, remote: 3 } } };
    const gold = checkWarrantyEligibility(program, { product: laptop, tier: 'gold' }, { at: '2027-02-01T08:00:00+07:00' }).plans[0];
    expect(gold?.eligible).to.equal(true);
    // fixed 300000 less gold's 20% = 240000.
    expect(gold?.price).to.equal('240000');
    expect(gold?.coverage).to.deep.equal({
      // from purchase, 36 + 6 (gold) = 42 months: 2027-01-31 -> 2030-07-31.
      unit: '2030-07-31',
      // battery: 18 + 6 = 24 months from purchase.
      battery: '2029-01-31',
      // remote is excluded: 3 months, and luxon clamps 2027-04-31 to 2027-04-30.
      remote: '2027-04-30',
    });
    // Where each term starts (what a contract records): the plan runs from the purchase (at-purchase) on top of each
    // manufacturer term (unit 12 months -> 2028-01-31, battery 6 -> 2027-07-31); the excluded remote has no plan term.
    expect(gold?.coverageDetail).to.deep.equal([
      { component: 'unit', manufacturerEnd: '2028-01-31', planStart: '2027-01-31', end: '2030-07-31', excluded: false },
      { component: 'battery', manufacturerEnd: '2027-07-31', planStart: '2027-01-31', end: '2029-01-31', excluded: false },
      { component: 'remote', manufacturerEnd: '2027-04-30', end: '2027-04-30', excluded: true },
    ]);
    const cheap = checkWarrantyEligibility(program, { product: { ...laptop, price: '999999.99' } }, { at: '2027-03-05T08:00:00+07:00' }).plans[0];
    // Age: 2027-01-31 + 30 days = 2027-03-02 is the last day, so 03-05 is too old; the 60-day window (to 2027-04-01) is still open.
    expect(codes(cheap)).to.have.members(['price-below-minimum', 'product-too-old']);
  });

  it('answers with no plans when the program has no warranty section', () => {
    const program = tokoVariant((p) => {
      delete p.warranty;
    });
    expect(checkWarrantyEligibility(program, { product: tv }, { at: '2027-01-15T10:00:00+07:00' }).plans).to.deep.equal([]);
  });
});

describe('checkWarrantyEligibility: bad input', () => {

  it('lists every problem of the product with its pointer', () => {
    const bad = { sku: '', category: 'tv', price: '-5', purchasedOn: '2027-02-30', manufacturerWarranty: { months: 1.5, components: { unit: 3, remote: -1 } } };
    expect(inputProblems(() => checkWarrantyEligibility(toko, { product: bad }, { at: '2027-01-15T10:00:00+07:00' }))).to.deep.equal([
      { pointer: '/product/sku', code: 'invalid-text' },
      { pointer: '/product/price', code: 'invalid-decimal' },
      { pointer: '/product/purchasedOn', code: 'invalid-date' },
      { pointer: '/product/manufacturerWarranty/months', code: 'invalid-months' },
      { pointer: '/product/manufacturerWarranty/components/unit', code: 'reserved-component' },
      { pointer: '/product/manufacturerWarranty/components/remote', code: 'invalid-months' },
    ]);
  });

  it('refuses an unknown tier and an instant without offset', () => {
    expect(inputProblems(() => checkWarrantyEligibility(toko, { product: tv, tier: 'platinum' }, { at: '2027-01-15T10:00:00+07:00' }))).to.deep.equal([{ pointer: '/tier', code: 'unknown-tier' }]);
    expect(inputProblems(() => checkWarrantyEligibility(toko, { product: tv }, { at: '2027-01-15T10:00:00' }))).to.deep.equal([{ pointer: '/at', code: 'invalid-instant' }]);
  });
});

describe('checkWarrantyEligibility: properties', () => {
  const start = DateTime.fromISO('2026-01-01T00:00:00', { zone: 'Asia/Jakarta' });
  const day = fc.integer({ min: 0, max: 3 * 365 });
  const minute = fc.integer({ min: 0, max: (24 * 60) - 1 });

  it('is monotone in time: once the purchase window has ended it never reopens', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 400 }), minute, fc.integer({ min: 0, max: 400 }), (purchaseDay, d1, m1, extra) => {
        const purchasedOn = start.plus({ days: purchaseDay }).toISODate() ?? '';
        const product = { ...tv, purchasedOn };
        const t1 = start.plus({ days: purchaseDay + d1, minutes: m1 });
        const t2 = t1.plus({ days: extra, minutes: m1 });
        const p1 = checkWarrantyEligibility(toko, { product }, { at: t1 }).plans[0];
        const p2 = checkWarrantyEligibility(toko, { product }, { at: t2 }).plans[0];
        if (codes(p1).includes('purchase-window-ended')) expect(codes(p2)).to.include('purchase-window-ended');
        if (p2?.eligible) expect(p1?.eligible).to.equal(true);
      }),
    );
  });

  it('is deterministic and prices never exceed the list price', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 50_000_000n }), fc.constantFrom('bronze', 'silver', 'gold'), (price, tier) => {
        const product = { ...tv, price: price.toString() };
        const a = checkWarrantyEligibility(toko, { product, tier }, { at: '2027-01-15T10:00:00+07:00' });
        const b = checkWarrantyEligibility(toko, { product, tier }, { at: '2027-01-15T10:00:00+07:00' });
        expect(a).to.deep.equal(b);
        const plan = a.plans[0];
        expect(plan?.eligible).to.equal(true);
        expect(new Decimal(plan?.price ?? 'NaN').lessThanOrEqualTo(plan?.listPrice ?? 'NaN')).to.equal(true);
      }),
    );
  });
});
