import { expect } from 'chai';
import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { ZoneClock } from '../src/engine/zone-clock.js';
import { CustomerCap, periodKey } from '../src/engine/period-key.js';
import { formatUtc, instantTextMillis, utcTextMillis } from '../src/time.js';

// Zones with and without daylight saving time, and a half-hour one.
const ZONES = ['Asia/Jakarta', 'America/New_York', 'Europe/London', 'Australia/Adelaide', 'UTC'];
const instant = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2060, 0, 1) });

describe('ZoneClock agrees with luxon', () => {
  it('offsets around every transition of a daylight-saving zone, hour by hour (days with a transition are not cached whole)', () => {
    const clock = new ZoneClock('America/New_York');
    const zone = IANAZone.create('America/New_York');
    // Both 2026 transitions (8 March, 1 November), every 30 minutes over the days around them, asked twice.
    for (const day of [Date.UTC(2026, 2, 7), Date.UTC(2026, 9, 31)]) {
      for (let ms = day; ms < day + (3 * 86_400_000); ms += 1_800_000) {
        expect(clock.offsetMinutes(ms), new Date(ms).toISOString()).to.equal(zone.offset(ms));
        expect(clock.offsetMinutes(ms + 1)).to.equal(zone.offset(ms + 1));
      }
    }
  });

  it('reads the stored UTC form without luxon, and nothing else', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        expect(utcTextMillis(formatUtc(ms))).to.equal(ms);
        expect(new ZoneClock('Asia/Jakarta').millis(formatUtc(ms), '/at')).to.equal(ms);
      }),
      { numRuns: 300 },
    );
    // Not the stored form (another offset, no milliseconds) or not a real instant: left to the full parse.
    for (const text of ['2026-02-01T10:00:00.000+07:00', '2026-02-01T03:00:00Z', '2026-02-30T00:00:00.000Z', '2026-13-01T00:00:00.000Z']) expect(utcTextMillis(text), text).to.equal(undefined);
    expect(() => new ZoneClock('UTC').millis('2026-02-30T00:00:00.000Z', '/at')).to.throw(/not a real instant/);
  });

  it('reads what a zone clock writes (milliseconds and an offset) without luxon, exactly as luxon reads it', () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (ms, zone) => {
        const text = new ZoneClock(zone).format(ms);
        expect(instantTextMillis(text), text).to.equal(ms);
        expect(instantTextMillis(text)).to.equal(DateTime.fromISO(text).toMillis());
        expect(instantTextMillis(formatUtc(ms))).to.equal(ms);
      }),
      { numRuns: 300 },
    );
    // Fields out of range (which Date.UTC would roll over), an offset of a day: left to the full parse.
    for (const text of ['2026-02-30T00:00:00.000+07:00', '2026-02-01T24:00:00.000+07:00', '2026-02-01T10:60:00.000-05:00', '2026-02-01T10:00:00.000+25:00', '0999-02-01T10:00:00Z']) {
      expect(instantTextMillis(text), text).to.equal(undefined);
    }
    // Without milliseconds or seconds, an offset without its colon, a long fraction: read, as luxon reads them.
    const read: Array<[string, number]> = [
      ['2026-02-01T10:00:00+07:00', Date.UTC(2026, 1, 1, 3)],
      ['2026-02-01T10:00+07:00', Date.UTC(2026, 1, 1, 3)],
      ['2026-02-01T10:00:00.000+0700', Date.UTC(2026, 1, 1, 3)],
      ['2026-02-01T03:00:00.123456789Z', Date.UTC(2026, 1, 1, 3, 0, 0, 123)],
      ['2026-02-01T03:00:00.57Z', Date.UTC(2026, 1, 1, 3, 0, 0, 570)],
      ['2026-02-01T03:00:00-05:45', Date.UTC(2026, 1, 1, 8, 45)],
    ];
    for (const [text, ms] of read) {
      expect(instantTextMillis(text), text).to.equal(ms);
      expect(DateTime.fromISO(text).toMillis(), text).to.equal(ms);
    }
    expect(() => new ZoneClock('Asia/Jakarta').millis('2026-02-30T00:00:00.000+07:00', '/at')).to.throw(/not a real instant/);
    expect(new ZoneClock('UTC').millis('2026-02-01T10:00:00+07:00', '/at')).to.equal(Date.UTC(2026, 1, 1, 3));
  });

  it('reads any ISO instant with an offset exactly as luxon does, or leaves it to luxon', () => {
    const two = (max: number): fc.Arbitrary<string> => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .record({
        year: fc.integer({ min: 900, max: 2999 }).map((n) => String(n).padStart(4, '0')),
        month: two(13),
        day: two(32),
        hour: two(25),
        minute: two(61),
        second: fc.option(two(61)),
        fraction: fc.option(fc.stringMatching(/^\d{1,9}$/)),
        offset: fc.oneof(fc.constant('Z'), fc.tuple(fc.constantFrom('+', '-'), two(25), two(61), fc.boolean()).map(([sign, h, m, colon]) => `${sign}${h}${colon ? ':' : ''}${m}`)),
      })
      .map((p) => `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}${p.second === null ? '' : `:${p.second}${p.fraction === null ? '' : `.${p.fraction}`}`}${p.offset}`);
    let read = 0;
    fc.assert(
      fc.property(text, (value) => {
        const ms = instantTextMillis(value);
        const parsed = DateTime.fromISO(value, { zone: 'UTC' });
        if (ms === undefined) return;
        read += 1;
        expect(parsed.isValid, value).to.equal(true);
        expect(ms, value).to.equal(parsed.toMillis());
      }),
      { numRuns: 3000 },
    );
    // Not vacuous: a good share of the texts are real instants read without luxon.
    expect(read).to.be.greaterThan(300);
  });

  for (const zone of ZONES) {
    const clock = new ZoneClock(zone);
    it(`local fields, formatting, month and day shifts in ${zone}`, () => {
      fc.assert(
        fc.property(instant, fc.integer({ min: -30, max: 30 }), fc.integer({ min: -400, max: 400 }), (ms, months, days) => {
          const dt = DateTime.fromMillis(ms, { zone: IANAZone.create(zone) });
          const local = clock.local(ms);
          expect([local.year, local.month, local.day, local.hour, local.dayOfWeek]).to.deep.equal([dt.year, dt.month, dt.day, dt.hour, dt.weekday]);
          expect(clock.format(ms)).to.equal(dt.toISO());
          expect(clock.plusMonths(ms, months)).to.equal(dt.plus({ months }).toMillis());
          expect(clock.plusDays(ms, days)).to.equal(dt.plus({ days }).toMillis());
        }),
        { numRuns: 300 },
      );
    });
  }

  it('keys calendar periods in the zone', () => {
    const clock = new ZoneClock('Asia/Jakarta');
    // 2026-02-28T20:00Z is already 1 March 03:00 in Jakarta (UTC+7): a new calendar month there.
    const ms = Date.UTC(2026, 1, 28, 20, 0);
    expect(periodKey({ months: 1 }, clock.local(ms))).to.equal('2026-03');
    expect(periodKey({ days: 1 }, clock.local(ms))).to.equal('2026-03-01');
    expect(periodKey({ years: 1 }, clock.local(ms))).to.equal('2026');
    expect(periodKey({ months: 3 }, clock.local(ms))).to.equal(`m3:${Math.floor(((2026 * 12) + 2) / 3)}`);
    expect(periodKey(undefined, clock.local(ms))).to.equal('ever');
    // Weeks start on Monday: Sunday 1 March 2026 and Monday 2 March 2026 fall in different weeks.
    const sunday = clock.local(Date.UTC(2026, 2, 1, 5));
    const monday = clock.local(Date.UTC(2026, 2, 2, 5));
    expect(periodKey({ weeks: 1 }, sunday)).to.not.equal(periodKey({ weeks: 1 }, monday));
  });

  it('a cap’s kept counter keys are the period keys of each day, in any order of days and past the 1,024 days kept', () => {
    const clock = new ZoneClock('America/New_York');
    const periods = [{ months: 1 }, { days: 1 }, { weeks: 2 }, { years: 1 }, undefined];
    const caps = periods.map((period, i) => new CustomerCap(`r${i}`, 3, period));
    fc.assert(
      // 1,500 to 2,500 draws of 3,000 days: well over the 1,024 days kept, so the memo starts again mid-run.
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 0, max: 23 })), { minLength: 1500, maxLength: 2500 }), (draws) => {
        for (const [day, hour] of draws) {
          const local = clock.local(Date.UTC(2024, 0, 1) + (((day * 24) + hour) * 3_600_000));
          caps.forEach((cap, i) => expect(cap.usageKey(local)).to.equal(`earn:r${i}:${periodKey(periods[i], local)}`));
        }
      }),
      { numRuns: 20 },
    );
  });
});
