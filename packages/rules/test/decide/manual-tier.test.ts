/**
 * Tiers assigned by hand (decideManualTier): held until `until` whatever the spend, then by the tier rules with their
 * grace; every reader of the tier held (heldTier, the order's multiplier, the tier review, the due index) sees the
 * hold. Expected values derived by hand from the program below.
 */
import { expect } from 'chai';
import { applyActions, decideManualTier, decideOrder, decideTierReview, emptyAccountState, heldTier, InputError, nextMomentDue, type AccountState } from '../../src/index.js';
import { orderOf, programWith } from '../support/program-builder.js';

const levels = [
  { id: 'bronze', name: 'Bronze', threshold: '0' },
  { id: 'silver', name: 'Silver', threshold: '1000', multiplier: '1.5' },
  { id: 'gold', name: 'Gold', threshold: '5000', multiplier: '2' },
];
// 1 point per 100 spent; a rolling 3-month window and one month of grace.
const compiled = programWith([{ id: 'base', name: 'Base', scope: 'line', award: { pointsPer: { amount: '100', points: 1 } } }], {
  tiers: { basis: 'spend', window: { type: 'rolling', months: 3 }, levels, downgrade: { graceMonths: 1 } },
});

/** An account with one order of 600 on 10 January (silver needs 1000: it holds bronze). */
function withOrder(): AccountState {
  return { ...emptyAccountState(), orders: [{ id: 'a', placedAt: '2026-01-10T05:00:00.000Z', tierSpend: '600', points: 6 }] };
}

const ASSIGNED_AT = '2026-01-31T17:00:00.000Z'; // 1 February 00:00 in Jakarta
const GOLD = { tierId: 'gold', until: '2026-04-01T00:00:00+07:00', reason: 'status match: gold card of another shop' };

/** The account once gold is assigned by hand on 1 February until 1 April. */
function heldGold(): AccountState {
  const decision = decideManualTier(compiled, withOrder(), GOLD, { at: ASSIGNED_AT });
  return applyActions(withOrder(), decision.actions, { at: ASSIGNED_AT, id: 'tier-hold:ayu', compiled }).state;
}

describe('decideManualTier', () => {
  it('records the hold and moves the recorded tier, with a tier.changed moment whose cause is manual', () => {
    const decision = decideManualTier(compiled, withOrder(), GOLD, { at: ASSIGNED_AT });
    expect(decision.from).to.equal('bronze');
    expect(decision.to).to.equal('gold');
    expect(decision.hold).to.deep.equal({ tierId: 'gold', since: ASSIGNED_AT, until: '2026-03-31T17:00:00.000Z', reason: GOLD.reason });
    const applied = applyActions(withOrder(), decision.actions, { at: ASSIGNED_AT, id: 'tier-hold:ayu', compiled });
    expect(applied.state.tierHold).to.deep.equal(decision.hold);
    expect(applied.state.tier).to.deep.equal({ id: 'gold', since: ASSIGNED_AT });
    expect(applied.moments.map((m) => [m.type, m.data.from, m.data.to, m.data.cause, m.data.reason, m.data.until])).to.deep.equal([
      ['tier.changed', 'bronze', 'gold', 'manual', GOLD.reason, '2026-03-31T17:00:00.000Z'],
    ]);
  });

  const held: Array<[string, string, string, boolean, boolean]> = [
    // [why, at, tier, held by hand, in grace]
    ['before the assignment the orders decide (600 < 1000)', '2026-01-31T16:59:59.000Z', 'bronze', false, false],
    ['from the assignment on, gold whatever the spend', '2026-01-31T17:00:00.000Z', 'gold', true, false],
    ['a second before until', '2026-03-31T16:59:59.000Z', 'gold', true, false],
    ['after until, gold in its month of grace', '2026-04-15T00:00:00.000Z', 'gold', true, true],
    ['the grace ends one month after until (1 May 00:00 Jakarta); order a left the window on 10 April', '2026-04-30T17:00:00.000Z', 'bronze', false, false],
  ];
  for (const [why, at, tier, manual, inGrace] of held) {
    it(`heldTier at ${at}: ${tier} (${why})`, () => {
      const evaluation = heldTier(compiled, heldGold(), at)!;
      expect(evaluation.tierId).to.equal(tier);
      expect(evaluation.manual !== undefined, 'held by hand').to.equal(manual);
      expect(evaluation.inGrace).to.equal(inGrace);
    });
  }

  it('says why and until when: the hold, its reason, and its end with the grace', () => {
    const evaluation = heldTier(compiled, heldGold(), '2026-03-01T00:00:00.000Z')!;
    expect(evaluation.manual).to.deep.equal({ since: ASSIGNED_AT, until: '2026-03-31T17:00:00.000Z', reason: GOLD.reason });
    expect(evaluation.metUntil).to.equal('2026-04-01T00:00:00.000+07:00');
    expect(evaluation.until).to.equal('2026-05-01T00:00:00.000+07:00');
    expect(evaluation.multiplier).to.equal('2');
  });

  it("an order earns with the held tier's multiplier: 1000 spent is 10 points, doubled by gold", () => {
    const order = orderOf([['PH-1', 'phone', 1, '1000']], '2026-03-01T10:00:00+07:00');
    const decision = decideOrder(compiled, heldGold(), { customer: { id: 'ayu' }, order: { ...order, placedAt: '2026-03-01T03:00:00.000Z' } });
    expect(decision.tierBefore).to.equal('gold');
    // 600 + 1000 = 1600 earns silver, below the gold held by hand.
    expect(decision.tierAfter).to.equal('gold');
    expect(decision.awarded).to.equal(20);
    const without = decideOrder(compiled, withOrder(), { customer: { id: 'ayu' }, order: { ...order, placedAt: '2026-03-01T03:00:00.000Z' } });
    expect(without.awarded, 'bronze: multiplier 1').to.equal(10);
  });

  it('an earned tier above the one assigned wins, and the assignment changes nothing then', () => {
    const rich: AccountState = { ...emptyAccountState(), orders: [{ id: 'big', placedAt: '2026-01-10T05:00:00.000Z', tierSpend: '6000', points: 60 }] };
    const recorded = applyActions(rich, [{ type: 'tier', from: 'bronze', to: 'gold', at: '2026-01-10T05:00:00.000Z' }], { at: '2026-01-10T05:00:00.000Z', id: 'order:big' }).state;
    const decision = decideManualTier(compiled, recorded, { tierId: 'silver', until: '2026-12-31T00:00:00+07:00', reason: 'match' }, { at: ASSIGNED_AT });
    expect([decision.from, decision.to]).to.deep.equal(['gold', 'gold']);
    expect(decision.actions.map((a) => a.type)).to.deep.equal(['tier-hold', 'tier']);
    const state = applyActions(recorded, decision.actions, { at: ASSIGNED_AT, id: 'tier-hold:ayu', compiled }).state;
    const march = heldTier(compiled, state, '2026-03-01T00:00:00.000Z');
    expect(march?.tierId).to.equal('gold');
    expect(march?.manual, 'earned, not held by hand').to.equal(undefined);
    // 6000 leaves the window on 10 April, gold's grace ends 10 May; silver by hand holds to 31 December.
    expect(heldTier(compiled, state, '2026-06-01T00:00:00.000Z')?.tierId).to.equal('silver');
  });

  it('the same tier earned and assigned: the hold answers when it keeps the tier longer', () => {
    const silver: AccountState = { ...emptyAccountState(), orders: [{ id: 's', placedAt: '2026-01-10T05:00:00.000Z', tierSpend: '1000', points: 10 }] };
    const decision = decideManualTier(compiled, silver, { tierId: 'silver', until: '2026-09-01T00:00:00+07:00', reason: 'match' }, { at: ASSIGNED_AT });
    const state = applyActions(silver, decision.actions, { at: ASSIGNED_AT, id: 'tier-hold:ayu', compiled }).state;
    // Earned silver ends with its grace on 10 May; the hold keeps it to 1 September plus a month.
    expect(heldTier(compiled, state, '2026-03-01T00:00:00.000Z')).to.deep.include({ tierId: 'silver', until: '2026-10-01T00:00:00.000+07:00' });
    expect(heldTier(compiled, state, '2026-03-01T00:00:00.000Z')?.manual?.reason).to.equal('match');
  });

  it('after the hold and its grace the tier review records the downgrade (cause review)', () => {
    const review = decideTierReview(compiled, heldGold(), '2026-05-01T00:00:00.000Z');
    expect([review.from, review.to]).to.deep.equal(['gold', 'bronze']);
    expect(decideTierReview(compiled, heldGold(), '2026-04-20T00:00:00.000Z').to, 'still in grace').to.equal('gold');
  });

  it('the due index files the account at the end of the hold with its grace', () => {
    expect(nextMomentDue(compiled, heldGold(), undefined, '2026-03-01T00:00:00.000Z')).to.equal('2026-04-30T17:00:00.000Z');
  });

  const refused: Array<[string, () => unknown, string, string]> = [
    ['a program without tiers', () => decideManualTier(programWith([]), withOrder(), GOLD, { at: ASSIGNED_AT }), '/tierId', 'no-tiers'],
    ['a tier the program does not have', () => decideManualTier(compiled, withOrder(), { ...GOLD, tierId: 'platinum' }, { at: ASSIGNED_AT }), '/tierId', 'unknown-tier'],
    ['an until in the past', () => decideManualTier(compiled, withOrder(), { ...GOLD, until: '2026-01-01T00:00:00+07:00' }, { at: ASSIGNED_AT }), '/until', 'until-not-future'],
    ['an until equal to the instant', () => decideManualTier(compiled, withOrder(), { ...GOLD, until: ASSIGNED_AT }, { at: ASSIGNED_AT }), '/until', 'until-not-future'],
  ];
  for (const [what, call, pointer, code] of refused) {
    it(`refuses ${what} (${code} at ${pointer})`, () => {
      let thrown: unknown;
      try {
        call();
      } catch (error) {
        thrown = error;
      }
      expect(thrown).to.be.instanceOf(InputError);
      const [problem] = (thrown as InputError).errors;
      expect([problem?.pointer, problem?.code]).to.deep.equal([pointer, code]);
      expect(problem?.message).to.be.a('string').and.not.equal('');
    });
  }
});
