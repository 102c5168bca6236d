/**
 * The points summary against `viewPoints`: for random states (ties, pending and expired lots, debt), every instant
 * the summary covers reads exactly what the lots read, and the summary covers what it says it covers.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { EXPIRING_LIMIT, settle, viewPoints, type Lot, type PointsState } from '@purna/rules';
import { SUMMARY_STEPS, summarizePoints, summaryCovers, viewFromSummary } from '../src/account/points-summary.js';

/** Instants one day apart from 1 March 2026 (few of them, so that lots share boundaries). */
const day = (n: number): string => new Date(Date.UTC(2026, 2, 1 + n)).toISOString();

const lotArbitrary = fc.record({
  available: fc.integer({ min: 0, max: 40 }),
  life: fc.integer({ min: 1, max: 40 }),
  amount: fc.integer({ min: 1, max: 1_000 }),
  used: fc.integer({ min: 0, max: 999 }),
});

/** A consistent state: lots as writes leave them, settled at the clock (so past-due lots have repaid the debt). */
const stateArbitrary = fc
  .record({
    lots: fc.array(lotArbitrary, { maxLength: 40 }),
    clock: fc.integer({ min: 0, max: 50 }),
    debt: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3_000 }) }),
    redeemed: fc.integer({ min: 0, max: 5_000 }),
    expiredRecorded: fc.integer({ min: 0, max: 5_000 }),
  })
  .map(({ lots, clock, debt, redeemed, expiredRecorded }): PointsState => {
    const built: Lot[] = lots.map((l, i) => ({
      id: `op-${String(i).padStart(2, '0')}#0`,
      source: 'order',
      amount: l.amount,
      remaining: Math.max(1, l.amount - l.used),
      availableAt: day(l.available),
      expiresAt: day(l.available + l.life),
      settled: false,
    }));
    return settle({ lots: built, debt, redeemed, expiredRecorded, clock: '' }, day(clock));
  });

describe('points summary', () => {
  it('reads exactly what viewPoints reads at every instant it covers, and covers from the clock to its end', () => {
    fc.assert(
      fc.property(stateArbitrary, fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 12 }), (state, offsets) => {
        const summary = summarizePoints(state);
        expect(summary.from).to.equal(state.clock);
        expect(summary.steps.length).to.be.at.most(SUMMARY_STEPS + 1);
        // Every boundary of every lot, a millisecond either side, and random instants after the clock.
        const instants = new Set<string>([state.clock]);
        for (const lot of state.lots) {
          for (const edge of [lot.availableAt, lot.expiresAt]) {
            const ms = Date.parse(edge);
            for (const t of [ms - 1, ms, ms + 1]) instants.add(new Date(t).toISOString());
          }
        }
        for (const offset of offsets) instants.add(new Date(Date.parse(state.clock) + (offset * 3_600_000 * 11)).toISOString());
        let covered = 0;
        for (const at of instants) {
          const fromSummary = viewFromSummary(summary, at);
          if (at < state.clock) {
            expect(fromSummary, `before the clock: ${at}`).to.equal(undefined);
            continue;
          }
          if (!summaryCovers(summary, at)) {
            expect(summary.until).to.not.equal('');
            expect(at >= summary.until).to.equal(true);
            expect(fromSummary).to.equal(undefined);
            continue;
          }
          covered += 1;
          expect(fromSummary, `at ${at}`).to.deep.equal(viewPoints(state, at));
        }
        expect(covered).to.be.greaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('covers every later instant when few enough changes lie ahead and nothing is owed', () => {
    fc.assert(
      fc.property(stateArbitrary, (state) => {
        const summary = summarizePoints(state);
        const changes = new Set(state.lots.flatMap((lot) => [lot.availableAt, lot.expiresAt]).filter((t) => t > state.clock));
        if (state.debt === 0 && changes.size <= SUMMARY_STEPS) expect(summary.until).to.equal('');
        if (state.debt === 0 && changes.size > SUMMARY_STEPS) expect(summary.steps).to.have.length(SUMMARY_STEPS + 1);
        // While points are owed, a lot becoming available repays them: the summary stops at the first change.
        if (state.debt > 0) expect(summary.steps).to.have.length(1);
      }),
      { numRuns: 300 },
    );
  });

  it('lists at most the ten soonest-expiring lots, like every balance read', () => {
    const lots: Lot[] = Array.from({ length: 25 }, (_, i) => ({
      id: `op-${String(i).padStart(2, '0')}#0`,
      source: 'order',
      amount: 10 + i,
      remaining: 10 + i,
      availableAt: day(0),
      expiresAt: day(100 + i),
      settled: true,
    }));
    const state: PointsState = { lots, debt: 0, redeemed: 0, expiredRecorded: 0, clock: day(1) };
    const view = viewFromSummary(summarizePoints(state), day(2));
    expect(view?.expiring).to.have.length(EXPIRING_LIMIT);
    expect(view?.expiring[0]).to.deep.equal({ points: 10, at: day(100) });
    expect(view?.available).to.equal(lots.reduce((sum, lot) => sum + lot.remaining, 0));
    // On day 105 the six lots due by then have expired (day 100 to 105) and the next ten are listed.
    expect(viewFromSummary(summarizePoints(state), day(105))?.expiring.map((e) => e.points)).to.deep.equal([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);

    // Twelve lots that expire together: one change ahead, and still the ten first by id are listed until then.
    const together: PointsState = { ...state, lots: lots.slice(0, 12).map((lot) => ({ ...lot, expiresAt: day(100) })) };
    const summary = summarizePoints(together);
    expect(summary.steps.map((step) => step.at)).to.deep.equal([day(1), day(100)]);
    expect(viewFromSummary(summary, day(99))?.expiring).to.deep.equal(viewPoints(together, day(99)).expiring);
    expect(viewFromSummary(summary, day(99))?.expiring).to.have.length(EXPIRING_LIMIT);
  });
});
