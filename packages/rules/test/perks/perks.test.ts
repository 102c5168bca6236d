import { expect } from 'chai';
import {
  checkWarrantyEligibility,
  compileProgram,
  computeOrderPoints,
  orderPerks,
  parseProgram,
  ProgramError,
  tierPerks,
  type CompiledProgram,
  type Problem,
} from '../../src/index.js';
import { orderOf } from '../support/program-builder.js';
import { tokoProgramJson, tokoVariant } from '../warranty/toko-program.js';

/** An IDR program in Jakarta whose three tiers have every kind of perk between them. */
function perksProgramJson(): Record<string, unknown> & { tiers: Record<string, unknown> & { levels: Array<Record<string, unknown>> }; earning: Array<Record<string, unknown>> } {
  return {
    id: 'perks',
    name: 'Perks',
    currency: 'IDR',
    timezone: 'Asia/Jakarta',
    points: { rounding: 'floor' },
    tiers: {
      basis: 'spend',
      window: { type: 'rolling', months: 12 },
      levels: [
        { id: 'bronze', name: 'Bronze', threshold: '0' },
        { id: 'silver', name: 'Silver', threshold: '5000000', perks: [{ id: 'free-shipping', kind: 'free-shipping', minOrderTotal: '500000' }] },
        {
          id: 'gold',
          name: 'Gold',
          threshold: '20000000',
          benefits: { warrantyPlanDiscount: '0.2' },
          perks: [
            { id: 'free-shipping', kind: 'free-shipping', name: 'Free shipping' },
            { id: 'early-access', kind: 'early-access', hours: 24 },
            { id: 'accessory-discount', kind: 'discount', percent: '5', appliesTo: { category: ['accessory'] } },
            { id: 'birthday-mug', kind: 'birthday-gift', sku: 'MUG-1' },
            { id: 'care-plus-6', kind: 'warranty-extra-months', months: 6 },
          ],
        },
      ],
    },
    earning: [
      { id: 'base', name: '1 point per Rp10.000', scope: 'line', exclude: { category: ['shipping'] }, award: { pointsPer: { amount: '10000', points: 1 } } },
      { id: 'launch', name: '100 points at the launch sale', scope: 'order', award: { points: 100 }, valid: { from: '2026-11-01T00:00:00+07:00', until: '2026-11-02T00:00:00+07:00', earlyAccess: true } },
      { id: 'flash', name: '50 points at the flash sale (no early access)', scope: 'order', award: { points: 50 }, valid: { from: '2026-11-01T00:00:00+07:00', until: '2026-11-02T00:00:00+07:00' } },
    ],
  };
}

const perks = compileProgram(parseProgram(perksProgramJson()));

function problemsOf(json: unknown): Problem[] {
  try {
    parseProgram(json);
  } catch (error) {
    expect(error).to.be.instanceOf(ProgramError);
    return [...(error as ProgramError).errors];
  }
  return expect.fail('expected a ProgramError');
}

describe('perks: the schema and its checks', () => {
  type Json = ReturnType<typeof perksProgramJson>;
  const gold = (json: Json) => json.tiers.levels[2]!.perks as Array<Record<string, unknown>>;
  const cases: Array<{ title: string; change: (json: Json) => void; pointer: string; code: string }> = [
    { title: 'an unknown kind', change: (json) => (gold(json)[0]!.kind = 'free-lunch'), pointer: '/tiers/levels/2/perks/0/kind', code: 'not-allowed' },
    { title: 'a field of no perk', change: (json) => (gold(json)[0]!.colour = 'red'), pointer: '/tiers/levels/2/perks/0/colour', code: 'unknown-field' },
    { title: 'early access without hours', change: (json) => delete gold(json)[1]!.hours, pointer: '/tiers/levels/2/perks/1/hours', code: 'missing-field' },
    { title: 'a discount without appliesTo', change: (json) => delete gold(json)[2]!.appliesTo, pointer: '/tiers/levels/2/perks/2/appliesTo', code: 'missing-field' },
    { title: 'a field of another kind', change: (json) => (gold(json)[1]!.percent = '5'), pointer: '/tiers/levels/2/perks/1/percent', code: 'unexpected-field' },
    { title: 'a percent over 100', change: (json) => (gold(json)[2]!.percent = '100.5'), pointer: '/tiers/levels/2/perks/2/percent', code: 'out-of-range' },
    { title: 'a percent that is not a decimal', change: (json) => (gold(json)[2]!.percent = '5%'), pointer: '/tiers/levels/2/perks/2/percent', code: 'invalid-format' },
    { title: 'a perk id used twice in a tier', change: (json) => (gold(json)[3]!.id = 'free-shipping'), pointer: '/tiers/levels/2/perks/3/id', code: 'duplicate-id' },
    { title: 'two early-access perks', change: (json) => gold(json).push({ id: 'early-2', kind: 'early-access', hours: 2 }), pointer: '/tiers/levels/2/perks/5/kind', code: 'duplicate-perk-kind' },
    { title: 'a perk taking the id a benefit is listed under', change: (json) => (gold(json)[3]!.id = 'warranty-plan-discount'), pointer: '/tiers/levels/2/perks/3/id', code: 'duplicate-id' },
    {
      title: 'a warranty figure in benefits and perks that disagree',
      change: (json) => (json.tiers.levels[2]!.benefits = { warrantyExtraMonths: 3 }),
      pointer: '/tiers/levels/2/perks/4/months',
      code: 'conflicting-fields',
    },
    { title: 'earlyAccess without valid.from', change: (json) => (json.earning[1]!.valid = { until: '2026-11-02T00:00:00+07:00', earlyAccess: true }), pointer: '/earning/1/valid/earlyAccess', code: 'unexpected-field' },
  ];
  for (const c of cases) {
    it(`refuses ${c.title} at ${c.pointer}`, () => {
      const json = perksProgramJson();
      c.change(json);
      const problems = problemsOf(json);
      expect(problems.map((p) => [p.pointer, p.code])).to.deep.include([c.pointer, c.code]);
      const problem = problems.find((p) => p.pointer === c.pointer)!;
      expect(problem.message).to.match(/perks|earlyAccess/);
    });
  }

  it('accepts a warranty figure given in benefits and as a perk with the same value', () => {
    const json = perksProgramJson();
    json.tiers.levels[2]!.benefits = { warrantyExtraMonths: 6, warrantyPlanDiscount: '0.20' };
    gold(json).push({ id: 'care-discount', kind: 'warranty-plan-discount', fraction: '0.2' });
    expect(() => parseProgram(json)).not.to.throw();
  });
});

describe('tierPerks', () => {
  it('lists the declared perks of the tier, then a warranty benefit given only in benefits, as plain JSON', () => {
    expect(tierPerks(perks, 'gold')).to.deep.equal([
      { id: 'free-shipping', kind: 'free-shipping', name: 'Free shipping' },
      { id: 'early-access', kind: 'early-access', hours: 24 },
      { id: 'accessory-discount', kind: 'discount', percent: '5', appliesTo: { category: ['accessory'] } },
      { id: 'birthday-mug', kind: 'birthday-gift', sku: 'MUG-1' },
      { id: 'care-plus-6', kind: 'warranty-extra-months', months: 6 },
      { id: 'warranty-plan-discount', kind: 'warranty-plan-discount', fraction: '0.2' },
    ]);
    expect(tierPerks(perks, 'silver').map((p) => p.id)).to.deep.equal(['free-shipping']);
    expect(tierPerks(perks, 'bronze')).to.deep.equal([]);
    expect(tierPerks(perks, null)).to.deep.equal([]);
  });

  it('refuses a tier the program does not have', () => {
    expect(() => tierPerks(perks, 'platinum')).to.throw(/"platinum" is not a tier/);
  });

  it('lists the shared example program\'s warranty benefits as perks', () => {
    const toko = compileProgram(tokoProgramJson());
    expect(tierPerks(toko, 'gold')).to.deep.equal([
      { id: 'warranty-extra-months', kind: 'warranty-extra-months', months: 6 },
      { id: 'warranty-plan-discount', kind: 'warranty-plan-discount', fraction: '0.2' },
    ]);
  });
});

describe('warranty perks: benefits or perks, the same figures', () => {
  // care-2y on a Rp 8.000.000 TV bought 2026-12-10: list price max(250000, 8 % × 8000000) = 640000; gold's 0.2 off
  // = 512000; cover: manufacturer 12 months to 2027-12-10, then 24 + 6 months -> 2030-06-10.
  const tv = { sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10', manufacturerWarranty: { months: 12, components: { remote: 6 } } };
  const at = '2027-01-15T10:00:00+07:00';
  const asPerks = tokoVariant((program) => {
    const gold = program.tiers!.levels[2] as { benefits?: unknown; perks?: unknown };
    delete gold.benefits;
    gold.perks = [
      { id: 'care-months', kind: 'warranty-extra-months', months: 6 },
      { id: 'care-discount', kind: 'warranty-plan-discount', fraction: '0.2' },
    ];
  });
  for (const [title, compiled] of [['in benefits', compileProgram(tokoProgramJson())], ['as perks', asPerks]] as Array<[string, CompiledProgram]>) {
    it(`prices and covers a gold member's plan the same with the figures ${title}`, () => {
      const plan = checkWarrantyEligibility(compiled, { product: tv, tier: 'gold' }, { at }).plans.find((p) => p.planId === 'care-2y')!;
      expect(plan.price).to.equal('512000');
      expect(plan.coverage?.unit).to.equal('2030-06-10');
    });
  }
});

describe('orderPerks', () => {
  // A Rp 8.000.000 laptop, two Rp 175.000 mice (one line, Rp 350.000), Rp 25.000 shipping: total Rp 8.375.000.
  const basket = orderOf([
    ['LP-14', 'laptop', 1, '8000000'],
    ['MS-1', 'accessory', 2, '175000'],
    ['SHIP', 'shipping', 1, '25000'],
  ]);

  it('gold: the shipping made free and 5 % off the accessory line', () => {
    expect(orderPerks(perks, 'gold', basket)).to.deep.equal([
      { id: 'free-shipping', kind: 'free-shipping', name: 'Free shipping', applies: true, amount: '25000', lines: [{ index: 2, sku: 'SHIP', amount: '25000' }] },
      // 5 % × 350000 = 17500
      { id: 'accessory-discount', kind: 'discount', applies: true, amount: '17500', lines: [{ index: 1, sku: 'MS-1', amount: '17500' }] },
    ]);
  });

  it('silver: free shipping from an order total of Rp 500.000, shipping included', () => {
    expect(orderPerks(perks, 'silver', basket)[0]).to.include({ applies: true, amount: '25000' });
    // 450000 + 25000 = 475000: 25000 short.
    const small = orderOf([['MS-1', 'accessory', 1, '450000'], ['SHIP', 'shipping', 1, '25000']]);
    const [shipping] = orderPerks(perks, 'silver', small);
    expect(shipping).to.deep.include({ applies: false, amount: '0', lines: [] });
    expect(shipping!.reason?.code).to.equal('below-min-order-total');
    expect(shipping!.reason?.message).to.contain('25000 IDR more');
    // 475000 + 25000 = exactly 500000: reached.
    const enough = orderOf([['MS-1', 'accessory', 1, '475000'], ['SHIP', 'shipping', 1, '25000']]);
    expect(orderPerks(perks, 'silver', enough)[0]).to.include({ applies: true, amount: '25000' });
  });

  it('says why a perk gives nothing to an order', () => {
    const laptopOnly = orderOf([['LP-14', 'laptop', 1, '8000000']]);
    expect(orderPerks(perks, 'gold', laptopOnly).map((p) => [p.id, p.applies, p.reason?.code])).to.deep.equal([
      ['free-shipping', false, 'no-shipping-lines'],
      ['accessory-discount', false, 'no-matching-lines'],
    ]);
  });

  it('lists nothing for a tier without price perks, or no tier', () => {
    expect(orderPerks(perks, 'bronze', basket)).to.deep.equal([]);
    expect(orderPerks(perks, null, basket)).to.deep.equal([]);
  });

  it('rounds a discount down to the cent, line by line (MXN)', () => {
    const json = perksProgramJson();
    json.currency = 'MXN';
    json.timezone = 'America/Mexico_City';
    json.tiers.levels[2]!.perks = [{ id: 'audio-7-5', kind: 'discount', percent: '7.5', appliesTo: { brand: ['sonora'] } }];
    const mxn = compileProgram(parseProgram(json));
    const order = { ...orderOf([['HP-1', 'audio', 1, '199.99', { brand: 'sonora' }], ['SP-2', 'audio', 3, '333.33', { brand: 'sonora' }], ['TV-1', 'tv', 1, '9999', { brand: 'other' }]]), currency: 'MXN' };
    // 7.5 % × 199.99 = 14.99925 -> 14.99; 7.5 % × 999.99 = 74.99925 -> 74.99; together 89.98.
    expect(orderPerks(mxn, 'gold', order)).to.deep.equal([
      { id: 'audio-7-5', kind: 'discount', applies: true, amount: '89.98', lines: [{ index: 0, sku: 'HP-1', amount: '14.99' }, { index: 1, sku: 'SP-2', amount: '74.99' }] },
    ]);
  });

  it('checks the order as a quote does', () => {
    expect(() => orderPerks(perks, 'gold', { ...basket, currency: 'USD' })).to.throw(/currency/);
  });
});

describe('early access', () => {
  // launch and flash are valid from 2026-11-01 00:00 Jakarta; launch has earlyAccess, gold has 24 hours of it.
  // An order of Rp 100.000 earns 10 base points; launch adds 100, flash 50.
  const order = (placedAt: string) => orderOf([['MS-1', 'accessory', 1, '100000']], placedAt);
  const cases: Array<{ tier: string; placedAt: string; points: number; why: string }> = [
    { tier: 'gold', placedAt: '2026-10-31T06:00:00+07:00', points: 110, why: '18 hours before: inside gold\'s 24 hours, launch only' },
    { tier: 'gold', placedAt: '2026-10-31T00:00:00+07:00', points: 110, why: 'exactly 24 hours before: the window opens then' },
    { tier: 'gold', placedAt: '2026-10-30T23:59:59+07:00', points: 10, why: 'a second earlier than 24 hours: not yet' },
    { tier: 'silver', placedAt: '2026-10-31T06:00:00+07:00', points: 10, why: 'silver has no early access' },
    { tier: 'gold', placedAt: '2026-11-01T12:00:00+07:00', points: 160, why: 'in the window: both rules, for everyone' },
    { tier: 'silver', placedAt: '2026-11-01T12:00:00+07:00', points: 160, why: 'in the window: both rules, for everyone' },
    { tier: 'gold', placedAt: '2026-11-02T00:00:00+07:00', points: 10, why: 'the end does not move' },
  ];
  for (const c of cases) {
    it(`${c.tier} at ${c.placedAt}: ${c.points} points (${c.why})`, () => {
      for (const trace of [false, true]) {
        expect(computeOrderPoints(perks, { order: order(c.placedAt), tierId: c.tier }, { at: c.placedAt, trace }).points).to.equal(c.points);
      }
    });
  }

  it('explains a rule not open yet in the trace', () => {
    const result = computeOrderPoints(perks, { order: order('2026-10-31T06:00:00+07:00'), tierId: 'silver' }, { at: '2026-10-31T06:00:00+07:00', trace: true });
    const launch = result.trace.rules.find((r) => r.ruleId === 'launch');
    expect(launch?.detail).to.contain('early access');
  });
});
