/** `utcInstant`: every instant the ledger stores or compares, in one UTC form; the stored form passes as it is. */
import { expect } from 'chai';
import { InputError, utcInstant } from '../src/index.js';

describe('utcInstant', () => {
  const cases: Array<{ text: string; utc: string; why: string }> = [
    { text: '2026-02-01T10:00:00+07:00', utc: '2026-02-01T03:00:00.000Z', why: 'an offset is normalised to UTC' },
    { text: '2026-02-01T03:00:00Z', utc: '2026-02-01T03:00:00.000Z', why: 'UTC without milliseconds gains them' },
    { text: '2026-02-01T03:00:00.000Z', utc: '2026-02-01T03:00:00.000Z', why: 'the stored form is its own normal form' },
    { text: '2024-02-29T23:59:59.999Z', utc: '2024-02-29T23:59:59.999Z', why: 'a leap day in the stored form' },
  ];
  for (const { text, utc, why } of cases) {
    it(`${text} → ${utc} (${why})`, () => {
      expect(utcInstant(text, '/at')).to.equal(utc);
    });
  }

  it('refuses a text in the stored shape that is no instant, naming the field', () => {
    for (const text of ['2026-02-30T03:00:00.000Z', '2026-13-01T03:00:00.000Z']) {
      expect(() => utcInstant(text, '/at'), text).to.throw(InputError).with.property('errors').that.satisfies((errors: Array<{ pointer: string }>) => errors.some((e) => e.pointer === '/at'));
    }
  });
});
