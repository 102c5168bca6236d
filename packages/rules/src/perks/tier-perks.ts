/**
 * A tier's perks as one list: the perks it declares, and the warranty figures it gives in `benefits` (the older
 * place) as perks too, so a CRM reads every perk of a tier in one place. The warranty figures themselves have one
 * source, {@link tierWarrantyFigures}, which the warranty checks and this list both read.
 */
import type { CompiledProgram } from '../engine/compiled-program.js';
import type { Perk } from '../program/perk-kinds.js';
import type { TierLevel } from '../program/tiers-section.js';
import { tierLevelOf } from '../warranty/tier-benefits.js';

/** A tier's warranty figures: extra months of plan cover, and the fraction off plan prices ("0.2" is 20 %). */
export interface TierWarrantyFigures {
  readonly extraMonths: number;
  readonly planDiscount: string;
}

/** A warranty figure of a tier and where the program gives it: a perk (`perks/<i>`) or `benefits`. */
interface WarrantySource<T> {
  readonly value: T;
  /** The pointer under the level: `/perks/2/months` or `/benefits/warrantyExtraMonths`. */
  readonly pointer: string;
}

/** Where a tier declares its warranty figures (both places, when it uses both). Used by the checks and the figures. */
export function warrantySources(level: TierLevel): { months: Array<WarrantySource<number>>; discount: Array<WarrantySource<string>> } {
  const months: Array<WarrantySource<number>> = [];
  const discount: Array<WarrantySource<string>> = [];
  (level.perks ?? []).forEach((perk, i) => {
    if (perk.kind === 'warranty-extra-months') months.push({ value: perk.months, pointer: `/perks/${i}/months` });
    if (perk.kind === 'warranty-plan-discount') discount.push({ value: perk.fraction, pointer: `/perks/${i}/fraction` });
  });
  const benefits = level.benefits;
  if (benefits?.warrantyExtraMonths !== undefined) months.push({ value: benefits.warrantyExtraMonths, pointer: '/benefits/warrantyExtraMonths' });
  if (benefits?.warrantyPlanDiscount !== undefined) discount.push({ value: benefits.warrantyPlanDiscount, pointer: '/benefits/warrantyPlanDiscount' });
  return { months, discount };
}

/**
 * The warranty figures of a tier level, whether it declares them as perks or in `benefits` (parseProgram refuses a
 * level that gives a figure in both places with different values, so the first found is the figure). None: 0.
 *
 * @example tierWarrantyFigures({ id: 'gold', name: 'Gold', threshold: '0', perks: [{ id: 'care', kind: 'warranty-extra-months', months: 6 }] }) // { extraMonths: 6, planDiscount: '0' }
 */
export function tierWarrantyFigures(level: TierLevel | undefined): TierWarrantyFigures {
  if (!level) return { extraMonths: 0, planDiscount: '0' };
  const sources = warrantySources(level);
  return { extraMonths: sources.months[0]?.value ?? 0, planDiscount: sources.discount[0]?.value ?? '0' };
}

/**
 * Every perk of a tier level as plain JSON: its declared perks in program order, then a warranty figure it gives only
 * in `benefits`, as a perk whose id is its kind (`warranty-extra-months`, `warranty-plan-discount`).
 *
 * @example levelPerks({ id: 'gold', name: 'Gold', threshold: '0', benefits: { warrantyExtraMonths: 6 } }) // [{ id: 'warranty-extra-months', kind: 'warranty-extra-months', months: 6 }]
 */
export function levelPerks(level: TierLevel): readonly Perk[] {
  const declared = level.perks ?? [];
  const perks: Perk[] = declared.map((perk) => ({ ...perk }));
  const has = (kind: Perk['kind']) => declared.some((perk) => perk.kind === kind);
  const benefits = level.benefits;
  if (benefits?.warrantyExtraMonths !== undefined && !has('warranty-extra-months')) {
    perks.push({ id: 'warranty-extra-months', kind: 'warranty-extra-months', months: benefits.warrantyExtraMonths });
  }
  if (benefits?.warrantyPlanDiscount !== undefined && !has('warranty-plan-discount')) {
    perks.push({ id: 'warranty-plan-discount', kind: 'warranty-plan-discount', fraction: benefits.warrantyPlanDiscount });
  }
  return perks;
}

/** The early-access lead of a tier level in milliseconds (its `early-access` perk's hours), 0 without one. */
export function earlyAccessMillis(level: TierLevel): number {
  const perk = (level.perks ?? []).find((p) => p.kind === 'early-access');
  return perk ? perk.hours * 3_600_000 : 0;
}

/**
 * The perks of `tierId` as plain JSON objects `{ id, kind, name?, ...fields }` (none without a tier). A tier id the
 * program does not define is an input error at `pointer`.
 *
 * @example tierPerks(compiled, 'gold').map((p) => p.id) // ['free-shipping', 'early-access', 'accessory-discount', 'warranty-extra-months', 'warranty-plan-discount']
 */
export function tierPerks(compiled: CompiledProgram, tierId: string | null | undefined, pointer = '/tier'): readonly Perk[] {
  return tierLevelOf(compiled, tierId ?? undefined, pointer)?.perks ?? [];
}
