/**
 * nextYearlyRewardDue, the due index's next birthday or anniversary, is calendar arithmetic on the zone's cached
 * offsets; evaluateYearlyReward, the decision, is luxon. They must agree: for random occasions (29 February under
 * both rules, week windows across New Year, customers in their own zones, membership ages), the answer is due at the
 * instant found, and not due at any instant before it.
 */
import { expect } from 'chai';
import { seededRandom } from '../../../../scripts/generate-orders.js';
import { nextYearlyRewardDue } from '../../src/birthday/yearly-reward.js';
import { anniversaryRequest } from '../../src/birthday/evaluate-anniversary.js';
import { birthdayRequest } from '../../src/birthday/evaluate-birthday.js';
import { evaluateYearlyReward } from '../../src/birthday/yearly-reward.js';
import type { CustomerInput } from '../../src/input/customer-input.js';
import type { CompiledProgram } from '../../src/engine/compiled-program.js';
import { tokoVariant } from '../warranty/toko-program.js';

const windows = ['day', 'week', 'month'] as const;
const leapDays = ['feb28', 'mar1'] as const;
const zones = [undefined, 'Asia/Manila', 'America/New_York', 'Pacific/Kiritimati', 'Europe/London'];
const HOUR = 3_600_000;

function program(window: (typeof windows)[number], leapDay: (typeof leapDays)[number], minMembershipDays: number): CompiledProgram {
  return tokoVariant((p) => {
    p.birthday = { award: { points: 100, byTier: { gold: 0 } }, window, leapDay, minMembershipDays };
    p.anniversary = { award: { points: 200 }, window, leapDay, minMembershipDays };
  });
}

describe('nextYearlyRewardDue agrees with evaluateYearlyReward', () => {
  const pick = seededRandom(7);
  const compiledBy = new Map<string, CompiledProgram>();
  for (let n = 0; n < 120; n++) {
    const window = windows[Math.floor(pick() * windows.length)] as (typeof windows)[number];
    const leapDay = leapDays[Math.floor(pick() * leapDays.length)] as (typeof leapDays)[number];
    const minDays = pick() < 0.5 ? 0 : 1 + Math.floor(pick() * 90);
    const key = `${window}/${leapDay}/${minDays}`;
    const compiled = compiledBy.get(key) ?? program(window, leapDay, minDays);
    compiledBy.set(key, compiled);
    const timezone = zones[Math.floor(pick() * zones.length)];
    // Around New Year and 29 February more often than chance would.
    const month = pick() < 0.3 ? (pick() < 0.5 ? 12 : 1) : pick() < 0.2 ? 2 : 1 + Math.floor(pick() * 12);
    const day = month === 2 && pick() < 0.5 ? 29 : 1 + Math.floor(pick() * 28);
    const enrolledAt = new Date(Date.UTC(2025, Math.floor(pick() * 24), 1 + Math.floor(pick() * 28), Math.floor(pick() * 24))).toISOString();
    const customer: CustomerInput = { id: 'c', enrolledAt, birthDate: `1992-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`, ...(timezone ? { timezone } : {}) };
    const after = new Date(Date.UTC(2026, Math.floor(pick() * 30), 1 + Math.floor(pick() * 28), Math.floor(pick() * 24))).toISOString();
    const tier = pick() < 0.2 ? 'gold' : undefined;
    const granted = pick() < 0.3 ? [Number(after.slice(0, 4))] : [];
    const kind = pick() < 0.5 ? 'birthday' : 'anniversary';
    const firstPurchaseAt = new Date(Date.UTC(2024, 1, 29, 10)).toISOString();
    it(`${kind} of ${customer.birthDate} (${window}, ${leapDay}, ${minDays} days, ${timezone ?? 'program zone'}) after ${after}`, () => {
      const request = (at: string) => {
        const options = { at, alreadyGranted: granted, ...(tier ? { tier } : {}) };
        return kind === 'birthday' ? birthdayRequest(compiled, customer, options) : anniversaryRequest(compiled, customer, { ...options, firstPurchaseAt });
      };
      const due = nextYearlyRewardDue(compiled, request(after), after);
      if (tier === 'gold' && kind === 'birthday') {
        // Gold's birthday award is 0: never due.
        expect(due).to.equal(undefined);
        return;
      }
      expect(due, 'a grant always comes within three years').to.be.a('string');
      const dueMs = Date.parse(due as string);
      expect(evaluateYearlyReward(compiled, request(due as string)).due, `due at ${due}`).to.equal(true);
      // Not due at any instant before it: the hour before, and hours sampled back to `after`.
      const start = Date.parse(after);
      for (let t = dueMs - 1; t >= start; t -= Math.max(HOUR, Math.floor((dueMs - start) / 40))) {
        const at = new Date(t).toISOString();
        expect(evaluateYearlyReward(compiled, request(at)).due, `not due before ${due}: due at ${at}`).to.equal(false);
      }
    });
  }
});
