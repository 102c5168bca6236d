/** A tier's warranty perks, looked up by tier id. */
import { inputError } from '../errors.js';
import { Decimal, preview } from '../money.js';
import type { Program } from '../program/program-schema.js';

/** Extra months of plan coverage and the plan discount a tier gives. */
export interface WarrantyPerks {
  readonly tierId: string | undefined;
  readonly extraMonths: number;
  /** Fraction off the plan price ("0.2" is 20 %). */
  readonly discount: Decimal;
}

/**
 * The warranty perks of `tierId` (none when no tier is given). An id the program does not define is an input
 * error: silently pricing as if the customer had no tier would overcharge a gold member whose tier was misspelt.
 *
 * @example warrantyPerks(program, 'gold') // { tierId: 'gold', extraMonths: 6, discount: 0.2 }
 */
export function warrantyPerks(program: Program, tierId: string | undefined, pointer = '/tier'): WarrantyPerks {
  if (tierId === undefined) return { tierId, extraMonths: 0, discount: new Decimal(0) };
  const levels = program.tiers?.levels ?? [];
  const level = levels.find((l) => l.id === tierId);
  if (!level) {
    const known = levels.map((l) => `"${l.id}"`).join(', ') || 'none';
    return inputError(pointer, 'unknown-tier', `tier ${preview(tierId)} is not a tier of program "${program.id}" (known tiers: ${known})`);
  }
  return {
    tierId,
    extraMonths: level.benefits?.warrantyExtraMonths ?? 0,
    discount: new Decimal(level.benefits?.warrantyPlanDiscount ?? '0'),
  };
}
