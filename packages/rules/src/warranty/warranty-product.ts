/**
 * The product a warranty check is about, validated at the boundary: every problem is reported at once with its
 * JSON pointer, so a checkout integration learns everything it sent wrong in one round trip.
 */
import type { DateTime } from 'luxon';
import { InputError, type Problem } from '../errors.js';
import { describePointer, isDecimalString, preview, Decimal } from '../money/money.js';
import { isDateString, parseDate } from '../time.js';

/** The product as sent by a caller (`POST /v1/warranty/eligibility`). */
export interface WarrantyProduct {
  readonly sku: string;
  readonly category: string;
  readonly brand?: string;
  readonly tags?: readonly string[];
  /** Price paid for one unit, a decimal string in the program's currency. */
  readonly price: string;
  /** Calendar date of purchase (`YYYY-MM-DD`), read in the program's time zone. */
  readonly purchasedOn: string;
  /** The manufacturer's term for the unit, and optionally shorter or longer terms for named components. */
  readonly manufacturerWarranty: {
    readonly months: number;
    readonly components?: Readonly<Record<string, number>>;
  };
}

/** A validated product: money as Decimal, the purchase date as the start of that day in the program's zone. */
export interface ParsedWarrantyProduct {
  readonly sku: string;
  readonly category: string;
  readonly brand: string | undefined;
  readonly tags: readonly string[];
  readonly price: Decimal;
  readonly purchasedOn: DateTime;
  readonly manufacturerMonths: number;
  /** Components in the order the caller listed them, with their manufacturer term in months. */
  readonly components: ReadonlyArray<readonly [name: string, months: number]>;
}

/** The component name that stands for the product itself in coverage maps. */
export const UNIT_COMPONENT = 'unit';

const MAX_MONTHS = 1200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMonths(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_MONTHS;
}

function monthsProblem(pointer: string, value: unknown): Problem {
  return {
    pointer,
    code: 'invalid-months',
    message: `${describePointer(pointer)} must be a whole number of months between 0 and ${MAX_MONTHS}, got ${preview(value)}`,
  };
}

function textProblem(pointer: string, value: unknown): Problem | undefined {
  if (typeof value === 'string' && value.length > 0 && value.length <= 100) return undefined;
  return { pointer, code: 'invalid-text', message: `${describePointer(pointer)} must be a text of 1 to 100 characters, got ${preview(value)}` };
}

/**
 * Validates a warranty product and reads its purchase date in `zone`; throws one InputError listing every problem.
 *
 * @example parseWarrantyProduct({ sku: 'TV-55', category: 'tv', price: '8000000', purchasedOn: '2026-12-10',
 *   manufacturerWarranty: { months: 12 } }, 'Asia/Jakarta').price.toString() // '8000000'
 */
export function parseWarrantyProduct(product: unknown, zone: string, pointer = '/product'): ParsedWarrantyProduct {
  if (!isRecord(product)) {
    throw new InputError([{ pointer, code: 'invalid-product', message: `${describePointer(pointer)} must be an object with sku, category, price, purchasedOn and manufacturerWarranty, got ${preview(product)}` }]);
  }
  const problems: Problem[] = [];
  const push = (p: Problem | undefined): void => {
    if (p) problems.push(p);
  };
  push(textProblem(`${pointer}/sku`, product.sku));
  push(textProblem(`${pointer}/category`, product.category));
  if (product.brand !== undefined) push(textProblem(`${pointer}/brand`, product.brand));
  if (product.tags !== undefined) {
    if (!Array.isArray(product.tags)) push({ pointer: `${pointer}/tags`, code: 'invalid-tags', message: `${describePointer(`${pointer}/tags`)} must be a list of texts, got ${preview(product.tags)}` });
    else (product.tags as unknown[]).forEach((tag, i) => push(textProblem(`${pointer}/tags/${i}`, tag)));
  }
  const pricePointer = `${pointer}/price`;
  if (!isDecimalString(product.price) || product.price.startsWith('-')) {
    push({ pointer: pricePointer, code: 'invalid-decimal', message: `${describePointer(pricePointer)} must be a decimal string of zero or more like "8000000", got ${preview(product.price)}` });
  }
  const datePointer = `${pointer}/purchasedOn`;
  if (!isDateString(product.purchasedOn)) {
    push({ pointer: datePointer, code: 'invalid-date', message: `${describePointer(datePointer)} must be a real date like "2026-12-10", got ${preview(product.purchasedOn)}` });
  }
  const mwPointer = `${pointer}/manufacturerWarranty`;
  const mw = product.manufacturerWarranty;
  const components: Array<readonly [string, number]> = [];
  if (!isRecord(mw)) {
    push({ pointer: mwPointer, code: 'invalid-manufacturer-warranty', message: `${describePointer(mwPointer)} must be an object like {"months": 12, "components": {"remote": 6}}, got ${preview(mw)}` });
  } else {
    if (!isMonths(mw.months)) push(monthsProblem(`${mwPointer}/months`, mw.months));
    if (mw.components !== undefined) {
      if (!isRecord(mw.components)) {
        push({ pointer: `${mwPointer}/components`, code: 'invalid-components', message: `${describePointer(`${mwPointer}/components`)} must map component names to months, got ${preview(mw.components)}` });
      } else {
        for (const [name, months] of Object.entries(mw.components)) {
          const p = `${mwPointer}/components/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
          if (name === UNIT_COMPONENT) {
            push({ pointer: p, code: 'reserved-component', message: `"${UNIT_COMPONENT}" stands for the product itself; give its term in ${describePointer(`${mwPointer}/months`)} instead` });
          } else if (!isMonths(months)) push(monthsProblem(p, months));
          else components.push([name, months]);
        }
      }
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return {
    sku: product.sku as string,
    category: product.category as string,
    brand: product.brand as string | undefined,
    tags: (product.tags as string[] | undefined) ?? [],
    price: new Decimal(product.price as string),
    purchasedOn: parseDate(product.purchasedOn, zone, datePointer),
    manufacturerMonths: (mw as { months: number }).months,
    components,
  };
}
