/**
 * The perks of a tier that act on an order's price, with their amounts: `free-shipping` makes the order's shipping
 * lines free once the order total reaches `minOrderTotal`; `discount` takes `percent` off each line `appliesTo`
 * matches. Every such perk of the tier is listed, `applies: false` with a reason when it gives nothing to this order,
 * so a checkout can say "Rp 120.000 more for free shipping" as well as show what was given. The other kinds
 * (early access, the birthday gift, the warranty perks) do not change an order's price and are not listed here:
 * early access shows in the order's points and their trace.
 *
 * Amounts are the order's own line amounts (`quantity × unitPrice − discount`, priceOrder); a discount is rounded
 * down to the cent line by line, as warranty refunds are, so the shop never gives more than the percent.
 */
import { compileLineFilter, type LineMatcher } from '../engine/compile/line-filter.js';
import type { CompiledProgram } from '../engine/compiled-program.js';
import { priceOrder } from '../engine/earning/price-order.js';
import type { OrderInput } from '../input/order-input.js';
import { Decimal, decimalString } from '../money/money.js';
import { DEFAULT_SHIPPING_LINES, type DiscountPerk, type FreeShippingPerk } from '../program/perk-kinds.js';
import type { TierLevel } from '../program/tiers-section.js';
import type { OrderPerk, OrderPerkLine } from './order-perk-schema.js';
import { tierLevelOf } from '../warranty/tier-benefits.js';
import { type Reason } from '../messages/sentence.js';
import { quoteReasonOf } from '../messages/quote-english.js';

/** Why a perk gives nothing on an order. */
type OrderPerkRefusal = Reason<'below-min-order-total' | 'no-shipping-lines' | 'no-matching-lines'>;

/** A price perk with its filter and figures compiled once (CompiledTierLevel.orderPerks). */
export type CompiledOrderPerk =
  | { readonly perk: FreeShippingPerk; readonly lines: LineMatcher; readonly minOrderTotal: Decimal | undefined }
  | { readonly perk: DiscountPerk; readonly lines: LineMatcher; readonly fraction: Decimal };

/**
 * The price perks of a tier level, compiled (compileProgram calls it once per level).
 *
 * @example compileOrderPerks(level).map((p) => p.perk.id) // ['free-shipping', 'accessory-discount']
 */
export function compileOrderPerks(level: TierLevel): readonly CompiledOrderPerk[] {
  const compiled: CompiledOrderPerk[] = [];
  for (const perk of level.perks ?? []) {
    if (perk.kind === 'free-shipping') {
      compiled.push({ perk, lines: compileLineFilter(perk.shippingLines ?? DEFAULT_SHIPPING_LINES), minOrderTotal: perk.minOrderTotal !== undefined ? new Decimal(perk.minOrderTotal) : undefined });
    } else if (perk.kind === 'discount') {
      compiled.push({ perk, lines: compileLineFilter(perk.appliesTo), fraction: new Decimal(perk.percent).dividedBy(100) });
    }
  }
  return compiled;
}

/**
 * The perks of `tierId` that act on `order`'s price, each with `applies`, its `amount` and what it takes off each
 * line, or the reason it gives nothing (none without a tier). The order is checked as a quote checks it (an
 * InputError lists every problem); a tier the program does not define is an input error at `/tierId`.
 *
 * @example
 * // gold: free shipping, 5 % off accessories; an order of a Rp 8.000.000 laptop, a Rp 350.000 mouse and Rp 25.000 shipping
 * orderPerks(compiled, 'gold', order)
 * // [{ id: 'free-shipping', applies: true, amount: '25000', … }, { id: 'accessory-discount', applies: true, amount: '17500', lines: [{ index: 1, sku: 'MS-1', amount: '17500' }], … }]
 */
export function orderPerks(compiled: CompiledProgram, tierId: string | null | undefined, order: OrderInput): OrderPerk[] {
  const level = tierLevelOf(compiled, tierId ?? undefined, '/tierId');
  if (!level || level.orderPerks.length === 0) return [];
  const priced = priceOrder(compiled, order, '/order');
  const currency = compiled.program.currency;
  return level.orderPerks.map((entry) => {
    const { perk } = entry;
    const base = { id: perk.id, kind: perk.kind, ...(perk.name !== undefined ? { name: perk.name } : {}) };
    const lines: OrderPerkLine[] = [];
    let amount = new Decimal(0);
    for (const line of priced.lines) {
      if (!entry.lines(line.facts)) continue;
      const off = 'fraction' in entry ? line.facts.amount.times(entry.fraction).toDecimalPlaces(2, Decimal.ROUND_DOWN) : line.facts.amount;
      if (off.isZero()) continue;
      amount = amount.plus(off);
      lines.push({ index: line.index, sku: line.facts.sku, amount: decimalString(off) });
    }
    const refuse = (reason: OrderPerkRefusal): OrderPerk => ({ ...base, applies: false, amount: '0', lines: [], reason });
    if ('minOrderTotal' in entry) {
      if (entry.minOrderTotal && priced.facts.total.lt(entry.minOrderTotal)) {
        const short = decimalString(entry.minOrderTotal.minus(priced.facts.total));
        return refuse(quoteReasonOf('perk.below-min-order-total', { total: decimalString(priced.facts.total), min: decimalString(entry.minOrderTotal), short, currency }));
      }
      if (lines.length === 0) return refuse(quoteReasonOf('perk.no-shipping-lines'));
    } else if (lines.length === 0) {
      return refuse(quoteReasonOf('perk.no-matching-lines'));
    }
    return { ...base, applies: true, amount: decimalString(amount), lines };
  });
}
