import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { evaluateBirthday } from '../../src/index.js';
import type { CustomerInput } from '../../src/input/customer-input.js';
import type { CompiledProgram } from '../../src/engine/compiled-program.js';
import type { Program } from '../../src/program/program-schema.js';
import { inputProblems } from '../warranty/input-problems.js';
import { tokoCompiled, tokoVariant } from '../warranty/toko-program.js';

const toko = tokoCompiled();

function withBirthday(birthday: NonNullable<Program['birthday']>): CompiledProgram {
  return tokoVariant((p) => (p.birthday = birthday));
}

const ayu: CustomerInput = { id: 'ayu', enrolledAt: '2026-01-05T09:00:00+07:00', birthDate: '1990-03-14', timezone: 'Asia/Jakarta' };

function codes(d: { reasons: readonly { code: string }[] }): string[] {
  return d.reasons.map((r) => r.code);
}

describe('evaluateBirthday: the toko-basic scenario steps', () => {
  it('grants gold Ayu 1000 on 2026-03-01 00:05 in Jakarta (March birthday, member for 55 calendar days)', () => {
    // Program: window "month", minMembershipDays 30, award 300, byTier gold 1000.
    // 2026-01-05 -> 2026-03-01 is 26 + 28 + 1 = 55 calendar days >= 30.
    const d = evaluateBirthday(toko, ayu, { at: '2026-03-01T00:05:00+07:00', tier: 'gold', alreadyGranted: [] });
    expect(d).to.include({ due: true, points: 1000, year: 2026, key: 'birthday:2026', occasion: '2026-03-14', tier: 'gold' });
    expect(d.window).to.deep.equal({ start: '2026-03-01T00:00:00.000+07:00', end: '2026-04-01T00:00:00.000+07:00' });
    expect(d.reasons).to.deep.equal([]);
  });

  it('does not grant again on 2026-03-02 once 2026 is granted', () => {
    const d = evaluateBirthday(toko, ayu, { at: '2026-03-02T00:05:00+07:00', tier: 'gold', alreadyGranted: [2026] });
    expect(d.due).to.equal(false);
    expect(d.points).to.equal(0);
    expect(d.year).to.equal(2026);
    expect(codes(d)).to.deep.equal(['already-granted']);
  });

  it('gives 29 February to 28 February in 2027 (toko-returns-debt-referral: bronze Citra, 300 points)', () => {
    const citra: CustomerInput = { id: 'citra', enrolledAt: '2026-04-01T09:00:00+07:00', birthDate: '1992-02-29', timezone: 'Asia/Jakarta' };
    const d = evaluateBirthday(toko, citra, { at: '2027-02-01T00:05:00+07:00', tier: 'bronze', alreadyGranted: [] });
    expect(d).to.include({ due: true, points: 300, year: 2027, occasion: '2027-02-28' });
  });
});

describe('evaluateBirthday: table', () => {
  const month = toko;
  const day = withBirthday({ award: { points: 300, byTier: { gold: 1000 } }, window: 'day', leapDay: 'mar1' });
  const week = withBirthday({ award: { points: 300 }, window: 'week', leapDay: 'feb28', minMembershipDays: 0 });
  const cases: Array<{ name: string; compiled: CompiledProgram; customer: CustomerInput; at: string; tier?: string; granted?: number[]; due: boolean; year?: number; points?: number; reasons?: string[] }> = [
    { name: 'the last minute of March is still in the month', compiled: month, customer: ayu, at: '2026-03-31T23:59:00+07:00', due: true, year: 2026, points: 300 },
    { name: 'April is outside the month window', compiled: month, customer: ayu, at: '2026-04-01T00:00:00+07:00', due: false, reasons: ['outside-window'] },
    {
      name: 'the month is the customer\u2019s: 1 March 00:05 in Jakarta is still February in Berlin',
      compiled: month,
      customer: { ...ayu, timezone: 'Europe/Berlin' },
      at: '2026-03-01T00:05:00+07:00',
      due: false,
      reasons: ['outside-window'],
    },
    { name: 'without a zone the program\u2019s (Asia/Jakarta) is used', compiled: month, customer: { id: 'x', enrolledAt: '2025-01-01T00:00:00+07:00', birthDate: '1990-03-14' }, at: '2026-02-28T17:05:00Z', due: true, year: 2026 },
    { name: 'too new a member (29 calendar days)', compiled: month, customer: { ...ayu, enrolledAt: '2026-03-01T09:00:00+07:00' }, at: '2026-03-30T08:00:00+07:00', due: false, year: 2026, reasons: ['membership-too-short'] },
    { name: 'exactly 30 calendar days later is enough', compiled: month, customer: { ...ayu, enrolledAt: '2026-03-01T09:00:00+07:00' }, at: '2026-03-31T08:00:00+07:00', due: true, year: 2026 },
    { name: 'no birth date', compiled: month, customer: { id: 'dewi', enrolledAt: '2025-01-01T00:00:00+07:00' }, at: '2026-03-10T00:00:00+07:00', due: false, reasons: ['no-date'] },
    { name: 'every reason at once: too new and already granted', compiled: month, customer: { ...ayu, enrolledAt: '2026-03-10T00:00:00+07:00' }, at: '2026-03-12T00:00:00+07:00', granted: [2026], due: false, reasons: ['membership-too-short', 'already-granted'] },
    { name: 'before enrolment', compiled: week, customer: { ...ayu, enrolledAt: '2026-03-20T00:00:00+07:00' }, at: '2026-03-14T00:00:00+07:00', due: false, reasons: ['not-yet-member'] },
    // Day window, leapDay mar1: 29 February falls on 1 March in 2027 (not a leap year), on 29 February in 2028.
    { name: 'mar1: 1 March 2027', compiled: day, customer: { ...ayu, birthDate: '2000-02-29' }, at: '2027-03-01T12:00:00+07:00', tier: 'gold', due: true, year: 2027, points: 1000 },
    { name: 'mar1: not 28 February 2027', compiled: day, customer: { ...ayu, birthDate: '2000-02-29' }, at: '2027-02-28T12:00:00+07:00', due: false, reasons: ['outside-window'] },
    { name: 'mar1: 29 February 2028 itself in a leap year', compiled: day, customer: { ...ayu, birthDate: '2000-02-29' }, at: '2028-02-29T12:00:00+07:00', due: true, year: 2028 },
    // Week window: ISO week, Monday to Sunday. 2026-12-31 is a Thursday: its week runs 2026-12-28 to 2027-01-03.
    { name: 'week straddling New Year is granted for the birthday\u2019s year', compiled: week, customer: { ...ayu, birthDate: '1990-12-31' }, at: '2027-01-03T20:00:00+07:00', due: true, year: 2026 },
    { name: 'the Monday after is outside', compiled: week, customer: { ...ayu, birthDate: '1990-12-31' }, at: '2027-01-04T00:00:00+07:00', due: false, reasons: ['outside-window'] },
    { name: 'the Monday of the week is inside', compiled: week, customer: { ...ayu, birthDate: '1990-12-31' }, at: '2026-12-28T00:00:00+07:00', due: true, year: 2026 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateBirthday(c.compiled, c.customer, { at: c.at, tier: c.tier, alreadyGranted: c.granted ?? [] });
      expect(d.due).to.equal(c.due);
      if (c.year !== undefined) expect(d.year).to.equal(c.year);
      if (c.points !== undefined) expect(d.points).to.equal(c.points);
      if (c.reasons !== undefined) expect(codes(d)).to.deep.equal(c.reasons);
    });
  }
});

describe('evaluateBirthday: daylight-saving changes', () => {
  const day = withBirthday({ award: { points: 300 }, window: 'day' });
  const week = withBirthday({ award: { points: 300 }, window: 'week' });
  const old = '2020-01-01T00:00:00Z';
  const cases: Array<{ name: string; compiled: CompiledProgram; zone: string; birthDate: string; at: string; due: boolean }> = [
    // New York springs forward on 2026-03-08 at 02:00 (a 23-hour day): the day runs 00:00-05:00 to 00:00-04:00.
    { name: 'New York, spring-forward birthday, just after midnight EST', compiled: day, zone: 'America/New_York', birthDate: '1990-03-08', at: '2026-03-08T00:01:00-05:00', due: true },
    { name: 'New York, spring-forward birthday, last minute EDT', compiled: day, zone: 'America/New_York', birthDate: '1990-03-08', at: '2026-03-08T23:59:00-04:00', due: true },
    { name: 'New York, the next midnight EDT is the next day', compiled: day, zone: 'America/New_York', birthDate: '1990-03-08', at: '2026-03-09T00:00:00-04:00', due: false },
    { name: 'New York, the eve in UTC is already the day locally', compiled: day, zone: 'America/New_York', birthDate: '1990-03-08', at: '2026-03-08T05:00:00Z', due: true },
    { name: 'New York, 04:59Z is still 7 March locally', compiled: day, zone: 'America/New_York', birthDate: '1990-03-08', at: '2026-03-08T04:59:00Z', due: false },
    // New York falls back on 2026-11-01 (a 25-hour day): 00:00-04:00 to 00:00-05:00.
    { name: 'New York, fall-back birthday, 23:30 EST (hour 25)', compiled: day, zone: 'America/New_York', birthDate: '1990-11-01', at: '2026-11-01T23:30:00-05:00', due: true },
    // Berlin falls back on 2026-10-25 (25 hours): 00:00+02:00 to 00:00+01:00.
    { name: 'Berlin, fall-back birthday, 23:30 CET', compiled: day, zone: 'Europe/Berlin', birthDate: '1985-10-25', at: '2026-10-25T23:30:00+01:00', due: true },
    { name: 'Berlin, fall-back birthday, next midnight CET', compiled: day, zone: 'Europe/Berlin', birthDate: '1985-10-25', at: '2026-10-26T00:00:00+01:00', due: false },
    { name: 'Berlin, fall-back birthday, 22:30Z the evening before is 00:30 CEST', compiled: day, zone: 'Europe/Berlin', birthDate: '1985-10-25', at: '2026-10-24T22:30:00Z', due: true },
    // Berlin springs forward on 2026-03-29 (a Sunday): its ISO week is 23-29 March, ending 2026-03-30T00:00+02:00.
    { name: 'Berlin, week ending on the spring-forward Sunday, last minute', compiled: week, zone: 'Europe/Berlin', birthDate: '1985-03-29', at: '2026-03-29T23:59:00+02:00', due: true },
    { name: 'Berlin, week ending on the spring-forward Sunday, the Monday after', compiled: week, zone: 'Europe/Berlin', birthDate: '1985-03-29', at: '2026-03-30T00:00:00+02:00', due: false },
    { name: 'Berlin, the Monday of that week at 00:00 CET', compiled: week, zone: 'Europe/Berlin', birthDate: '1985-03-29', at: '2026-03-23T00:00:00+01:00', due: true },
    // Jakarta has no DST: 14 March runs 2026-03-13T17:00Z to 2026-03-14T17:00Z.
    { name: 'Jakarta, 16:59Z on the 14th is still the birthday', compiled: day, zone: 'Asia/Jakarta', birthDate: '1990-03-14', at: '2026-03-14T16:59:00Z', due: true },
    { name: 'Jakarta, 17:00Z on the 14th is the 15th', compiled: day, zone: 'Asia/Jakarta', birthDate: '1990-03-14', at: '2026-03-14T17:00:00Z', due: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateBirthday(c.compiled, { id: 'c', enrolledAt: old, birthDate: c.birthDate, timezone: c.zone }, { at: c.at });
      expect(d.due).to.equal(c.due);
    });
  }
});

describe('evaluateBirthday: bad input', () => {
  it('says what was wrong and where', () => {
    expect(inputProblems(() => evaluateBirthday(toko, { ...ayu, birthDate: '1990-02-30' }, { at: '2026-03-01T00:00:00+07:00' }))).to.deep.equal([{ pointer: '/customer/birthDate', code: 'invalid-date' }]);
    expect(inputProblems(() => evaluateBirthday(toko, { ...ayu, timezone: 'Mars/Olympus' }, { at: '2026-03-01T00:00:00+07:00' }))).to.deep.equal([{ pointer: '/customer/timezone', code: 'invalid-zone' }]);
    expect(inputProblems(() => evaluateBirthday(toko, ayu, { at: '2026-03-01' }))).to.deep.equal([{ pointer: '/at', code: 'invalid-instant' }]);
    expect(inputProblems(() => evaluateBirthday(toko, ayu, { at: '2026-03-01T00:00:00+07:00', tier: 'platinum' }))).to.deep.equal([{ pointer: '/tier', code: 'unknown-tier' }]);
  });
});

describe('evaluateBirthday: properties', () => {
  const zones = fc.constantFrom('Asia/Jakarta', 'America/New_York', 'Europe/Berlin', 'Pacific/Auckland', 'UTC');
  const birthDate = fc.oneof(
    fc.date({ min: new Date('1950-01-01T00:00:00Z'), max: new Date('2005-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    fc.constantFrom('2000-02-29', '1990-12-31', '1991-01-01'),
  );
  const settings = fc.record({
    window: fc.constantFrom('day' as const, 'week' as const, 'month' as const),
    leapDay: fc.constantFrom('feb28' as const, 'mar1' as const),
    minMembershipDays: fc.integer({ min: 0, max: 400 }),
  });
  const base = DateTime.fromISO('2026-01-01T00:00:00Z', { zone: 'UTC' });

  it('grants a birthday at most once per year, whatever the zone, date and number of sweeps', () => {
    fc.assert(
      fc.property(zones, birthDate, settings, fc.array(fc.integer({ min: 0, max: 3 * 365 * 24 * 60 }), { minLength: 1, maxLength: 80 }), (zone, date, s, minutes) => {
        const compiled = withBirthday({ award: { points: 300 }, ...s });
        const customer = { id: 'p', enrolledAt: '2026-01-01T00:00:00Z', birthDate: date, timezone: zone };
        const granted: number[] = [];
        for (const m of [...minutes].sort((a, b) => a - b)) {
          const d = evaluateBirthday(compiled, customer, { at: base.plus({ minutes: m }), alreadyGranted: granted });
          if (d.due && d.year !== undefined) {
            expect(granted).not.to.include(d.year);
            granted.push(d.year);
          }
        }
        expect(new Set(granted).size).to.equal(granted.length);
      }),
      { numRuns: 40 },
    );
  });

  it('a sweep every twelve hours through a year grants that year exactly once to a long-time member', () => {
    fc.assert(
      fc.property(zones, birthDate, settings, fc.integer({ min: 0, max: 719 }), (zone, date, s, offsetMinutes) => {
        const compiled = withBirthday({ award: { points: 300 }, ...s, minMembershipDays: Math.min(s.minMembershipDays, 300) });
        const customer = { id: 'p', enrolledAt: '2026-01-01T00:00:00Z', birthDate: date, timezone: zone };
        const granted: number[] = [];
        const start = DateTime.fromISO('2027-01-01T00:00:00', { zone }).plus({ minutes: offsetMinutes });
        const end = DateTime.fromISO('2028-01-01T00:00:00', { zone });
        // Every window lasts at least 23 hours (a spring-forward day), so a 12-hour grid always lands in it.
        for (let at = start; at < end; at = at.plus({ hours: 12 })) {
          const d = evaluateBirthday(compiled, customer, { at, alreadyGranted: granted });
          if (d.due && d.year !== undefined) granted.push(d.year);
        }
        expect(granted.filter((y) => y === 2027)).to.have.length(1);
      }),
      { numRuns: 5 },
    );
  });
});
