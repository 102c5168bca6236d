/**
 * Voucher codes: 16 characters from a 32-letter alphabet without look-alikes (no 0/O, no 1/I), so 80 random bits,
 * printed in groups of four (`K7QM-2XPA-9RHD-TWCE`). The randomness comes from the caller (the ledger draws it from
 * node:crypto; a simulation may pass its own), so this module stays pure. A code typed with lower-case letters,
 * spaces or without its dashes is the same code.
 */
import { inputError } from '../errors.js';

/** The code alphabet: digits 2-9 and the letters A-Z without I and O. */
export const VOUCHER_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Characters of a code, without its dashes (5 bits each). */
export const VOUCHER_CODE_LENGTH = 16;
/** Random bytes a code is made of (80 bits). */
export const VOUCHER_CODE_BYTES = 10;

/**
 * The code made of `bytes` (at least 10 random bytes; the first 80 bits are used).
 *
 * @example formatVoucherCode(randomBytes(VOUCHER_CODE_BYTES)) // 'K7QM-2XPA-9RHD-TWCE'
 */
export function formatVoucherCode(bytes: Uint8Array): string {
  if (bytes.length < VOUCHER_CODE_BYTES) throw new RangeError(`a voucher code needs ${VOUCHER_CODE_BYTES} random bytes, got ${bytes.length}`);
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < VOUCHER_CODE_BYTES; i++) {
    buffer = (buffer << 8) | (bytes[i] ?? 0);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += VOUCHER_ALPHABET[(buffer >> bits) & 31] ?? '';
    }
    buffer &= (1 << bits) - 1;
  }
  return out.match(/.{4}/g)?.join('-') ?? out;
}

/**
 * The code as stored (`XXXX-XXXX-XXXX-XXXX`) from what a customer typed, or an input error at `pointer` saying what
 * is wrong with it.
 *
 * @example normalizeVoucherCode('k7qm 2xpa9rhd-twce', '/code') // 'K7QM-2XPA-9RHD-TWCE'
 */
export function normalizeVoucherCode(text: string, pointer: string): string {
  const plain = text.toUpperCase().replace(/[\s-]/g, '');
  if (plain.length !== VOUCHER_CODE_LENGTH || [...plain].some((c) => !VOUCHER_ALPHABET.includes(c))) {
    inputError(pointer, 'invalid-voucher-code', `a voucher code is ${VOUCHER_CODE_LENGTH} letters and digits like "K7QM-2XPA-9RHD-TWCE" (no 0, 1, I or O), got "${text.slice(0, 40)}"`);
  }
  return plain.match(/.{4}/g)?.join('-') ?? plain;
}
