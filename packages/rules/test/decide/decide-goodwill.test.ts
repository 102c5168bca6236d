/**
 * decideGoodwill as a table: the toko program with the after-sales example's `goodwill` section (reasons
 * late-delivery 500, defect 2000, cancelled-by-shop 1000 points at most; 2 grants per customer per calendar month;
 * 100000 points a month for all customers), in Asia/Jakarta (UTC+7, no daylight saving). Expected values are worked
 * by hand from that section.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  applyActions,
  compileProgram,
  decideGoodwill,
  emptyAccountState,
  goodwillBudgetPeriod,
  InputError,
  parseProgram,
  viewPoints,
  type AccountState,
  type DecideGoodwillInput,
  type GoodwillContext,
} from '../../src/index.js';
import { exampleProgramJson } from '../support/example-program.js';

const aftercare = JSON.parse(readFileSync(new URL('../../../../../shared/examples/toko-aftercare.program.json', import.meta.url), 'utf8')) as { goodwill: unknown; rewards: unknown };
const compiled = compileProgram(parseProgram({ ...exampleProgramJson(), goodwill: aftercare.goodwill, rewards: aftercare.rewards }));
const withoutGoodwill = compileProgram(parseProgram(exampleProgramJson()));

/** 10 December 2026, 10:00 in Jakarta. */
const AT = '2026-12-10T03:00:00.000Z';
const CRM: GoodwillContext = { mayOverride: false, budgetUsed: 0 };
const ADMIN: GoodwillContext = { mayOverride: true, budgetUsed: 0 };

function request(fields: Partial<DecideGoodwillInput> = {}): DecideGoodwillInput {
  return { goodwillId: 'gw-1', reason: 'cancelled-by-shop', points: 500, actor: 'api-key:crm', ...fields };
}

/** An account that had `count` goodwill grants in the counter `key`. */
function used(key: string, count: number): AccountState {
  return { ...emptyAccountState(), usage: [{ key, count, at: AT }] };
}

function codes(decision: ReturnType<typeof decideGoodwill>): string[] {
  return decision.granted ? [] : decision.reasons.map((r) => r.code);
}

describe('decideGoodwill', () => {
  it('grants points for a reason within its maximum: an adjustment lot available at once, the month counter, and goodwill.granted', () => {
    const decision = decideGoodwill(compiled, emptyAccountState(), request({ caseId: 'case-7' }), CRM, { at: AT });
    expect(decision).to.deep.equal({
      granted: true,
      points: 500,
      reasonId: 'cancelled-by-shop',
      budgetPeriod: '2026-12',
      budgetPoints: 500,
      actions: [
        {
          type: 'award',
          entry: { type: 'adjustment', programId: 'toko-rewards', ruleIds: [], reason: 'goodwill:cancelled-by-shop', actor: 'api-key:crm' },
          source: 'adjustment',
          points: 500,
          // Available at once; the toko program expires points 12 months after they become available.
          availableAt: AT,
          expiresAt: '2027-12-10T03:00:00.000Z',
        },
        { type: 'counters', deltas: [{ key: 'goodwill:2026-12', count: 1 }] },
        {
          type: 'moment',
          moment: 'goodwill.granted',
          data: { goodwillId: 'gw-1', reason: 'cancelled-by-shop', reasonName: 'Order cancelled by the shop', points: 500, actor: 'api-key:crm', caseId: 'case-7', availableAt: AT, expiresAt: '2027-12-10T03:00:00.000Z' },
        },
      ],
    });
    const applied = applyActions(emptyAccountState(), decision.actions, { at: AT, id: 'goodwill:gw-1', compiled });
    expect(viewPoints(applied.state.points, AT)).to.include({ available: 500, pending: 0, balance: 500 });
    expect(applied.moments.map((m) => m.type)).to.deep.equal(['goodwill.granted']);
  });

  it('grants a reward of the catalog without points: its voucher, its cost counted toward the maximum and the budget', () => {
    const code = 'K7QM-2XPA-9RHD-TWCE';
    const decision = decideGoodwill(compiled, emptyAccountState(), request({ reason: 'late-delivery', points: undefined, rewardId: 'free-shipping' }), { ...CRM, voucherCode: code }, { at: AT });
    if (!decision.granted) throw new Error(JSON.stringify(decision.reasons));
    // free-shipping costs 150 points (within late-delivery's 500); its voucher lasts 14 days: 24 December, 10:00 in Jakarta.
    expect(decision).to.deep.include({ points: 0, budgetPoints: 150, reasonId: 'late-delivery', budgetPeriod: '2026-12' });
    expect(decision.voucher).to.deep.equal({ code, rewardId: 'free-shipping', redemptionId: 'gw-1', kind: 'free-shipping', issuedAt: AT, expiresAt: '2026-12-24T03:00:00.000Z', points: 0 });
    expect(decision.actions.map((a) => a.type)).to.deep.equal(['voucher-issued', 'counters', 'moment']);
    const moment = decision.actions[2];
    expect(moment?.type === 'moment' ? moment.data : undefined).to.deep.equal({
      goodwillId: 'gw-1',
      reason: 'late-delivery',
      reasonName: 'Late delivery',
      points: 0,
      actor: 'api-key:crm',
      rewardId: 'free-shipping',
      voucher: { code, kind: 'free-shipping', expiresAt: '2026-12-24T03:00:00.000Z' },
    });
    const applied = applyActions(emptyAccountState(), decision.actions, { at: AT, id: 'goodwill:gw-1', compiled });
    expect(applied.entries).to.deep.equal([]);
    expect(applied.state.vouchers?.map((v) => v.code)).to.deep.equal([code]);
    // 99900 of 100000 used: the reward's 150 points do not fit.
    const over = decideGoodwill(compiled, emptyAccountState(), request({ reason: 'late-delivery', points: undefined, rewardId: 'free-shipping' }), { mayOverride: false, budgetUsed: 99_900, voucherCode: code }, { at: AT });
    expect(codes(over)).to.deep.equal(['budget-exhausted']);
  });

  const refusals: Array<{ what: string; why: string; state?: AccountState; input: Partial<DecideGoodwillInput>; context?: GoodwillContext; at?: string; codes: string[] }> = [
    { what: 'an unknown reason', why: 'only the program\'s reasons may be granted', input: { reason: 'birthday-cake' }, codes: ['unknown-reason'] },
    { what: '1001 points for cancelled-by-shop', why: 'its maximum is 1000 per grant', input: { points: 1001 }, codes: ['over-reason-maximum'] },
    { what: '1500 points by an admin without override', why: 'the maximum binds every key; only an override goes past it', input: { points: 1500 }, context: ADMIN, codes: ['over-reason-maximum'] },
    { what: 'an override from a crm key, within the maximum', why: 'only an admin key may send an override', input: { override: { reason: 'VIP' } }, codes: ['override-not-allowed'] },
    { what: 'an override from a crm key, over the maximum', why: 'the override is not allowed, so the maximum still binds: both reasons', input: { points: 1500, override: { reason: 'VIP' } }, codes: ['override-not-allowed', 'over-reason-maximum'] },
    { what: 'a third grant in December', why: '2 grants per customer per calendar month', state: used('goodwill:2026-12', 2), input: {}, codes: ['customer-limit-reached'] },
    { what: '500 points with 99600 used', why: '100000 - 99600 = 400 left, less than 500', input: {}, context: { mayOverride: false, budgetUsed: 99_600 }, codes: ['budget-exhausted'] },
    { what: 'a reward the catalog does not have', why: 'only the program\'s rewards may be granted', input: { points: undefined, rewardId: 'yacht' }, codes: ['unknown-reward'] },
    { what: 'the power bank (2000 points) for a late delivery', why: 'a reward counts its cost against the reason\'s maximum (500), and it is for gold members only', input: { points: undefined, rewardId: 'powerbank', reason: 'late-delivery' }, context: { ...CRM, voucherCode: 'AAAA-BBBB-CCCC-DDDD', stockLeft: 100 }, codes: ['over-reason-maximum', 'tier-not-allowed'] },
    {
      what: 'everything wrong at once',
      why: 'every reason, never only the first: 1500 > 1000 with a crm override, 2 grants this month, 99000 + 1500 > 100000',
      state: used('goodwill:2026-12', 2),
      input: { points: 1500, override: { reason: 'VIP' } },
      context: { mayOverride: false, budgetUsed: 99_000 },
      codes: ['override-not-allowed', 'over-reason-maximum', 'customer-limit-reached', 'budget-exhausted'],
    },
  ];
  for (const c of refusals) {
    it(`refuses ${c.what} (${c.why})`, () => {
      const decision = decideGoodwill(compiled, c.state ?? emptyAccountState(), request(c.input), c.context ?? CRM, { at: c.at ?? AT });
      expect(codes(decision)).to.deep.equal(c.codes);
      // A refusal changes nothing: no lot, no counter (refusals do not count toward the limits), no moment.
      expect(decision.actions).to.deep.equal([]);
    });
  }

  it('refuses every goodwill when the program has no goodwill section', () => {
    expect(codes(decideGoodwill(withoutGoodwill, emptyAccountState(), request(), CRM, { at: AT }))).to.deep.equal(['goodwill-not-offered']);
  });

  it('grants past the maximum for an admin override, and records it', () => {
    const decision = decideGoodwill(compiled, emptyAccountState(), request({ points: 1500, override: { reason: 'order lost twice' }, actor: 'api-key:admin' }), ADMIN, { at: AT });
    if (!decision.granted) throw new Error(`refused: ${JSON.stringify(decision.reasons)}`);
    expect(decision.points).to.equal(1500);
    expect(decision.override).to.deep.equal({ reason: 'order lost twice', actor: 'api-key:admin', maxPoints: 1000 });
    const moment = decision.actions.find((a) => a.type === 'moment');
    expect(moment).to.deep.include({ moment: 'goodwill.granted' });
    expect(moment && 'data' in moment ? moment.data.override : undefined).to.deep.equal({ reason: 'order lost twice', maxPoints: 1000 });
  });

  it('grants exactly up to the budget: 99500 used + 500 = 100000', () => {
    expect(decideGoodwill(compiled, emptyAccountState(), request(), { mayOverride: false, budgetUsed: 99_500 }, { at: AT }).granted).to.equal(true);
  });

  it('a second grant in the month is still within the limit of 2', () => {
    expect(decideGoodwill(compiled, used('goodwill:2026-12', 1), request(), CRM, { at: AT }).granted).to.equal(true);
  });

  describe('calendar months in the program zone (Asia/Jakarta, UTC+7)', () => {
    // 30 November 23:59:59 in Jakarta is 16:59:59Z; 1 December 00:00 is 17:00Z on 30 November.
    const lastSecondOfNovember = '2026-11-30T16:59:59.000Z';
    const firstInstantOfDecember = '2026-11-30T17:00:00.000Z';
    const twoInNovember = used('goodwill:2026-11', 2);

    it('counts a grant at 23:59:59 local on 30 November in November', () => {
      expect(codes(decideGoodwill(compiled, twoInNovember, request(), CRM, { at: lastSecondOfNovember }))).to.deep.equal(['customer-limit-reached']);
      expect(goodwillBudgetPeriod(compiled, lastSecondOfNovember)).to.equal('2026-11');
    });

    it('starts December at 00:00 local on 1 December (still 30 November in UTC)', () => {
      const decision = decideGoodwill(compiled, twoInNovember, request(), CRM, { at: firstInstantOfDecember });
      expect(decision.granted).to.equal(true);
      expect(decision.actions).to.deep.include({ type: 'counters', deltas: [{ key: 'goodwill:2026-12', count: 1 }] });
      expect(goodwillBudgetPeriod(compiled, firstInstantOfDecember)).to.equal('2026-12');
    });

    it('has no budget period without a budget', () => {
      expect(goodwillBudgetPeriod(withoutGoodwill, AT)).to.equal(undefined);
    });
  });

  it('takes exactly one of points and rewardId (malformed input, not a refusal)', () => {
    expect(() => decideGoodwill(compiled, emptyAccountState(), request({ points: undefined }), CRM, { at: AT })).to.throw(InputError, /exactly one/);
    expect(() => decideGoodwill(compiled, emptyAccountState(), request({ rewardId: 'voucher-50k' }), CRM, { at: AT })).to.throw(InputError, /exactly one/);
    expect(() => decideGoodwill(compiled, emptyAccountState(), request({ points: 0 }), CRM, { at: AT })).to.throw(InputError, /1 or more/);
  });
});
