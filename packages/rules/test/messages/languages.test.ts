/** negotiateLanguage: which of en, id, fil an Accept-Language header (or a browser's languages) asks for. */
import { expect } from 'chai';
import { isLanguage, negotiateLanguage } from '../../src/messages/languages.js';
import { formatNumber, joinWords } from '../../src/messages/locale-format.js';

describe('messages: negotiateLanguage', () => {
  const cases: ReadonlyArray<readonly [string | readonly string[] | undefined, string, string]> = [
    [undefined, 'en', 'no header: English'],
    ['', 'en', 'an empty header: English'],
    ['id', 'id', 'a bare language'],
    ['id-ID', 'id', 'a region of a language we speak'],
    ['in', 'id', 'the old code of Indonesian'],
    ['fil-PH', 'fil', 'Filipino in the Philippines'],
    ['tl', 'fil', 'Tagalog, the base of Filipino'],
    ['TL-ph', 'fil', 'tags are case-insensitive'],
    ['fr', 'en', 'a language we do not speak'],
    ['fr-FR, id;q=0.5', 'id', 'the best language we speak, even with a lower q'],
    ['en;q=0.4, fil;q=0.9, id;q=0.8', 'fil', 'the highest q wins, whatever the order'],
    ['id, fil', 'id', 'a tie goes to the first'],
    ['id;q=0, fil;q=0.1', 'fil', 'q=0 refuses a language'],
    ['*', 'en', 'anything: English'],
    ['id;q=abc, fil', 'fil', 'a malformed q skips its tag'],
    ['id;q=2', 'en', 'a q above 1 is not a q'],
    [['fr', 'fil-PH;q=0.7'], 'fil', 'several header lines read as one list'],
  ];
  for (const [header, expected, why] of cases) {
    it(`${JSON.stringify(header)} -> ${expected} (${why})`, () => {
      expect(negotiateLanguage(header)).to.equal(expected);
    });
  }

  it('knows its languages', () => {
    expect(['en', 'id', 'fil', 'tl', 'EN', 1].map(isLanguage)).to.deep.equal([true, true, true, false, false, false]);
  });

  it('groups numbers per language and leaves what is not a number alone', () => {
    expect(['1234567.5', '-1500', '12', 'abc'].map((v) => formatNumber(v, 'id'))).to.deep.equal(['1.234.567,5', '-1.500', '12', 'abc']);
    expect(['1234567.5', '-1500'].map((v) => formatNumber(v, 'fil'))).to.deep.equal(['1,234,567.5', '-1,500']);
    expect([joinWords(['a'], 'dan'), joinWords(['a', 'b'], 'at'), joinWords(['a', 'b', 'c'], 'dan')]).to.deep.equal(['a', 'a at b', 'a, b dan c']);
  });
});
