/**
 * The money folder (src/money/) as properties. Decimal strings survive a parse and a print; the grammar check and
 * the parser agree; every rounding of points (roundPoints on a Decimal, roundShare on a 10^-20 share, roundUnits on
 * safe integers) gives what a reference worked out here with BigInt arithmetic on the string's digits gives; and
 * the one-pass decimal reader reads what Decimal reads. The references below never call the code under test.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { InputError } from '../src/errors.js';
import { formatUnits, lastRead, readUnits, roundUnits } from '../src/money/decimal-units.js';
import { Decimal, decimalString, isDecimalString, MAX_DECIMAL_LENGTH, parseDecimal, roundPoints, type RoundingMode } from '../src/money/money.js';
import { roundShare, SCALE, SHARE_DECIMALS, shareToString } from '../src/money/shares.js';

const MODES: readonly RoundingMode[] = ['floor', 'ceil', 'half-up', 'half-even'];
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// ---- references: decimal strings and rounding in BigInt, written from the grammar and the modes' definitions ----

/** A decimal string of the grammar as `units` × 10^-`decimals`, read digit by digit with BigInt. */
function exactOf(text: string): { units: bigint; decimals: number } {
  const negative = text.startsWith('-');
  const [whole = '', fraction = ''] = (negative ? text.slice(1) : text).split('.');
  const units = BigInt(whole + fraction);
  return { units: negative ? -units : units, decimals: fraction.length };
}

/** Whether two `units × 10^-decimals` values are equal. */
function sameValue(a: { units: bigint; decimals: number }, b: { units: bigint; decimals: number }): boolean {
  const decimals = Math.max(a.decimals, b.decimals);
  return a.units * (10n ** BigInt(decimals - a.decimals)) === b.units * (10n ** BigInt(decimals - b.decimals));
}

/** `n ÷ d` (d > 0) rounded to an integer with `mode`; half-up rounds a tie away from zero, as decimal.js does. */
function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const q = n / d; // truncated towards zero
  const r = n % d; // has the sign of n
  if (r === 0n) return q;
  const away = n < 0n ? q - 1n : q + 1n;
  const twice = 2n * (r < 0n ? -r : r);
  switch (mode) {
    case 'floor':
      return n < 0n ? q - 1n : q;
    case 'ceil':
      return n > 0n ? q + 1n : q;
    case 'half-up':
      return twice >= d ? away : q;
    case 'half-even':
      return twice > d || (twice === d && q % 2n !== 0n) ? away : q;
  }
}

/** What the program's rounding makes of exact points: to 12 decimals half-even first (the guard), then `mode`. */
function roundedPoints(value: { units: bigint; decimals: number }, mode: RoundingMode): bigint {
  let { units, decimals } = value;
  if (decimals > 12) {
    units = divRound(units, 10n ** BigInt(decimals - 12), 'half-even');
    decimals = 12;
  }
  return divRound(units, 10n ** BigInt(decimals), mode);
}

// ---- generators ------------------------------------------------------------------------------------------------

const digitsArb = (maxLength: number) => fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), maxLength });

/**
 * Decimal strings of the grammar, up to its 40 characters: small and large whole parts, fractions with trailing
 * zeros, tiny values deep in the fraction (10^-38), halves, and values past 2^53.
 */
const decimalArb: fc.Arbitrary<string> = fc
  .record({
    negative: fc.boolean(),
    whole: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: 10_000n }), fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.constant(MAX_SAFE), fc.constant(MAX_SAFE + 1n)),
    fraction: fc.oneof(digitsArb(17), fc.constantFrom('', '5', '50', '4999999999999', '5000000000001', '0000000000005'), fc.nat({ max: 36 }).map((zeros) => `${'0'.repeat(zeros)}1`)),
  })
  .map(({ negative, whole, fraction }) => `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`)
  .filter((text) => text.length <= MAX_DECIMAL_LENGTH);

/** Strings near the grammar: signs, exponents, spaces, leading zeros, stray points, too long. */
const nearDecimalArb: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: fc.constantFrom('0', '1', '5', '9', '.', '-', '+', 'e', ' '), maxLength: 12 }),
  decimalArb.map((text) => `0${text}`),
  decimalArb.map((text) => `${text}0`.padStart(41, '1')),
  decimalArb.map((text) => `${text}e1`),
  fc.constantFrom('', '.5', '5.', '-', '-.5', '1..2', '00', '01', '-00.1', '+1', ' 1', '1 ', 'Infinity', 'NaN', '0x10', '1_000'),
);

/** Values that are not strings at all. */
const notStringArb: fc.Arbitrary<unknown> = fc.oneof(fc.integer(), fc.double(), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.bigInt(), fc.array(fc.nat(), { maxLength: 2 }), fc.constant({ value: '1' }));

// ---- properties ------------------------------------------------------------------------------------------------

describe('money: decimal strings', () => {
  it('a decimal string parses to its exact value and prints back as the same value, canonical (no exponent, no trailing zeros)', () => {
    fc.assert(
      fc.property(decimalArb, (text) => {
        const printed = decimalString(parseDecimal(text, '/x'));
        expect(isDecimalString(printed), `"${text}" printed as "${printed}"`).to.equal(true);
        expect(sameValue(exactOf(printed), exactOf(text)), `"${text}" printed as "${printed}"`).to.equal(true);
        expect(printed, `"${text}" printed with trailing zeros`).to.not.match(/\.\d*0$/);
        // A string already canonical (no trailing zeros, no minus zero) prints as itself.
        const minusZero = text.startsWith('-') && exactOf(text).units === 0n;
        if (!/\.\d*0$/.test(text) && !minusZero) expect(printed).to.equal(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('formatUnits writes units × 10^-decimals (numbers and bigints, shares too) as a canonical string of that value', () => {
    const caseArb = fc.oneof(
      fc.record({ units: fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), decimals: fc.constant(SHARE_DECIMALS) }),
      fc.record({ units: fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), decimals: fc.integer({ min: 0, max: 24 }) }),
      fc.record({ units: fc.maxSafeNat(), decimals: fc.integer({ min: 0, max: 24 }) }),
    );
    fc.assert(
      fc.property(caseArb, ({ units, decimals }) => {
        const text = formatUnits(units, decimals);
        expect(/^-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?$/.test(text), `${units} at ${decimals} decimals wrote "${text}"`).to.equal(true);
        expect(sameValue(exactOf(text), { units: BigInt(units), decimals }), `${units} at ${decimals} decimals wrote "${text}"`).to.equal(true);
        if (typeof units === 'bigint' && decimals === SHARE_DECIMALS) expect(shareToString(units)).to.equal(text);
      }),
      { numRuns: 3000 },
    );
  });

  it('isDecimalString accepts exactly what parseDecimal accepts; parseDecimal refuses the rest with invalid-decimal at the pointer', () => {
    fc.assert(
      fc.property(fc.oneof(decimalArb, nearDecimalArb, notStringArb), (value) => {
        let parsed: Decimal | undefined;
        let refusal: unknown;
        try {
          parsed = parseDecimal(value, '/lines/0/unitPrice');
        } catch (error) {
          refusal = error;
        }
        expect(isDecimalString(value), `${JSON.stringify(String(value))}`).to.equal(parsed !== undefined);
        if (parsed === undefined) {
          expect(refusal).to.be.instanceOf(InputError);
          const problems = (refusal as InputError).errors;
          expect(problems).to.have.length(1);
          expect(problems[0]).to.include({ pointer: '/lines/0/unitPrice', code: 'invalid-decimal' });
          return;
        }
        const text = value as string;
        const { units, decimals } = exactOf(text);
        expect(BigInt(parsed.times(new Decimal(10).pow(decimals)).toFixed(0)), `"${text}"`).to.equal(units);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('money: rounding points', () => {
  it('roundPoints rounds like the BigInt reference in every mode, and refuses a result past 2^53 with points-out-of-range', () => {
    fc.assert(
      fc.property(decimalArb, fc.constantFrom(...MODES), (text, mode) => {
        const expected = roundedPoints(exactOf(text), mode);
        const round = () => roundPoints(parseDecimal(text), mode);
        if (expected > MAX_SAFE || expected < -MAX_SAFE) {
          expect(round, `"${text}" ${mode}`).to.throw(InputError).with.property('errors').that.satisfies((errors: InputError['errors']) => errors[0]!.code === 'points-out-of-range');
        } else expect(round(), `"${text}" ${mode}`).to.equal(Number(expected));
      }),
      { numRuns: 4000 },
    );
  });

  it('roundShare rounds a 10^-20 share like the same reference, in every mode, near whole and half points and the 12-decimal guard', () => {
    const shareArb = fc.oneof(
      fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
      fc.bigInt({ min: (MAX_SAFE * SCALE) - SCALE, max: (MAX_SAFE * SCALE) + (2n * SCALE) }),
      fc.tuple(fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n }), fc.constantFrom(0n, SCALE / 2n, 5n * (10n ** 7n)), fc.bigInt({ min: -(10n ** 9n), max: 10n ** 9n })).map(([whole, part, hair]) => (whole * SCALE) + part + hair),
    );
    fc.assert(
      fc.property(shareArb, fc.constantFrom(...MODES), (share, mode) => {
        const expected = roundedPoints({ units: share, decimals: SHARE_DECIMALS }, mode);
        const round = () => roundShare(share, mode);
        if (expected > MAX_SAFE || expected < -MAX_SAFE) expect(round, `${share} ${mode}`).to.throw(InputError);
        else expect(round(), `${share} ${mode}`).to.equal(Number(expected));
      }),
      { numRuns: 4000 },
    );
  });

  it('roundUnits rounds safe integers of 10^-8 points like the same reference, in every mode', () => {
    const unitsArb = fc.oneof(
      fc.maxSafeNat(),
      fc.tuple(fc.nat({ max: 10 ** 7 }), fc.constantFrom(0, 1, 49_999_999, 50_000_000, 50_000_001, 99_999_999)).map(([whole, rest]) => (whole * 1e8) + rest),
    );
    fc.assert(
      fc.property(unitsArb, fc.constantFrom(...MODES), (units, mode) => {
        expect(roundUnits(units, 1e8, mode), `${units} ${mode}`).to.equal(Number(roundedPoints({ units: BigInt(units), decimals: 8 }, mode)));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('money: the one-pass decimal reader', () => {
  it('reads a string exactly when the grammar accepts it without a sign and with at most 15 digits, to the value Decimal reads', () => {
    const readableArb = fc.bigInt({ min: 0n, max: 10n ** 17n }).chain((n) => fc.nat({ max: 18 }).map((d) => formatUnitsByHand(n, d)));
    fc.assert(
      fc.property(fc.oneof(decimalArb, nearDecimalArb, readableArb, notStringArb), (value) => {
        const text = typeof value === 'string' ? value : undefined;
        const readable = text !== undefined && isDecimalString(text) && !text.startsWith('-') && text.replace('.', '').length <= 15;
        expect(readUnits(value), JSON.stringify(String(value))).to.equal(readable);
        if (!readable) return;
        expect(Number.isSafeInteger(lastRead.units)).to.equal(true);
        expect(new Decimal(lastRead.units).div(new Decimal(10).pow(lastRead.decimals)).eq(new Decimal(text)), `"${text}"`).to.equal(true);
      }),
      { numRuns: 4000 },
    );
  });

  it('reads back what formatUnits wrote', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 ** 12 }), fc.integer({ min: 0, max: 3 }), (units, decimals) => {
        expect(readUnits(formatUnits(units, decimals))).to.equal(true);
        expect(lastRead.units * (10 ** (decimals - lastRead.decimals))).to.equal(units);
      }),
      { numRuns: 1000 },
    );
  });
});

/** `n` with its last `d` digits after a point, zeros kept ("1200" at 2: "12.00"): strings at the 15-digit edge. */
function formatUnitsByHand(n: bigint, d: number): string {
  const digits = n.toString().padStart(d + 1, '0');
  return d === 0 ? digits : `${digits.slice(0, -d)}.${digits.slice(-d)}`;
}
