import { expect } from 'chai';
import fc from 'fast-check';
import { InputError } from '../../src/errors.js';
import { generateReferralCode, isGeneratedReferralCode, normalizeReferralCode, REFERRAL_CODE_ALPHABET, sameReferralCode } from '../../src/index.js';

describe('referral codes', () => {
  it('use 31 unambiguous symbols: no 0, O, 1, I or L', () => {
    expect(REFERRAL_CODE_ALPHABET).to.have.length(31);
    for (const c of '0O1IL') expect(REFERRAL_CODE_ALPHABET).not.to.include(c);
    expect(new Set(REFERRAL_CODE_ALPHABET).size).to.equal(31);
  });

  it('look like XXXX-XXXX-XXXX, are deterministic per seed and carry a valid check symbol', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ minLength: 1 }), fc.uint8Array({ minLength: 1, maxLength: 32 })), (seed) => {
        const code = generateReferralCode(seed);
        expect(code).to.match(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
        expect(generateReferralCode(seed)).to.equal(code);
        expect(isGeneratedReferralCode(code)).to.equal(true);
      }),
    );
  });

  it('differ for 20,000 sequential seeds (no clustering on similar inputs)', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) codes.add(generateReferralCode(`cust-${i}`));
    expect(codes.size).to.equal(20_000);
  });

  it('spread over the first symbol: each of the 28 random-part symbols appears for 20,000 seeds', () => {
    const first = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) first.add(generateReferralCode(`c${i}`)[0] ?? '');
    expect(first.size).to.equal(28);
  });

  it('spell no words: the eleven random symbols have no vowels', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (seed) => {
        expect(generateReferralCode(seed).replace(/-/g, '').slice(0, 11)).not.to.match(/[AEU]/);
      }),
    );
  });

  it('detect any single mistyped symbol and any swap of two different neighbours', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 11 }), fc.integer({ min: 1, max: 30 }), (seed, position, shift) => {
        const symbols = [...generateReferralCode(seed).replace(/-/g, '')];
        const typo = [...symbols];
        const value = REFERRAL_CODE_ALPHABET.indexOf(typo[position] ?? '');
        typo[position] = REFERRAL_CODE_ALPHABET[(value + shift) % 31] ?? '';
        expect(isGeneratedReferralCode(typo.join(''))).to.equal(false);
        if (position < 10 && symbols[position] !== symbols[position + 1]) {
          const swapped = [...symbols];
          [swapped[position], swapped[position + 1]] = [swapped[position + 1] ?? '', swapped[position] ?? ''];
          expect(isGeneratedReferralCode(swapped.join(''))).to.equal(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('normalize case, spaces and hyphens, and refuse what cannot be a code', () => {
    expect(normalizeReferralCode(' k7qm-4xhd 9trw ')).to.equal('K7QM4XHD9TRW');
    expect(normalizeReferralCode('AYU-2026')).to.equal('AYU2026');
    // Full-width letters typed on some phone keyboards fold to ASCII (NFKC).
    expect(normalizeReferralCode('ＡＹＵ－２０２６')).to.equal('AYU2026');
    expect(sameReferralCode('ayu 2026', 'AYU-2026')).to.equal(true);
    expect(sameReferralCode('!!', '!!')).to.equal(false);
    expect(() => normalizeReferralCode(' - ')).to.throw(InputError);
    expect(() => normalizeReferralCode('AYU#2026')).to.throw(InputError);
    expect(() => generateReferralCode('')).to.throw(InputError);
    expect(isGeneratedReferralCode('AYU-2026')).to.equal(false);
  });
});
