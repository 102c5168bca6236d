/**
 * Checks of a tier's perks beyond the schema: the fields each kind needs and no others, ids unique within the tier
 * (the ids its `benefits` give their warranty perks included), one perk of a kind that has one value per tier, a
 * percent of at most 100, and a warranty figure given both in `benefits` and as a perk with different values.
 */
import type { Problem } from '../errors.js';
import { Decimal, describePointer } from '../money/money.js';
import { PERK_FIELDS, type PerkKind } from '../program/perk-kinds.js';
import type { TierLevel } from '../program/tiers-section.js';
import { levelPerks, warrantySources } from './tier-perks.js';

/** Kinds a tier may list several of (several discounts, several gifts); the others have one value per tier. */
const MANY_PER_TIER: ReadonlySet<PerkKind> = new Set(['discount', 'birthday-gift']);
const COMMON_FIELDS = new Set(['id', 'kind', 'name']);

/**
 * Every problem of the perks of the level at `pointer` (`/tiers/levels/2`).
 *
 * @example checkTierPerks(level, '/tiers/levels/2', problems) // pushes { pointer: '/tiers/levels/2/perks/1/id', code: 'duplicate-id', … } for a repeated id
 */
export function checkTierPerks(level: TierLevel, pointer: string, problems: Problem[]): void {
  const perks = level.perks ?? [];
  const ids = new Map<string, number>();
  const kinds = new Map<PerkKind, number>();
  perks.forEach((perk, j) => {
    const at = `${pointer}/perks/${j}`;
    const where = describePointer(at);
    const fields = PERK_FIELDS[perk.kind];
    for (const field of fields.required) {
      if (!(field in perk)) problems.push({ pointer: `${at}/${field}`, code: 'missing-field', message: `${where} is a "${perk.kind}" perk and needs "${field}"` });
    }
    const allowed = new Set<string>([...COMMON_FIELDS, ...fields.required, ...fields.optional]);
    for (const field of Object.keys(perk)) {
      if (!allowed.has(field)) {
        problems.push({ pointer: `${at}/${field}`, code: 'unexpected-field', message: `${where}.${field} has no meaning for a "${perk.kind}" perk (it takes ${[...allowed].map((f) => `"${f}"`).join(', ')})` });
      }
    }
    if (perk.kind === 'discount' && 'percent' in perk && new Decimal(perk.percent).gt(100)) {
      problems.push({ pointer: `${at}/percent`, code: 'out-of-range', message: `${where}.percent must be at most "100", got "${perk.percent}"` });
    }
    const first = ids.get(perk.id);
    if (first !== undefined) problems.push({ pointer: `${at}/id`, code: 'duplicate-id', message: `${where}.id "${perk.id}" is already used by ${describePointer(`${pointer}/perks/${first}`)}; perk ids must be unique within a tier` });
    else ids.set(perk.id, j);
    const sameKind = kinds.get(perk.kind);
    if (sameKind !== undefined && !MANY_PER_TIER.has(perk.kind)) {
      problems.push({ pointer: `${at}/kind`, code: 'duplicate-perk-kind', message: `${where} is a second "${perk.kind}" perk of the tier (the first is ${describePointer(`${pointer}/perks/${sameKind}`)}); a tier has at most one` });
    } else if (sameKind === undefined) kinds.set(perk.kind, j);
  });
  // A warranty figure given only in `benefits` is listed as a perk whose id is its kind: that id must be free too.
  for (const perk of levelPerks(level).slice(perks.length)) {
    const taken = ids.get(perk.id);
    if (taken !== undefined) {
      const benefit = perk.kind === 'warranty-extra-months' ? 'warrantyExtraMonths' : 'warrantyPlanDiscount';
      problems.push({
        pointer: `${pointer}/perks/${taken}/id`,
        code: 'duplicate-id',
        message: `${describePointer(`${pointer}/perks/${taken}`)}.id "${perk.id}" is the id the tier's benefits.${benefit} is listed under as a perk; choose another id, or declare the benefit as a "${perk.kind}" perk`,
      });
    }
  }
  const sources = warrantySources(level);
  for (const list of [sources.months, sources.discount] as const) {
    const [first, ...others] = list as ReadonlyArray<{ value: number | string; pointer: string }>;
    for (const other of others) {
      // Compared by value: "0.2" and "0.20" are the same discount.
      if (first && !new Decimal(other.value).eq(first.value)) {
        problems.push({
          pointer: `${pointer}${first.pointer}`,
          code: 'conflicting-fields',
          message: `${describePointer(`${pointer}${first.pointer}`)} (${JSON.stringify(first.value)}) disagrees with ${describePointer(`${pointer}${other.pointer}`)} (${JSON.stringify(other.value)}); give the figure once, or the same in both places`,
        });
      }
    }
  }
}
