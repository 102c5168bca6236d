/**
 * Referral codes people read aloud and type on phones: no 0/O, 1/I/L look-alikes, grouped in fours, with a check
 * symbol that catches every single mistyped symbol and every swap of two neighbours. The random part has no vowels
 * either, so no word (polite or not) can appear in a code.
 *
 * Entropy: 11 random symbols of 28, 28^11 ≈ 8.3·10^15 (about 53 bits). Among ten million codes the chance that
 * any two collide is about 0.6 % (n² / 2N), so a store keeps a unique index and draws again on the rare clash.
 */
import { inputError } from '../errors.js';
import { preview } from '../money/money.js';

/** Every symbol a generated code may contain, in value order: digits 2-9 and the letters except I, L and O. */
export const REFERRAL_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
/** The symbols of the random part: {@link REFERRAL_CODE_ALPHABET} without the vowels A, E and U. */
const DATA_ALPHABET = '23456789BCDFGHJKMNPQRSTVWXYZ';
const BASE = BigInt(DATA_ALPHABET.length);
const DATA_SYMBOLS = 11;
const MASK_128 = (1n << 128n) - 1n;
// FNV-1a, 128-bit: a small, well-known, dependency-free hash (no Node built-ins in @purna/rules).
const FNV_OFFSET = 0x6c62272e07bb014262b821756295c58dn;
const FNV_PRIME = 0x0000000001000000000000000000013bn;

function hash128(bytes: Uint8Array): bigint {
  let h = FNV_OFFSET;
  for (const byte of bytes) h = ((h ^ BigInt(byte)) * FNV_PRIME) & MASK_128;
  // Finalizer: FNV's low bits mix poorly for short, similar seeds ("cust-1", "cust-2"); fold the high bits down.
  h ^= h >> 64n;
  h = (h * 0x9e3779b97f4a7c15f39cc0605cedc835n) & MASK_128;
  h ^= h >> 67n;
  h = (h * 0xc2b2ae3d27d4eb4f165667b19e3779f9n) & MASK_128;
  return h ^ (h >> 61n);
}

/**
 * Weighted sum mod 31, written with a symbol of the full 31-symbol alphabet. 31 is a prime larger than every weight
 * and every difference of two data values, so a single changed symbol or a swap of two different neighbours always
 * changes it.
 */
function checkValue(values: readonly number[]): number {
  return values.reduce((sum, v, i) => (sum + ((i + 1) * v)) % REFERRAL_CODE_ALPHABET.length, 0);
}

/**
 * A referral code derived from `seed`: the same seed always gives the same code. Pass at least 10 random bytes
 * (`crypto.getRandomValues(new Uint8Array(16))`) for an unguessable code, or a string (a customer id plus a
 * secret salt) for a reproducible one. The result looks like `K7QM-4XHD-9TRW`, the last symbol being the check.
 *
 * @example generateReferralCode('ayu:salt') // 'Z3DH-HZN6-FCC4', always the same for this seed
 */
export function generateReferralCode(seed: string | Uint8Array): string {
  if ((typeof seed === 'string' && seed.length === 0) || (seed instanceof Uint8Array && seed.length === 0)) {
    return inputError('/seed', 'empty-seed', 'the seed of a referral code must not be empty');
  }
  if (typeof seed !== 'string' && !(seed instanceof Uint8Array)) {
    return inputError('/seed', 'invalid-seed', `the seed of a referral code must be a string or bytes, got ${preview(seed)}`);
  }
  const bytes = typeof seed === 'string' ? new TextEncoder().encode(seed) : seed;
  let n = hash128(bytes);
  const values: number[] = [];
  for (let i = 0; i < DATA_SYMBOLS; i += 1) {
    values.push(Number(n % BASE));
    n /= BASE;
  }
  const symbols = values.map((v) => DATA_ALPHABET[v] ?? '').join('') + (REFERRAL_CODE_ALPHABET[checkValue(values)] ?? '');
  return `${symbols.slice(0, 4)}-${symbols.slice(4, 8)}-${symbols.slice(8)}`;
}

function canonical(input: unknown): string | undefined {
  if (typeof input !== 'string') return undefined;
  const code = input.normalize('NFKC').toUpperCase().replace(/[\s\-_.\u2010-\u2015]/g, '');
  return /^[A-Z0-9]{1,64}$/.test(code) ? code : undefined;
}

/**
 * The canonical form of a code someone typed or a shop chose: Unicode-normalized, upper case, without spaces,
 * hyphens, dots or underscores. Store codes in this form and normalize what customers type before looking it
 * up, so "ayu-2026", "AYU 2026" and "AYU2026" are the same code. Throws an InputError when nothing usable is left.
 *
 * @example normalizeReferralCode(' k7qm-4xhd 9trw ') // 'K7QM4XHD9TRW'
 */
export function normalizeReferralCode(input: string): string {
  const code = canonical(input);
  if (code === undefined) {
    return inputError('/code', 'invalid-referral-code', `a referral code is 1 to 64 letters and digits (spaces and hyphens are ignored), got ${preview(input)}`);
  }
  return code;
}

/**
 * True when `code` (in any spacing or case) has the shape of a generated code and its check symbol matches: a
 * storefront can say "check the code" before any lookup. Codes a shop chose by hand ("AYU-2026") are not generated
 * codes and give false; look those up directly.
 *
 * @example isGeneratedReferralCode(generateReferralCode('x')) // true
 */
export function isGeneratedReferralCode(code: string): boolean {
  const normalized = canonical(code);
  if (normalized === undefined || normalized.length !== DATA_SYMBOLS + 1) return false;
  const values = [...normalized.slice(0, DATA_SYMBOLS)].map((c) => DATA_ALPHABET.indexOf(c));
  if (values.some((v) => v < 0)) return false;
  return REFERRAL_CODE_ALPHABET.indexOf(normalized[DATA_SYMBOLS] ?? '') === checkValue(values);
}

/**
 * True when two codes are the same once normalized; a malformed code matches nothing (no customer can own it).
 *
 * @example sameReferralCode('ayu 2026', 'AYU-2026') // true
 */
export function sameReferralCode(a: string, b: string): boolean {
  const x = canonical(a);
  return x !== undefined && x === canonical(b);
}
