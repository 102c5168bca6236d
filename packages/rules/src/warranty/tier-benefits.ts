/** A tier's warranty perks, looked up by tier id; also the one tier check of the after-sales functions. */
import type { CompiledProgram, CompiledTierLevel } from '../engine/compiled-program.js';
import { inputError } from '../errors.js';
import { Decimal, preview } from '../money/money.js';

/** Extra months of plan coverage and the plan discount a tier gives. */
export interface WarrantyPerks {
  readonly tierId: string | undefined;
  readonly extraMonths: number;
  /** Fraction off the plan price ("0.2" is 20 %). */
  readonly discount: Decimal;
}

/**
 * The compiled level of `tierId`, or undefined when no tier is given. An id the program does not define is an
 * input error: silently treating a misspelt "gold" as no tier would overcharge for a plan or underpay a birthday.
 *
 * @example tierLevelOf(compiled, 'gold')?.level.benefits // { warrantyExtraMonths: 6, warrantyPlanDiscount: '0.2' }
 */
export function tierLevelOf(compiled: CompiledProgram, tierId: string | undefined, pointer = '/tier'): CompiledTierLevel | undefined {
  if (tierId === undefined) return undefined;
  const level = compiled.tiers?.byId.get(tierId);
  if (!level) {
    const known = (compiled.tiers?.levels ?? []).map((l) => `"${l.id}"`).join(', ') || 'none';
    return inputError(pointer, 'unknown-tier', `tier ${preview(tierId)} is not a tier of program "${compiled.id}" (known tiers: ${known})`);
  }
  return level;
}

/**
 * The warranty perks of `tierId` (none when no tier is given), whether the tier declares them in `benefits` or as
 * `warranty-extra-months` / `warranty-plan-discount` perks (one source: tierWarrantyFigures, perks/tier-perks.ts,
 * read once when the program is compiled).
 *
 * @example warrantyPerks(compiled, 'gold') // { tierId: 'gold', extraMonths: 6, discount: 0.2 }
 */
export function warrantyPerks(compiled: CompiledProgram, tierId: string | undefined, pointer = '/tier'): WarrantyPerks {
  const figures = tierLevelOf(compiled, tierId, pointer)?.warranty;
  return { tierId, extraMonths: figures?.extraMonths ?? 0, discount: new Decimal(figures?.planDiscount ?? '0') };
}
