/** Line filters (`exclude`, `appliesTo`, `tiers.exclude`) compiled into set lookups. */
import type { LineFilter } from '../../program/primitives.js';

/** The line fields a filter reads. */
export interface FilterableLine {
  readonly sku: string;
  readonly category?: string | undefined;
  readonly brand?: string | undefined;
  readonly tags?: readonly string[] | undefined;
}

/** A compiled filter: true when the line matches any listed value of any listed field. */
export type LineMatcher = (line: FilterableLine) => boolean;

/** Matches nothing (no filter given). */
export const MATCHES_NOTHING: LineMatcher = () => false;

/**
 * Compiles a filter. A line matches when it matches ANY listed value of ANY listed field.
 *
 * @example compileLineFilter({ category: ['gift-card', 'shipping'] })({ sku: 'SHIP', category: 'shipping' }) // true
 */
export function compileLineFilter(filter: LineFilter | undefined): LineMatcher {
  if (!filter) return MATCHES_NOTHING;
  const sku = filter.sku ? new Set(filter.sku) : undefined;
  const category = filter.category ? new Set(filter.category) : undefined;
  const brand = filter.brand ? new Set(filter.brand) : undefined;
  const tag = filter.tag ? new Set(filter.tag) : undefined;
  return (line) => {
    if (sku?.has(line.sku)) return true;
    if (category && line.category !== undefined && category.has(line.category)) return true;
    if (brand && line.brand !== undefined && brand.has(line.brand)) return true;
    if (tag && line.tags) for (const t of line.tags) if (tag.has(t)) return true;
    return false;
  };
}

/** Describes a filter for traces: `category in [gift-card, shipping]`. */
export function describeLineFilter(filter: LineFilter | undefined): string {
  if (!filter) return 'no filter';
  return Object.entries(filter)
    .map(([field, values]) => `${field} in [${(values as readonly string[]).join(', ')}]`)
    .join(' or ');
}
