/**
 * Claims on a warranty contract, the purchase window that runs until the manufacturer's warranty ends, optional
 * price caps and the refund of a contract cancelled by a return. Every expected date and amount is worked by hand
 * from the toko program's care-2y plan (24 months after the manufacturer's term, the remote excluded, gold +6 months)
 * and from care-plus, a variant plan for laptops that can be bought until the manufacturer's warranty ends.
 */
import { expect } from 'chai';
import {
  applyActions,
  checkWarrantyEligibility,
  decideContractRefund,
  decideDueMoments,
  decideOrder,
  decideWarrantyClaim,
  emptyAccountState,
  parseProgram,
  ProgramError,
  type AccountAction,
  type Problem,
  type WarrantyProduct,
} from '../../src/index.js';
import type { Program } from '../../src/program/program-schema.js';
import { inputProblems } from './input-problems.js';
import { tokoCompiled, tokoProgramJson, tokoVariant } from './toko-program.js';

const toko = tokoCompiled();

/** care-plus as ../shared/examples/toko-aftercare.program.json has it: no price cap, bought until the manufacturer's end. */
const carePlus = {
  id: 'care-plus',
  name: 'Toko Care Plus',
  appliesTo: { category: ['laptop'] },
  purchaseWindow: { until: 'manufacturer-end' as const },
  starts: 'after-manufacturer' as const,
  coverageMonths: 12,
  price: { percentOfProductPrice: '5', min: '150000' },
  transfer: { allowed: false },
};
const withCarePlus = (program: Program): void => {
  program.warranty?.plans.push(structuredClone(carePlus));
};

const tv: WarrantyProduct = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } } };
const laptop: WarrantyProduct = { sku: 'LP-14', category: 'laptop', price: '12000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12 } };

function codes(reasons: readonly { code: string }[] | undefined): string[] {
  return (reasons ?? []).map((r) => r.code);
}

function programProblems(json: unknown): Problem[] {
  try {
    parseProgram(json);
  } catch (e) {
    if (e instanceof ProgramError) return [...e.errors];
    throw e;
  }
  return expect.fail('expected a ProgramError');
}

describe('decideWarrantyClaim: per component, on the claim date', () => {
  // TV bought 2026-12-10, manufacturer 12 months (unit) and 6 months (remote), care-2y for a bronze customer:
  //   unit: manufacturer to 2027-12-10, plan from 2027-12-10 for 24 months to 2029-12-10 (gold: +6 -> 2030-06-10).
  //   remote: excluded by the plan, its own manufacturer term to 2027-06-10.
  //   screen: not listed by the manufacturer, so a part of the unit: the unit's term, then the plan.
  const cases: Array<{ why: string; component: string; at: string; tier?: string; covered: boolean; coveredBy?: 'manufacturer' | 'plan'; until?: string; reasons?: string[] }> = [
    { why: 'the last day of the manufacturer cover: still the manufacturer', component: 'unit', at: '2027-12-10T10:00:00+07:00', covered: true, coveredBy: 'manufacturer', until: '2027-12-10' },
    { why: 'the first day after it: the plan, to its last day', component: 'unit', at: '2027-12-11T10:00:00+07:00', covered: true, coveredBy: 'plan', until: '2029-12-10' },
    { why: 'the day is read in Jakarta: 17:00Z on the 10th is the 11th there', component: 'unit', at: '2027-12-10T17:00:00Z', covered: true, coveredBy: 'plan', until: '2029-12-10' },
    { why: 'the plan\'s last day', component: 'unit', at: '2029-12-10T23:59:59+07:00', covered: true, coveredBy: 'plan', until: '2029-12-10' },
    { why: 'the day after the plan\'s last day', component: 'unit', at: '2029-12-11T00:00:00+07:00', covered: false, reasons: ['cover-ended'] },
    { why: 'gold\'s 6 extra months the contract was priced with', component: 'unit', tier: 'gold', at: '2030-06-10T10:00:00+07:00', covered: true, coveredBy: 'plan', until: '2030-06-10' },
    { why: 'a part the manufacturer does not list is part of the unit', component: 'screen', at: '2028-03-01T10:00:00+07:00', covered: true, coveredBy: 'plan', until: '2029-12-10' },
    { why: 'the excluded remote on the last day of its own 6 months', component: 'remote', at: '2027-06-10T10:00:00+07:00', covered: true, coveredBy: 'manufacturer', until: '2027-06-10' },
    { why: 'the excluded remote the day after: excluded, and its only cover ended', component: 'remote', at: '2027-06-11T10:00:00+07:00', covered: false, reasons: ['component-excluded', 'cover-ended'] },
    { why: 'a claim dated before the purchase', component: 'unit', at: '2026-12-09T10:00:00+07:00', covered: false, reasons: ['before-cover-starts'] },
    { why: 'the purchase day itself', component: 'unit', at: '2026-12-10T00:00:00+07:00', covered: true, coveredBy: 'manufacturer', until: '2027-12-10' },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const d = decideWarrantyClaim(toko, { planId: 'care-2y', product: tv, component: c.component, ...(c.tier ? { tier: c.tier } : {}) }, { at: c.at });
      expect(d.covered).to.equal(c.covered);
      expect(d.coveredBy).to.equal(c.coveredBy ?? null);
      expect(d.coveredUntil).to.equal(c.until ?? null);
      expect(codes(d.reasons)).to.deep.equal(c.reasons ?? []);
    });
  }

  it('answers the component\'s cover with the dates the eligibility check shows', () => {
    const eligible = checkWarrantyEligibility(toko, { product: tv, tier: 'bronze' }, { at: '2027-01-15T10:00:00+07:00' }).plans[0];
    for (const component of ['unit', 'remote']) {
      const d = decideWarrantyClaim(toko, { planId: 'care-2y', product: tv, tier: 'bronze', component }, { at: '2027-01-15T10:00:00+07:00' });
      expect(d.cover.end).to.equal(eligible?.coverage?.[component]);
    }
  });

  it('a cancelled contract covers nothing from its cancellation on, whatever the dates say', () => {
    const input = { planId: 'care-2y', product: tv, component: 'unit', cancelledAt: '2026-12-20T10:00:00+07:00' };
    expect(decideWarrantyClaim(toko, input, { at: '2026-12-20T09:59:59+07:00' }).covered).to.equal(true);
    const after = decideWarrantyClaim(toko, input, { at: '2026-12-20T10:00:00+07:00' });
    expect([after.covered, after.coveredBy, codes(after.reasons)]).to.deep.equal([false, null, ['contract-cancelled']]);
  });

  it('names every reason at once: an excluded part past its cover, on a cancelled contract claimed by a former owner', () => {
    const d = decideWarrantyClaim(toko, { planId: 'care-2y', product: tv, component: 'remote', cancelledAt: '2027-01-01T00:00:00+07:00', claimant: 'former-owner' }, { at: '2028-01-01T10:00:00+07:00' });
    expect(codes(d.reasons)).to.deep.equal(['component-excluded', 'cover-ended', 'contract-cancelled', 'transferred-away']);
    expect(codes(decideWarrantyClaim(toko, { planId: 'care-2y', product: tv, component: 'unit', claimant: 'not-owner' }, { at: '2028-01-01T10:00:00+07:00' }).reasons)).to.deep.equal(['not-owner']);
  });

  it('a plan starting at purchase covers after the manufacturer\'s term until its own months from purchase', () => {
    // at-purchase, 24 months: plan 2026-12-10 to 2028-12-10; the manufacturer answers first until 2027-12-10.
    const atPurchase = tokoVariant((p) => {
      const plan = p.warranty?.plans[0];
      if (plan) plan.starts = 'at-purchase';
    });
    const first = decideWarrantyClaim(atPurchase, { planId: 'care-2y', product: tv, component: 'unit' }, { at: '2027-06-01T10:00:00+07:00' });
    expect([first.coveredBy, first.coveredUntil]).to.deep.equal(['manufacturer', '2027-12-10']);
    const later = decideWarrantyClaim(atPurchase, { planId: 'care-2y', product: tv, component: 'unit' }, { at: '2028-12-10T10:00:00+07:00' });
    expect([later.coveredBy, later.coveredUntil]).to.deep.equal(['plan', '2028-12-10']);
    expect(codes(decideWarrantyClaim(atPurchase, { planId: 'care-2y', product: tv, component: 'unit' }, { at: '2028-12-11T10:00:00+07:00' }).reasons)).to.deep.equal(['cover-ended']);
  });

  it('a component with its own plan months: the battery 12 months after its manufacturer term', () => {
    const battery = tokoVariant((p) => {
      const plan = p.warranty?.plans[0];
      if (plan) plan.componentCoverageMonths = { battery: 12 };
    });
    const product = { ...laptop, manufacturerWarranty: { months: 12, components: { battery: 6 } } };
    // battery: manufacturer to 2027-06-10, plan 12 months to 2028-06-10.
    const d = decideWarrantyClaim(battery, { planId: 'care-2y', product, component: 'battery' }, { at: '2028-06-10T10:00:00+07:00' });
    expect([d.coveredBy, d.coveredUntil]).to.deep.equal(['plan', '2028-06-10']);
    expect(codes(decideWarrantyClaim(battery, { planId: 'care-2y', product, component: 'battery' }, { at: '2028-06-11T10:00:00+07:00' }).reasons)).to.deep.equal(['cover-ended']);
  });

  it('refuses malformed input with pointers: an unknown plan, an empty component, a bad instant', () => {
    expect(inputProblems(() => decideWarrantyClaim(toko, { planId: 'care-9y', product: tv, component: 'unit' }, { at: '2027-01-01T00:00:00Z' }))).to.deep.equal([{ pointer: '/planId', code: 'unknown-plan' }]);
    expect(inputProblems(() => decideWarrantyClaim(toko, { planId: 'care-2y', product: tv, component: '' }, { at: '2027-01-01T00:00:00Z' }))).to.deep.equal([{ pointer: '/component', code: 'invalid-text' }]);
    expect(inputProblems(() => decideWarrantyClaim(toko, { planId: 'care-2y', product: tv, component: 'unit' }, { at: '2027-01-01' }))).to.deep.equal([{ pointer: '/at', code: 'invalid-instant' }]);
  });
});

describe('purchaseWindow: until the manufacturer\'s warranty ends', () => {
  const compiled = tokoVariant(withCarePlus);
  // A 60.000.000 laptop: above care-2y's maximum of 50.000.000; care-plus has no cap.
  // care-plus: 5 % of 60.000.000 = 3.000.000 (above the 150.000 minimum); last day = 2026-12-10 + 12 months = 2027-12-10.
  const pricey = { ...laptop, price: '60000000' };

  it('is open on the last day of the manufacturer\'s warranty, with no price cap', () => {
    const plans = checkWarrantyEligibility(compiled, { product: pricey }, { at: '2027-12-10T23:59:59+07:00' }).plans;
    const plus = plans.find((p) => p.planId === 'care-plus');
    expect([plus?.eligible, plus?.price, plus?.lastPurchaseDay]).to.deep.equal([true, '3000000', '2027-12-10']);
    // care-2y: its 60-day window (to 2027-02-08) is long over and the price is above its cap: both reasons.
    expect(codes(plans.find((p) => p.planId === 'care-2y')?.reasons)).to.have.members(['price-above-maximum', 'purchase-window-ended']);
  });

  it('is closed the day after', () => {
    const plus = checkWarrantyEligibility(compiled, { product: pricey }, { at: '2027-12-11T00:00:00+07:00' }).plans.find((p) => p.planId === 'care-plus');
    expect(codes(plus?.reasons)).to.deep.equal(['purchase-window-ended']);
    expect(plus?.reasons[0]?.message).to.include('2027-12-10').and.to.include('manufacturer warranty');
  });

  it('follows the unit\'s months to the end of a short month: bought 31 January with 1 month, open through 28 February', () => {
    const product = { ...pricey, purchasedOn: '2027-01-31', manufacturerWarranty: { months: 1 } };
    const open = checkWarrantyEligibility(compiled, { product }, { at: '2027-02-28T12:00:00+07:00' }).plans.find((p) => p.planId === 'care-plus');
    expect([open?.eligible, open?.lastPurchaseDay]).to.deep.equal([true, '2027-02-28']);
    const closed = checkWarrantyEligibility(compiled, { product }, { at: '2027-03-01T00:00:00+07:00' }).plans.find((p) => p.planId === 'care-plus');
    expect(closed?.eligible).to.equal(false);
  });

  it('a warranty.offer names that last day, and warranty.window-closing comes 14 and 3 days before it', () => {
    const program = tokoVariant((p) => {
      withCarePlus(p);
      p.moments = { warrantyWindowClosing: { daysBefore: [14, 3] } };
    });
    const order = { id: 'o-lp', customerId: 'ayu', placedAt: '2026-12-10T03:00:00.000Z', currency: 'IDR', lines: [{ sku: 'LP-90', category: 'laptop', quantity: 1, unitPrice: '60000000', manufacturerWarranty: { months: 12 } }] };
    const decision = decideOrder(program, emptyAccountState(), { customer: { id: 'ayu' }, order });
    const offer = decision.actions.find((a): a is Extract<AccountAction, { type: 'moment' }> => a.type === 'moment' && a.moment === 'warranty.offer');
    expect((offer?.data as { plans: Array<{ planId: string; lastPurchaseDay: string }> }).plans.map((p) => [p.planId, p.lastPurchaseDay])).to.deep.equal([['care-plus', '2027-12-10']]);
    const state = applyActions(emptyAccountState(), decision.actions, { at: order.placedAt, id: 'order:o-lp', compiled: program }).state;
    const closing = (through: string): unknown[] =>
      decideDueMoments(program, state, through).flatMap((a) => (a.type === 'moment' && a.moment === 'warranty.window-closing' ? [[a.occurredAt, (a.data as { daysBefore: number }).daysBefore]] : []));
    // 14 days before 2027-12-10 is 2027-11-26, local midnight = 2027-11-25T17:00Z; 3 days before: 2027-12-07 = 2027-12-06T17:00Z.
    expect(closing('2027-11-25T16:59:59.000Z')).to.deep.equal([]);
    expect(closing('2027-12-06T17:00:00.000Z')).to.deep.equal([
      ['2027-11-25T17:00:00.000Z', 14],
      ['2027-12-06T17:00:00.000Z', 3],
    ]);
  });
});

describe('program: the warranty plan fields of issue 17', () => {
  const variant = (change: (plan: Record<string, unknown>) => void): unknown => {
    const program = structuredClone(tokoProgramJson()) as unknown as { warranty: { plans: Array<Record<string, unknown>> } };
    change(program.warranty.plans[0] as Record<string, unknown>);
    return program;
  };
  const pointers = (problems: Problem[]) => problems.map((p) => [p.pointer, p.code]);

  it('needs exactly one of purchaseWindowDays and purchaseWindow', () => {
    expect(pointers(programProblems(variant((plan) => (plan.purchaseWindow = { until: 'manufacturer-end' }))))).to.deep.equal([['/warranty/plans/0/purchaseWindow', 'conflicting-fields']]);
    expect(pointers(programProblems(variant((plan) => delete plan.purchaseWindowDays)))).to.deep.equal([['/warranty/plans/0/purchaseWindowDays', 'missing-field']]);
  });

  it('names a bad window end and a bad refund at their pointers', () => {
    const problems = programProblems(
      variant((plan) => {
        delete plan.purchaseWindowDays;
        plan.purchaseWindow = { until: 'forever' };
        plan.cancellation = { refund: 'half' };
      }),
    );
    expect(problems.map((p) => p.pointer)).to.include.members(['/warranty/plans/0/purchaseWindow/until', '/warranty/plans/0/cancellation/refund']);
  });

  it('takes a plan without a price cap, and one that says how a cancellation refunds', () => {
    const program = parseProgram(variant((plan) => {
      delete plan.maxProductPrice;
      plan.cancellation = { refund: 'full' };
    }));
    expect(program.warranty?.plans[0]?.maxProductPrice).to.equal(undefined);
  });
});

describe('decideContractRefund: a contract cancelled by the return of its product', () => {
  // care-2y on the TV for a bronze customer: 640.000; the plan's own cover runs 2027-12-10 to 2029-12-10:
  // 366 days to 2028-12-10 (29 February 2028 is in them) + 365 days to 2029-12-10 = 731 days.
  const contract = { planId: 'care-2y', product: tv, price: '640000' };
  const cases: Array<{ why: string; at: string; refund: string; unused: number; full?: boolean }> = [
    { why: 'returned 10 days after purchase, long before the plan starts: everything back', at: '2026-12-20T10:00:00+07:00', refund: '640000', unused: 731 },
    { why: 'cancelled on the plan\'s first day: nothing used yet', at: '2027-12-10T10:00:00+07:00', refund: '640000', unused: 731 },
    // 640000 x 365 / 731 = 233600000 / 731 = 319562.24..., rounded down to the cent.
    { why: 'half-way: the days left of the 731', at: '2028-12-10T10:00:00+07:00', refund: '319562.24', unused: 365 },
    { why: 'after the plan ended: nothing', at: '2029-12-11T10:00:00+07:00', refund: '0', unused: 0 },
    { why: 'a plan that refunds in full, half-way through', at: '2028-12-10T10:00:00+07:00', refund: '640000', unused: 365, full: true },
  ];
  for (const c of cases) {
    it(c.why, () => {
      const compiled = c.full
        ? tokoVariant((p) => {
            const plan = p.warranty?.plans[0];
            if (plan) plan.cancellation = { refund: 'full' };
          })
        : toko;
      const r = decideContractRefund(compiled, contract, { at: c.at });
      expect([r.policy, r.refund, r.planDays, r.unusedDays]).to.deep.equal([c.full ? 'full' : 'pro-rata', c.refund, 731, c.unused]);
    });
  }
});
