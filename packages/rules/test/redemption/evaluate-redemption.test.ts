import { expect } from 'chai';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { evaluateRedemption, type RedemptionInput } from '../../src/index.js';
import { Decimal } from '../../src/money/money.js';
import { tokoCompiled, tokoVariant } from '../warranty/toko-program.js';

// Program: pointValue "100", minPoints 100, maxShareOfOrder "0.5".
const toko = tokoCompiled();
const at = '2026-03-10T10:00:00+07:00';

describe('evaluateRedemption: table', () => {
  const cases: Array<{ name: string; input: RedemptionInput; accepted: boolean; discount?: string; reasons?: string[] }> = [
    // toko-basic rd-1: 1500 x 100 = 150000, and 150000 <= 0.5 x 2000000 = 1000000; Ayu has 2425 available.
    { name: 'toko-basic rd-1: 1500 points on a 2,000,000 order', input: { points: 1500, orderTotal: '2000000', available: 2425, balance: 2425 }, accepted: true, discount: '150000' },
    // toko-returns-debt-referral rd-c1: 200 x 100 = 20000 <= 500000; available 200 = review 50 + o-3001's 150 (available since 04-16).
    { name: 'rd-c1: 200 points on a 1,000,000 order', input: { points: 200, orderTotal: '1000000', available: 200, balance: 200 }, accepted: true, discount: '20000' },
    // rd-c2: the balance is -150 (debt after r-3003) and nothing is available.
    { name: 'rd-c2: negative balance', input: { points: 100, orderTotal: '1000000', available: 0, balance: -150 }, accepted: false, reasons: ['insufficient-points', 'negative-balance'] },
    { name: 'exactly the minimum', input: { points: 100, orderTotal: '20000', available: 100, balance: 100 }, accepted: true, discount: '10000' },
    { name: 'one below the minimum', input: { points: 99, orderTotal: '2000000', available: 500, balance: 500 }, accepted: false, reasons: ['below-minimum'] },
    { name: 'zero points', input: { points: 0, orderTotal: '2000000', available: 500, balance: 500 }, accepted: false, reasons: ['not-positive'] },
    { name: 'negative points', input: { points: -200, orderTotal: '2000000', available: 500, balance: 500 }, accepted: false, reasons: ['not-positive'] },
    { name: 'more than available', input: { points: 501, orderTotal: '2000000', available: 500, balance: 900 }, accepted: false, reasons: ['insufficient-points'] },
    // Inconsistent figures from a caller: the smaller of available and balance bounds the redemption.
    { name: 'more than the balance', input: { points: 300, orderTotal: '2000000', available: 500, balance: 200 }, accepted: false, reasons: ['insufficient-points'] },
    // 0.5 x 100000 = 50000 is the most the discount may be: 500 points (50000) pass, 501 (50100) do not.
    { name: 'exactly half the order', input: { points: 500, orderTotal: '100000', available: 900, balance: 900 }, accepted: true, discount: '50000' },
    { name: 'just over half the order', input: { points: 501, orderTotal: '100000', available: 900, balance: 900 }, accepted: false, reasons: ['exceeds-order-share'] },
    {
      name: 'every reason at once',
      input: { points: 50, orderTotal: '5000', available: 10, balance: -1 },
      accepted: false,
      reasons: ['below-minimum', 'insufficient-points', 'exceeds-order-share', 'negative-balance'],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateRedemption(toko, c.input, { at });
      expect(d.accepted).to.equal(c.accepted);
      if (c.discount !== undefined) expect(d.discount).to.equal(c.discount);
      expect(d.reasons.map((r) => r.code)).to.deep.equal(c.reasons ?? []);
      if (!c.accepted) expect([d.points, d.discount]).to.deep.equal([0, '0']);
    });
  }

  it('suggests the most points the order can take', () => {
    // available 2425; 0.5 x 2000000 / 100 = 10000 -> 2425. On a 300000 order: 150000 / 100 = 1500.
    expect(evaluateRedemption(toko, { points: 100, orderTotal: '2000000', available: 2425, balance: 2425 }, { at }).maxPoints).to.equal(2425);
    expect(evaluateRedemption(toko, { points: 100, orderTotal: '300000', available: 2425, balance: 2425 }, { at }).maxPoints).to.equal(1500);
    // 0.5 x 150000 / 100 = 750; 0.5 x 10000 / 100 = 50 < minimum 100 -> nothing.
    expect(evaluateRedemption(toko, { points: 100, orderTotal: '10000', available: 2425, balance: 2425 }, { at }).maxPoints).to.equal(0);
  });

  it('has no share limit when the program sets none, and refuses when the program has no redemption', () => {
    const noShare = tokoVariant((p) => {
      if (p.points.redemption) delete p.points.redemption.maxShareOfOrder;
    });
    expect(evaluateRedemption(noShare, { points: 1000, orderTotal: '1000', available: 1000, balance: 1000 }, { at })).to.include({ accepted: true, discount: '100000' });
    const none = tokoVariant((p) => {
      delete p.points.redemption;
    });
    expect(evaluateRedemption(none, { points: 1000, orderTotal: '1000', available: 1000, balance: 1000 }, { at }).reasons.map((r) => r.code)).to.deep.equal(['redemption-disabled']);
  });

  it('uses exact decimals for fractional point values', () => {
    const cents = tokoVariant((p) => {
      p.points.redemption = { pointValue: '0.01', minPoints: 1, maxShareOfOrder: '1' };
    });
    // 3 x 0.01 = 0.03 exactly (never 0.030000000000000002).
    expect(evaluateRedemption(cents, { points: 3, orderTotal: '0.03', available: 3, balance: 3 }, { at }).discount).to.equal('0.03');
  });

  it('refuses malformed input with a pointer', () => {
    const pointerOf = (input: RedemptionInput): string | undefined => {
      try {
        evaluateRedemption(toko, input, { at });
      } catch (e) {
        if (e instanceof InputError) return e.errors[0]?.pointer;
        throw e;
      }
      return undefined;
    };
    expect(pointerOf({ points: 1.5, orderTotal: '100', available: 10, balance: 10 })).to.equal('/points');
    expect(pointerOf({ points: 100, orderTotal: '1e6', available: 10, balance: 10 })).to.equal('/orderTotal');
    expect(pointerOf({ points: 100, orderTotal: '-5', available: 10, balance: 10 })).to.equal('/orderTotal');
    expect(pointerOf({ points: 100, orderTotal: '100', available: Number.NaN, balance: 10 })).to.equal('/available');
  });
});

describe('evaluateRedemption: properties', () => {
  const input = fc.record({
    points: fc.integer({ min: -100, max: 100_000 }),
    orderTotal: fc.bigInt({ min: 0n, max: 100_000_000n }).map(String),
    available: fc.integer({ min: 0, max: 100_000 }),
    balance: fc.integer({ min: -5_000, max: 200_000 }),
  });

  it('never exceeds the available points, the balance or the share of the order, never redeems from a negative balance', () => {
    fc.assert(
      fc.property(input, (i) => {
        const d = evaluateRedemption(toko, i, { at });
        if (!d.accepted) {
          expect(d.reasons).not.to.be.empty;
          return;
        }
        expect(d.points).to.equal(i.points);
        expect(d.points).to.be.at.most(i.available);
        expect(d.points).to.be.at.most(i.balance);
        expect(d.points).to.be.at.least(100);
        expect(i.balance).to.be.at.least(0);
        expect(new Decimal(d.discount).lessThanOrEqualTo(new Decimal(i.orderTotal).times('0.5'))).to.equal(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the suggested maximum is itself accepted, and one more point is not', () => {
    fc.assert(
      fc.property(input, (i) => {
        const { maxPoints } = evaluateRedemption(toko, i, { at });
        if (maxPoints === 0) return;
        expect(evaluateRedemption(toko, { ...i, points: maxPoints }, { at }).accepted).to.equal(true);
        expect(evaluateRedemption(toko, { ...i, points: maxPoints + 1 }, { at }).accepted).to.equal(false);
      }),
      { numRuns: 300 },
    );
  });
});
